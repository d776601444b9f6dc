// One query's view of one database: reads and writes of documents and schema through a single
// storage transaction, with per-transaction caches so a document read twice costs one lookup.
import { isNewName, renamedTo } from './definitions/query-writes';
import type { KvTxn } from '../storage/kv';
import type { DocV, FqlSet, NamedDocV, NullDocV, Value } from '../fql/values/value';
import type { MethodDef } from '../fql/stdlib/registry';
import type { EvalContext } from '../fql/eval/context';
import type { DocData, ModelTxn, NamedData } from './model-api';
import { QueryError } from '../fql/errors';
import { withoutIdsIn } from '../fql/values/construct';
import { decodeFields, encodeFields, fromBytes, toBytes } from './codec';
import {
  DbId, collIdAllocatorKey, docKey, docPrefix, prefixEnd, schemaKey, schemaPrefix,
  schemaVersionKey, versionKey, gcKey, changeKey,
} from './keys';
import { isBuiltinModule } from '../fql/stdlib/registry';
import { decodeKey } from '../storage/tuple';
import { noteSchemaChange } from './definitions/schema-references';
import { readCursorKey } from './cursor-key';
import { newId } from './ids';
import { withReadTs } from './temporal/read-ts';
import { checkReadableAt } from './temporal/min-valid-time';

/** A document version as stored under the current-version key. */
export interface StoredDoc { ts: string; ttl?: string; data: unknown }
/** A named schema document as stored. `id` is the collection id for Collection definitions. */
interface StoredNamed { ts: string; id?: number; data: unknown }

export interface CollectionDef {
  readonly name: string;
  readonly id: number;
  readonly ts: bigint;
  readonly data: ReadonlyMap<string, Value>;
}

/** Decoders for sets the model owns, defined with their sets and installed by src/model/wiring.ts. */
export type SetDecoder = (txn: ModelTxnImpl, description: Record<string, unknown>) => Promise<FqlSet>;
const setDecoders = new Map<string, SetDecoder>();
export function defineSetDecoder(kind: string, decode: SetDecoder): void {
  setDecoders.set(kind, decode);
}

/**
 * Extension points for features layered over the model (identity and access control): read
 * guards that hide or trim what the caller may not see, and readers/resolvers for named schema
 * documents other than Collection (Function, Role, Database). Installed by src/model/wiring.ts.
 */
export interface ModelHooks {
  /** What the caller may see of a document: the document (possibly trimmed) or a null doc. */
  /** `historical`: the read is of a past version (`at()`), which needs `history_read`. */
  guardDoc?: (txn: ModelTxnImpl, doc: DocData, historical?: boolean) => Promise<DocData | NullDocV>;
  /**
   * Whether guardDoc would hand back every document of `coll` read at its present (not
   * `historical`) unchanged: the caller reads the collection without a predicate to evaluate
   * and nothing is trimmed. Event feeds then skip the guard per document.
   */
  readsUnguarded?: (txn: ModelTxnImpl, coll: string) => Promise<boolean>;
  /**
   * Whether guardDoc could let the caller read any past version of `coll` (a history_read
   * grant, outright or by a predicate): when not, history reads need not read a version.
   */
  readsSomeHistory?: (txn: ModelTxnImpl, coll: string) => Promise<boolean>;
  guardNamed?: (txn: ModelTxnImpl, doc: NamedData) => Promise<NamedData | NullDocV>;
  /** Reads a named schema document of a kind other than Collection; undefined if not handled. */
  readNamed?: (txn: ModelTxnImpl, ref: NamedDocV) => Promise<NamedData | NullDocV | undefined>;
  /** Resolves a global name that is not a collection (user-defined functions). */
  resolveGlobal?: (txn: ModelTxnImpl, name: string) => Promise<Value | undefined>;
  /** A schema document of the transaction's database changed (FQL v4 indexes over schema follow). */
  schemaChanged?: (txn: ModelTxnImpl) => void;
  /** A collection is being renamed, before its definition is stored anew (FQL v4 indexes follow). */
  collectionRenamed?: (txn: ModelTxnImpl, from: string, to: string) => Promise<void>;
  /** A collection was deleted, its documents with it (FQL v4 indexes reading it follow). */
  collectionDeleted?: (txn: ModelTxnImpl, def: CollectionDef) => Promise<void>;
}
export const modelHooks: ModelHooks = {};

