// The PostgreSQL engine: many server processes can share one database.
//
// Timestamps come from the single-row clock table (sql.ts BUMP_CLOCK), which makes them strictly
// increasing across all processes.
//
// Writers run concurrently and optimistically, like the embedded engine's: a writer takes its ts
// and registers in flight (kv_running, plus a session advisory lock keyed by its ts), then reads
// from a REPEATABLE READ snapshot, recording what it read (keys and scanned ranges), with its
// writes buffered. Nothing is locked while it executes. Commit (schema.ts fql_commit, one round
// trip) is the only serialized part, and only in order: a committer waits for the writers with a
// lower ts still in flight to end (commit or roll back), then validates its reads against the
// keys written by the commits its snapshot missed (the kv_writes log: point keys and ranges,
// deletions included, so phantoms are caught), applies its writes and logs their keys. A failed
// validation is a KvConflictError and applies nothing; the query layer retries. So commit order =
// ts order, and every committed writer read exactly the state of the writers with a lower ts:
// ts order is a serial order. Writers of one process hold at most poolSize - 2 connections, so
// writers queued behind a slow one leave connections to the readers.
//
// Readers take no lock and never wait for a writer: one round trip bumps the clock (so their ts
// is fresh) and opens a REPEATABLE READ READ ONLY transaction whose ts is computed inside its own
// snapshot (sql.ts BEGIN_READ): the bump, capped just below the oldest writer in flight. Commits
// happen in ts order, so the snapshot holds every writer below that ts and none above it: the
// snapshot is exactly the state at the reader's ts, and a writer that commits later has a higher
// ts. The price: while a writer is in flight, readers read at a ts just below it (their ts may
// repeat, and lags by that writer's age); a transaction that began after another ended never gets
// a lower ts.
import { Client, Pool, type PoolClient, type QueryResult } from 'pg';
import type { Bytes, CommitNotice, WatchedEngine } from '../kv';
import { CommitWatchers } from '../commit-watchers';
import { translatePgError } from './errors';
import { migrate } from './schema';
import { Semaphore } from './semaphore';
import { BEGIN_READ, BEGIN_WRITE, COMMIT_CHANNEL, MAX_NOTIFY_PAYLOAD, RAISE_CLOCK_FLOOR, STABLE_TS } from './sql';
import { PgTxn, type WriterHost } from './txn';
import { UNSAFE_NO_VALIDATION_ENV } from '../sqlite/engine';

export interface PostgresOptions {
  /** Maximum pooled connections (default 10). */
  readonly poolSize?: number;
  /** TEST ONLY, see sqlite/engine.ts UNSAFE_NO_VALIDATION_ENV. Commits skip validation. */
  readonly unsafeNoValidation?: boolean;
}

