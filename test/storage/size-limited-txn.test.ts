// The transaction size limit (core transaction_max_size_bytes = 16 MiB, TxnTooLargeException
// "Transaction exceeded limit: got N bytes, limit L bytes"): counted net of rewrites of one key,
// checked before a write is buffered, and a refused write leaves the transaction unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SizeLimitedTxn } from '../../src/storage/size-limited-txn';
import { KvReadOnlyError, type Bytes } from '../../src/storage/kv';
import { recordingTxn } from '../helpers/recording-txn';
import { MAX_TRANSACTION_BYTES, TransactionTooLarge } from '../../src/fql/limits';

const bytes = (n: number, fill = 1): Bytes => new Uint8Array(n).fill(fill);
const MiB = 1024 * 1024;

describe('SizeLimitedTxn', () => {
  it('refuses the write that would pass 16 MiB, before buffering it', () => {
    const inner = recordingTxn();
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
    const inner = recordingTxn();
    const txn = new SizeLimitedTxn(inner);
    for (let i = 0; i < 100; i++) txn.put(bytes(8), bytes(MiB));
    txn.delete(bytes(8));
    for (let i = 0; i < 15; i++) txn.put(bytes(4, i + 1), bytes(MiB));
    assert.equal(inner.log.length, 116);
  });

  it('does not count a write the inner transaction refused', () => {
    const inner = recordingTxn(1);
    const txn = new SizeLimitedTxn(inner);
    assert.throws(() => txn.put(bytes(4, 200), bytes(MiB)), KvReadOnlyError);
    // Exactly 16 MiB more fits only if the refused MiB was not counted.
    for (let i = 0; i < 16; i++) txn.put(bytes(4, i), bytes(MiB - 4));
    assert.equal(inner.log.length, 16);
  });
});
