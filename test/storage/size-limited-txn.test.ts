// The transaction size limit (core transaction_max_size_bytes = 16 MiB, TxnTooLargeException
// "Transaction exceeded limit: got N bytes, limit L bytes"): counted net of rewrites of one key,
// checked before a write is buffered, and a refused write leaves the transaction unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SizeLimitedTxn } from '../../src/storage/size-limited-txn';
import { KvReadOnlyError, type Bytes, type KvTxn } from '../../src/storage/kv';
import { MAX_TRANSACTION_BYTES, TransactionTooLarge } from '../../src/fql/limits';

/** A transaction that records what reaches it. */
function recording(refusals = 0): KvTxn & { readonly log: string[] } {
  const log: string[] = [];
  let refuse = refusals;
  return {
    log,
    ts: 1n,
    stats: { rowsRead: 0, bytesRead: 0, bytesWritten: 0 },
    hasWrites: false,
    get: async () => undefined,
    scan: async () => [],
    put(key: Bytes, value: Bytes) {
      if (refuse > 0) { refuse--; throw new KvReadOnlyError(); }
      log.push(`put ${key.length}+${value.length}`);
    },
    delete(key: Bytes) { log.push(`delete ${key.length}`); },
    commit: async () => undefined,
    rollback: async () => undefined,
    rollbackStale: async () => undefined,
  };
}

const bytes = (n: number, fill = 1): Bytes => new Uint8Array(n).fill(fill);
const MiB = 1024 * 1024;

describe('SizeLimitedTxn', () => {
  it('refuses the write that would pass 16 MiB, before buffering it', () => {
    const inner = recording();
    const txn = new SizeLimitedTxn(inner);
    for (let i = 0; i < 15; i++) txn.put(bytes(4, i), bytes(MiB));
    assert.throws(() => txn.put(bytes(4, 99), bytes(MiB + 1)), (e: unknown) => e instanceof TransactionTooLarge
      && e.limitMessage === `Transaction exceeded limit: got ${16 * (MiB + 4) + 1} bytes, limit ${MAX_TRANSACTION_BYTES} bytes`);
    assert.equal(inner.log.length, 15);
    // A smaller write still fits: the refused one was not counted.
    txn.put(bytes(4, 99), bytes(MiB - 64));
    assert.equal(inner.log.length, 16);
  });

  it('counts a key once however often it is rewritten or deleted', () => {
    const inner = recording();
    const txn = new SizeLimitedTxn(inner);
    for (let i = 0; i < 100; i++) txn.put(bytes(8), bytes(MiB));
    txn.delete(bytes(8));
    for (let i = 0; i < 15; i++) txn.put(bytes(4, i + 1), bytes(MiB));
    assert.equal(inner.log.length, 116);
  });

  it('does not count a write the inner transaction refused', () => {
    const inner = recording(1);
    const txn = new SizeLimitedTxn(inner);
    assert.throws(() => txn.put(bytes(4, 200), bytes(MiB)), KvReadOnlyError);
    // Exactly 16 MiB more fits only if the refused MiB was not counted.
    for (let i = 0; i < 16; i++) txn.put(bytes(4, i), bytes(MiB - 4));
    assert.equal(inner.log.length, 16);
  });
});
