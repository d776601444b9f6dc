// One optimistic transaction: reads go straight to the committed state (recording what was read),
// writes are buffered in the overlay, and commit hands both to the engine for validation.
import { keyString } from '../bytes';
import type { Bytes, KvPair, KvStats, KvTxn, ScanOptions } from '../kv';
import { KvReadOnlyError } from '../kv';
import { WriteOverlay } from '../overlay';
import { ReadSet } from './read-set';
import type { Statements } from './statements';

/** What a transaction needs from its engine. */
export interface TxnHost {
  readonly statements: Statements;
  /** Validates and applies; throws KvConflictError. Always ends the transaction. */
  commit(txn: SqliteTxn): void;
  /** Ends the transaction without applying anything. */
  release(txn: SqliteTxn): void;
}

export class SqliteTxn implements KvTxn {
  readonly stats: KvStats = { rowsRead: 0, bytesRead: 0, bytesWritten: 0 };
  readonly overlay = new WriteOverlay();
  readonly reads = new ReadSet();
  private finished = false;

  constructor(
    private readonly host: TxnHost,
    readonly ts: bigint,
    /** Commit sequence number of the state this transaction started from. */
    readonly startCsn: number,
    readonly readOnly: boolean,
  ) {}

  get hasWrites(): boolean {
    return this.overlay.size > 0;
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    this.ensureOpen();
    this.stats.rowsRead++;
    const own = this.overlay.lookup(key);
    if (own !== undefined) {
      if (own.value !== undefined) this.stats.bytesRead += key.length + own.value.length;
      return own.value;
    }
    const value = this.host.statements.get.get(key);
    this.reads.points.add(keyString(key));
    if (value !== undefined) this.stats.bytesRead += key.length + value.length;
    return value;
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const baseLimit = this.overlay.baseLimit(opts);
    const stmt = opts.reverse ? this.host.statements.scanReverse : this.host.statements.scanForward;
    const base = stmt.all(opts.start, opts.end, baseLimit ?? -1).map(([key, value]): KvPair => ({ key, value }));
    const rows = this.overlay.merge(base, opts);
    this.recordScan(opts, rows);
    this.stats.rowsRead += rows.length;
    for (const row of rows) this.stats.bytesRead += row.key.length + row.value.length;
    return rows;
  }

  /** A scan cut short by its limit depended only on the keys up to the last one it returned. */
  private recordScan(opts: ScanOptions, rows: readonly KvPair[]): void {
    const start = keyString(opts.start);
    const end = keyString(opts.end);
    if (opts.limit === undefined || rows.length < opts.limit) this.reads.addRange(start, end);
    else if (rows.length > 0) {
      const last = keyString(rows[rows.length - 1].key);
      if (opts.reverse) this.reads.addRange(last, end);
      else this.reads.addRange(start, last + '\x00');
    }
  }

  put(key: Bytes, value: Bytes): void {
    this.ensureWritable();
    this.overlay.put(key, value);
    this.stats.bytesWritten += key.length + value.length;
  }

  delete(key: Bytes): void {
    this.ensureWritable();
    this.overlay.delete(key);
    this.stats.bytesWritten += key.length;
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    this.host.commit(this);
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.host.release(this);
  }

  private ensureOpen(): void {
    if (this.finished) throw new Error('transaction is already committed or rolled back');
  }

  private ensureWritable(): void {
    this.ensureOpen();
    if (this.readOnly) throw new KvReadOnlyError();
  }
}
