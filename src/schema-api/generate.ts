// Definitions → FSL text, in the layout of Fauna's generated schema (core `SourceGenerator`,
// `Displayer.writeSchemaItem`). Used for definitions created through FQL (they appear in a
// generated main.fsl) and, applied to both sides, to tell whether a file's item still matches
// its definition.
import type { Value } from '../fql/values/value';
import { parseExpression } from '../fql/parse/parse';
import type { SchemaKindName } from './translate';

/** Core `SourceGenerator.Preamble`. */
export const PREAMBLE = '// The following schema is auto-generated.\n// This file contains FSL for FQL10-compatible schema items.\n';

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ident = (s: string): string => (IDENT_RE.test(s) ? s : JSON.stringify(s));

const stringOf = (v: Value | undefined): string | undefined => (v?.t === 'string' ? v.v : undefined);
const listOf = (v: Value | undefined): readonly Value[] => (v === undefined ? [] : v.t === 'array' ? v.v : [v]);
const fieldsOf = (v: Value | undefined): ReadonlyMap<string, Value> => (v?.t === 'object' ? v.v : new Map());
const numberOf = (v: Value | undefined): string | undefined =>
  v?.t === 'int' || v?.t === 'long' || v?.t === 'double' ? String(v.v) : undefined;

/** `(x)` → `x` when the parentheses enclose the whole text. */
export function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let enclosing = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')') depth--;
      if (depth === 0 && i < t.length - 1) { enclosing = false; break; }
    }
    if (!enclosing) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

/** Indents every line after the first (multi-line bodies inside a block). */
const reindent = (text: string, pad: string): string => text.split('\n').join(`\n${pad}`);

function predicateBlock(predicate: string, pad: string): string {
  return `{\n${pad}  predicate (${reindent(stripParens(predicate), `${pad}  `)})\n${pad}}`;
}

function indexPath(entry: Value, withOrder: boolean): string {
  const f = fieldsOf(entry);
  const given = stringOf(f.get('field')) ?? (entry.t === 'string' ? entry.v : '');
  // Definitions made through FQL may omit the leading dot (`unique: ["iban"]`); FSL needs it.
  let path = given.startsWith('.') ? given : `.${given}`;
  if (f.get('mva')?.t === 'boolean' && (f.get('mva') as { v: boolean }).v) path = `mva(${path})`;
  if (withOrder && stringOf(f.get('order')) === 'desc') path = `desc(${path})`;
  return path;
}

