// What changed between two versions of one schema item, as the lines of Fauna's semantic diff
// (core `fql.schema.SchemaDiff` and `DiffRender`): `+ add index \`byEmail\``, `~ change body`,
// `- remove privileges on \`Movie\``, grouped by category for collections.
import type { Value } from '../fql/values/value';
import type { SchemaItem } from '../fsl/schema';
import { itemDefinition } from './catalog';
import { functionShape } from './generate';
import { KIND_OF } from './translate';

export type Category = 'Defined fields' | 'Computed fields' | 'Indexes' | 'Constraints' | 'Configuration';
/** Fauna lists defined-field migrations first, then these categories in this order. */
export const CATEGORIES: readonly Category[] = ['Defined fields', 'Computed fields', 'Indexes', 'Constraints', 'Configuration'];

export interface ChangeLine {
  readonly text: string;
  readonly category?: Category;
  readonly nested?: readonly ChangeLine[];
}

type Fields = ReadonlyMap<string, Value>;
const EMPTY: Fields = new Map();

const fieldsOf = (v: Value | undefined): Fields => (v?.t === 'object' ? v.v : EMPTY);
const listOf = (v: Value | undefined): readonly Value[] => (v === undefined ? [] : v.t === 'array' ? v.v : [v]);
const stringOf = (v: Value | undefined): string | undefined => (v?.t === 'string' ? v.v : undefined);

/** A structural fingerprint of a value, for equality. */
function fingerprint(v: Value | undefined): string {
  if (v === undefined) return 'undefined';
  switch (v.t) {
    case 'object': return `{${[...v.v].map(([k, x]) => `${JSON.stringify(k)}:${fingerprint(x)}`).join(',')}}`;
    case 'array': return `[${v.v.map(fingerprint).join(',')}]`;
    case 'string': return JSON.stringify(v.v);
    case 'int': case 'long': case 'double': case 'boolean': return String(v.v);
    default: return v.t;
  }
}

function display(v: Value | undefined): string {
  if (v === undefined) return '';
  if (v.t === 'string') return JSON.stringify(v.v);
  if (v.t === 'int' || v.t === 'long' || v.t === 'double' || v.t === 'boolean') return String(v.v);
  return fingerprint(v);
}

/** Added, removed and changed members of two keyed maps, in `after` then `before` order. */
function keyed(
  before: ReadonlyMap<string, Value>, after: ReadonlyMap<string, Value>, category: Category | undefined,
  label: (key: string) => string, modify: (key: string, b: Value, a: Value) => ChangeLine | undefined,
): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const [k, a] of after) {
    const b = before.get(k);
    if (b === undefined) out.push({ text: `+ add ${label(k)}`, category });
    else if (fingerprint(a) !== fingerprint(b)) { const m = modify(k, b, a); if (m) out.push(m); }
  }
  for (const k of before.keys()) if (!after.has(k)) out.push({ text: `- remove ${label(k)}`, category });
  return out;
}

function setting(name: string, b: Value | undefined, a: Value | undefined, dflt?: string): ChangeLine[] {
  const bd = b === undefined ? dflt : display(b);
  const ad = a === undefined ? dflt : display(a);
  if (bd === ad) return [];
  if (bd === undefined || bd === dflt) return [{ text: `+ add ${name} set to ${ad}`, category: 'Configuration' }];
  if (ad === undefined || ad === dflt) return [{ text: `- remove ${name} set to ${bd}`, category: 'Configuration' }];
  return [{ text: `~ change ${name} from ${bd} to ${ad}`, category: 'Configuration' }];
}

function uniqueKey(c: Value): string {
  const paths = listOf(fieldsOf(c).get('unique')).map((e) => {
    const f = fieldsOf(e);
    const field = stringOf(f.get('field')) ?? stringOf(e) ?? '';
    return f.get('mva')?.t === 'boolean' && (f.get('mva') as { v: boolean }).v ? `mva(${field})` : field;
  });
  return `[${paths.join(', ')}]`;
}

