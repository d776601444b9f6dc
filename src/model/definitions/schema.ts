// The runtime view of a collection definition: indexes, unique and check constraints,
// computed fields and retention settings, parsed from the stored (already validated and
// normalised) definition document. Parsed once per definition version and shared by all
// queries, since definitions change rarely and are read on every write and index call.
import { createHash } from 'node:crypto';
import type { Value } from '../../fql/values/value';
import type { CollectionDef } from '../model-txn';
import { parseFieldPath, type PathPart } from './field-path';

export interface IndexField {
  /** The path as written in the definition (`.email`, `address.city`). */
  readonly field: string;
  readonly path: readonly PathPart[];
  /** Multi-valued: an array value yields one entry per element. */
  readonly mva: boolean;
}

export interface IndexValueField extends IndexField { readonly desc: boolean }

export interface IndexDef {
  readonly name: string;
  readonly terms: readonly IndexField[];
  readonly values: readonly IndexValueField[];
  readonly queryable: boolean;
  /** Identifies the entries' layout: entries are rebuilt when it changes. */
  readonly fingerprint: string;
}

export interface UniqueDef {
  readonly fields: readonly IndexField[];
  readonly fingerprint: string;
}

export interface CheckDef { readonly name: string; readonly body: string }
export interface ComputedFieldDef { readonly name: string; readonly body: string }
export interface FieldDef { readonly name: string; readonly signature: string; readonly default?: string }

export interface CollectionSchema {
  readonly indexes: ReadonlyMap<string, IndexDef>;
  readonly uniques: readonly UniqueDef[];
  readonly checks: readonly CheckDef[];
  readonly computed: readonly ComputedFieldDef[];
  readonly fields: readonly FieldDef[];
  readonly wildcard?: string;
  readonly ttlDays?: number;
  /**
   * Whether writes may set a document's `ttl` (`document_ttls`; when unset, Fauna allows it
   * only in collections without defined fields).
   */
  readonly documentTtls: boolean;
  readonly historyDays: number;
  readonly alias?: string;
}

const str = (v: Value | undefined): string | undefined => (v && v.t === 'string' ? v.v : undefined);
const bool = (v: Value | undefined): boolean | undefined => (v && v.t === 'boolean' ? v.v : undefined);
const num = (v: Value | undefined): number | undefined =>
  v && (v.t === 'int' || v.t === 'double') ? v.v : v && v.t === 'long' ? Number(v.v) : undefined;
const members = (v: Value | undefined): ReadonlyMap<string, Value> => (v && v.t === 'object' ? v.v : new Map());
const elements = (v: Value | undefined): readonly Value[] => (v && v.t === 'array' ? v.v : []);

/** An index or constraint entry: `"name"` or `{ field: "name", mva?: bool, order?: ... }`. */
function indexField(v: Value): IndexValueField | undefined {
  const field = v.t === 'string' ? v.v : str(members(v).get('field'));
  if (field === undefined) return undefined;
  const path = parseFieldPath(field);
  if (!path) return undefined;
  const m = members(v);
  return { field, path, mva: bool(m.get('mva')) ?? false, desc: str(m.get('order')) === 'desc' };
}

const fieldsOf = (arr: Value | undefined): IndexValueField[] =>
  elements(arr).map(indexField).filter((f): f is IndexValueField => f !== undefined);

/** A short stable digest of an entry layout (unique constraint keys embed it). */
const fingerprintOf = (parts: unknown): string =>
  createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);

function parseIndex(name: string, v: Value): IndexDef {
  const m = members(v);
  const terms = fieldsOf(m.get('terms')).map(({ field, path, mva }) => ({ field, path, mva }));
  const values = fieldsOf(m.get('values'));
  const fingerprint = fingerprintOf([
    terms.map((t) => [t.path, t.mva]),
    values.map((x) => [x.path, x.mva, x.desc]),
  ]);
  return { name, terms, values, queryable: bool(m.get('queryable')) ?? true, fingerprint };
}

export function parseSchema(data: ReadonlyMap<string, Value>): CollectionSchema {
  const indexes = new Map<string, IndexDef>();
  for (const [name, v] of members(data.get('indexes'))) indexes.set(name, parseIndex(name, v));
  const uniques: UniqueDef[] = [];
  const checks: CheckDef[] = [];
  for (const c of elements(data.get('constraints'))) {
    const m = members(c);
    if (m.has('unique')) {
      const fields = fieldsOf(m.get('unique')).map(({ field, path, mva }) => ({ field, path, mva }));
      uniques.push({ fields, fingerprint: fingerprintOf(fields.map((f) => [f.path, f.mva])) });
    } else if (m.has('check')) {
      const check = members(m.get('check'));
      checks.push({ name: str(check.get('name')) ?? '', body: str(check.get('body')) ?? '' });
    }
  }
  const computed = [...members(data.get('computed_fields'))].map(([name, v]) =>
    ({ name, body: str(members(v).get('body')) ?? '' }));
  const fields = [...members(data.get('fields'))].map(([name, v]) => {
    const m = members(v);
    return { name, signature: str(m.get('signature')) ?? 'Any', default: str(m.get('default')) };
  });
  // Entries of fields computed by a function depend on its body: a new body means new entries.
  const bodies = new Map(computed.map((c) => [c.name, c.body]));
  const computedBodies = (fs: readonly IndexField[]) => fs.map((f) => bodies.get(String(f.path[0])) ?? '');
  for (const [name, idx] of indexes) {
    const extra = computedBodies([...idx.terms, ...idx.values]);
    if (extra.some((b) => b !== '')) indexes.set(name, { ...idx, fingerprint: fingerprintOf([idx.fingerprint, extra]) });
  }
  const withBodies = uniques.map((u) => {
    const extra = computedBodies(u.fields);
    return extra.some((b) => b !== '') ? { ...u, fingerprint: fingerprintOf([u.fingerprint, extra]) } : u;
  });
  return {
    indexes, uniques: withBodies, checks, computed, fields,
    wildcard: str(data.get('wildcard')),
    ttlDays: num(data.get('ttl_days')),
    documentTtls: bool(data.get('document_ttls')) ?? fields.length === 0,
    historyDays: num(data.get('history_days')) ?? 0,
    alias: str(data.get('alias')),
  };
}

const cache = new WeakMap<ReadonlyMap<string, Value>, CollectionSchema>();

/** The parsed schema of a collection definition (cached per decoded definition). */
export function schemaOf(def: CollectionDef): CollectionSchema {
  let s = cache.get(def.data);
  if (!s) {
    s = parseSchema(def.data);
    cache.set(def.data, s);
  }
  return s;
}
