// Temporal reads and history retention. Every write also stores the version under
//   [db, 'h', collId, docId, -ts]
// (newest first), so the version visible at a past time T is the first key at or after
// [..., -T]. `at (T) { ... }` reads documents that way. History older than a collection's
// `history_days` is removed by a periodic sweep, keeping the version that was current at the
// cut-off so reads inside the retention window stay exact.
import type { KvEngine, KvTxn } from '../../storage/kv';
import { KvConflictError } from '../../storage/kv';
import { decodeKey, encodeKey } from '../../storage/tuple';
import { decodeFields, decodeValue, fromBytes } from '../codec';
import {
  CHANGE_LOG_PREFIX, changeCollBound, changeCollPrefix, collVersionsPrefix, gcCollBound, gcCollPrefix, gcRootPrefix, prefixEnd, schemaPrefix,
  versionKey, versionPrefix, versionsFrom, type DbId,
} from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import type { DocData } from '../model-api';
import { sweepExpired } from './expiry';

/** A stored version: a document state, or a deletion marker. */
interface StoredVersion { ts: string; ttl?: string; data?: unknown; deleted?: boolean }

/**
 * The version of a document visible at `ts` (µs), or undefined if none (absent, deleted, expired):
 * the model's historical reader (src/model/wiring.ts).
 */
export async function readVersionAt(txn: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint): Promise<DocData | undefined> {
  const prefix = versionPrefix(txn.db, def.id, BigInt(id));
  const rows = await txn.kv.scan({ start: versionKey(txn.db, def.id, BigInt(id), ts), end: prefixEnd(prefix), limit: 1 });
  return rows.length === 0 ? undefined : visibleAt(def, id, fromBytes<StoredVersion>(rows[0].value), ts);
}

/** One retained version of a document: its state, or undefined for a deletion marker. */
export interface RetainedVersion { readonly id: string; readonly ts: bigint; readonly doc?: DocData }

/**
 * The retained versions of one document (`id`) or of every document of a collection, oldest
 * first per document and documents in id order: what v4 `Events` walks. A version whose `ttl`
 * had passed by its own time reads as absent.
 */
export async function retainedVersions(
  txn: ModelTxnImpl, def: CollectionDef, id?: string, betweenBatches?: () => void,
): Promise<RetainedVersion[]> {
  const prefix = id === undefined ? collVersionsPrefix(txn.db, def.id) : versionPrefix(txn.db, def.id, BigInt(id));
  const end = prefixEnd(prefix);
  const out: RetainedVersion[] = [];
  let run: RetainedVersion[] = [];
  let runId: string | undefined;
  // In batches: a collection's history may be far larger than a query may read at once, and
  // the caller's deadline (betweenBatches) must be able to stop the read.
  for (let start = prefix; ;) {
    const rows = await txn.kv.scan({ start, end, limit: VERSIONS_BATCH });
    for (const r of rows) {
      const parts = decodeKey(r.key);
      const docId = String(parts[parts.length - 2]);
      if (docId !== runId) {
        out.push(...run.reverse());
        run = [];
        runId = docId;
      }
      const v = fromBytes<StoredVersion>(r.value);
      const ts = BigInt(v.ts);
      run.push({ id: docId, ts, doc: visibleAt(def, docId, v, ts) });
    }
    if (rows.length < VERSIONS_BATCH) break;
    start = prefixEnd(rows[rows.length - 1].key);
    betweenBatches?.();
  }
  out.push(...run.reverse());
  return out;
}

/** Versions read per scan by retainedVersions. */
const VERSIONS_BATCH = 1024;

/** A stored version as seen at `ts` (µs): undefined when deleted or expired by then. */
function visibleAt(def: CollectionDef, id: string, v: StoredVersion, ts: bigint): DocData | undefined {
  if (v.deleted) return undefined;
  const ttl = v.ttl !== undefined ? BigInt(v.ttl) : undefined;
  if (ttl !== undefined && ttl <= ts * 1000n) return undefined;
  return { coll: def.name, id, ts: BigInt(v.ts), ttl, data: decodeFields(v.data as never) };
}

/**
 * The versions of a document visible just before and at `ts`, with one read (event streams
 * compare them for every document a transaction wrote); both are remembered by the transaction.
 */
export async function readVersionsAround(txn: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint): Promise<{ prev?: DocData; curr?: DocData }> {
  return (await readVersionsAroundMany(txn, def, [{ id, ts }]))[0];
}

