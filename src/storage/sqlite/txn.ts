// One optimistic transaction: reads go straight to the committed state (recording what was read),
// writes are buffered in the overlay, and commit hands both to the engine for validation.
import { keyString } from '../bytes';
import type { Bytes, ForeignReads, KvPair, KvTxn, ScanOptions } from '../kv';
import { BufferedTxn } from '../buffered-txn';
import { ReadSet } from '../read-set';
import type { Statements } from './statements';

/** What a transaction needs from its engine. */
export interface TxnHost {
  readonly statements: Statements;
  /**
   * Validates and applies; resolves once the writes are durable, rejects with KvConflictError.
   * Always ends the transaction.
   */
  commit(txn: SqliteTxn): Promise<void>;
  /** Ends the transaction without applying anything. */
  release(txn: SqliteTxn): void;
  /** `txn`, which has not written, will not write: it stops counting as a running writer. */
  declaredReadOnly(txn: SqliteTxn): void;
  /** A conflict detail when something `txn` read was written after it began (rule 1). */
  staleReads(txn: SqliteTxn): string | undefined;
}

export class SqliteTxn extends BufferedTxn implements KvTxn {
  readonly reads = new ReadSet();

  constructor(
    private readonly host: TxnHost,
    readonly ts: bigint,
    /** Commit sequence number of the state this transaction started from. */
    readonly startCsn: number,
    private readOnly: boolean,
  ) {
    super();
  }

  protected get writable(): boolean {
    return !this.readOnly;
  }

  declareReadOnly(): void {
    this.ensureOpen();
    if (this.readOnly) return;
    if (this.hasWrites) throw new Error('a transaction that wrote cannot become read-only');
    this.readOnly = true;
    this.host.declaredReadOnly(this);
  }

  addReads(reads: ForeignReads): void {
    this.ensureOpen();
    this.reads.addForeign(reads);
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.readThrough(key, (k) => {
      this.reads.points.add(keyString(k));
      return this.host.statements.get.get(k);
    });
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    return this.scanNow(opts);
  }

  /** Many scans in one read transaction of the connection (Statements.together), without yielding between them. */
  async scanMany(opts: readonly ScanOptions[]): Promise<KvPair[][]> {
    this.ensureOpen();
    return this.host.statements.together(() => {
      const out: KvPair[][] = new Array(opts.length);
      for (let i = 0; i < opts.length; i++) out[i] = this.scanNow(opts[i]);
      return out;
    });
  }

  private scanNow(opts: ScanOptions): KvPair[] {
    this.ensureOpen();
    const baseLimit = this.overlay.baseLimit(opts);
    const stmt = opts.reverse ? this.host.statements.scanReverse : this.host.statements.scanForward;
    const base = stmt.all(opts.start, opts.end, baseLimit ?? -1).map(([key, value]): KvPair => ({ key, value }));
    const rows = this.overlay.merge(base, opts);
    this.reads.addScan(opts, rows);
    return this.counted(rows);
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    await this.host.commit(this);
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.host.release(this);
  }

  async rollbackStale(): Promise<string | undefined> {
    if (this.finished) return undefined;
    try {
      return this.host.staleReads(this);
    } finally {
      await this.rollback();
    }
  }
}
