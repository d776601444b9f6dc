// FQL v4 index entries (core doc/Index.scala, IndexConfig): stored like v10 index entries and
// kept in step with every document write, in the write's transaction. An entry's key is
//   [db, 'i4', <index>, ...terms, ...values, <ref>]
// with each value encoded by the v10 index encoding (src/model/indexes/value-encoding.ts:
// Fauna's value order, `reverse` values inverted), so one term tuple is one key prefix holding
// its documents in index order. The entry's value records the version's ts and ttl, the ref and
// the covered values with their exact types, so a Match is read without fetching documents.
import { QueryError } from '../../fql/errors';
import type { Value } from '../../fql/values/value';
import { type KeyPart, encodeKey } from '../../storage/tuple';
import { decodeFields, encodeFields, fromBytes, toBytes } from '../../model/codec';
import { prefixEnd, v4IndexKey } from '../../model/keys';
import { indexPart } from '../../model/indexes/value-encoding';
import { clearRange } from '../../model/indexes/index-store';
import type { DocData, NamedData } from '../../model/model-api';
import type { CollectionDef, ModelTxnImpl } from '../../model/model-txn';
import { type NamedDef, allDefs } from '../../model/identity/named-store';
import { fql4QueryOf } from '../../model/identity/fql4-lambdas';
import { type ObjectV4, type RefV4, type V4Value, NULL4 } from '../values';
import { V4Error } from '../errors';
import { collectionRefOf, toModel } from './convert';
import { renderDoc, renderNamed } from './render';
import { renderAccessProvider } from './access-providers';
import { scanDocsAt } from '../../model/temporal/historical-scan';

/** A term or value: a document field path or a binding of the source, `reverse` for values. */
export interface IndexField { readonly path: readonly string[]; readonly binding?: string; readonly reverse: boolean }

/**
 * One source collection with its bindings (stored `@query` JSON): a user collection, `_` (every
 * user collection), or a native one, named as the shared storage names it (`Key`, `Token`,
 * `Credential`, or a schema kind of SCHEMA_SOURCES).
 */
export interface IndexSource { readonly coll: string; readonly bindings: ReadonlyMap<string, string> }

/**
 * The schema kinds an index may read (core Index.scala `SourceFieldType`: any public collection,
 * `Database` excepted). Their documents are definitions, keyed by name; their entries are
 * rebuilt whenever the schema changes (index-defs.ts).
 */
export const SCHEMA_SOURCES: ReadonlySet<string> = new Set(['Collection', 'Index', 'Function', 'Role', 'AccessProvider']);

/** The `collId` of entries of schema definitions, which belong to no stored collection. */
const SCHEMA_ENTRY = -1;

export interface ParsedIndex {
  readonly name: string;
  readonly sources: readonly IndexSource[];
  readonly terms: readonly IndexField[];
  readonly values: readonly IndexField[];
  readonly unique: boolean;
}

const WILDCARD = '_';

function parseFields(v: Value | undefined): IndexField[] {
  if (v?.t !== 'array') return [];
  return v.v.flatMap((f) => {
    if (f.t !== 'object') return [];
    const reverse = f.v.get('reverse');
    const rev = reverse?.t === 'boolean' && reverse.v;
    const binding = f.v.get('binding');
    if (binding?.t === 'string') return [{ path: [], binding: binding.v, reverse: rev }];
    const field = f.v.get('field');
    const path = field?.t === 'string' ? [field.v] : field?.t === 'array' ? field.v.map((p) => (p.t === 'string' ? p.v : String((p as { v: unknown }).v))) : [];
    return path.length ? [{ path, reverse: rev }] : [];
  });
}

