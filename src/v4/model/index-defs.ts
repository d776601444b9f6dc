// v4 indexes (core doc/Index.scala), kept by the v4 layer: Index definitions are stored next
// to the other named schema documents and their entries (src/v4/model/index-entries.ts) are
// written in the transaction of every document write, from either language; `Match` reads the
// entries of its terms by key range. v4 and v10 indexes are separate in Fauna as well.
import type { Value } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import type { NamedData } from '../../model/model-api';
import { ModelTxnImpl } from '../../model/model-txn';
import { allDefs, deleteDef, putDef, readDef } from '../../model/identity/named-store';
import { encodeValue } from '../../model/codec';
import { checkSchemaWrite, type WriteHook } from '../../model/write-broker';
import type { ExpiryHook } from '../../model/temporal/expiry';
import { prefixEnd, v4IndexKey } from '../../model/keys';
import { encodeKey } from '../../storage/tuple';
import { equals4 } from '../compare';
import { type Position, V4Error, invalidArgument, invalidRef, validationFailed, valueRequired } from '../errors';
import { Evaluator } from '../evaluator';
import type { V4Query } from '../query-context';
import {
  type KeyBound, type ObjectV4, type RefV4, type SetEntry, type SetWindow, type V4Set, type V4Value, NULL4, arr4,
  docRef, nativeCollOf, scopeOf,
} from '../values';
import { scopedModel } from './locate';
import { checkSource } from './index-sources';
import { authState } from '../../model/identity/auth-state';
import { isAllowed, mayReadNamed, permissionDenied } from '../../model/identity/permissions';
import type { ModelHooks } from '../../model/model-txn';
import { beforeCommit, runPending } from '../../storage/before-commit';
import type { KvTxn } from '../../storage/kv';
import { collectionRefOf, fromModel, lambdaOfQuery, namedRefOf, toModel } from './convert';
import { renderNamed } from './render';
import { NATIVE_OF_DOC_COLL } from './names';
import { queryOver } from './stored-query';
import {
  type Bind, type EntryRow, type IndexSource, type ParsedIndex, buildEntries, clearEntries, decodeEntry, dropCollectionRows, entriesAt,
  isLive, isSchemaEntry, fieldOf, keyParts, parseIndex, readsSchema, singleSource, sourceFor, termPart, updateEntries,
} from './index-entries';

const INDEX = 'Index';

export async function readIndexDef(model: ModelTxnImpl, name: string): Promise<NamedData | undefined> {
  const def = await readDef(model, INDEX, name);
  if (!def) return undefined;
  const data = new Map(def.data);
  data.delete('name');
  return { coll: INDEX, name, ts: def.ts, data };
}

/** Bindings run in the v4 evaluator, read-only, as whoever made the write (v4 or v10). */
function binder(ctx: EvalContext): Bind {
  let ev: Evaluator | undefined;
  return (query, version) => {
    ev ??= new Evaluator(queryOver(ctx), true);
    return ev.apply(lambdaOfQuery(query), version, []);
  };
}

/** The binder of work done for a query outside its evaluation (before its commit). */
const contextBinder = (ctx: EvalContext | undefined): Bind =>
  ctx ? binder(ctx) : async () => { throw new Error('index bindings need a query context'); };

const SCAN_BATCH = 64;
const max = (a: Uint8Array, b: Uint8Array): Uint8Array => (Buffer.compare(a, b) >= 0 ? a : b);
const min = (a: Uint8Array, b: Uint8Array): Uint8Array => (Buffer.compare(a, b) <= 0 ? a : b);

/** The set of a `Match`: the entries under its terms' key prefix, in index order. */
export class MatchSet implements V4Set {
  private reader: ModelTxnImpl | undefined;
  private readonly termParts: readonly Uint8Array[];

  constructor(
    private readonly model: ModelTxnImpl,
    private readonly index: ParsedIndex,
    private readonly indexRef: RefV4,
    private readonly terms: readonly V4Value[],
    private readonly readOps: () => void = () => undefined,
  ) {
    // Missing terms match null, extra ones are ignored (one term per declared term).
    this.termParts = index.terms.map((_, i) => termPart(terms[i] ?? NULL4));
  }

  render(): { setJson: Record<string, V4Value> } {
    return { setJson: { match: this.indexRef, terms: this.terms.length === 1 ? this.terms[0] : arr4(this.terms) } };
  }

  get shape(): number { return this.index.values.length; }

