// Physical removal of expired documents. Reads hide a document as soon as its `ttl` passes;
// this sweep then deletes its current version, index entries and unique claims, and records
// a deletion at the expiry time in its history so `at` reads after the expiry see it gone and
// the history sweep can eventually drop its old versions. Expiries are found through
//   ['g', 'ttl', <expiry ns>, db, collId, docId]
// entries kept in step with every write, so a sweep reads only what has expired.
import type { KvEngine, KvTxn } from '../../storage/kv';
import { KvConflictError } from '../../storage/kv';
import { decodeKey } from '../../storage/tuple';
import { decodeFields, fromBytes, toBytes } from '../codec';
import { docKey, expiryKey, expiryPrefix, versionKey, type DbId } from '../keys';
import { ModelTxnImpl, type CollectionDef, type StoredDoc } from '../model-txn';
import type { DocData } from '../model-api';
import type { WriteHook } from '../write-broker';
import { modelOf } from '../stdlib/args';
import { fullDocView } from '../definitions/doc-view';
import { schemaOf } from '../definitions/schema';
import { updateIndexEntries } from '../indexes/index-store';
import { enforceUniques } from '../constraints/unique';

const EMPTY = new Uint8Array(0);
const SWEEP_BATCH = 256;

/** Keeps a document's expiry entry in step with its `ttl`, on every write. */
export const trackExpiry: WriteHook = async (ctx, w) => {
  const before = w.before?.ttl;
  const after = w.after?.ttl;
  if (before === after) return;
  const model = modelOf(ctx);
  const docId = BigInt(w.id);
  if (before !== undefined) model.kv.delete(expiryKey(before, model.db, w.def.id, docId));
  if (after !== undefined) model.kv.put(expiryKey(after, model.db, w.def.id, docId), EMPTY);
};

/** Entries kept outside the collection's schema (FQL v4 indexes) go with an expired document too. */
export type ExpiryHook = (model: ModelTxnImpl, def: CollectionDef, doc: DocData) => Promise<void>;
const expiryHooks: ExpiryHook[] = [];
export function onExpiredRemoval(hook: ExpiryHook): void {
  expiryHooks.push(hook);
}

/** Remove one expired document with its index entries and unique claims. */
async function removeExpired(txn: KvTxn, db: DbId, def: CollectionDef, docId: bigint, ttl: bigint): Promise<boolean> {
  const raw = await txn.get(docKey(db, def.id, docId));
  if (!raw) return false;
  const s = fromBytes<StoredDoc>(raw);
  if (s.ttl === undefined || BigInt(s.ttl) !== ttl) return false;
  const model = new ModelTxnImpl(txn, db);
  const id = docId.toString();
  const doc = { coll: def.name, id, ts: BigInt(s.ts), ttl, data: decodeFields(s.data as never) };
  const schema = schemaOf(def);
  if (schema.indexes.size > 0 || schema.uniques.length > 0) {
    const view = await fullDocView(model, undefined, schema, doc);
    for (const idx of schema.indexes.values()) updateIndexEntries(model, def, idx, id, { view, ttl }, undefined);
    if (schema.uniques.length > 0) await enforceUniques(model, def, schema.uniques, id, view, undefined);
  }
  for (const h of expiryHooks) await h(model, def, doc);
  txn.delete(docKey(db, def.id, docId));
  const expiredAtUs = (ttl + 999n) / 1000n;
  txn.put(versionKey(db, def.id, docId, expiredAtUs), toBytes({ ts: expiredAtUs.toString(), deleted: true }));
  return true;
}

/** Delete documents whose ttl is at or before `nowNs`. Returns how many were removed. */
export async function sweepExpired(engine: KvEngine, nowNs: bigint): Promise<number> {
  const prefix = expiryPrefix();
  const end = expiryKey(nowNs + 1n, 0, 0, 0n);
  let removed = 0;
  for (;;) {
    const txn = await engine.begin();
    let rows;
    try {
      rows = await txn.scan({ start: prefix, end, limit: SWEEP_BATCH });
      const defs = new Map<string, CollectionDef | undefined>();
      for (const r of rows) {
        const [, , ttl, db, collId, docId] = decodeKey(r.key) as [string, string, bigint, number, number, bigint];
        const key = `${db}:${collId}`;
        if (!defs.has(key)) {
          const all = await new ModelTxnImpl(txn, Number(db)).allCollections();
          defs.set(key, all.find((d) => d.id === Number(collId)));
        }
        const def = defs.get(key);
        if (def && await removeExpired(txn, Number(db), def, BigInt(docId), BigInt(ttl))) removed++;
        txn.delete(r.key);
      }
      await txn.commit();
    } catch (e) {
      await txn.rollback().catch(() => undefined);
      // A concurrent write to the same documents wins; the next sweep retries.
      if (e instanceof KvConflictError) return removed;
      throw e;
    }
    if (rows.length < SWEEP_BATCH) return removed;
  }
}
