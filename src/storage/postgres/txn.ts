// One KvTxn = one PostgreSQL transaction on a pooled connection, which arrives with the
// transaction already open (see engine.ts). Writes are buffered in the overlay and flushed in
// batches at commit.
import type { PoolClient } from 'pg';
import type { Bytes, KvPair, KvTxn, ScanOptions } from '../kv';
import { BufferedTxn } from '../buffered-txn';
import { translatePgError } from './errors';
import {
  COMMIT_AND_UNLOCK_WRITER,
  DELETE,
  GET,
  ROLLBACK_AND_UNLOCK_WRITER,
  SCAN_FORWARD,
  SCAN_REVERSE,
  UPSERT,
  WRITE_BATCH_ROWS,
} from './sql';

export class PgTxn extends BufferedTxn implements KvTxn {
  /**
   * `client` holds the open transaction (a writer's also holds the writer lock, which ending
   * the transaction releases). `onEnd` runs when the transaction ends.
   */
  private constructor(
    private readonly client: PoolClient,
    readonly ts: bigint,
    private readonly writer: boolean,
    private readonly onEnd: () => void,
    /** SQL to run inside the transaction just before COMMIT (the commit notification), if any. */
    private readonly beforeCommit?: (txn: PgTxn) => string | undefined,
  ) {
    super();
  }

  protected get writable(): boolean {
    return this.writer;
  }

  static writer(client: PoolClient, ts: bigint, onEnd: () => void, beforeCommit?: (txn: PgTxn) => string | undefined): PgTxn {
    return new PgTxn(client, ts, true, onEnd, beforeCommit);
  }

  static reader(client: PoolClient, ts: bigint): PgTxn {
    return new PgTxn(client, ts, false, () => {});
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.readThrough(key, async (k) => {
      const rows = await this.query<[Bytes]>(GET.name, GET.text, [k]);
      return rows.length > 0 ? rows[0][0] : undefined;
    });
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const limit = this.overlay.baseLimit(opts) ?? null;
    const stmt = opts.reverse ? SCAN_REVERSE : SCAN_FORWARD;
    const base = (await this.query<[Bytes, Bytes]>(stmt.name, stmt.text, [opts.start, opts.end, limit])).map(
      ([key, value]): KvPair => ({ key, value }),
    );
    return this.counted(this.overlay.merge(base, opts));
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    try {
      if (this.writer) {
        await this.flush();
        const notify = this.beforeCommit?.(this);
        await this.client.query(notify === undefined ? COMMIT_AND_UNLOCK_WRITER : `${notify}; ${COMMIT_AND_UNLOCK_WRITER}`);
      } else {
        await this.client.query('COMMIT');
      }
    } catch (err) {
      this.end(err as Error);
      throw translatePgError(err);
    }
    this.end();
  }

  /** Never stale: read-only transactions read one snapshot, writers hold the writer lock. */
  async rollbackStale(): Promise<string | undefined> {
    await this.rollback();
    return undefined;
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.client.query(this.writer ? ROLLBACK_AND_UNLOCK_WRITER : 'ROLLBACK');
    } catch (err) {
      this.end(err as Error);
      return;
    }
    this.end();
  }

  private async flush(): Promise<void> {
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
      await this.client.query({ ...UPSERT, values: [putKeys.slice(i, end), putValues.slice(i, end)] });
    }
    for (let i = 0; i < deleteKeys.length; i += WRITE_BATCH_ROWS) {
      await this.client.query({ ...DELETE, values: [deleteKeys.slice(i, i + WRITE_BATCH_ROWS)] });
    }
  }

  private async query<R extends unknown[]>(name: string, text: string, values: unknown[]): Promise<R[]> {
    try {
      const res = await this.client.query<R>({ name, text, values, rowMode: 'array' });
      return res.rows;
    } catch (err) {
      throw translatePgError(err);
    }
  }

  /** Gives the connection back; a connection in an unknown state (`err`) is discarded instead. */
  private end(err?: Error): void {
    this.client.release(err);
    this.onEnd();
  }
}