/** `source`: a collection ref, `_`, `{collection, fields: {binding: Query(Lambda)}}`, or an array of them. */
function parseSources(v: Value | undefined): IndexSource[] {
  const one = (s: Value): IndexSource[] => {
    if (s.t === 'named' && s.coll === 'Collection') return [{ coll: s.name, bindings: new Map() }];
    // A native collection (`Ref("collections")`, `Keys()`, ...) is stored as its v10 module.
    if (s.t === 'module') return [{ coll: s.name, bindings: new Map() }];
    if (s.t === 'string' && s.v === WILDCARD) return [{ coll: WILDCARD, bindings: new Map() }];
    if (s.t !== 'object') return [];
    const [coll] = one(s.v.get('collection') ?? { t: 'null' });
    if (!coll) return [];
    const fields = s.v.get('fields');
    const bindings = new Map<string, string>();
    if (fields?.t === 'object') {
      for (const [k, f] of fields.v) {
        const query = fql4QueryOf(f);
        if (query !== undefined) bindings.set(k, query);
      }
    }
    return [{ coll: coll.coll, bindings }];
  };
  if (!v) return [];
  return v.t === 'array' ? v.v.flatMap(one) : one(v);
}

export function parseIndex(def: NamedDef): ParsedIndex {
  const unique = def.data.get('unique');
  return {
    name: def.name,
    sources: parseSources(def.data.get('source')),
    terms: parseFields(def.data.get('terms')),
    values: parseFields(def.data.get('values')),
    unique: unique?.t === 'boolean' && unique.v,
  };
}

/** The source an index reads a collection's documents through, if it covers that collection. */
export function sourceFor(idx: ParsedIndex, coll: string): IndexSource | undefined {
  return idx.sources.find((s) => s.coll === coll) ?? idx.sources.find((s) => s.coll === WILDCARD);
}

/** The one collection a field-only index reads (streams follow it), or '' for any other index. */
export function singleSource(idx: ParsedIndex): string {
  const only = idx.sources.length === 1 ? idx.sources[0] : undefined;
  return only && only.coll !== WILDCARD && !SCHEMA_SOURCES.has(only.coll) && only.bindings.size === 0 ? only.coll : '';
}

/** Whether an index reads schema definitions (its entries follow every schema change). */
export const readsSchema = (idx: ParsedIndex): boolean => idx.sources.some((s) => SCHEMA_SOURCES.has(s.coll));

/** The value at `path` in a document version (`["data","email"]`, `["ref"]`, `["ts"]`, `["ref","id"]`). */
export function fieldOf(version: ObjectV4, path: readonly string[]): V4Value {
  let cur: V4Value = version;
  for (const p of path) {
    if (cur.t === 'object') cur = cur.v.get(p) ?? NULL4;
    else if (cur.t === 'ref' && p === 'id') cur = { t: 'string', v: cur.id };
    else return NULL4;
  }
  return cur;
}

const unscoped = (r: RefV4): RefV4 => ({ t: 'ref', id: r.id, ...(r.coll ? { coll: unscoped(r.coll) } : {}) });

/** A v4 value as the index encoding sees it (refs of a child database as stored there). */
export function keyValue(v: V4Value): Value {
  switch (v.t) {
    case 'ref': return toModel(unscoped(v), []);
    case 'array': return { t: 'array', v: v.v.map(keyValue) };
    case 'object': return { t: 'object', v: new Map([...v.v].map(([k, x]) => [k, keyValue(x)] as const)) };
    case 'set': return { t: 'null' };
    default: return toModel(v, []);
  }
}

function hasDouble(v: Value): boolean {
  if (v.t === 'double') return true;
  if (v.t === 'array') return v.v.some(hasDouble);
  if (v.t === 'object') return [...v.v.values()].some(hasDouble);
  return false;
}

/**
 * A term's key part. v4 matches terms by value and type: core keys index rows by their terms as
 * IRValues (Literal.toIndexTerm), where LongV(1) and DoubleV(1.0) are different values
 * (storage/ir/IRValue.scala; CBOR `writeInt` vs `writeDouble`), although `Equals(1, 1.0)` is
 * true. The v10 encoding makes 1 and 1.0 one
 * key (v10 compares numbers by value), so terms holding a Double get a suffix of their own; other
 * terms keep the plain encoding (the entries stored before stay valid).
 */
export function termPart(v: V4Value): Uint8Array {
  const m = keyValue(v);
  const part = indexPart(m);
  return hasDouble(m) ? encodeKey([part, 'double']) : part;
}