/** System collections with id-keyed documents (Key, Token, Credential) and fixed ids. */
const systemCollections = new Map<string, CollectionDef>();
/** Registers a system collection (src/model/identity/system.ts defines them). */
export function defineSystemCollection(def: CollectionDef): void {
  systemCollections.set(def.name, def);
}

/** Resolves `Coll.indexName` (src/model/indexes, installed by src/model/wiring.ts). */
export type IndexResolver = (txn: ModelTxnImpl, coll: string, name: string) => Promise<MethodDef | undefined>;
let indexResolver: IndexResolver | undefined;
export function defineIndexResolver(resolve: IndexResolver): void {
  indexResolver = resolve;
}

/**
 * Completes a document read through the ModelTxn API (computed fields: src/model/indexes/register.ts,
 * installed by src/model/wiring.ts); internal reads (getDoc) see stored data only.
 */
export type ReadDecorator = (txn: ModelTxnImpl, doc: DocData, readTs: bigint | undefined) => Promise<DocData>;
let readDecorator: ReadDecorator | undefined;
export function defineReadDecorator(decorate: ReadDecorator): void {
  readDecorator = decorate;
}

/** Reads a document as of a past snapshot (`at`): src/model/temporal, installed by src/model/wiring.ts. */
export type HistoricalReader = (txn: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint) => Promise<DocData | undefined>;
let historicalReader: HistoricalReader | undefined;
export function defineHistoricalReader(read: HistoricalReader): void {
  historicalReader = read;
}

const MISSING = Symbol('missing');

/**
 * Collection definitions read by earlier transactions, per database and name, tagged with the
 * schema version they were read at. A transaction reads the schema version (one point read it
 * needs anyway for `schema_version`) and reuses a definition read at that same version instead
 * of reading and decoding it again. Sound because every schema change bumps the version, a
 * transaction's reads of the version and of a definition come from one snapshot (PostgreSQL)
 * or are validated together at commit (SQLite: a transaction that could see a mismatched pair
 * fails validation), and transactions that changed the schema neither read nor fill it.
 */
export class SharedDefinitions {
  /** The store's cursor key (src/model/cursor-key.ts), once read: it never changes. */
  cursorKey?: Uint8Array;
  private readonly byKey = new Map<string, { version: bigint; def: CollectionDef | typeof MISSING }>();
  get(db: DbId, name: string, version: bigint): CollectionDef | typeof MISSING | undefined {
    const e = this.byKey.get(db + '\u0000' + name);
    return e && e.version === version ? e.def : undefined;
  }
  set(db: DbId, name: string, version: bigint, def: CollectionDef | typeof MISSING): void {
    if (this.byKey.size >= 10_000) this.byKey.clear();
    this.byKey.set(db + '\u0000' + name, { version, def });
  }
}
const EMPTY = new Uint8Array(0);
/** A version this transaction has not read (pastVersion). */
const UNREAD: unique symbol = Symbol('unread');
/** Bound on the past versions one transaction remembers (model-txn `pastVersions`). */
const PAST_VERSIONS_KEPT = 4096;

export class ModelTxnImpl implements ModelTxn {
  private readonly docCache = new Map<string, DocData | typeof MISSING>();
  /**
   * Versions read as of times before this transaction (`at()`, event streams): history before
   * the transaction's own time never changes under it, so each is read once.
   */
  private readonly pastVersions = new Map<string, Map<bigint, DocData | undefined>>();
  private pastVersionCount = 0;
  private readonly collCache = new Map<string, CollectionDef | typeof MISSING>();
  private cachedSchemaVersion: bigint | undefined;
  private aliases: Map<string, CollectionDef> | undefined;

  /**
   * The query context using this transaction, when bound (bindContext): document reads follow
   * its `at` snapshot.
   */
  context?: EvalContext;

  /** Set once this transaction changes the schema: its definitions are not shared then. */
  private schemaWritten = false;

  /**
   * `shared`: definitions already read by other transactions of the same storage engine,
   * keyed by schema version (see SharedDefinitions).
   */
  constructor(readonly kv: KvTxn, readonly db: DbId, private readonly shared?: SharedDefinitions) {}

  /** Bind the query context (idempotent); reads then honour `at (time) { ... }` snapshots. */
  bindContext(ctx: EvalContext): void {
    this.context ??= ctx;
  }

  get txnTs(): bigint { return this.kv.ts; }

  // ------------------------------------------------------------------ collections (schema)

