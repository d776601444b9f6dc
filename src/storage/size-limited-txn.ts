// A transaction that refuses to buffer more than Fauna's transaction size limit of writes
// (core `transaction_max_size_bytes`, checked as writes are added: State / ReadsWrites.addWrite,
// TxnTooLargeException). Writes to the same key replace each other, so only the net size of
// what would be committed counts, as core merges writes to one key. Without it one query could
// buffer gigabytes (a few thousand creates of a maximal string) before committing.
import { MAX_TRANSACTION_BYTES, TransactionTooLarge } from '../fql/limits';
import { keyString } from './bytes';
import { runBeforeCommit } from './before-commit';
import type { Bytes, CommitAnswer, CommitRerun, KvPair, KvStats, KvTxn, ScanOptions } from './kv';

export class SizeLimitedTxn implements KvTxn {
  /** Bytes each written key would commit (its key plus value; a delete is its key). */
  private readonly sizes = new Map<string, number>();
  private total = 0;

  /** The inner transaction's precondition, where it has one (KvTxn.requireAbsent): it buffers no bytes. */
  readonly requireAbsent?: (key: Bytes) => void;

  constructor(private readonly inner: KvTxn) {
    if (inner.requireAbsent) this.requireAbsent = inner.requireAbsent.bind(inner);
  }

  get ts(): bigint { return this.inner.ts; }
  get stats(): KvStats { return this.inner.stats; }
  get hasWrites(): boolean { return this.inner.hasWrites; }

  get(key: Bytes): Promise<Bytes | undefined> { return this.inner.get(key); }
  scan(opts: ScanOptions): Promise<KvPair[]> { return this.inner.scan(opts); }
  scanMany(opts: readonly ScanOptions[]): Promise<KvPair[][]> {
    return this.inner.scanMany ? this.inner.scanMany(opts) : Promise.all(opts.map((o) => this.inner.scan(o)));
  }

  put(key: Bytes, value: Bytes): void {
    this.write(key, key.length + value.length, () => this.inner.put(key, value));
  }

  delete(key: Bytes): void {
    this.write(key, key.length, () => this.inner.delete(key));
  }


  /** Every request's transaction is one of these: the work registered to precede its commit runs here. */
  async commit(): Promise<void> {
    await runBeforeCommit(this);
    return this.inner.commit();
  }
  /** The commit that also answers the request (see KvTxn): the same work precedes it. */
  get commitAnswering(): ((answer: CommitAnswer, rerun?: CommitRerun) => Promise<void>) | undefined {
    const inner = this.inner;
    if (!inner.commitAnswering) return undefined;
    return async (answer, rerun) => {
      await runBeforeCommit(this);
      return inner.commitAnswering!(answer, rerun);
    };
  }
  rollback(): Promise<void> { return this.inner.rollback(); }
  rollbackStale(): Promise<string | undefined> { return this.inner.rollbackStale(); }

  /**
   * Checks before anything is buffered and counts only what the inner transaction accepted, so
   * a refused write (too large, or read-only) leaves the transaction as it was.
   */
  private write(key: Bytes, size: number, apply: () => void): void {
    const k = keyString(key);
    const total = this.total - (this.sizes.get(k) ?? 0) + size;
    if (total > MAX_TRANSACTION_BYTES) throw new TransactionTooLarge(total);
    apply();
    this.total = total;
    this.sizes.set(k, size);
  }
}