  /** The storage key of a sort key (values, then the ref) or a prefix of one. */
  private keyOf(key: readonly V4Value[]): Uint8Array {
    return v4IndexKey(this.model.db, this.index.name, [...this.termParts, ...keyParts(this.index, key)]);
  }

  /** Index order: the entries' storage order (values in their declared direction, then the ref). */
  compare(a: readonly V4Value[], b: readonly V4Value[]): number {
    return Buffer.compare(encodeKey(keyParts(this.index, a)), encodeKey(keyParts(this.index, b)));
  }

  /**
   * The model to read the index's documents with: reading an index needs `read` on it (each
   * entry then needs its document's read permission) or `unrestricted_read` (no document
   * checks); the predicates of either get the terms (core RoleEvalAction: index actions).
   */
  private async readingModel(): Promise<ModelTxnImpl> {
    if (this.reader) return this.reader;
    const state = authState(this.model);
    const resource = `Index:${this.index.name}`;
    const terms = (): readonly Value[] => [{ t: 'array', v: this.terms.map((t) => toModel(t, [])) }];
    if (!state) this.reader = this.model;
    else if (await isAllowed(state, resource, 'unrestricted_read', terms)) this.reader = new ModelTxnImpl(this.model.kv, this.model.db);
    else if (await isAllowed(state, resource, 'read', terms)) this.reader = this.model;
    else throw permissionDenied();
    return this.reader;
  }

  /**
   * For streams (src/v4/streams), which never read entries through this set: refuses a caller
   * who may not read the index, as reading its entries would (a stream of a Match is a read of
   * the index's membership, which its terms and bindings may reveal beyond the documents).
   */
  async checkReadable(): Promise<void> {
    await this.readingModel();
  }

  /** For streams (src/v4/streams): the source collection, the index ref and the terms… */
  get source(): string { return singleSource(this.index); }
  get ref(): RefV4 { return this.indexRef; }
  get termValues(): readonly V4Value[] { return this.terms; }

  /** …and the index values of a document version in this set (undefined: its terms differ). */
  valuesOf(version: ObjectV4): readonly V4Value[] | undefined {
    const matches = this.index.terms.every((f, i) => {
      const v = fieldOf(version, f.path);
      return (v.t === 'array' ? v.v : [v]).some((c) => equals4(c, this.terms[i] ?? NULL4));
    });
    return matches ? this.index.values.map((f) => fieldOf(version, f.path)) : undefined;
  }

  /** The entry a stored row stands for, or undefined when its document is gone or hidden. */
  private async entryOf(model: ModelTxnImpl, value: Uint8Array): Promise<SetEntry | undefined> {
    const row = decodeEntry(value);
    if (!(await isLive(model, row))) return undefined;
    // A guarded reader sees only the documents it may read (Fauna filters index reads so).
    if (model === this.model && authState(model) && !(await mayReadEntry(model, row))) return undefined;
    const db = scopeOf(this.indexRef);
    const ref = isSchemaEntry(row) ? namedRefOf(row.coll, row.id, db) : docRef(collectionRefOf(row.coll, db), row.id);
    const values = row.values.map((v) => fromModel(v, [], db));
    return { value: values.length === 0 ? ref : values.length === 1 ? values[0] : arr4(values), key: [...values, ref] };
  }

  async window(w: SetWindow): Promise<readonly SetEntry[]> {
    // An index over definitions catches up with this transaction's schema changes first, and
    // one whose rebuild is pending (a source collection was renamed) is rebuilt.
    if (readsSchema(this.index)) await runPending(this.model.kv, schemaRefreshKey(this.model.db));
    await runPending(this.model.kv, rebuildKey(this.model.db, this.index.name));
    const prefix = v4IndexKey(this.model.db, this.index.name, this.termParts);
    let lo = prefix;
    let hi = prefixEnd(prefix);
    const bound = (b: KeyBound, upper: boolean) => {
      const k = this.keyOf(b.key);
      return b.inclusive === upper ? prefixEnd(k) : k;
    };
    for (const b of w.from) lo = max(lo, bound(b, false));
    for (const b of w.to) hi = min(hi, bound(b, true));
    const model = await this.readingModel();
    const out: SetEntry[] = [];
    const snapshot = this.model.context?.snapshotTs;
    if (snapshot !== undefined && snapshot < this.model.txnTs) {
      const trusted = new ModelTxnImpl(this.model.kv, this.model.db);
      const rows = (await entriesAt(trusted, this.index, snapshot, binder(this.model.context!)))
        .filter((r) => Buffer.compare(r.key, lo) >= 0 && Buffer.compare(r.key, hi) < 0);
      this.readOps();
      for (const r of w.reverse ? rows.reverse() : rows) {
        const e = out.length < w.limit ? await this.entryOf(model, r.value) : undefined;
        if (e) out.push(e);
      }
      return out;
    }
    while (out.length < w.limit && Buffer.compare(lo, hi) < 0) {
      const limit = Math.min(w.limit - out.length + 1, SCAN_BATCH);
      const rows = await model.kv.scan({ start: lo, end: hi, limit, reverse: w.reverse });
      this.readOps();
      for (const r of rows) {
        const e = await this.entryOf(model, r.value);
        if (e && out.length < w.limit) out.push(e);
      }
      if (rows.length < limit) break;
      const last = rows[rows.length - 1].key;
      if (w.reverse) hi = last;
      else lo = prefixEnd(last);
    }
    return out;
  }

