// The PostgreSQL engine: many server processes can share one database.
//
// Timestamps come from the single-row clock table (sql.takeTimestampSql), which makes them
// strictly increasing across all processes.
//
// Writers: to make writers' timestamps follow their commit order, a writer first takes a session
// advisory lock held until it commits or rolls back, then takes its ts, then opens a SERIALIZABLE
// transaction (so its snapshot includes every earlier writer). The trade-off: writers are
// serialized database-wide for their whole duration (a long writer delays all others), but they
// never abort each other and ts order = commit order = serial order. Waiting writers of one
// process queue on an in-process mutex first, so they do not hold pooled connections while
// waiting.
//
// Readers take a ts from the same clock and open a REPEATABLE READ READ ONLY transaction whose
// snapshot is fixed at once, all in one round trip and while holding the writer lock *shared*
// (sql.ts beginReadSql): so no writer is in flight at that moment, every writer with a lower ts
// has committed and is in the snapshot, and none with a higher ts is. The snapshot then equals
// the state at the reader's ts, and ts order is a serial order for readers too (a reader that
// took its ts while a writer with a lower one was still running could miss that writer's
// writes — found by the consistency checker, test/e2e/consistency-checker.test.ts). Because
// writers are serialized, the committed writers form one serial history and any snapshot is a
// prefix of it, so snapshot isolation is serializable for a read-only transaction, without SSI's
// bookkeeping and without serialization failures. The price: a reader waits for the writer in
// flight and for writers already queued for the lock (PostgreSQL grants in order).
//
// Read-only transactions begun with `minTs` may run on a read replica instead (replicas.ts).
import { Client, Pool, type PoolClient, type QueryResult } from 'pg';
import type { BeginOptions, Bytes, CommitNotice, KvTxn, WatchedEngine } from '../kv';
import { CommitWatchers } from '../commit-watchers';
import { translatePgError } from './errors';
import { Mutex } from './mutex';
import { ReplicaSet, type ReplicaOptions, type ReplicaStats } from './replicas';
import { migrate } from './schema';
import {
  BEGIN_WRITE, beginReadSql, COMMIT_CHANNEL, LOCK_WRITER, MAX_NOTIFY_PAYLOAD, RAISE_CLOCK_FLOOR, STABLE_TS, takeTimestampSql,
} from './sql';
import { PgTxn } from './txn';

export interface PostgresOptions {
  /** Maximum pooled connections (default 10). */
  readonly poolSize?: number;
  /** Streaming standbys that serve read-only transactions begun with `minTs` (replicas.ts). */
  readonly replicas?: ReplicaOptions;
}

/** The engine, with the counters of its read replicas when it has some (for /metrics). */
export interface PostgresEngineHandle extends WatchedEngine {
  readonly replicaStats?: ReplicaStats;
}

class PostgresEngine implements PostgresEngineHandle {
  readonly kind = 'postgres' as const;
  private readonly writers = new Mutex();
  private closed = false;
  private readonly watchers = new CommitWatchers();
  /** The connection that LISTENs for commit notifications, once something watches. */
  private listener: Promise<Client> | undefined;

  readonly replicaStats?: ReplicaStats;

  constructor(private readonly pool: Pool, private readonly url: string, private readonly replicas?: ReplicaSet) {
    this.replicaStats = replicas?.stats;
  }

  /**
   * Commits are announced with NOTIFY inside the committing transaction (delivered only if it
   * commits, to every process including this one), so a process hears every process's commits
   * the same way. Payload: `<ts>|<hex key>,<hex key>…`, or `<ts>|*` when the keys do not fit.
   * Only keys under locally watched prefixes are announced: every server process watches the same.
   */
  private notifySql = (txn: PgTxn): string | undefined => {
    if (this.watchers.size === 0) return undefined;
    const keys: string[] = [];
    this.watchers.notifyFilter(txn.overlay.writes(), (k) => keys.push(Buffer.from(k).toString('hex')));
    if (keys.length === 0) return undefined;
    let payload = `${txn.ts}|${keys.join(',')}`;
    if (payload.length > MAX_NOTIFY_PAYLOAD) payload = `${txn.ts}|*`;
    // The payload is digits, hex, '|', ',' and '*': safe inside a literal.
    return `SELECT pg_notify('${COMMIT_CHANNEL}', '${payload}')`;
  };

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

  /** Writers are serialized by the writer lock and take their ts under it (see above). */
  async stableTs(): Promise<bigint> {
    const results = (await this.pool.query(STABLE_TS)) as unknown as QueryResult<{ ts: string }>[];
    return BigInt(results[1].rows[0].ts);
  }

  async begin(opts?: BeginOptions): Promise<KvTxn> {
    if (this.closed) throw new Error('storage engine is closed');
    if (opts?.readOnly === true) {
      if (opts.minTs !== undefined && this.replicas !== undefined) {
        const txn = await this.replicas.begin(opts.minTs);
        if (txn !== undefined) return txn;
      }
      const client = await this.pool.connect();
      // One round trip: ts, then the transaction.
      return PgTxn.reader(client, await this.takeTimestamp(client, beginReadSql()));
    }
    const unlock = await this.writers.acquire();
    try {
      const client = await this.pool.connect();
      // One round trip: lock (waiting for other processes' writers), ts, then the transaction.
      const ts = await this.takeTimestamp(client, `${LOCK_WRITER}; ${takeTimestampSql(BEGIN_WRITE)}`);
      return PgTxn.writer(client, ts, unlock, this.notifySql);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** Runs `sql` (containing the clock update) on `client`; releases the client if it fails. */
  private async takeTimestamp(client: PoolClient, sql: string): Promise<bigint> {
    try {
      const results = (await client.query(sql)) as unknown as QueryResult<{ ts: string }>[];
      const update = results.find((r) => r.command === 'UPDATE');
      if (update === undefined || update.rows.length !== 1) throw new Error('kv_clock row is missing');
      return BigInt(update.rows[0].ts);
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
    await this.replicas?.close();
    await this.pool.end();
  }
}

/** Connects to `url`, creates or migrates the tables, and returns the engine. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresEngineHandle> {
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
  const replicas = opts.replicas !== undefined && opts.replicas.urls.length > 0 ? new ReplicaSet(pool, opts.replicas) : undefined;
  return new PostgresEngine(pool, url, replicas);
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
