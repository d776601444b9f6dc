// The PostgreSQL engine: many server processes can share one database.
//
// Timestamps come from the single-row clock table (sql.ts bumpClockSql), which makes them strictly
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
// writers queued behind a slow one leave connections to the readers. A committer waits for an
// older writer only until that one is WRITER_HOLD_MS old, then evicts it (schema.ts
// fql_await_older): a query that writes and then computes until its deadline holds the database's
// other writers for that long at most, and its own commit conflicts (it is retried with a new ts).
// Under contention (a validation failed in this process within CONTENTION_MS), new writers first
// wait for the older writers in flight to end, then take their snapshot: such a writer cannot
// fail validation (nothing older commits after its snapshot, nothing newer before it), so a hot
// key's read-modify-write queries stop retrying each other into failure, at the price of running
// them one after another, as a lock would. The wait is bounded (CONTENTION_WAIT_MS): a caller that
// holds a writer open while it begins another one is delayed, never deadlocked.
//
// Readers take no lock and never wait for a writer: one round trip opens a REPEATABLE READ READ
// ONLY transaction whose ts is computed inside its own snapshot (sql.ts beginReadSql): the clock
// as of the snapshot, capped just below the oldest writer in flight. Commits happen in ts order
// and a writer's bump and registration commit together, so the snapshot holds every writer below
// that ts and none above it: the snapshot is exactly the state at the reader's ts, a writer that
// commits later has a higher ts, and the clock holds every ts acknowledged so far, so a reader's
// ts is never older than what a client has seen. Readers do not bump the clock (a write every
// reader of every process would queue on), except when no engine of their process (the server's
// and its query workers', bump-clock.ts) has bumped it for CLOCK_FRESH_MS: that keeps their ts
// within that of real time on a database with no writes.
// Readers between two bumps, or capped below the same writer in flight, share their ts.
//
// Round trips. A begin is one (clock, registration, snapshot), and carries a read of the key the
// previous transaction read first (in practice the schema version every query checks first), so
// that read costs nothing. A reader's end is none: its connection is parked with the read-only
// transaction still open, and the next begin on it starts with COMMIT; connections parked for
// PARK_MS are ended and returned to the pool (a parked snapshot holds back VACUUM meanwhile). A
// point read is thus a begin and one read.
//
// Read-only transactions begun with `minTs` may run on a read replica instead (replicas.ts).
//
// No snapshot stays open longer than maxSnapshotMs (sql.ts SNAPSHOT_MAX_MS): a transaction whose
// snapshot is that old renews it at its next read (txn.ts renew), and the database ends a
// connection idle in its transaction that long (idle_in_transaction_session_timeout, set on
// every pooled connection; a writer's, WRITER_IDLE_FACTOR times as long), so that no query,
// however long it computes, holds back VACUUM on the tables every transaction replaces rows of. A reader whose connection was ended renews on
// another one (reopenReader). Trusted tools' transactions opt out (BeginOptions.longSnapshot).
//
// Query workers run their transactions themselves (openPostgresForWorker: an engine of the
// worker's own, with its own connections), so a query's begin, reads and commit cost the
// coordinator no message and no work. Nothing in the protocol above needs the coordinator: a
// worker's writers register, order and validate in the database like another process's, and a
// worker that is terminated (deadline, memory) closes its connections, which ends its
// transaction and frees its writer's lock as a crashed process's would.
import { Client, Pool, type PoolClient, type QueryResult } from 'pg';
import type { BeginOptions, Bytes, CommitNotice, KvEngine, KvTxn, WatchedEngine } from '../kv';
import { keyString } from '../bytes';
import { CommitWatchers } from '../commit-watchers';
import { translatePgError } from './errors';
import { ReplicaSet, type ReplicaOptions, type ReplicaStats } from './replicas';
import { migrate } from './schema';
import { ProcessShared, type RenewalOutcome, type SharedState } from './process-shared';
import { Semaphore } from './semaphore';
import {
  beginReadSql, beginWriteSql, CLEAN_RUNNING, COMMIT_CHANNEL, END_PARKED, IDLE_IN_TRANSACTION_TIMEOUT, MAX_NOTIFY_PAYLOAD,
  INDEX_PLANS, RAISE_CLOCK_FLOOR, SNAPSHOT_MAX_MS, STABLE_TS, VACUUM_PROTOCOL_TABLES, prefetchSql,
} from './sql';
import { idleEnded, PgTxn, type Prefetched, type TxnHost } from './txn';
import { UNSAFE_NO_VALIDATION_ENV } from '../sqlite/engine';

