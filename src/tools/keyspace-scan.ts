// Reads a store's whole keyspace in ascending key order, one bounded batch at a time, inside
// the caller's transaction (so every batch belongs to the same snapshot).
import type { KvPair, KvTxn } from '../storage/kv';
import { BATCH_PAIRS, KEYSPACE_END, KEYSPACE_START } from './dump-format';

export async function* keyspaceBatches(txn: KvTxn): AsyncGenerator<KvPair[]> {
  let start = KEYSPACE_START;
  for (;;) {
    const rows = await txn.scan({ start, end: KEYSPACE_END, limit: BATCH_PAIRS });
    if (rows.length > 0) yield rows;
    if (rows.length < BATCH_PAIRS) return;
    // The smallest key after the last one.
    const last = rows[rows.length - 1].key;
    start = new Uint8Array(last.length + 1);
    start.set(last);
  }
}