/**
 * readVersionsAround for several documents, with one storage operation (KvTxn.scanMany).
 * `remember` false: the caller uses the versions itself and reads none of them through the
 * transaction again (event feeds rendering straight from them), so the transaction neither
 * looks them up nor keeps them.
 */
export async function readVersionsAroundMany(
  txn: ModelTxnImpl, def: CollectionDef, items: readonly { readonly id: string; readonly ts: bigint }[], remember = true,
): Promise<{ prev?: DocData; curr?: DocData }[]> {
  const out: { prev?: DocData; curr?: DocData }[] = new Array(items.length);
  const todo: number[] = [];
  items.forEach(({ id, ts }, i) => {
    if (!remember) return void todo.push(i);
    const knownCurr = txn.rememberedVersion(def, id, ts);
    const knownPrev = txn.rememberedVersion(def, id, ts - 1n);
    if (knownCurr.known && knownPrev.known) out[i] = { prev: knownPrev.v, curr: knownCurr.v };
    else todo.push(i);
  });
  if (todo.length === 0) return out;
  const scans = todo.map((i) => ({ ...versionsFrom(txn.db, def.id, BigInt(items[i].id), items[i].ts), limit: 2 }));
  const results = txn.kv.scanMany ? await txn.kv.scanMany(scans) : await Promise.all(scans.map((s) => txn.kv.scan(s)));
  todo.forEach((i, k) => {
    const { id, ts } = items[i];
    const rows = results[k];
    const newest = rows[0] ? fromBytes<StoredVersion>(rows[0].value) : undefined;
    const writtenAtTs = newest !== undefined && BigInt(newest.ts) === ts;
    const curr = newest === undefined ? undefined : visibleAt(def, id, newest, ts);
    const before = writtenAtTs ? (rows[1] ? fromBytes<StoredVersion>(rows[1].value) : undefined) : newest;
    const prev = before === undefined ? undefined : visibleAt(def, id, before, ts - 1n);
    if (remember) {
      txn.rememberVersion(def, id, ts, curr);
      txn.rememberVersion(def, id, ts - 1n, prev);
    }
    out[i] = { prev, curr };
  });
  return out;
}

const US_PER_DAY = 86_400n * 1_000_000n;

/**
 * History every collection keeps beyond its `history_days`, even with 0: event streams and
 * feeds replay from a cursor up to this far back (docs "learn/streaming": history_days plus
 * 15 minutes; core `Collection.MVTOffset`). src/streams checks start times against the same bound.
 */
export const EVENT_WINDOW_US = 15n * 60n * 1_000_000n;

/** The oldest time a collection keeping `days` of history can still be read at, as of `nowUs`. */
export function historyCutoff(nowUs: bigint, days: number): bigint {
  return nowUs - BigInt(Math.max(0, Math.trunc(days))) * US_PER_DAY - EVENT_WINDOW_US;
}
const SWEEP_BATCH = 1000;

/** Collection ids and their retention in days, from the Collection definitions of `db`. */
async function retentions(txn: KvTxn, db: DbId): Promise<{ id: number; days: number }[]> {
  const prefix = schemaPrefix(db, 'Collection');
  const rows = await txn.scan({ start: prefix, end: prefixEnd(prefix) });
  return rows.map((r) => {
    const s = fromBytes<{ id: number; data: { history_days?: unknown } }>(r.value);
    const days = s.data.history_days === undefined ? undefined : decodeValue(s.data.history_days as never);
    const n = days && (days.t === 'int' || days.t === 'double') ? days.v : days && days.t === 'long' ? Number(days.v) : 0;
    return { id: s.id, days: n };
  });
}

/**
 * Delete the versions that left their collection's `history_days` window: a version
 * superseded (by an update, a replacement or a deletion) at or before now − history_days is not
 * visible at any time inside the window. The garbage queue (`gcKey`) lists superseded versions
 * by collection and supersession time, so a sweep reads only what it removes plus one key per
 * collection. Entries of collections that no longer exist are dropped with their versions.
 * Returns the number of versions removed. `onlyDb` limits the sweep to one database.
 */
export async function sweepHistory(engine: KvEngine, nowUs: bigint, onlyDb?: DbId): Promise<number> {
  const start = onlyDb === undefined ? gcRootPrefix() : encodeKey(['gc', onlyDb]);
  let removed = 0;
  await forEachCollectionUnder(engine, gcRootPrefix(), start, async (db, collId, days) => {
    if (onlyDb !== undefined && db !== onlyDb) return false;
    const cutoff = days === undefined ? nowUs : historyCutoff(nowUs, days);
    removed += await sweepCollection(engine, db, collId, cutoff);
    return true;
  });
  return removed;
}