/** The key parts of a sort key (index values, then the ref) in the index's order. */
export function keyParts(idx: ParsedIndex, key: readonly V4Value[]): Uint8Array[] {
  return key.map((v, i) => indexPart(keyValue(v), idx.values[i]?.reverse === true));
}

/** Evaluates a binding (a stored `Query(Lambda)`) over a document version. */
export type Bind = (query: string, version: ObjectV4) => Promise<V4Value>;

const isScalar = (v: V4Value): boolean => !['array', 'object', 'page', 'set', 'lambda'].includes(v.t);

/**
 * The values a binding gives a version (core Index.mkBinders): a scalar, or the elements of an
 * array (those that are not scalars count as null). Any other result, and a binding that fails,
 * give none: the version then has no entries in the index, and the write itself succeeds.
 */
async function bindingValues(bind: Bind, query: string, version: ObjectV4): Promise<V4Value[]> {
  let v: V4Value;
  try {
    v = await bind(query, version);
  } catch (e) {
    if (e instanceof V4Error) return [];
    throw e;
  }
  if (v.t === 'array') return v.v.map((x) => (isScalar(x) ? x : NULL4));
  return isScalar(v) ? [v] : [];
}

/** One entry of a document version: its key parts (terms, values) and its values. */
interface Entry { readonly parts: readonly KeyPart[]; readonly values: readonly V4Value[] }

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * The entries a version contributes: array values fan out into one entry per element (in
 * terms and values alike); a version whose terms are all null is not in the index, as in Fauna.
 */
