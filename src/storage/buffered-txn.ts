// What every engine's transaction shares: writes buffered in an overlay until commit (so reads
// see them), the statistics, and the guards against use after the end and writes in read-only
// transactions. Engines supply how committed state is read and how a commit is applied.
import type { Bytes, KvPair, KvStats } from './kv';
import { KvReadOnlyError } from './kv';
import { WriteOverlay } from './overlay';

export abstract class BufferedTxn {
  readonly stats: KvStats = { rowsRead: 0, bytesRead: 0, bytesWritten: 0 };
  readonly overlay = new WriteOverlay();
  protected finished = false;

  /** Whether put/delete are allowed. */
  protected abstract get writable(): boolean;

  get hasWrites(): boolean {
    return this.overlay.size > 0;
  }

  /** A point read: this transaction's own write if it has one, else `readCommitted`. */
  protected async readThrough(key: Bytes, readCommitted: (key: Bytes) => Promise<Bytes | undefined> | Bytes | undefined): Promise<Bytes | undefined> {
    this.ensureOpen();
    this.stats.rowsRead++;
    const own = this.overlay.lookup(key);
    const value = own !== undefined ? own.value : await readCommitted(key);
    if (value !== undefined) this.stats.bytesRead += key.length + value.length;
    return value;
  }

  /** Counts the rows a scan returns. */
  protected counted(rows: KvPair[]): KvPair[] {
    this.stats.rowsRead += rows.length;
    for (const row of rows) this.stats.bytesRead += row.key.length + row.value.length;
    return rows;
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

  protected ensureOpen(): void {
    if (this.finished) throw new Error('transaction is already committed or rolled back');
  }

  private ensureWritable(): void {
    this.ensureOpen();
    if (!this.writable) throw new KvReadOnlyError();
  }
}
