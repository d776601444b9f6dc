// Temporal reads and history retention. Every write also stores the version under
//   [db, 'h', collId, docId, -ts]
// (newest first), so the version visible at a past time T is the first key at or after
// [..., -T]. `at (T) { ... }` reads documents that way. History older than a collection's
// `history_days` is removed by a periodic sweep, keeping the version that was current at the
// cut-off so reads inside the retention window stay exact.
import type { KvEngine, KvTxn } from '../../storage/kv';
import { decodeKey } from '../../storage/tuple';
import { decodeFields, decodeValue, fromBytes } from '../codec';
import { ROOT_DB, collVersionsPrefix, prefixEnd, schemaPrefix, versionKey, versionPrefix, type DbId } from '../keys';
import { defineHistoricalReader, type CollectionDef, type ModelTxnImpl } from '../model-txn';
import type { DocData } from '../model-api';
import { sweepExpired } from './expiry';

/** A stored version: a document state, or a deletion marker. */
interface StoredVersion { ts: string; ttl?: string; data?: unknown; deleted?: boolean }

/** The version of a document visible at `ts` (µs), or undefined if none (absent, deleted, expired). */
export async function readVersionAt(txn: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint): Promise<DocData | undefined> {
  const prefix = versionPrefix(txn.db, def.id, BigInt(id));
  const rows = await txn.kv.scan({ start: versionKey(txn.db, def.id, BigInt(id), ts), end: prefixEnd(prefix), limit: 1 });
  if (rows.length === 0) return undefined;
  const v = fromBytes<StoredVersion>(rows[0].value);
  if (v.deleted) return undefined;
  const ttl = v.ttl !== undefined ? BigInt(v.ttl) : undefined;
  if (ttl !== undefined && ttl <= ts * 1000n) return undefined;
  return { coll: def.name, id, ts: BigInt(v.ts), ttl, data: decodeFields(v.data as never) };
}

defineHistoricalReader(readVersionAt);

const US_PER_DAY = 86_400n * 1_000_000n;
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
 * Delete versions older than each collection's `history_days` (as of `nowUs`), keeping for
 * every document the newest version at or before the cut-off unless it is a deletion.
 * Returns the number of versions removed.
 */
export async function sweepHistory(engine: KvEngine, nowUs: bigint, db: DbId = ROOT_DB): Promise<number> {
  const read = await engine.begin({ readOnly: true });
  let colls: { id: number; days: number }[];
  try { colls = await retentions(read, db); } finally { await read.rollback(); }
  let removed = 0;
  for (const c of colls) {
    const cutoff = nowUs - BigInt(Math.trunc(c.days)) * US_PER_DAY;
    const prefix = collVersionsPrefix(db, c.id);
    let start = prefix;
    for (;;) {
      const txn = await engine.begin();
      const rows = await txn.scan({ start, end: prefixEnd(prefix), limit: SWEEP_BATCH });
      let doc: unknown;
      let keptAtCutoff = false;
      for (const r of rows) {
        const parts = decodeKey(r.key);
        const docId = parts[parts.length - 2];
        const ts = -BigInt(parts[parts.length - 1] as number | bigint);
        if (docId !== doc) { doc = docId; keptAtCutoff = false; }
        if (ts > cutoff) continue;
        const deleted = fromBytes<StoredVersion>(r.value).deleted === true;
        if (!keptAtCutoff && !deleted) { keptAtCutoff = true; continue; }
        keptAtCutoff = true;
        txn.delete(r.key);
        removed++;
      }
      await txn.commit();
      if (rows.length < SWEEP_BATCH) break;
      // Resume at the next document, so each document's versions are judged in one batch.
      const last = decodeKey(rows[rows.length - 1].key);
      start = prefixEnd(versionPrefix(db, c.id, BigInt(last[last.length - 2] as number | bigint)));
    }
  }
  return removed;
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
      .catch((e) => process.stderr.write(`history sweep failed: ${(e as Error).message}\n`))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