  async collection(name: string): Promise<CollectionDef | undefined> {
    const sys = systemCollections.get(name);
    if (sys) return sys;
    const renamed = renamedTo(this, name);
    if (renamed !== undefined) return this.collection(renamed);
    const hit = this.collCache.get(name);
    if (hit !== undefined) return hit === MISSING ? undefined : hit;
    const share = this.shared && !this.schemaWritten ? this.shared : undefined;
    const version = share ? await this.schemaVersion() : 0n;
    const known = share?.get(this.db, name, version);
    if (known !== undefined) {
      this.collCache.set(name, known);
      return known === MISSING ? undefined : known;
    }
    const raw = await this.kv.get(schemaKey(this.db, 'Collection', name));
    let def: CollectionDef | typeof MISSING = MISSING;
    if (raw) {
      const s = fromBytes<StoredNamed>(raw);
      def = { name, id: s.id!, ts: BigInt(s.ts), data: decodeFields(s.data as never) };
    }
    this.collCache.set(name, def);
    share?.set(this.db, name, version, def);
    return def === MISSING ? undefined : def;
  }

  /** The collection whose definition has `alias: name` (Fauna resolves aliases as globals). */
  async collectionByAlias(name: string): Promise<CollectionDef | undefined> {
    this.aliases ??= new Map((await this.allCollections()).flatMap((d) => {
      const alias = d.data.get('alias');
      return alias && alias.t === 'string' ? [[alias.v, d] as const] : [];
    }));
    return this.aliases.get(name);
  }