export interface PostgresOptions {
  /** Maximum pooled connections (default 10). */
  readonly poolSize?: number;
  /** TEST ONLY, see sqlite/engine.ts UNSAFE_NO_VALIDATION_ENV. Commits skip validation. */
  readonly unsafeNoValidation?: boolean;
  /** Streaming standbys that serve read-only transactions begun with `minTs` (replicas.ts). */
  readonly replicas?: ReplicaOptions;
  /** How long a transaction's snapshot may stay open (default sql.ts SNAPSHOT_MAX_MS). */
  readonly maxSnapshotMs?: number;
}

/** The engine, with the counters of its read replicas when it has some (for /metrics). */
export interface PostgresEngineHandle extends WatchedEngine {
  readonly replicaStats?: ReplicaStats;
  /** Absent with read replicas, whose routing (replicas.ts) lives in this engine. */
  readonly sharedUrl?: string;
  /** What this process's engines share (the snapshot limit, ...): passed to the query workers' engines; renewal counts for /metrics. */
  readonly shared: ProcessShared;
}

/** application_name of a server's connections, and of its query workers' (pg_stat_activity). */
export const SERVER_APPLICATION = 'fql-server';
export const WORKER_APPLICATION = 'fql-query-worker';

/** How long a reader's connection stays parked with its transaction open (see above). */
const PARK_MS = 20;
/**
 * How often a server removes the registrations of writers whose session ended without ending
 * them (a crashed process, a terminated backend): until then readers' ts stays below such a
 * writer (sql.ts CLEAN_RUNNING). Commits remove them too, but a database may see no commit.
 */
const CLEAN_INTERVAL_MS = 1_000;
/** How long after a validation failure new writers wait for the older ones (see above). */
const CONTENTION_MS = 250;
/** The longest such a writer waits at begin (see above). */
const CONTENTION_WAIT_MS = 500;

