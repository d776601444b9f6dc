// Rewriting a document's history (FQL v4 `Insert` / `Remove`, core WriteAdaptor.insertVersion
// / removeVersion): versions put at or taken from a past time in the [db, 'h', coll, doc, -ts]
// history that `at` reads and v4 `Events` walks. A change to the newest version also changes
// the current document: the caller writes that state through the write broker (so indexes,
// unique constraints and the ttl queue follow) and then `retime`s the version the broker wrote
// at the transaction's time back to the version's own time.
import type { Value } from '../../fql/values/value';
import { encodeFields, fromBytes, toBytes } from '../codec';
import { docKey, gcKey, prefixEnd, versionKey, versionPrefix } from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';

const EMPTY = new Uint8Array(0);

interface StoredVersion { ts: string; ttl?: string; data?: unknown; deleted?: boolean }

/** A version's state: the document's fields and ttl, or undefined for a deletion. */
export type VersionState = { readonly data: ReadonlyMap<string, Value>; readonly ttl?: bigint } | undefined;

const stored = (ts: bigint, state: VersionState): StoredVersion => (state === undefined
  ? { ts: ts.toString(), deleted: true }
  : { ts: ts.toString(), data: encodeFields(state.data), ...(state.ttl !== undefined ? { ttl: state.ttl.toString() } : {}) });

/** The times of a document's retained versions, newest first. */
export async function versionTimes(model: ModelTxnImpl, def: CollectionDef, id: string): Promise<bigint[]> {
  const prefix = versionPrefix(model.db, def.id, BigInt(id));
  const rows = await model.kv.scan({ start: prefix, end: prefixEnd(prefix) });
  return rows.map((r) => BigInt(fromBytes<StoredVersion>(r.value).ts));
}

/**
 * Put a version at `ts` that does not change the current document: older than the newest
 * version (`nextTs` supersedes it, as the history sweep is told), or a deletion of a document
 * that is already gone (it supersedes itself, as deletion markers do).
 */
export function putVersion(model: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint, state: VersionState, nextTs?: bigint): void {
  const docId = BigInt(id);
  model.kv.put(versionKey(model.db, def.id, docId, ts), toBytes(stored(ts, state)));
  model.kv.put(gcKey(model.db, def.id, nextTs ?? ts, docId, ts), EMPTY);
  model.forgetDoc(def, id);
}

/**
 * Take out a version older than the newest (`newerTs` superseded it): the version before it
 * (`olderTs`) is now superseded by the newer one.
 */
export function removePastVersion(model: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint, newerTs: bigint, olderTs?: bigint): void {
  const docId = BigInt(id);
  model.kv.delete(versionKey(model.db, def.id, docId, ts));
  model.kv.delete(gcKey(model.db, def.id, newerTs, docId, ts));
  if (olderTs !== undefined) {
    model.kv.delete(gcKey(model.db, def.id, ts, docId, olderTs));
    model.kv.put(gcKey(model.db, def.id, newerTs, docId, olderTs), EMPTY);
  }
  model.forgetDoc(def, id);
}

/**
 * After the newest version (at `removedTs`) was taken out and the write broker restored the
 * version before it (`prev`, or a deletion when there is none) at the transaction's time: the
 * restored state is the version at `prev.ts` again, and nothing of the removed one remains.
 */
export function revertNewest(model: ModelTxnImpl, def: CollectionDef, id: string, removedTs: bigint, prev?: { ts: bigint; state: VersionState }): void {
  const now = model.txnTs;
  const docId = BigInt(id);
  model.kv.delete(versionKey(model.db, def.id, docId, removedTs));
  model.kv.delete(gcKey(model.db, def.id, now, docId, removedTs));
  if (removedTs !== now) {
    model.kv.delete(versionKey(model.db, def.id, docId, now));
    model.kv.delete(gcKey(model.db, def.id, now, docId, now));
  }
  if (prev !== undefined) {
    model.kv.delete(gcKey(model.db, def.id, removedTs, docId, prev.ts));
    if (prev.state !== undefined) model.kv.put(docKey(model.db, def.id, docId), toBytes(stored(prev.ts, prev.state)));
  }
  model.forgetDoc(def, id);
}

/**
 * Move the version the write broker just wrote at the transaction's time to `ts`, the time it
 * stands for: the history entry, the current document's `ts`, and the sweep's entry for the
 * version it superseded (`prevTs`; none when that was the version at `ts` itself, now replaced).
 */
export function retime(model: ModelTxnImpl, def: CollectionDef, id: string, ts: bigint, prevTs: bigint | undefined, state: VersionState): void {
  const now = model.txnTs;
  const docId = BigInt(id);
  if (ts === now) return;
  model.kv.delete(versionKey(model.db, def.id, docId, now));
  model.kv.put(versionKey(model.db, def.id, docId, ts), toBytes(stored(ts, state)));
  if (state !== undefined) model.kv.put(docKey(model.db, def.id, docId), toBytes(stored(ts, state)));
  if (prevTs !== undefined) {
    model.kv.delete(gcKey(model.db, def.id, now, docId, prevTs));
    if (prevTs !== ts) model.kv.put(gcKey(model.db, def.id, ts, docId, prevTs), EMPTY);
  }
  // A deletion marker is swept with the versions before it (model-txn deleteDoc).
  if (state === undefined) {
    model.kv.delete(gcKey(model.db, def.id, now, docId, now));
    model.kv.put(gcKey(model.db, def.id, ts, docId, ts), EMPTY);
  }
  model.forgetDoc(def, id);
}
