// One KvTxn = one PostgreSQL SERIALIZABLE transaction on a pooled connection. Writers arrive with
// the transaction already open (see engine.ts); read-only transactions open theirs lazily at the
// first read. Writes are buffered in the overlay and flushed in batches at commit.
import type { Pool, PoolClient } from 'pg';
import type { Bytes, KvPair, KvStats, KvTxn, ScanOptions } from '../kv';
import { KvReadOnlyError } from '../kv';
import { WriteOverlay } from '../overlay';
import { translatePgError } from './errors';
import {
  BEGIN_READ,
  COMMIT_AND_UNLOCK_WRITER,
  DELETE,
  GET,
  ROLLBACK_AND_UNLOCK_WRITER,
  SCAN_FORWARD,
  SCAN_REVERSE,
  UPSERT,
  WRITE_BATCH_ROWS,
} from './sql';

export class PgTxn implements KvTxn {
  readonly stats: KvStats = { rowsRead: 0, bytesRead: 0, bytesWritten: 0 };
  private readonly overlay = new WriteOverlay();
  /** The connection with the open transaction; a reader gets it at its first read. */
  private connection: Promise<PoolClient> | undefined;
  private client: PoolClient | undefined;
  private finished = false;

  /**
   * A writer passes `client`, which holds the writer lock and an open transaction that ending
   * this one must release. A reader passes undefined. `onEnd` runs when the transaction ends.
   */
  private constructor(
    private readonly pool: Pool,
    client: PoolClient | undefined,
    readonly ts: bigint,
    private readonly writer: boolean,
    private readonly onEnd: () => void,
  ) {
    if (client !== undefined) {
      this.client = client;
      this.connection = Promise.resolve(client);
    }
  }

  static writer(pool: Pool, client: PoolClient, ts: bigint, onEnd: () => void): PgTxn {
    return new PgTxn(pool, client, ts, true, onEnd);
  }

  static reader(pool: Pool, ts: bigint): PgTxn {
    return new PgTxn(pool, undefined, ts, false, () => {});
  }

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
    const rows = await this.query<[Bytes]>(GET.name, GET.text, [key]);
    const value = rows.length > 0 ? rows[0][0] : undefined;
    if (value !== undefined) this.stats.bytesRead += key.length + value.length;
    return value;
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const limit = this.overlay.baseLimit(opts) ?? null;
    const stmt = opts.reverse ? SCAN_REVERSE : SCAN_FORWARD;
    const base = (await this.query<[Bytes, Bytes]>(stmt.name, stmt.text, [opts.start, opts.end, limit])).map(
      ([key, value]): KvPair => ({ key, value }),
    );
    const rows = this.overlay.merge(base, opts);
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

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    try {
      const client = await this.connection;
      if (this.writer) {
        await this.flush(client as PoolClient);
        await (client as PoolClient).query(COMMIT_AND_UNLOCK_WRITER);
      } else if (client !== undefined) {
        await client.query('COMMIT');
      }
    } catch (err) {
      this.end(err as Error);
      throw translatePgError(err);
    }
    this.end();
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      const client = await this.connection;
      if (this.writer) await (client as PoolClient).query(ROLLBACK_AND_UNLOCK_WRITER);
      else if (client !== undefined) await client.query('ROLLBACK');
    } catch (err) {
      this.end(err as Error);
      return;
    }
    this.end();
  }

  private async flush(client: PoolClient): Promise<void> {
    const putKeys: Bytes[] = [];
    const putValues: Bytes[] = [];
    const deleteKeys: Bytes[] = [];
    for (const w of this.overlay.writes()) {
      if (w.value === undefined) deleteKeys.push(w.key);
      else {
        putKeys.push(w.key);
        putValues.push(w.value);
      }
    }
    for (let i = 0; i < putKeys.length; i += WRITE_BATCH_ROWS) {
      const end = i + WRITE_BATCH_ROWS;
      await client.query({ ...UPSERT, values: [putKeys.slice(i, end), putValues.slice(i, end)] });
    }
    for (let i = 0; i < deleteKeys.length; i += WRITE_BATCH_ROWS) {
      await client.query({ ...DELETE, values: [deleteKeys.slice(i, i + WRITE_BATCH_ROWS)] });
    }
  }

  private async query<R extends unknown[]>(name: string, text: string, values: unknown[]): Promise<R[]> {
    try {
      this.connection ??= this.startReader();
      const client = await this.connection;
      const res = await client.query<R>({ name, text, values, rowMode: 'array' });
      return res.rows;
    } catch (err) {
      throw translatePgError(err);
    }
  }

  private async startReader(): Promise<PoolClient> {
    const client = await this.pool.connect();
    this.client = client;
    await client.query(BEGIN_READ);
    return client;
  }

  /** Gives the connection back; a connection in an unknown state (`err`) is discarded instead. */
  private end(err?: Error): void {
    this.client?.release(err);
    this.client = undefined;
    this.onEnd();
  }

  private ensureOpen(): void {
    if (this.finished) throw new Error('transaction is already committed or rolled back');
  }

  private ensureWritable(): void {
    this.ensureOpen();
    if (!this.writer) throw new KvReadOnlyError();
  }
}