/**
 * Delete change-log entries (src/model/keys.ts `changeKey`) older than their collection's
 * window, collection by collection, as the version sweep does. Returns the number removed.
 */
export async function sweepChangeLog(engine: KvEngine, nowUs: bigint): Promise<number> {
  let removed = 0;
  await forEachCollectionUnder(engine, CHANGE_LOG_PREFIX, CHANGE_LOG_PREFIX, async (db, collId, days) => {
    // A collection that is gone keeps nothing.
    const cutoff = days === undefined ? nowUs + 1n : historyCutoff(nowUs, days);
    removed += await deleteRange(engine, changeCollPrefix(db, collId), changeCollBound(db, collId, cutoff));
    return true;
  });
  return removed;
}

/**
 * Visit, from `start`, each collection with keys under `root` (keys [root part, db, collId, …]),
 * with its retention in days (undefined: the collection no longer exists), one short read-only
 * transaction per collection found; `visit` returns false to stop.
 */
async function forEachCollectionUnder(
  engine: KvEngine, root: Uint8Array, start: Uint8Array,
  visit: (db: DbId, collId: number, days: number | undefined) => Promise<boolean>,
): Promise<void> {
  const rootEnd = prefixEnd(root);
  const retention = new Map<DbId, Map<number, number>>();
  let cursor = start;
  for (;;) {
    const probe = await engine.begin({ readOnly: true });
    let found: { db: DbId; collId: number; days: Map<number, number> } | undefined;
    try {
      const rows = await probe.scan({ start: cursor, end: rootEnd, limit: 1 });
      if (rows.length > 0) {
        const parts = decodeKey(rows[0].key);
        const db = parts[1] as number;
        let days = retention.get(db);
        if (!days) retention.set(db, (days = new Map((await retentions(probe, db)).map((r) => [r.id, r.days]))));
        found = { db, collId: parts[2] as number, days };
      }
    } finally {
      await probe.rollback();
    }
    if (!found) return;
    if (!(await visit(found.db, found.collId, found.days.get(found.collId)))) return;
    cursor = prefixEnd(encodeKey([decodeKey(root)[0] as string, found.db, found.collId]));
  }
}

/**
 * Delete the keys in [start, end) in batches of one transaction each; `also` names more keys to
 * delete with each one. Stops quietly when a writer races a batch: the next sweep goes on.
 */
async function deleteRange(engine: KvEngine, start: Uint8Array, end: Uint8Array, also?: (key: Uint8Array) => Uint8Array): Promise<number> {
  let removed = 0;
  for (;;) {
    const txn = await engine.begin();
    try {
      const rows = await txn.scan({ start, end, limit: SWEEP_BATCH });
      for (const r of rows) {
        if (also) txn.delete(also(r.key));
        txn.delete(r.key);
      }
      await txn.commit();
      removed += rows.length;
      if (rows.length < SWEEP_BATCH) return removed;
    } catch (e) {
      await txn.rollback();
      if (e instanceof KvConflictError) return removed;
      throw e;
    }
  }
}

/** Remove a collection's queued versions superseded at or before `cutoff` (and their queue entries). */
function sweepCollection(engine: KvEngine, db: DbId, collId: number, cutoff: bigint): Promise<number> {
  return deleteRange(engine, gcCollPrefix(db, collId), gcCollBound(db, collId, cutoff + 1n), (key) => {
    const parts = decodeKey(key);
    return versionKey(db, collId, BigInt(parts[4] as number | bigint), BigInt(parts[5] as number | bigint));
  });
}

/** Sweep period: FQL_SWEEP_INTERVAL_MS (tests shorten it), else a minute. */
function sweepInterval(): number {
  const ms = Number(process.env.FQL_SWEEP_INTERVAL_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 60_000;
}

/** Remove expired documents, then old history, every `intervalMs`; returns a function that stops it. */
export function startHistorySweeper(engine: KvEngine, intervalMs = sweepInterval()): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const nowUs = BigInt(Date.now()) * 1000n;
    sweepExpired(engine, nowUs * 1000n)
      .then(() => sweepHistory(engine, nowUs))
      .then(() => sweepChangeLog(engine, nowUs))
      .catch((e) => process.stderr.write(`history sweep failed: ${(e as Error).message}\n`))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