function collectionChanges(b: Fields, a: Fields): ChangeLine[] {
  const out: ChangeLine[] = [];
  out.push(...keyed(fieldsOf(b.get('fields')), fieldsOf(a.get('fields')), 'Defined fields',
    (k) => `field \`${k}\``, (k) => ({ text: `~ change field \`${k}\``, category: 'Defined fields' })));
  out.push(...keyed(fieldsOf(b.get('computed_fields')), fieldsOf(a.get('computed_fields')), 'Computed fields',
    (k) => `computed field \`${k}\``, (k) => ({ text: `~ change computed field \`${k}\``, category: 'Computed fields' })));
  out.push(...keyed(fieldsOf(b.get('indexes')), fieldsOf(a.get('indexes')), 'Indexes',
    (k) => `index \`${k}\``, (k) => ({ text: `~ change index \`${k}\``, category: 'Indexes' })));
  const constraints = (d: Fields): Map<string, Value> => new Map(listOf(d.get('constraints')).map((c): [string, Value] => {
    const check = fieldsOf(fieldsOf(c).get('check'));
    return check.size > 0 ? [`check constraint \`${stringOf(check.get('name'))}\``, c] : [`unique constraint on ${uniqueKey(c)}`, c];
  }));
  out.push(...keyed(constraints(b), constraints(a), 'Constraints', (k) => k,
    (k) => ({ text: `~ change ${k} body`, category: 'Constraints' })));
  out.push(...setting('wildcard', b.get('wildcard'), a.get('wildcard')));
  out.push(...setting('history_days', b.get('history_days'), a.get('history_days'), '0'));
  out.push(...setting('ttl_days', b.get('ttl_days'), a.get('ttl_days')));
  out.push(...setting('document_ttls', b.get('document_ttls'), a.get('document_ttls')));
  out.push(...setting('alias', b.get('alias'), a.get('alias')));
  return out;
}

/** The signature and body of a function in canonical form (indentation ignored). */
function functionParts(d: Fields): { sig: string; body: string } {
  const shape = functionShape(d);
  return { sig: `${shape.params}: ${shape.result ?? ''}`, body: shape.block.split('\n').map((l) => l.trim()).join('\n') };
}

function functionChanges(b: Fields, a: Fields): ChangeLine[] {
  const out: ChangeLine[] = [];
  out.push(...setting('role', b.get('role'), a.get('role')));
  out.push(...setting('alias', b.get('alias'), a.get('alias')));
  const bp = functionParts(b);
  const ap = functionParts(a);
  if (bp.sig !== ap.sig) out.push({ text: '~ change signature' });
  if (bp.body !== ap.body) out.push({ text: '~ change body' });
  return out;
}

const byResource = (v: Value | undefined, key: string): Map<string, Value> =>
  new Map(listOf(v).map((e): [string, Value] => [stringOf(fieldsOf(e).get(key)) ?? stringOf(e) ?? '', e]));

function grantMap(privilege: Value): Map<string, Value> {
  return new Map([...fieldsOf(fieldsOf(privilege).get('actions'))].filter(([, g]) => !(g.t === 'boolean' && !g.v)));
}

function roleChanges(b: Fields, a: Fields): ChangeLine[] {
  const out = keyed(byResource(b.get('privileges'), 'resource'), byResource(a.get('privileges'), 'resource'), undefined,
    (k) => `privileges on \`${k}\``,
    (k, bv, av) => {
      const nested = keyed(grantMap(bv), grantMap(av), undefined, (x) => x, (x) => ({ text: `~ change ${x} its predicate` }));
      return nested.length === 0 ? undefined : { text: `~ change privileges on \`${k}\``, nested };
    });
  out.push(...keyed(byResource(b.get('membership'), 'resource'), byResource(a.get('membership'), 'resource'), undefined,
    (k) => `membership on \`${k}\``, (k) => ({ text: `~ change membership on \`${k}\` its predicate` })));
  return out;
}

function accessProviderChanges(b: Fields, a: Fields): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const key of ['issuer', 'jwks_uri']) {
    const [bv, av] = [b.get(key), a.get(key)];
    if (fingerprint(bv) !== fingerprint(av)) out.push({ text: `~ change ${key} from ${display(bv)} to ${display(av)}` });
  }
  const roles = (d: Fields) => new Map(listOf(d.get('roles')).map((r): [string, Value] =>
    [stringOf(r) ?? stringOf(fieldsOf(r).get('role')) ?? '', r]));
  out.push(...keyed(roles(b), roles(a), undefined, (k) => `role \`${k}\``, (k) => ({ text: `~ change role \`${k}\` its predicate` })));
  return out;
}

/** The definition of an item with only what an empty item of its kind has (core `makeEmptyItem`). */
function emptyOf(item: SchemaItem, d: Fields): Fields {
  if (item.kind === 'function') return d;
  const keep = item.kind === 'accessProvider' ? ['name', 'issuer', 'jwks_uri'] : ['name'];
  return new Map([...d].filter(([k]) => keep.includes(k)));
}

/**
 * The changes from `before` to `after`; either may be null (an added or removed item, compared
 * with an empty item of its kind).
 */
export function itemChanges(before: SchemaItem | null, after: SchemaItem | null): ChangeLine[] {
  const item = (after ?? before)!;
  const ad = after ? itemDefinition(after) : emptyOf(item, itemDefinition(before!));
  const bd = before ? itemDefinition(before) : emptyOf(item, ad);
  switch (KIND_OF[item.kind]) {
    case 'Collection': return collectionChanges(bd, ad);
    case 'Function': return before && after ? functionChanges(bd, ad) : [];
    case 'Role': return roleChanges(bd, ad);
    case 'AccessProvider': return accessProviderChanges(bd, ad);
  }
}