async function entriesOf(idx: ParsedIndex, source: IndexSource, version: ObjectV4, bind: Bind): Promise<Entry[]> {
  const bound = new Map<string, V4Value[]>();
  const alternatives = async (f: IndexField): Promise<V4Value[]> => {
    if (f.binding === undefined) {
      const v = fieldOf(version, f.path);
      return v.t === 'array' ? (v.v.length ? [...v.v] : [NULL4]) : [v];
    }
    const query = source.bindings.get(f.binding);
    if (query === undefined) return [NULL4];
    if (!bound.has(f.binding)) bound.set(f.binding, await bindingValues(bind, query, version));
    return bound.get(f.binding)!;
  };
  const fields = [...idx.terms, ...idx.values];
  const alts: V4Value[][] = [];
  for (const f of fields) alts.push(await alternatives(f));
  if (idx.terms.length > 0 && alts.slice(0, idx.terms.length).every((a) => a.every((v) => v.t === 'null'))) return [];
  let combos: { parts: KeyPart[]; values: V4Value[] }[] = [{ parts: [], values: [] }];
  fields.forEach((f, i) => {
    const isValue = i >= idx.terms.length;
    const opts = alts[i].map((v) => ({ part: isValue ? indexPart(keyValue(v), f.reverse) : termPart(v), v }));
    combos = combos.flatMap((c) => opts.map((o) => ({ parts: [...c.parts, o.part], values: isValue ? [...c.values, o.v] : c.values })));
  });
  const seen = new Set<string>();
  return combos.filter((c) => {
    const k = c.parts.map((p) => hex(p as Uint8Array)).join(':');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An entry's stored value: the version's ts (µs) and ttl (ns), its ref, its covered values. */
interface StoredEntry { ts: string; ttl?: string; c: string; ci: number; id: string; v: ReturnType<typeof encodeFields> }

export interface EntryRow {
  readonly coll: string;
  /** The collection's id when written: entries of a deleted collection's documents are stale. */
  readonly collId: number;
  readonly id: string;
  readonly ts: bigint;
  readonly ttl?: bigint;
  readonly values: readonly Value[];
}

export function decodeEntry(value: Uint8Array): EntryRow {
  const s = fromBytes<StoredEntry>(value);
  const fields = decodeFields(s.v);
  return {
    coll: s.c, collId: s.ci, id: s.id, ts: BigInt(s.ts), ttl: s.ttl === undefined ? undefined : BigInt(s.ttl),
    values: [...fields.keys()].sort((a, b) => Number(a) - Number(b)).map((k) => fields.get(k)!),
  };
}

/** A version an index reads: a document's, or a schema definition's (`id`: its name). */
interface SourceItem {
  readonly coll: string;
  /** The collection's id when written (SCHEMA_ENTRY for definitions). */
  readonly collId: number;
  readonly id: string;
  readonly ts: bigint;
  readonly ttl?: bigint;
  readonly version: ObjectV4;
}

const docItem = (model: ModelTxnImpl, collId: number, doc: DocData): SourceItem => ({
  coll: doc.coll, collId, id: doc.id, ts: doc.ts, ttl: doc.ttl, version: renderDoc(model, collectionRefOf(doc.coll), doc, []),
});

/** The current definitions of a schema kind, as v4 shows them (Get of their refs). */
async function schemaItems(model: ModelTxnImpl, kind: string): Promise<SourceItem[]> {
  const defs: readonly { readonly name: string; readonly ts: bigint; readonly data: ReadonlyMap<string, Value> }[] =
    kind === 'Collection' ? await model.allCollections() : await allDefs(model.kv, model.db, kind);
  return defs.map((d) => {
    const data = new Map(d.data);
    data.delete('name');
    const shown: NamedData = { coll: kind, name: d.name, ts: d.ts, data };
    const version = kind === 'AccessProvider' ? renderAccessProvider(model, shown, []) : renderNamed(shown, []);
    return { coll: kind, collId: SCHEMA_ENTRY, id: d.name, ts: d.ts, version };
  });
}

type Rows = Map<string, { key: Uint8Array; prefix: Uint8Array; value: Uint8Array }>;

/** Every entry key of a version, with the entry's stored value. */
async function rowsOf(model: ModelTxnImpl, idx: ParsedIndex, source: IndexSource, item: SourceItem, bind: Bind): Promise<Rows> {
  const ref = item.version.v.get('ref')!;
  const refPart = indexPart(keyValue(ref));
  const out: Rows = new Map();
  for (const e of await entriesOf(idx, source, item.version, bind)) {
    const stored: StoredEntry = {
      ts: item.ts.toString(), c: item.coll, ci: item.collId, id: item.id,
      v: encodeFields(new Map(e.values.map((v, i) => [String(i), keyValue(v)] as const))),
    };
    if (item.ttl !== undefined) stored.ttl = item.ttl.toString();
    const key = v4IndexKey(model.db, idx.name, [...e.parts, refPart]);
    out.set(hex(key), { key, prefix: v4IndexKey(model.db, idx.name, e.parts), value: toBytes(stored) });
  }
  return out;
}

/** Core's unique index failure, as the existing v4 and v10 paths report it. */
const notUnique = (idx: ParsedIndex): QueryError => new QueryError('constraint_failure', 'Failed unique constraint.', undefined, {
  constraintFailures: [{ paths: [], message: `Index \`${idx.name}\` is unique` }],
});

/**
 * Replace a document's entries in one index (`before`/`after` undefined: created/deleted);
 * a unique index refuses a version whose terms and values another document already has.
 * `model` is unguarded: index maintenance sees every document.
 */
export async function updateEntries(
  model: ModelTxnImpl, idx: ParsedIndex, source: IndexSource, def: CollectionDef,
  before: DocData | undefined, after: DocData | undefined, bind: Bind,
): Promise<void> {
  const oldRows: Rows = before ? await rowsOf(model, idx, source, docItem(model, def.id, before), bind) : new Map();
  const newItem = after ? docItem(model, def.id, after) : undefined;
  const newRows: Rows = newItem ? await rowsOf(model, idx, source, newItem, bind) : new Map();
  for (const [k, r] of oldRows) if (!newRows.has(k)) model.kv.delete(r.key);
  if (newItem) await putRows(model, idx, newItem, newRows);
}

/** Store a version's entries; a unique index refuses terms and values another version holds. */
async function putRows(model: ModelTxnImpl, idx: ParsedIndex, item: SourceItem, rows: Rows): Promise<void> {
  for (const r of rows.values()) {
    if (idx.unique) {
      // At most one live entry holds these terms and values; stale ones may sit next to it.
      const found = await model.kv.scan({ start: r.prefix, end: prefixEnd(r.prefix) });
      for (const row of found) {
        const e = decodeEntry(row.value);
        if ((e.coll !== item.coll || e.id !== item.id) && (await isLive(model, e))) throw notUnique(idx);
      }
    }
    model.kv.put(r.key, r.value);
  }
}

/**
 * Whether an entry stands for a current document: entries of expired documents (the expiry
 * sweep removes only v10 entries) and of deleted collections stay behind until rewritten.
 */
export async function isLive(model: ModelTxnImpl, e: EntryRow): Promise<boolean> {
  if (e.ttl !== undefined && e.ttl <= model.txnTs * 1000n) return false;
  // Entries of definitions are rebuilt before any read after a schema change (index-defs.ts).
  if (e.collId === SCHEMA_ENTRY) return true;
  return (await model.collection(e.coll))?.id === e.collId;
}

/** Whether an entry is of a definition (its `id` is the definition's name). */
export const isSchemaEntry = (e: EntryRow): boolean => e.collId === SCHEMA_ENTRY;

/** Delete every entry of an index. */
export async function clearEntries(model: ModelTxnImpl, name: string): Promise<void> {
  const prefix = v4IndexKey(model.db, name, []);
  await clearRange(model, prefix, prefixEnd(prefix));
}

/**
 * Every version an index's sources hold (documents as of `ts` when given; definitions as they
 * are now, as this server keeps no history of schema), with the source it is read through.
 */
async function forEachSourceItem(
  model: ModelTxnImpl, idx: ParsedIndex, ts: bigint | undefined,
  visit: (source: IndexSource, item: SourceItem) => Promise<void>,
): Promise<void> {
  const colls = idx.sources.some((s) => s.coll === WILDCARD)
    ? (await model.allCollections()).map((c) => c.name)
    : idx.sources.map((s) => s.coll);
  for (const coll of new Set(colls)) {
    const source = sourceFor(idx, coll);
    if (!source) continue;
    if (SCHEMA_SOURCES.has(coll)) {
      for (const item of await schemaItems(model, coll)) await visit(source, item);
      continue;
    }
    const def = await model.collection(coll);
    if (!def) continue;
    let afterId: bigint | undefined;
    for (;;) {
      const { docs, lastId, more } = ts === undefined
        ? await model.scanDocs(def, afterId, 256)
        : await scanDocsAt(model, def, ts, afterId, 256, false);
      for (const doc of docs) await visit(source, docItem(model, def.id, doc));
      if (!more || lastId === undefined) break;
      afterId = lastId;
    }
  }
}

/** Build an index over the versions already in its sources (synchronously, as v10 builds). */
export async function buildEntries(model: ModelTxnImpl, idx: ParsedIndex, bind: Bind): Promise<void> {
  await clearEntries(model, idx.name);
  await forEachSourceItem(model, idx, undefined, async (source, item) => putRows(model, idx, item, await rowsOf(model, idx, source, item, bind)));
}

/** Delete the entries of one collection's documents (that collection was deleted). */
export async function dropCollectionRows(model: ModelTxnImpl, name: string, collId: number): Promise<void> {
  const prefix = v4IndexKey(model.db, name, []);
  for (const row of await model.kv.scan({ start: prefix, end: prefixEnd(prefix) })) {
    if (decodeEntry(row.value).collId === collId) model.kv.delete(row.key);
  }
}

/**
 * The entries (key and stored value) an index had as of a past snapshot, in key order. Entries
 * are not versioned: as v10's historical index reads (src/model/indexes/index-history.ts) they
 * are recomputed from the versions visible then, at the cost of a scan of the sources' history.
 */
export async function entriesAt(model: ModelTxnImpl, idx: ParsedIndex, ts: bigint, bind: Bind): Promise<{ key: Uint8Array; value: Uint8Array }[]> {
  const out: { key: Uint8Array; value: Uint8Array }[] = [];
  await forEachSourceItem(model, idx, ts, async (source, item) => {
    for (const r of (await rowsOf(model, idx, source, item, bind)).values()) out.push(r);
  });
  return out.sort((a, b) => Buffer.compare(a.key, b.key));
}
