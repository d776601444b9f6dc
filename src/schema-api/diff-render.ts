// The three renderings of a schema diff (core `DiffRender`): `semantic` (each added, removed
// or modified item with what changed), `summary` (one line per item) and `textual` (line
// diffs of the files). Items are ordered adds, removes, modifications, then by kind and name.
import { lineCol } from '../fql/summary';
import { FslError, type SchemaItem, parseSchema } from '../fsl/schema';
import { CATEGORIES, type ChangeLine, itemChanges } from './item-changes';
import { DiffBudget, renderHunks } from './line-diff';
import type { DiffFormat } from './params';
import type { FileMap } from './source-store';
import { KIND_OF } from './translate';

interface Placed { readonly item: SchemaItem; readonly filename: string; readonly content: string }

interface ItemDiff {
  readonly op: 'add' | 'remove' | 'modify';
  readonly before?: Placed;
  readonly after?: Placed;
  readonly changes: readonly ChangeLine[];
}

const KIND_ORDER = ['collection', 'function', 'role', 'accessProvider'];
const KIND_WORD: Record<SchemaItem['kind'], string> = {
  collection: 'collection', function: 'function', role: 'role', accessProvider: 'access provider',
};
const OP_ORDER = { add: 0, remove: 1, modify: 2 };

function placedItems(files: FileMap): Map<string, Placed> {
  const out = new Map<string, Placed>();
  for (const [filename, content] of files) {
    let items: SchemaItem[];
    try {
      items = parseSchema(content, filename);
    } catch (e) {
      if (!(e instanceof FslError)) throw e;
      continue;
    }
    for (const item of items) out.set(`${KIND_OF[item.kind]}\u0000${item.name}`, { item, filename, content });
  }
  return out;
}

function itemDiffs(before: FileMap, after: FileMap): ItemDiff[] {
  const b = placedItems(before);
  const a = placedItems(after);
  const out: ItemDiff[] = [];
  for (const [key, at] of a) {
    const was = b.get(key);
    if (!was) { out.push({ op: 'add', after: at, changes: itemChanges(null, at.item) }); continue; }
    const changes = itemChanges(was.item, at.item);
    if (changes.length > 0) out.push({ op: 'modify', before: was, after: at, changes });
  }
  for (const [key, was] of b) if (!a.has(key)) out.push({ op: 'remove', before: was, changes: itemChanges(was.item, null) });
  const item = (d: ItemDiff) => (d.before ?? d.after)!.item;
  return out.sort((x, y) => OP_ORDER[x.op] - OP_ORDER[y.op]
    || KIND_ORDER.indexOf(item(x).kind) - KIND_ORDER.indexOf(item(y).kind)
    || (item(x).name < item(y).name ? -1 : item(x).name > item(y).name ? 1 : 0));
}

function position(p: Placed): string {
  const { line, column } = lineCol(p.content, p.item.span.start);
  return `${p.filename}:${line}:${column}`;
}

function title(d: ItemDiff, colon: boolean): string {
  const p = (d.after ?? d.before)!;
  const what = `${KIND_WORD[p.item.kind]} \`${p.item.name}\``;
  let text: string;
  if (d.op === 'add') text = `* Adding ${what} to ${position(d.after!)}`;
  else if (d.op === 'remove') text = `* Removing ${what} from ${position(d.before!)}`;
  else {
    text = `* Modifying ${what} at ${position(d.after!)}`;
    if (d.before!.filename !== d.after!.filename) text += ` (previously defined at ${position(d.before!)})`;
  }
  return colon ? `${text}:` : text;
}

function changeLines(changes: readonly ChangeLine[], pad: string): string[] {
  return changes.flatMap((c) => [`${pad}${c.text}`, ...changeLines(c.nested ?? [], `${pad}  `)]);
}

function summaryOf(d: ItemDiff): string[] {
  const item = (d.after ?? d.before)!.item;
  if (item.kind !== 'collection') return [...changeLines(d.changes, '  '), ''];
  const out: string[] = [];
  for (const category of CATEGORIES) {
    const inCategory = d.changes.filter((c) => c.category === category);
    if (inCategory.length === 0) continue;
    out.push(`  * ${category}:`, ...changeLines(inCategory, '  '), '');
  }
  return out;
}

function renderSemantic(diffs: readonly ItemDiff[]): string {
  const lines: string[] = [];
  for (const d of diffs) {
    if (d.changes.length === 0) lines.push(title(d, false), '');
    else lines.push(title(d, true), ...summaryOf(d));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function renderSummaryFormat(diffs: readonly ItemDiff[]): string {
  return diffs.map((d) => `${title(d, false)}\n`).join('');
}

function renderTextual(before: FileMap, after: FileMap): string {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const parts: string[] = [];
  const budget = new DiffBudget();
  for (const name of names) {
    const b = before.get(name) ?? '';
    const a = after.get(name) ?? '';
    if (b === a) continue;
    parts.push([name, ...renderHunks(b, a, budget)].join('\n') + '\n');
  }
  return parts.join('\n');
}

export function renderDiff(format: DiffFormat, before: FileMap, after: FileMap): string {
  if (format === 'textual') return renderTextual(before, after);
  const diffs = itemDiffs(before, after);
  return format === 'summary' ? renderSummaryFormat(diffs) : renderSemantic(diffs);
}