class PostgresEngine implements PostgresEngineHandle, TxnHost {
  readonly kind = 'postgres' as const;
  private readonly writers: Semaphore;
  private closed = false;
  private readonly watchers = new CommitWatchers();
  /** The connection that LISTENs for commit notifications, once something watches. */
  private listener: Promise<Client> | undefined;
  /** Connections whose reader ended without ending its transaction, most recent last. */
  private parked: PoolClient[] = [];
  private parkTimer: NodeJS.Timeout | undefined;
  private cleanTimer: NodeJS.Timeout | undefined;
  /** The key the latest transaction read first: read ahead by the next begin. */
  private firstKey: Bytes | undefined;
  /** Until when (Date.now()) new writers wait for the older ones before their snapshot. */
  private contendedUntil = 0;

  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    poolSize: number,
    readonly unsafeNoValidation: boolean,
    private readonly replicas: ReplicaSet | undefined,
    /** Whether this engine removes crashed writers' registrations (the server's, not a worker's). */
    maintains: boolean,
    /** What this process's engines share (the server's and its query workers'). */
    readonly shared: ProcessShared,
  ) {
    this.writers = new Semaphore(Math.max(1, poolSize - 2));
    this.replicaStats = replicas?.stats;
    this.sharedUrl = replicas === undefined ? url : undefined;
    if (maintains) this.scheduleClean();
  }

  readonly sharedUrl?: string;

  /**
   * Runs CLEAN_RUNNING and VACUUM_PROTOCOL_TABLES every CLEAN_INTERVAL_MS (one at a time; a
   * failure waits for the next).
   */
  private scheduleClean(): void {
    this.cleanTimer = setTimeout(() => {
      if (this.closed) return;
      const clean = this.pool.query(CLEAN_RUNNING).catch(() => undefined);
      clean.then(() => this.pool.query(VACUUM_PROTOCOL_TABLES)).catch(() => undefined).finally(() => {
        if (!this.closed) this.scheduleClean();
      });
    }, CLEAN_INTERVAL_MS).unref();
  }

  readonly replicaStats?: ReplicaStats;

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

  /** Makes commits announce the keys under `prefixes` without listening here (a worker's engine). */
  announce(prefixes: readonly Bytes[]): void {
    for (const p of prefixes) this.watchers.add(p, () => {});
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
    const client = new Client({ connectionString: this.url, application_name: SERVER_APPLICATION });
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

  async begin(opts?: BeginOptions): Promise<KvTxn> {
    if (this.closed) throw new Error('storage engine is closed');
    if (opts?.readOnly === true) {
      if (opts.minTs !== undefined && this.replicas !== undefined) {
        const txn = await this.replicas.begin(opts.minTs);
        if (txn !== undefined) return txn;
      }
      const limitMs = this.snapshotLimit(opts.longSnapshot);
      const { client, ts, prefetched } = await this.open(beginReadSql(this.shared.bumpClock.claim(), limitMs), 'ts');
      return PgTxn.reader(client, ts, this, prefetched, limitMs);
    }
    const release = await this.writers.acquire();
    try {
      const wait = Date.now() < this.contendedUntil ? CONTENTION_WAIT_MS : undefined;
      this.shared.bumpClock.bumped(); // a writer's begin bumps the clock
      const limitMs = this.snapshotLimit(opts?.longSnapshot);
      const { client, ts, snap, prefetched } = await this.open(beginWriteSql(wait, limitMs), 'snap');
      return PgTxn.writer(client, ts, snap, this, prefetched, limitMs, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  private snapshotLimit(longSnapshot: boolean | undefined): number | undefined {
    return longSnapshot === true ? undefined : this.shared.maxSnapshotMs;
  }

  /** A reader's snapshot on another connection (txn.ts renew): its begin, without reading ahead. */
  async reopenReader(): Promise<{ client: PoolClient; ts: bigint }> {
    const { client, ts } = await this.open(beginReadSql(this.shared.bumpClock.claim(), this.shared.maxSnapshotMs), 'ts', false);
    return { client, ts };
  }

  /**
   * Runs a begin batch (reading the ts, for a writer also its snapshot's stable point `snap`, and
   * the read-ahead key) on a parked connection, ending its reader first, or else on a new one. A
   * parked connection that broke meanwhile is discarded and the begin retried on a new one.
   */
  private async open(sql: string, snapColumn: 'ts' | 'snap', readAhead = true): Promise<{ client: PoolClient; ts: bigint; snap: bigint; prefetched?: Prefetched }> {
    const firstKey = readAhead ? this.firstKey : undefined;
    const batch = firstKey === undefined ? sql : `${sql}; ${prefetchSql(firstKey)}`;
    for (;;) {
      const parked = this.parked.pop();
      const client = parked ?? (await this.pool.connect());
      let results: QueryResult<Record<string, unknown>>[];
      try {
        results = (await client.query(parked ? `${END_PARKED}; ${batch}` : batch)) as unknown as QueryResult<Record<string, unknown>>[];
      } catch (err) {
        client.release(err as Error);
        if (parked) continue;
        throw translatePgError(err);
      }
      const column = (name: string): Record<string, unknown>[] | undefined =>
        results.find((r) => r.fields.some((f) => f.name === name))?.rows;
      const ts = column('ts')?.[0]?.ts;
      const snap = column(snapColumn)?.[0]?.[snapColumn];
      if (typeof ts !== 'string' || typeof snap !== 'string') {
        const err = new Error('kv_clock row is missing');
        client.release(err);
        throw err;
      }
      const prefetchedRows = column('prefetched');
      const prefetched = firstKey === undefined || prefetchedRows === undefined
        ? undefined
        : { key: keyString(firstKey), value: prefetchedRows[0]?.prefetched as Bytes | undefined };
      return { client, ts: BigInt(ts), snap: BigInt(snap), prefetched };
    }
  }

  conflicted(): void {
    this.contendedUntil = Date.now() + CONTENTION_MS;
  }

  renewed(outcome: RenewalOutcome): void {
    this.shared.renewed(outcome);
  }

  readFirst(key: Bytes): void {
    this.firstKey = key;
  }

  parkReader(client: PoolClient): void {
    if (this.closed) {
      void this.endParked(client);
      return;
    }
    this.parked.push(client);
    this.parkTimer ??= setTimeout(() => {
      this.parkTimer = undefined;
      for (const c of this.parked.splice(0)) void this.endParked(c);
    }, PARK_MS).unref();
  }

  /** Ends a parked reader's transaction and returns its connection to the pool. */
  private endParked(client: PoolClient): Promise<void> {
    return client.query(END_PARKED).then(() => client.release(), (err: Error) => client.release(err));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.then((c) => c.end(), () => undefined).catch(() => undefined);
    if (this.parkTimer) clearTimeout(this.parkTimer);
    if (this.cleanTimer) clearTimeout(this.cleanTimer);
    await Promise.all(this.parked.splice(0).map((c) => this.endParked(c)));
    await this.replicas?.close();
    await this.pool.end();
  }
}

/**
 * A pool of connections named `application` in pg_stat_activity (unless the URL names them: its
 * parameters win in `pg`), planning as INDEX_PLANS says.
 */
function connectionPool(url: string, max: number, application: string, maxSnapshotMs: number): Pool {
  const pool = new Pool({
    connectionString: url, max, application_name: application, idle_in_transaction_session_timeout: maxSnapshotMs, options: INDEX_PLANS,
  });
  // An idle pooled connection that breaks is dropped by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', () => {});
  // So would one that breaks while checked out but between statements (a transaction begun
  // ahead for a worker, or waiting on the evaluator): pg_terminate_backend or a database restart
  // then killed the server. With a listener, the error surfaces as the next statement's failure
  // and the transaction discards the connection (PgTxn.end).
  // A connection the database ended for idling in its transaction (sql.ts SNAPSHOT_MAX_MS) is
  // marked, for its transaction to renew (txn.ts) when it next uses it.
  pool.on('connect', (client) => client.on('error', (err: Error & { code?: string }) => {
    if (err.code === IDLE_IN_TRANSACTION_TIMEOUT) idleEnded.add(client);
  }));
  return pool;
}


/** Connects to `url`, creates or migrates the tables, and returns the engine. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresEngineHandle> {
  const shared = ProcessShared.create(opts.maxSnapshotMs ?? SNAPSHOT_MAX_MS);
  const pool = connectionPool(url, opts.poolSize ?? 10, SERVER_APPLICATION, shared.maxSnapshotMs);
  try {
    await migrate(pool);
    await pool.query(CLEAN_RUNNING);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const unsafeNoValidation = opts.unsafeNoValidation ?? process.env[UNSAFE_NO_VALIDATION_ENV] === '1';
  if (unsafeNoValidation) {
    process.stderr.write(`WARNING: ${UNSAFE_NO_VALIDATION_ENV}=1: commit validation is OFF (test-only negative control; not serializable)\n`);
  }
  const replicas = opts.replicas !== undefined && opts.replicas.urls.length > 0 ? new ReplicaSet(pool, opts.replicas) : undefined;
  return new PostgresEngine(pool, url, opts.poolSize ?? 10, unsafeNoValidation, replicas, true, shared);
}

/**
 * A query worker's engine on a database a server of this process has opened (and migrated):
 * `poolSize` connections of its own (a worker runs one request at a time), no maintenance and no
 * LISTEN. Its commits announce the keys under `announce` (the prefixes the server processes
 * watch, see notifyPayload) as the server's own would.
 */
export function openPostgresForWorker(url: string, poolSize: number, announce: readonly Bytes[], state: SharedState): KvEngine {
  // The test-only switch reaches workers too (the server warned when it opened its engine).
  const unsafeNoValidation = process.env[UNSAFE_NO_VALIDATION_ENV] === '1';
  const shared = new ProcessShared(state);
  const pool = connectionPool(url, poolSize, WORKER_APPLICATION, shared.maxSnapshotMs);
  const engine = new PostgresEngine(pool, url, poolSize, unsafeNoValidation, undefined, false, shared);
  engine.announce(announce);
  return engine;
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