  /** Every collection definition, ordered by name. */
  async allCollections(): Promise<CollectionDef[]> {
    const prefix = schemaPrefix(this.db, 'Collection');
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix) });
    return rows.map((r) => {
      const s = fromBytes<StoredNamed>(r.value);
      const data = decodeFields(s.data as never);
      const nameV = data.get('name');
      const name = nameV && nameV.t === 'string' ? nameV.v : '';
      return { name, id: s.id!, ts: BigInt(s.ts), data };
    });
  }

  /** Create or overwrite a collection definition; bumps the schema version. */
  async putCollection(name: string, id: number, data: ReadonlyMap<string, Value>): Promise<CollectionDef> {
    const stored: StoredNamed = { ts: this.kv.ts.toString(), id, data: encodeFields(data) };
    this.kv.put(schemaKey(this.db, 'Collection', name), toBytes(stored));
    const def: CollectionDef = { name, id, ts: this.kv.ts, data };
    this.collCache.set(name, def);
    this.bumpSchemaVersion();
    noteSchemaChange(this.kv, this.db, 'Collection', name, 'put');
    return def;
  }

  async deleteCollection(def: CollectionDef): Promise<void> {
    this.kv.delete(schemaKey(this.db, 'Collection', def.name));
    this.collCache.set(def.name, MISSING);
    // The documents go with their collection.
    const prefix = docPrefix(this.db, def.id);
    for (const row of await this.kv.scan({ start: prefix, end: prefixEnd(prefix) })) this.kv.delete(row.key);
    this.bumpSchemaVersion();
    noteSchemaChange(this.kv, this.db, 'Collection', def.name, 'delete');
  }

  /** Forget a definition's old name (on rename; documents are keyed by collection id). */
  dropCollectionName(name: string): void {
    noteSchemaChange(this.kv, this.db, 'Collection', name, 'delete');
    this.kv.delete(schemaKey(this.db, 'Collection', name));
    this.collCache.set(name, MISSING);
    this.docCache.clear();
  }

  async allocateCollectionId(): Promise<number> {
    const key = collIdAllocatorKey();
    const raw = await this.kv.get(key);
    const next = raw ? fromBytes<number>(raw) + 1 : 1024;
    this.kv.put(key, toBytes(next));
    return next;
  }

  bumpSchemaVersion(): void {
    this.schemaWritten = true;
    this.aliases = undefined;
    this.kv.put(schemaVersionKey(this.db), toBytes(this.kv.ts.toString()));
    this.cachedSchemaVersion = this.kv.ts;
    modelHooks.schemaChanged?.(this);
  }

  async schemaVersion(): Promise<bigint> {
    if (this.cachedSchemaVersion !== undefined) return this.cachedSchemaVersion;
    const raw = await this.kv.get(schemaVersionKey(this.db));
    this.cachedSchemaVersion = raw ? BigInt(fromBytes<string>(raw)) : 0n;
    return this.cachedSchemaVersion;
  }

  private cursorKeyRead?: Promise<Uint8Array | undefined>;
  /**
   * The store's set cursor key (src/model/cursor-key.ts); read once per storage engine (or per
   * transaction without shared definitions: every result materialised asks for it).
   */
  cursorKey(): Promise<Uint8Array | undefined> {
    if (this.shared?.cursorKey) return Promise.resolve(this.shared.cursorKey);
    this.cursorKeyRead ??= readCursorKey(this.kv).then((key) => {
      if (key && this.shared) this.shared.cursorKey = key;
      return key;
    });
    return this.cursorKeyRead;
  }

  // ------------------------------------------------------------------ documents

  private docCacheKey(coll: string, id: string): string { return coll + '\u0000' + id; }

  /** The version of a document visible at `ts` (µs), or undefined (absent, deleted, expired). */
  async versionAt(def: CollectionDef, id: string, ts: bigint): Promise<DocData | undefined> {
    // At or after this transaction's own time its own writes may show: not cached.
    if (ts >= this.kv.ts) return historicalReader?.(this, def, id, ts);
    const known = this.pastVersion(def, id, ts);
    if (known !== UNREAD) return known;
    const v = await historicalReader?.(this, def, id, ts);
    this.rememberVersion(def, id, ts, v);
    return v;
  }

  /** Forget what this transaction remembers of a document (history rewrites change it under the caches). */
  forgetDoc(def: CollectionDef, id: string): void {
    this.docCache.delete(this.docCacheKey(def.name, id));
    this.pastVersions.delete(`${def.id}:${id}`);
  }

  /**
   * The version visible at `ts` (a cursor's snapshot, EvalContext.systemTs), read as the current
   * version when that is older than `ts` (most documents a page reads are unchanged since its
   * first page): one cached read instead of a seek into the history.
   */
  async versionAsOf(def: CollectionDef, id: string, ts: bigint): Promise<DocData | undefined> {
    const current = await this.getDoc(def.name, id);
    return current !== undefined && current.ts <= ts ? current : this.versionAt(def, id, ts);
  }

  /** A remembered past version: `known` false when it was never read. */
  rememberedVersion(def: CollectionDef, id: string, ts: bigint): { known: boolean; v?: DocData } {
    const v = this.pastVersion(def, id, ts);
    return v === UNREAD ? { known: false } : { known: true, v };
  }

  /** rememberedVersion without an object per look-up (versionAt: every event of a feed page reads here). */
  private pastVersion(def: CollectionDef, id: string, ts: bigint): DocData | undefined | typeof UNREAD {
    const byTs = this.pastVersions.get(`${def.id}:${id}`);
    return byTs !== undefined && byTs.has(ts) ? byTs.get(ts) : UNREAD;
  }

  /** Forget the remembered versions of a document at these times (an event stream is done with them: they die young). */
  forgetVersions(def: CollectionDef, id: string, ...times: bigint[]): void {
    const key = `${def.id}:${id}`;
    const byTs = this.pastVersions.get(key);
    if (byTs === undefined) return;
    for (const ts of times) if (byTs.delete(ts)) this.pastVersionCount--;
    if (byTs.size === 0) this.pastVersions.delete(key);
  }

  /** Remember a version known to be the one visible at `ts` (read with a neighbour). */
  rememberVersion(def: CollectionDef, id: string, ts: bigint, v: DocData | undefined): void {
    if (ts >= this.kv.ts) return;
    if (this.pastVersionCount >= PAST_VERSIONS_KEPT) {
      this.pastVersions.clear();
      this.pastVersionCount = 0;
    }
    const key = `${def.id}:${id}`;
    let byTs = this.pastVersions.get(key);
    if (!byTs) this.pastVersions.set(key, (byTs = new Map()));
    byTs.set(ts, v);
    this.pastVersionCount++;
  }


  /** Read a document's current version, or undefined if it does not exist. */
  async getDoc(coll: string, id: string): Promise<DocData | undefined> {
    const ck = this.docCacheKey(coll, id);
    const hit = this.docCache.get(ck);
    if (hit !== undefined) return hit === MISSING ? undefined : hit;
    const def = await this.collection(coll);
    if (!def) return undefined;
    const raw = await this.kv.get(docKey(this.db, def.id, BigInt(id)));
    const doc = raw ? this.decodeDoc(coll, id, fromBytes<StoredDoc>(raw)) : undefined;
    this.docCache.set(ck, doc ?? MISSING);
    return doc;
  }

  decodeDoc(coll: string, id: string, s: StoredDoc): DocData | undefined {
    const ttl = s.ttl !== undefined ? BigInt(s.ttl) : undefined;
    // Expired documents vanish from reads; the sweeper removes them later.
    if (ttl !== undefined && ttl <= this.kv.ts * 1000n) return undefined;
    const ts = BigInt(s.ts);
    // A version at this transaction's own time is one it wrote (writing transactions have
    // distinct times; a read-only one, at a replica's stable time, writes nothing).
    const written = ts === this.kv.ts && this.kv.hasWrites;
    return { coll, id, ts, ttl, data: decodeFields(s.data as never), ...(written ? { written } : {}) };
  }

  /**
   * A generated id (ids.ts) for a new document of `def`, whose key holds nothing in the state this
   * transaction commits to. Ids are unique within a process but not across the processes sharing
   * a PostgreSQL database (their node numbers start at a random offset), so a clash with another
   * process's create must end as a conflict and a rerun with a new id, never as one document
   * overwriting the other. Where the engine checks at commit that the key is absent
   * (KvTxn.requireAbsent) it is not read: one round trip less per create on PostgreSQL. Elsewhere
   * (SQLite, whose reads are local) it is read, which puts it in the read set validated at commit.
   */
  async newDocId(def: CollectionDef): Promise<string> {
    if (this.kv.requireAbsent === undefined) {
      let id: string;
      do id = newId(); while (await this.getDoc(def.name, id));
      return id;
    }
    const id = newId();
    this.kv.requireAbsent(docKey(this.db, def.id, BigInt(id)));
    // What a read would have found: the transaction commits only if it is still so.
    this.docCache.set(this.docCacheKey(def.name, id), MISSING);
    return id;
  }

  /** Whether this transaction already read or wrote the document's current version. */
  hasCachedDoc(coll: string, id: string): boolean {
    return this.docCache.has(this.docCacheKey(coll, id));
  }

  /** Remember a document read by a scan so that later field reads do not go to storage. */
  cacheDoc(doc: DocData): void {
    this.docCache.set(this.docCacheKey(doc.coll, doc.id), doc);
  }

  /** Write a document's new current version (and its history entry). */
  /**
   * The version a write in this transaction supersedes, queued for the history sweep (the
   * version read earlier in this transaction — every update, replace and delete reads it).
   */
  private queueSuperseded(def: CollectionDef, id: string, docId: bigint): void {
    const prev = this.docCache.get(this.docCacheKey(def.name, id));
    if (prev !== undefined && prev !== MISSING && prev.ts < this.kv.ts) {
      this.kv.put(gcKey(this.db, def.id, this.kv.ts, docId, prev.ts), EMPTY);
    }
  }

  writeDoc(def: CollectionDef, id: string, data: ReadonlyMap<string, Value>, ttl?: bigint): DocData {
    const docId = BigInt(id);
    this.queueSuperseded(def, id, docId);
    const stored: StoredDoc = { ts: this.kv.ts.toString(), data: encodeFields(data) };
    if (ttl !== undefined) stored.ttl = ttl.toString();
    const bytes = toBytes(stored);
    this.kv.put(docKey(this.db, def.id, docId), bytes);
    this.kv.put(versionKey(this.db, def.id, docId, this.kv.ts), bytes);
    this.kv.put(changeKey(this.db, def.id, this.kv.ts, docId), EMPTY);
    const doc: DocData = { coll: def.name, id, ts: this.kv.ts, ttl, data: withoutIdsIn(data), written: true };
    this.docCache.set(this.docCacheKey(def.name, id), doc);
    return doc;
  }

  deleteDoc(def: CollectionDef, id: string): void {
    const docId = BigInt(id);
    this.queueSuperseded(def, id, docId);
    this.kv.delete(docKey(this.db, def.id, docId));
    this.kv.put(versionKey(this.db, def.id, docId, this.kv.ts), toBytes({ ts: this.kv.ts.toString(), deleted: true }));
    // Once the older versions are gone the deletion marker says nothing a missing version
    // would not: it goes with them.
    this.kv.put(gcKey(this.db, def.id, this.kv.ts, docId, this.kv.ts), EMPTY);
    this.kv.put(changeKey(this.db, def.id, this.kv.ts, docId), EMPTY);
    this.docCache.set(this.docCacheKey(def.name, id), MISSING);
  }

  /**
   * Current documents of a collection in id order, after `afterId` when given. `lastId` is the
   * id of the last row scanned (expired documents are skipped but still advance the scan) and
   * `more` says whether the scan may have more rows.
   */
  async scanDocs(def: CollectionDef, afterId: bigint | undefined, limit: number, reverse = false):
    Promise<{ docs: DocData[]; lastId?: bigint; more: boolean }> {
    const prefix = docPrefix(this.db, def.id);
    let start = prefix;
    let end = prefixEnd(prefix);
    if (afterId !== undefined) {
      if (reverse) end = docKey(this.db, def.id, afterId);
      else start = prefixEnd(docKey(this.db, def.id, afterId));
    }
    const rows = await this.kv.scan({ start, end, limit, reverse });
    const docs: DocData[] = [];
    let lastId: bigint | undefined;
    for (const r of rows) {
      lastId = idFromDocKey(r.key);
      const doc = this.decodeDoc(def.name, lastId.toString(), fromBytes<StoredDoc>(r.value));
      if (!doc) continue;
      this.cacheDoc(doc);
      const visible = modelHooks.guardDoc ? await modelHooks.guardDoc(this, doc) : doc;
      // Documents the caller may not read vanish from sets.
      if (!('cause' in visible)) docs.push(visible);
    }
    return { docs, lastId, more: rows.length === limit };
  }

  // ------------------------------------------------------------------ ModelTxn

  async readDoc(ref: DocV): Promise<DocData | NullDocV> {
    const def = await this.collection(ref.coll);
    if (!def && !isBuiltinModule(ref.coll)) {
      return { t: 'nulldoc', coll: ref.coll, id: ref.id, cause: 'collection deleted' };
    }
    const snapshot = ref.readTs ?? this.context?.snapshotTs;
    const cursorTs = snapshot === undefined ? this.context?.systemTs : undefined;
    // A user's snapshot may not precede the history kept (an event's time is checked by its stream).
    if (snapshot !== undefined && def && snapshot !== this.context?.eventTs) checkReadableAt(this, def, snapshot);
    const stored = snapshot !== undefined && def && historicalReader
      ? await this.versionAt(def, ref.id, snapshot)
      : cursorTs !== undefined && def && historicalReader
        ? await this.versionAsOf(def, ref.id, cursorTs)
        : await this.getDoc(ref.coll, ref.id);
    if (!stored) return { t: 'nulldoc', coll: ref.coll, id: ref.id, cause: 'not found' };
    // A past document's references are read as of its snapshot too (temporal/read-ts.ts).
    const version = ref.readTs === undefined ? stored : withReadTs(stored, ref.readTs);
    const doc = readDecorator ? await readDecorator(this, version, snapshot) : version;
    // A cursor's snapshot is its present (EvalContext.systemTs): `read` suffices.
    const historical = snapshot !== undefined && snapshot !== this.context?.eventTs;
    return modelHooks.guardDoc ? modelHooks.guardDoc(this, doc, historical) : doc;
  }

  async readNamed(ref: NamedDocV): Promise<NamedData | NullDocV> {
    if (ref.coll === 'Collection') {
      const def = await this.collection(ref.name);
      if (!def) return { t: 'nulldoc', coll: ref.coll, name: ref.name, cause: 'not found' };
      const data = new Map(def.data);
      data.delete('name');
      const named: NamedData = { coll: 'Collection', name: def.name, ts: def.ts, data };
      return modelHooks.guardNamed ? modelHooks.guardNamed(this, named) : named;
    }
    const other = await modelHooks.readNamed?.(this, ref);
    if (other && !('cause' in other) && modelHooks.guardNamed) return modelHooks.guardNamed(this, other);
    return other ?? { t: 'nulldoc', coll: ref.coll, name: ref.name, cause: 'not found' };
  }

  async resolveGlobal(name: string): Promise<Value | undefined> {
    if (isNewName(this, name)) return modelHooks.resolveGlobal?.(this, name);
    const def = (await this.collection(name)) ?? (await this.collectionByAlias(name));
    if (def) return { t: 'module', name: def.name };
    return modelHooks.resolveGlobal?.(this, name);
  }

  async collectionIndex(coll: string, name: string): Promise<MethodDef | undefined> {
    return indexResolver ? indexResolver(this, coll, name) : undefined;
  }

  async decodeSet(description: unknown): Promise<FqlSet> {
    const d = description as Record<string, unknown> | null;
    const decode = d && typeof d.kind === 'string' ? setDecoders.get(d.kind) : undefined;
    if (!decode) throw new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.');
    return decode(this, d!);
  }
}

/** The document id is the last tuple element of a current-version key. */
function idFromDocKey(key: Uint8Array): bigint {
  const parts = decodeKey(key);
  return BigInt(parts[parts.length - 1] as bigint | number);
}