  entries(): Promise<readonly SetEntry[]> {
    return this.window({ from: [], to: [], reverse: false, limit: Infinity });
  }
}

/** Whether a guarded reader may read the document or definition an entry stands for. */
async function mayReadEntry(model: ModelTxnImpl, row: EntryRow): Promise<boolean> {
  if (!isSchemaEntry(row)) return !('cause' in (await model.readDoc({ t: 'doc', coll: row.coll, id: row.id })));
  if (row.coll !== INDEX) return !('cause' in (await model.readNamed({ t: 'named', coll: row.coll, name: row.id })));
  const def = await readIndexDef(model, row.id);
  return def !== undefined && (await mayReadNamed(model, def));
}

/** `Match(Index("i"[, scope]), terms)`: the index of the database the ref names, read as the caller. */
export async function matchSet(q: V4Query, indexRef: RefV4, terms: readonly V4Value[], pos: Position): Promise<MatchSet> {
  if (nativeCollOf(indexRef) !== 'indexes') throw invalidArgument(['Index Ref'], indexRef, pos);
  const { model } = await scopedModel(q, scopeOf(indexRef), pos);
  const def = await readDef(model, INDEX, indexRef.id);
  if (!def) throw invalidRef('index', indexRef.id, pos);
  return new MatchSet(model, parseIndex(def), indexRef, terms, () => { q.ctx.stats.readOps += 1; });
}

