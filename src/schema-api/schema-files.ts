// The FSL files of a database as the API shows them: the files last pushed, reconciled with
// the definitions as they are now. Definitions changed through FQL replace their item's text,
// deleted ones lose it, and definitions no file mentions are appended to a generated main.fsl
// (core `SourceGenerator.patchSchema`).
import type { Span } from '../fql/ast/span';
import { FslError, type SchemaItem, parseSchema } from '../fsl/schema';
import type { ModelTxnImpl } from '../model/model-txn';
import { badRequest } from './errors';
import { PREAMBLE } from './generate';
import { canonicalOfDefinition, canonicalOfItem, defKey, storedDefinitions } from './catalog';
import { type FileMap, readFiles } from './source-store';
import { KIND_OF } from './translate';

export interface ParsedFile {
  readonly filename: string;
  readonly content: string;
  readonly items: readonly SchemaItem[];
}

const isBlank = (content: string): boolean => content.trim() === '';

/** Parses every file; all syntax errors are reported together (400). */
export function parseFiles(files: FileMap): ParsedFile[] {
  const out: ParsedFile[] = [];
  const errors: string[] = [];
  for (const [filename, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      out.push({ filename, content, items: parseSchema(content, filename) });
    } catch (e) {
      if (!(e instanceof FslError)) throw e;
      errors.push(e.summary);
    }
  }
  if (errors.length > 0) throw badRequest(errors.join('\n'));
  return out;
}

/** Like parseFiles, but files that no longer parse count as empty. */
function parseLeniently(files: FileMap): ParsedFile[] {
  return [...files].map(([filename, content]) => {
    try {
      return { filename, content, items: parseSchema(content, filename) };
    } catch (e) {
      if (!(e instanceof FslError)) throw e;
      return { filename, content, items: [] };
    }
  });
}

/** Drops blank files: submitting an empty file deletes it. */
export function withoutBlank(files: FileMap): Map<string, string> {
  return new Map([...files].filter(([, content]) => !isBlank(content)));
}

/** An item's text including the rest of its last line. */
function itemExtent(content: string, span: Span): Span {
  let end = span.end;
  while (end < content.length && (content[end] === ' ' || content[end] === '\t')) end++;
  if (content[end] === '\n') end++;
  return { start: span.start, end };
}

function patch(content: string, edits: readonly { span: Span; text: string }[]): string {
  let out = content;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  }
  return out;
}

/** The active schema's files: the pushed files reconciled with the current definitions. */
export async function activeFiles(model: ModelTxnImpl): Promise<Map<string, string>> {
  const stored = parseLeniently(await readFiles(model.kv, model.db, 'active'));
  const defs = await storedDefinitions(model);
  const seen = new Set<string>();
  const out = new Map<string, string>();
  for (const file of stored) {
    const edits: { span: Span; text: string }[] = [];
    for (const item of file.items) {
      const key = defKey(KIND_OF[item.kind], item.name);
      const def = defs.get(key);
      if (!def || seen.has(key)) {
        edits.push({ span: itemExtent(file.content, item.span), text: '' });
        continue;
      }
      seen.add(key);
      const current = canonicalOfDefinition(def);
      if (current !== canonicalOfItem(item)) edits.push({ span: itemExtent(file.content, item.span), text: current });
    }
    const content = patch(file.content, edits);
    if (!isBlank(content) || file.filename === 'main.fsl') out.set(file.filename, content);
  }
  const generated = [...defs].filter(([key]) => !seen.has(key)).map(([, def]) => canonicalOfDefinition(def));
  if (generated.length > 0) {
    const main = out.get('main.fsl');
    const body = generated.join('\n');
    out.set('main.fsl', main === undefined ? `${PREAMBLE}\n${body}` : `${main}${main.endsWith('\n') || main === '' ? '' : '\n'}\n${body}`);
  }
  if (out.get('main.fsl') !== undefined && isBlank(out.get('main.fsl')!)) out.delete('main.fsl');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