class PostgresEngine implements WatchedEngine, WriterHost {
  readonly kind = 'postgres' as const;
  private readonly writers: Semaphore;
  private closed = false;
  private readonly watchers = new CommitWatchers();
  /** The connection that LISTENs for commit notifications, once something watches. */
  private listener: Promise<Client> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    poolSize: number,
    readonly unsafeNoValidation: boolean,
  ) {
    this.writers = new Semaphore(poolSize - 2);
  }

  /**
   * Commits are announced with NOTIFY inside the committing transaction (delivered only if it
   * commits, to every process including this one), so a process hears every process's commits
   * the same way. Payload: `<ts>|<hex key>,<hex key>…`, or `<ts>|*` when the keys do not fit.
   * Only keys under locally watched prefixes are announced: every server process watches the same.
   */
  notifyPayload(txn: PgTxn): string | undefined {
    if (this.watchers.size === 0) return undefined;
    const keys: string[] = [];
    this.watchers.notifyFilter(txn.overlay.writes(), (k) => keys.push(Buffer.from(k).toString('hex')));
    if (keys.length === 0) return undefined;
    const payload = `${txn.ts}|${keys.join(',')}`;
    // The payload is digits, hex, '|', ',' and '*': safe inside a literal.
    return payload.length > MAX_NOTIFY_PAYLOAD ? `${txn.ts}|*` : payload;
  }

  watchCommits(prefix: Bytes, listener: (n: CommitNotice) => void): () => void {
    if (!this.listener) {
      this.listener = this.listen();
      this.listener.catch(() => undefined); // reported and retried by listen()
    }
    return this.watchers.add(prefix, listener);
  }

  /**
   * The LISTEN connection. When it breaks (the backend terminated, the database restarted) it
   * is opened again with back-off; notifications sent meanwhile are lost, so the watchers are
   * then told "anything may have changed" (streams re-read from their cursors: nothing is missed).
   */
  private async listen(attempt = 0): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    let lost = false;
    const reconnect = (e?: Error): void => {
      if (lost || this.closed) return;
      lost = true;
      if (e) process.stderr.write(`commit listener connection failed: ${e.message}; reconnecting\n`);
      client.end().catch(() => undefined);
      const delay = Math.min(5_000, 100 * 2 ** Math.min(attempt, 6));
      setTimeout(() => {
        if (this.closed) return;
        this.listener = this.listen(attempt + 1).then((c) => {
          this.watchers.notifyKeys(0n, undefined);
          return c;
        });
        this.listener.catch(() => undefined);
      }, delay).unref();
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    client.on('notification', (msg) => {
      if (msg.channel !== COMMIT_CHANNEL || msg.payload === undefined) return;
      const bar = msg.payload.indexOf('|');
      if (bar < 0) return;
      const ts = BigInt(msg.payload.slice(0, bar));
      const rest = msg.payload.slice(bar + 1);
      const keys = rest === '*' ? undefined : rest.split(',').map((h) => new Uint8Array(Buffer.from(h, 'hex')));
      this.watchers.notifyKeys(ts, keys);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${COMMIT_CHANNEL}`);
      attempt = 0;
    } catch (e) {
      reconnect(e as Error);
      throw e;
    }
    return client;
  }

  /** The stable point (see above) of the latest state. */
  async stableTs(): Promise<bigint> {
    const { rows } = await this.pool.query<{ ts: string }>(STABLE_TS);
    return BigInt(rows[0].ts);
  }

  async begin(opts?: { readonly readOnly?: boolean }): Promise<PgTxn> {
    if (this.closed) throw new Error('storage engine is closed');
    if (opts?.readOnly === true) {
      const client = await this.pool.connect();
      const [ts] = await this.run(client, BEGIN_READ, ['ts']);
      return PgTxn.reader(client, ts, () => {});
    }
    const release = await this.writers.acquire();
    try {
      const client = await this.pool.connect();
      const [ts, snap] = await this.run(client, BEGIN_WRITE, ['ts', 'ts']);
      return PgTxn.writer(client, ts, snap, this, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Runs a begin batch on `client` and returns, in order, the named column of each result with
   * one row (the others are BEGIN, SET, UPDATE…); releases (discards) the client if it fails.
   */
  private async run(client: PoolClient, sql: string, columns: readonly string[]): Promise<bigint[]> {
    try {
      const results = (await client.query(sql)) as unknown as QueryResult<Record<string, string>>[];
      const rows = results.filter((r) => r.command === 'SELECT' || r.command === 'INSERT').map((r) => r.rows[0]);
      if (rows.length !== columns.length || rows.some((r, i) => r?.[columns[i]] == null)) {
        throw new Error('kv_clock row is missing');
      }
      return rows.map((r, i) => BigInt(r[columns[i]]));
    } catch (err) {
      client.release(err as Error);
      throw translatePgError(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.then((c) => c.end(), () => undefined).catch(() => undefined);
    await this.pool.end();
  }
}

/** Connects to `url`, creates or migrates the tables, and returns the engine. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<WatchedEngine> {
  const pool = new Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle pooled connection that breaks is dropped by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', () => {});
  // So would one that breaks while checked out but between statements (a transaction begun
  // ahead for a worker, or waiting on the evaluator): pg_terminate_backend or a database restart
  // then killed the server. With a listener, the error surfaces as the next statement's failure
  // and the transaction discards the connection (PgTxn.end).
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const unsafeNoValidation = opts.unsafeNoValidation ?? process.env[UNSAFE_NO_VALIDATION_ENV] === '1';
  if (unsafeNoValidation) {
    process.stderr.write(`WARNING: ${UNSAFE_NO_VALIDATION_ENV}=1: commit validation is OFF (test-only negative control; not serializable)\n`);
  }
  return new PostgresEngine(pool, url, opts.poolSize ?? 10, unsafeNoValidation);
}

/** Makes every timestamp the database hands out from now on exceed `minTs`. */
export async function raisePostgresClockFloor(url: string, minTs: bigint): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    await migrate(pool);
    await pool.query(RAISE_CLOCK_FLOOR, [minTs.toString()]);
  } finally {
    await pool.end();
  }
}