/** `CreateIndex({name, source, terms?, values?, unique?, serialized?, data?})`: built at once over existing documents. */
export async function createIndex(q: V4Query, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<ObjectV4> {
  const name = params.get('name');
  // A null field is an absent one, as in every v4 object written.
  const given = params.get('source');
  const source = given?.t === 'null' ? undefined : given;
  const missing = [...(name ? [] : [['name']]), ...(source ? [] : [['source']])];
  if (missing.length) throw validationFailed(pos, missing.map(valueRequired));
  if (name!.t !== 'string') throw invalidArgument(['String'], name!, pos);
  await checkSource(q, source!, pos);
  await checkSchemaWrite(q.ctx, INDEX, 'create');
  if (await readDef(q.model, INDEX, name!.v)) throw new V4Error('instance already exists', 'Index already exists.', pos);
  const fields = new Map<string, Value>([
    ['name', toModel(name!, pos)], ['active', { t: 'boolean', v: true }], ['serialized', { t: 'boolean', v: true }],
  ]);
  for (const k of ['unique', 'serialized', 'source', 'terms', 'values', 'data']) if (params.has(k)) fields.set(k, toModel(params.get(k)!, pos));
  fields.set('partitions', { t: 'int', v: 1 });
  const def = putDef(q.model, INDEX, name!.v, fields);
  q.ctx.stats.writeOps += 1;
  await buildEntries(new ModelTxnImpl(q.model.kv, q.model.db), parseIndex(def), binder(q.ctx));
  const data = new Map(def.data);
  data.delete('name');
  return renderNamed({ coll: INDEX, name: def.name, ts: def.ts, data }, pos);
}

/**
 * The v4 indexes of a database, cached per process by its schema version (which every
 * definition change bumps), so that writes to databases without v4 indexes cost one point read.
 */
const indexCache = new Map<number, { readonly version: bigint; readonly indexes: readonly ParsedIndex[] }>();

async function v4Indexes(model: ModelTxnImpl): Promise<readonly ParsedIndex[]> {
  const version = await model.schemaVersion();
  const hit = indexCache.get(model.db);
  if (hit && hit.version === version) return hit.indexes;
  const indexes = (await allDefs(model.kv, model.db, INDEX)).map(parseIndex);
  // A transaction that changed the schema itself may yet roll back: its view is not shared.
  if (version !== model.txnTs) indexCache.set(model.db, { version, indexes });
  return indexes;
}

/** The v4 indexes reading a collection, with the source each reads it through. */
async function indexesOf(model: ModelTxnImpl, coll: string): Promise<{ idx: ParsedIndex; source: IndexSource }[]> {
  const system = NATIVE_OF_DOC_COLL.has(coll);
  return (await v4Indexes(model)).flatMap((idx) => {
    const source = sourceFor(idx, coll);
    return source && !(system && source.coll !== coll) ? [{ idx, source }] : [];
  });
}

// The expiry sweep removes an expired document's entries with it. Bindings need the evaluator
// and a query, which the sweep has not: entries computed by bindings stay (reads skip them).
export const removeExpiredV4IndexEntries: ExpiryHook = async (model, def, doc) => {
  const noQuery: Bind = async () => { throw new Error('no query context'); };
  for (const { idx, source } of await indexesOf(model, def.name)) {
    if (source.bindings.size === 0) await updateEntries(model, idx, source, def, doc, undefined, noQuery);
  }
};

// v4 index entries follow every document write, from either language, in its transaction;
// unique ones refuse duplicates then (Fauna enforces them on v10 writes too).
export const maintainV4IndexEntries: WriteHook = async (ctx, w) => {
  const model = ctx.model as ModelTxnImpl;
  const mine = await indexesOf(model, w.def.name);
  if (mine.length === 0) return;
  const trusted = new ModelTxnImpl(model.kv, model.db);
  const after = w.after ? { coll: w.def.name, id: w.id, ts: model.txnTs, ttl: w.after.ttl, data: w.after.data } : undefined;
  const bind = binder(ctx);
  for (const { idx, source } of mine) await updateEntries(trusted, idx, source, w.def, w.before, after, bind);
};

const schemaRefreshKey = (db: number): string => `v4-indexes-over-schema:${db}`;

/**
 * Rebuilds the entries of a database's indexes over definitions (sources such as
 * `Ref("collections")`). Schema is small and changes rarely, and it has many writers (v10, FSL,
 * v4, renames, moves): instead of following each, a transaction that changed the schema
 * rebuilds these indexes once, before it commits or before it reads one of them.
 */
async function refreshIndexesOverSchema(kv: KvTxn, db: number, ctx: EvalContext | undefined): Promise<void> {
  const model = new ModelTxnImpl(kv, db);
  const indexes = (await v4Indexes(model)).filter(readsSchema);
  if (indexes.length === 0) return;
  for (const idx of indexes) await buildEntries(model, idx, contextBinder(ctx));
}

const schemaChanged: NonNullable<ModelHooks['schemaChanged']> = (model) => {
  const { kv, db, context } = model;
  beforeCommit(kv, schemaRefreshKey(db), () => refreshIndexesOverSchema(kv, db, context));
};

const rebuildKey = (db: number, index: string): string => `v4-index-rebuild:${db}:${index}`;

/** A source naming collection `from` (alone, in an array, or as `{collection, fields}`) names `to`. */
function renameSource(v: Value, from: string, to: string): Value {
  if (v.t === 'named') return v.coll === 'Collection' && v.name === from ? { ...v, name: to } : v;
  if (v.t === 'array') return { t: 'array', v: v.v.map((x) => renameSource(x, from, to)) };
  if (v.t === 'object' && v.v.has('collection')) return { t: 'object', v: new Map(v.v).set('collection', renameSource(v.v.get('collection')!, from, to)) };
  return v;
}

// A renamed collection keeps its v4 indexes (core keeps sources by collection id, so `source`
// then shows the new name): their sources name it anew, and their entries, which hold the
// collection's name, are rebuilt once the renamed definition is stored (before the commit, or
// before a read of the index).
const collectionRenamed: NonNullable<ModelHooks['collectionRenamed']> = async (model, from, to) => {
  const { kv, db, context } = model;
  for (const idx of await v4Indexes(model)) {
    if (!idx.sources.some((s) => s.coll === from || s.coll === '_')) continue;
    const def = await readDef(model, INDEX, idx.name);
    const source = def?.data.get('source');
    if (!def || !source) continue;
    putDef(model, INDEX, idx.name, new Map(def.data).set('source', renameSource(source, from, to)));
    beforeCommit(kv, rebuildKey(db, idx.name), async () => {
      const trusted = new ModelTxnImpl(kv, db);
      const current = await readDef(trusted, INDEX, idx.name);
      if (current) await buildEntries(trusted, parseIndex(current), contextBinder(context));
    });
  }
};

// Core CollectionWriteConfig.delete: deleting a collection deletes the indexes whose only source
// it is; the others lose the entries of its documents.
const collectionDeleted: NonNullable<ModelHooks['collectionDeleted']> = async (model, def) => {
  for (const idx of await v4Indexes(model)) {
    if (!idx.sources.some((s) => s.coll === def.name || s.coll === '_')) continue;
    if (idx.sources.length === 1 && idx.sources[0].coll === def.name) {
      deleteDef(model, INDEX, idx.name);
      await clearEntries(model, idx.name);
    } else {
      await dropCollectionRows(model, idx.name, def.id);
    }
  }
};

/**
 * What v4 indexes need to hear of schema changes made through any language; installed into the
 * model's hooks by src/model/wiring.ts (from the query runtime's composition root).
 */
export const v4SchemaHooks: Pick<Required<ModelHooks>, 'schemaChanged' | 'collectionRenamed' | 'collectionDeleted'> = {
  schemaChanged,
  collectionRenamed,
  collectionDeleted,
};

/** Index fields whose change would need other entries: Fauna refuses to change them. */
const FIXED = ['source', 'terms', 'values'] as const;
/** Fields an update or replace may set (null removes one). */
const SETTABLE = ['name', 'unique', 'serialized', 'active', 'data', 'permissions'] as const;

const sameValue = (a: Value | undefined, b: Value | undefined): boolean =>
  JSON.stringify(encodeValue(a ?? { t: 'null' })) === JSON.stringify(encodeValue(b ?? { t: 'null' }));

/**
 * `Update`/`Replace` of an Index: `name`, `unique`, `serialized`, `data`, `permissions` may
 * change; `source`, `terms` and `values` may not (Fauna: "An index's terms and values fields may
 * not be changed", delete and recreate the index instead). A renamed index keeps its entries
 * (rebuilt under the new name); a newly unique index leaves existing duplicates in place.
 */
export async function rewriteIndex(q: V4Query, name: string, params: ReadonlyMap<string, V4Value>, replace: boolean, pos: Position): Promise<ObjectV4> {
  const def = await readDef(q.model, INDEX, name);
  if (!def) throw invalidRef('index', name, pos);
  await checkSchemaWrite(q.ctx, INDEX, replace ? 'replace' : 'update');
  const changed = FIXED.filter((k) => (params.has(k) || replace) && !sameValue(params.has(k) ? toModel(params.get(k)!, pos) : undefined, def.data.get(k)));
  if (changed.length > 0) {
    throw validationFailed(pos, changed.map((k) => ({ field: [k], code: 'invalid value', description: `Index ${k} may not be changed.` })));
  }
  const fields = new Map(def.data);
  if (replace) for (const k of ['unique', 'data', 'permissions']) fields.delete(k);
  for (const k of SETTABLE) {
    const v = params.get(k);
    if (v === undefined) continue;
    if (v.t === 'null') { if (k !== 'name') fields.delete(k); continue; }
    if (k === 'name' && v.t !== 'string') throw invalidArgument(['String'], v, pos);
    fields.set(k, toModel(v, pos));
  }
  const newName = (fields.get('name') as { v: string }).v;
  if (newName !== name) {
    if (await readDef(q.model, INDEX, newName)) throw new V4Error('instance already exists', 'Index already exists.', pos);
    deleteDef(q.model, INDEX, name);
    await clearEntries(q.model, name);
  }
  const next = putDef(q.model, INDEX, newName, fields);
  q.ctx.stats.writeOps += 1;
  if (newName !== name) await buildEntries(new ModelTxnImpl(q.model.kv, q.model.db), parseIndex(next), binder(q.ctx));
  const data = new Map(next.data);
  data.delete('name');
  return renderNamed({ coll: INDEX, name: next.name, ts: next.ts, data }, pos);
}