function collection(name: string, d: ReadonlyMap<string, Value>): string {
  const lines: string[] = [];
  for (const [field, def] of fieldsOf(d.get('fields'))) {
    const f = fieldsOf(def);
    const dflt = stringOf(f.get('default'));
    lines.push(`${ident(field)}: ${stringOf(f.get('signature')) ?? 'Any'}${dflt !== undefined ? ` = ${dflt}` : ''}`);
  }
  const wildcard = stringOf(d.get('wildcard'));
  if (wildcard !== undefined) lines.push(`*: ${wildcard}`);
  for (const [field, def] of fieldsOf(d.get('computed_fields'))) {
    const f = fieldsOf(def);
    const sig = stringOf(f.get('signature'));
    lines.push(`compute ${ident(field)}${sig !== undefined ? `: ${sig}` : ''} = (${reindent(stripParens(stringOf(f.get('body')) ?? ''), '  ')})`);
  }
  for (const [index, def] of fieldsOf(d.get('indexes'))) {
    const f = fieldsOf(def);
    const parts: string[] = [];
    if (f.has('terms')) parts.push(`    terms [${listOf(f.get('terms')).map((e) => indexPath(e, false)).join(', ')}]`);
    if (f.has('values')) parts.push(`    values [${listOf(f.get('values')).map((e) => indexPath(e, true)).join(', ')}]`);
    lines.push(`index ${ident(index)} {\n${parts.join('\n')}\n  }`);
  }
  for (const c of listOf(d.get('constraints'))) {
    const f = fieldsOf(c);
    if (f.has('unique')) lines.push(`unique [${listOf(f.get('unique')).map((e) => indexPath(e, false)).join(', ')}]`);
    const check = fieldsOf(f.get('check'));
    if (check.size > 0) {
      lines.push(`check ${ident(stringOf(check.get('name')) ?? '')} (${reindent(stripParens(stringOf(check.get('body')) ?? ''), '  ')})`);
    }
  }
  const migrations = listOf(d.get('migrations')).map(migrationText);
  if (migrations.length > 0) lines.push(`migrations {\n${migrations.map((m) => `    ${m}`).join('\n')}\n  }`);
  const history = numberOf(d.get('history_days'));
  if (history !== undefined && history !== '0') lines.push(`history_days ${history}`);
  const ttl = numberOf(d.get('ttl_days'));
  if (ttl !== undefined) lines.push(`ttl_days ${ttl}`);
  const docTtls = d.get('document_ttls');
  if (docTtls?.t === 'boolean') lines.push(`document_ttls ${docTtls.v}`);
  const alias = stringOf(d.get('alias'));
  const head = `${alias !== undefined ? `@alias(${ident(alias)})\n` : ''}collection ${ident(name)} {`;
  return lines.length === 0 ? `${head}\n}\n` : `${head}\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

function migrationText(m: Value): string {
  const [kind, body] = [...fieldsOf(m)][0] ?? ['', undefined];
  const f = fieldsOf(body);
  const s = (k: string) => stringOf(f.get(k)) ?? '';
  switch (kind) {
    case 'backfill': return `backfill ${s('field')} = ${s('value')}`;
    case 'move': return `move ${s('field')} -> ${s('to')}`;
    case 'split': return `split ${s('field')} -> ${listOf(f.get('to')).map((t) => stringOf(t) ?? '').join(', ')}`;
    case 'move_conflicts':
    case 'move_wildcard': return `${kind} ${s('into')}`;
    case 'add_wildcard': return kind;
    default: return `${kind} ${s('field')}`;
  }
}

/** `(a: T, b: U) => R` → parameter types and the result type. */
function signatureParts(signature: string | undefined): { params: string[]; result: string } | undefined {
  const m = signature === undefined ? null : /^\s*\(([\s\S]*)\)\s*=>\s*([\s\S]+)$/.exec(signature);
  if (!m) return undefined;
  const params: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of m[1]) {
    if ('(<[{'.includes(ch)) depth++;
    if (')>]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) { params.push(current.trim()); current = ''; continue; }
    current += ch;
  }
  if (current.trim() !== '') params.push(current.trim());
  return { params: params.map((p) => p.replace(/^\.\.\./, '').replace(/^[A-Za-z_][A-Za-z0-9_]*\s*:\s*/, '')), result: m[2].trim() };
}

/** A stored function as FSL pieces: `(a: T, b)`, the result type, and the `{ ... }` body. */
export function functionShape(d: ReadonlyMap<string, Value>): { params: string; result?: string; block: string } {
  const body = stringOf(d.get('body')) ?? '() => null';
  const lambda = parseExpression(body, { allowShortLambda: true });
  const params = lambda.kind === 'lambda' ? lambda.params : ['x'];
  const variadic = lambda.kind === 'lambda' && lambda.variadic;
  const inner = lambda.kind === 'lambda' ? lambda.body : lambda;
  const text = body.slice(inner.span.start, inner.span.end);
  const block = inner.kind === 'block' ? text : `{\n  ${reindent(text, '  ')}\n}`;
  const sig = signatureParts(stringOf(d.get('signature')));
  const paramList = params.map((p, i) => {
    const prefix = variadic && i === params.length - 1 ? '...' : '';
    return `${prefix}${p}${sig && sig.params[i] !== undefined ? `: ${sig.params[i]}` : ''}`;
  }).join(', ');
  return { params: `(${paramList})`, result: sig?.result, block };
}

function fn(name: string, d: ReadonlyMap<string, Value>): string {
  const shape = functionShape(d);
  const role = stringOf(d.get('role'));
  const alias = stringOf(d.get('alias'));
  const annotations = `${role !== undefined ? `@role(${ident(role)})\n` : ''}${alias !== undefined ? `@alias(${ident(alias)})\n` : ''}`;
  return `${annotations}function ${ident(name)}${shape.params}${shape.result !== undefined ? `: ${shape.result}` : ''} ${shape.block}\n`;
}

function role(name: string, d: ReadonlyMap<string, Value>): string {
  const lines: string[] = [];
  for (const p of listOf(d.get('privileges'))) {
    const f = fieldsOf(p);
    const actions: string[] = [];
    for (const [action, g] of fieldsOf(f.get('actions'))) {
      if (g.t === 'boolean') { if (g.v) actions.push(`    ${action}`); continue; }
      if (g.t === 'string') actions.push(`    ${action} ${predicateBlock(g.v, '    ')}`);
    }
    const res = ident(stringOf(f.get('resource')) ?? '');
    lines.push(actions.length === 0 ? `privileges ${res}` : `privileges ${res} {\n${actions.join('\n')}\n  }`);
  }
  for (const m of listOf(d.get('membership'))) {
    const f = fieldsOf(m);
    const predicate = stringOf(f.get('predicate'));
    const res = ident(stringOf(f.get('resource')) ?? '');
    lines.push(predicate === undefined ? `membership ${res}` : `membership ${res} ${predicateBlock(predicate, '  ')}`);
  }
  return lines.length === 0 ? `role ${ident(name)} {\n}\n` : `role ${ident(name)} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

function accessProvider(name: string, d: ReadonlyMap<string, Value>): string {
  const lines: string[] = [];
  const issuer = stringOf(d.get('issuer'));
  if (issuer !== undefined) lines.push(`issuer ${JSON.stringify(issuer)}`);
  const jwks = stringOf(d.get('jwks_uri'));
  if (jwks !== undefined) lines.push(`jwks_uri ${JSON.stringify(jwks)}`);
  for (const r of listOf(d.get('roles'))) {
    if (r.t === 'string') { lines.push(`role ${ident(r.v)}`); continue; }
    const f = fieldsOf(r);
    const predicate = stringOf(f.get('predicate'));
    const roleName = ident(stringOf(f.get('role')) ?? '');
    lines.push(predicate === undefined ? `role ${roleName}` : `role ${roleName} ${predicateBlock(predicate, '  ')}`);
  }
  return `access provider ${ident(name)} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

/** The FSL of one definition; `data` holds its fields (`name` may be included). */
export function generateItem(kind: SchemaKindName, name: string, data: ReadonlyMap<string, Value>): string {
  switch (kind) {
    case 'Collection': return collection(name, data);
    case 'Function': return fn(name, data);
    case 'Role': return role(name, data);
    case 'AccessProvider': return accessProvider(name, data);
  }
}
