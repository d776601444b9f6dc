// Every SQL statement of the PostgreSQL engine. Statements sent with parameters are named, so each
// pooled connection parses and plans them once.
//
// Portability (CockroachDB / YugabyteDB): plain tables, bytea, ON CONFLICT, unnest and = ANY are
// accepted by both. Exceptions, marked where used: advisory locks (not in CockroachDB), PL/pgSQL
// (schema.ts), SET LOCAL synchronous_commit (ignored or rejected outside PostgreSQL).

/**
 * How long a writer in flight may hold up newer commits (schema.ts fql_await_older; the same
 * bound as the embedded engine's, ../writer-hold.ts). Past it, a newer commit that waits for it
 * evicts it: the newer commit goes ahead and the evicted writer's commit conflicts. Baked into
 * the commit function by its migration.
 */
export { WRITER_HOLD_MS } from '../writer-hold';

/**
 * How long a transaction's snapshot may stay open (ms, default of PostgresOptions.maxSnapshotMs).
 * An open snapshot keeps every row version deleted or replaced after it, in every table, from
 * VACUUM; the commit protocol replaces rows of kv_clock, kv_running and kv_writes on every
 * transaction, so one query holding a snapshot for minutes (a client may ask for 10) made every
 * begin and commit of every process walk thousands of dead versions (issue 12: creates 395/s →
 * 127/s after 70 s). So a snapshot is renewed once it is this old (txn.ts renew): a reader moves
 * to a new snapshot if everything it read is unchanged there, a writer if nothing it read was
 * committed since its snapshot; otherwise the query is retried like any conflict. And a
 * connection idle in its transaction this long (a query computing without reading) is ended by
 * the database itself (idle_in_transaction_session_timeout), whatever the worker's event loop
 * is doing: a reader then renews on another connection. A writer would lose its registration
 * with its connection and be rerun, so a writer's connection is ended only after
 * WRITER_IDLE_FACTOR times as long: a writer may wait (for a password hash under load, say)
 * without failing, and its snapshot is still bounded.
 */
export const SNAPSHOT_MAX_MS = 2_000;
export const WRITER_IDLE_FACTOR = 5;

/** The SQLSTATE of a session ended by idle_in_transaction_session_timeout. */
export const IDLE_IN_TRANSACTION_TIMEOUT = '25P03';

/**
 * The idle limit of the transaction it runs in (a SET LOCAL ends with its transaction), for a
 * transaction whose snapshot limit is `limitMs` (undefined: a trusted tool's transaction that
 * keeps one snapshot however long it runs, BeginOptions.longSnapshot: no idle limit). A reader's
 * is the connection's own (engine.ts: the pool sets it): undefined when it needs no change.
 */
function idleLimitSql(role: 'reader' | 'writer', limitMs: number | undefined): string | undefined {
  const ms = limitMs === undefined ? 0 : role === 'writer' ? Math.round(limitMs * WRITER_IDLE_FACTOR) : undefined;
  return ms === undefined ? undefined : `SET LOCAL idle_in_transaction_session_timeout = ${ms}`;
}

/** `sql`, then the idle limit of its transaction when it needs one (idleLimitSql). */
function withIdleLimit(sql: string, role: 'reader' | 'writer', limitMs: number | undefined): string {
  const limit = idleLimitSql(role, limitMs);
  return limit === undefined ? sql : `${sql}; ${limit}`;
}

/**
 * A reader's renewal on its connection (txn.ts): ends its snapshot and opens the next one, whose
 * ts is taken as at a reader's begin.
 */
export function renewReadSql(limitMs: number): string {
  return `COMMIT; ${beginReadSql(false, limitMs)}`;
}

/**
 * A writer's renewal (txn.ts): ends its snapshot, opens the next one with its stable point
 * `snap`, and tells whether a commit between the two snapshots wrote what the writer read
 * (`stale`: read inside the new snapshot, which holds exactly the commits up to its stable
 * point) and whether the writer is still registered (`registered`: not evicted, schema.ts
 * fql_await_older). The arguments are literals as in commitWriteSql. The new transaction gets the
 * writer's idle limit again (idleLimitSql).
 */
export function renewWriteSql(ts: bigint, snap: bigint, args: Pick<CommitArgs, 'reads' | 'rangeStarts' | 'rangeEnds'>, limitMs: number): string {
  return withIdleLimit(
    'COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ; ' +
    `SELECT fql_stable_ts() AS snap, fql_conflict(${snap}, NULL, '${args.reads}', '${args.rangeStarts}', '${args.rangeEnds}') AS stale, ` +
    `EXISTS (SELECT 1 FROM kv_running WHERE ts = ${ts}) AS registered`,
    'writer', limitMs,
  );
}

/** A reader's renewal re-reads the keys it read (txn.ts). */
export const GET_MANY = { name: 'fql_kv_get_many', text: 'SELECT key, value FROM kv WHERE key = ANY ($1::bytea[])' };

/** Session advisory lock keys (arbitrary constants; "FQL" in the high bytes). */
export const MIGRATION_LOCK_KEY = '5067596800001';
// Writers lock their own ts (µs since the epoch, ~1.8e15), far from these.

/**
 * The startup options of every pooled connection (the engine's, its query workers', its read
 * replicas'): plan with the indexes whatever the tables' size. A statement's plan is cached per
 * connection: a named statement's (GET, the scans), and every statement of the commit functions
 * (schema.ts), after their first five runs. One cached while `kv` was a few pages (a server started
 * on a new database) was a sequential scan, and it stayed one as the table grew, until the
 * connection ended or something made PostgreSQL plan again (autovacuum's ANALYZE, once the table
 * had grown by a tenth): every create's check of its new key (fql_commit's `absent`) read the
 * whole table meanwhile, inside the ordered part of the commit. Issue 12: with 300,000 rows in kv and
 * the plans cached before they came, a server made 37 creates/s, reading 150 million rows in 18 s;
 * with these options, 499/s reading none (test/storage/postgres-index-plans.test.ts). With
 * sequential scans priced out, every such plan uses the primary key; a table with no usable index
 * (kv_running's floor) is still scanned, but its plan's cost now passes jit_above_cost: JIT is off
 * too (with it, every such statement was compiled by LLVM on every run: creates fell to 24/s).
 * It never pays for statements this small. PostgreSQL settings (see Portability above).
 */
export const INDEX_PLANS = '-c enable_seqscan=off -c jit=off';

export const GET = { name: 'fql_kv_get', text: 'SELECT value FROM kv WHERE key = $1' };

// LIMIT NULL means no limit.
export const SCAN_FORWARD = {
  name: 'fql_kv_scan_fwd',
  text: 'SELECT key, value FROM kv WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3',
};
export const SCAN_REVERSE = {
  name: 'fql_kv_scan_rev',
  text: 'SELECT key, value FROM kv WHERE key >= $1 AND key < $2 ORDER BY key DESC LIMIT $3',
};

/**
 * The clock bump: the next timestamp, max(now µs, last + 1) by the database server's clock, so
 * every process shares one time source. It runs in its own short transaction (one round trip
 * with what follows) so that the clock row's lock is held only for that transaction, never by a
 * long one. synchronous_commit is off for it because the bump need not be flushed by itself: a
 * writer's own commit, which is flushed, comes later in the WAL and so persists it; a lost bump
 * of a reader (under a second, on a database crash) is covered by the wall clock having moved on
 * by the time the server is back. READ COMMITTED explicitly: under a serializable default
 * (default_transaction_isolation), concurrent bumps of the one row would fail with serialization
 * errors instead of queueing. (schema.ts fql_bump_clock: planned once per session.) The new ts
 * is returned as `column`.
 */
function bumpClockSql(column: string): string {
  return `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT fql_bump_clock() AS ${column}; COMMIT`;
}

/**
 * The stable point of a snapshot (see engine.ts): the clock, or just below the oldest writer in
 * flight. Every writer at or below it has ended (commits happen in ts order), none above it has
 * committed.
 */
function stablePoint(column: string): string {
  return `SELECT fql_stable_ts() AS ${column}`;
}

/** ($1 = a ts) Later timestamps exceed $1 (the bump keeps ts monotonic from there). */
export const RAISE_CLOCK_FLOOR = 'UPDATE kv_clock SET ts = GREATEST(ts, $1::bigint) WHERE id = 1';

/**
 * How stale (ms) the clock may be when a reader takes its ts without bumping it (engine.ts
 * readers). A reader's ts is the clock read inside its snapshot; the clock holds every ts handed
 * out, so that ts is past every transaction acknowledged before the reader began, whoever bumped
 * it. Bumping on every begin only kept readers' ts at the current time on a database with no
 * writes — at the price of a write, a row lock every reader of every process queued on, and half
 * of a read's database time (issue 12: begin + read 2,900/s with the bump, 7,000/s without, 10
 * clients). So a begin bumps only when no engine of its process has bumped for this long
 * (bump-clock.ts: the server's and its query workers' engines share the time): a
 * read-only query's `txn_ts` (and `Time.now()`) then trails real time by at most this much, as a
 * Fauna read's snapshot trails by its log epoch (10 ms).
 */
export const CLOCK_FRESH_MS = 10;

/**
 * A reader's begin: open a REPEATABLE READ READ ONLY transaction and read its ts, which fixes the
 * snapshot; no lock is taken. Its ts is the clock as of the snapshot, capped just below the oldest
 * writer in flight:
 *   - every writer at or below it has ended and is in the snapshot (one in flight would cap it;
 *     one registering after the snapshot takes a ts above the clock the snapshot holds, as a
 *     writer's registration and its bump commit together);
 *   - no writer in the snapshot wrote above it (each registered, so bumped the clock, before);
 *   - it is at or past every ts acknowledged before this reader began (each was taken from the
 *     clock), so a transaction that began after another ended never reads an older state. Readers
 *     between two bumps share their ts: they read the same state, as readers capped below the same
 *     writer in flight do.
 * `bump`: first bump the clock (CLOCK_FRESH_MS), still one round trip. `limitMs`: the
 * transaction's snapshot limit (idleLimitSql).
 */
export function beginReadSql(bump: boolean, limitMs: number | undefined): string {
  return withIdleLimit(`${bump ? `${bumpClockSql('bumped')}; ` : ''}BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${stablePoint('ts')}`, 'reader', limitMs);
}

/**
 * A writer's begin, one round trip: take a ts from the clock and, in the same transaction (so no
 * one sees the clock past it before it is registered), register as in flight in kv_running with
 * a session advisory lock keyed by the ts, held until the writer ends (committers of later
 * writers wait on it; a crashed writer's session ends and frees it). `floor` bounds the kv_writes
 * entries its validation may need (pruning keeps those above every running writer's floor).
 * Then the REPEATABLE READ transaction the writer reads from, and its stable point `snap`: the
 * snapshot holds exactly the commits up to it; validation checks those between it and the ts.
 * `waitMs`: first wait (that long at most) for the older writers in flight to end, so that the
 * snapshot holds them all and validation cannot fail (engine.ts: under contention). `limitMs`:
 * the transaction's snapshot limit (idleLimitSql).
 */
export function beginWriteSql(waitMs: number | undefined, limitMs: number | undefined): string {
  return withIdleLimit(
    'BEGIN ISOLATION LEVEL READ COMMITTED; SELECT fql_register() AS ts; COMMIT; ' +
    (waitMs === undefined
      ? ''
      : `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT fql_wait_older(current_setting('fql.ts')::bigint, interval '${Math.round(waitMs)} milliseconds'); COMMIT; `) +
    `BEGIN ISOLATION LEVEL REPEATABLE READ; ${stablePoint('snap')}`,
    'writer', limitMs,
  );
}

/**
 * A writer's commit, one round trip: end its snapshot transaction, then in a READ COMMITTED one
 * fql_commit (schema.ts) waits for older writers, validates (its reads, and that the keys it
 * requires absent are), applies and deregisters; COMMIT makes it visible, and only then the
 * writer's lock is released. The arguments are literals of hex
 * digits, digits, braces, commas and double quotes only (see `hexArray`), or a notification payload (safe, see
 * engine.ts); so the whole commit is one simple query whatever its size.
 */
export function commitWriteSql(ts: bigint, snap: bigint, args: CommitArgs): string {
  return (
    'COMMIT; BEGIN ISOLATION LEVEL READ COMMITTED; ' +
    `SELECT fql_commit(${ts}, ${snap}, '${args.reads}', '${args.rangeStarts}', '${args.rangeEnds}', ` +
    `'${args.putKeys}', '${args.putValues}', '${args.deleteKeys}', ${args.notify === undefined ? 'NULL' : `'${args.notify}'`}, ` +
    `'${args.absentKeys}') AS conflict; ` +
    `COMMIT; SELECT pg_advisory_unlock(${ts})`
  );
}

export interface CommitArgs {
  /** Each a text[] literal of hex strings (hexArray). */
  readonly reads: string;
  readonly rangeStarts: string;
  readonly rangeEnds: string;
  readonly putKeys: string;
  readonly putValues: string;
  readonly deleteKeys: string;
  /** Keys that must hold no value at commit (KvTxn.requireAbsent). */
  readonly absentKeys: string;
  /** A commit notification payload (engine.ts), or none. */
  readonly notify?: string;
}

/** A text[] literal of the byte strings in hex: `{"0a1b","ff",""}` (quoted: empty ones too). */
export function hexArray(values: Iterable<Uint8Array>): string {
  const parts: string[] = [];
  for (const v of values) parts.push(`"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}"`);
  return `{${parts.join(',')}}`;
}

/** Ends a writer that does not commit: deregisters it, then frees its lock. */
export function rollbackWriteSql(ts: bigint): string {
  return `ROLLBACK; DELETE FROM kv_running WHERE ts = ${ts}; SELECT pg_advisory_unlock(${ts})`;
}

/** Whether anything in the read set was written after the snapshot (rollbackStale). */
export function staleReadsSql(snap: bigint, args: Pick<CommitArgs, 'reads' | 'rangeStarts' | 'rangeEnds'>): string {
  return `SELECT fql_conflict(${snap}, NULL, '${args.reads}', '${args.rangeStarts}', '${args.rangeEnds}') AS conflict`;
}

/**
 * Appended to a begin: reads `key` in the new snapshot, in the same round trip (engine.ts: the
 * key the previous transaction read first). The key is hex: safe inside a literal.
 */
export function prefetchSql(key: Uint8Array): string {
  return `SELECT value AS prefetched FROM kv WHERE key = decode('${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')}', 'hex')`;
}

/** Ends a reader's transaction left open on a connection (engine.ts: parked connections). */
export const END_PARKED = 'COMMIT';

/**
 * Run at engine open and every second (engine.ts CLEAN_INTERVAL_MS): deletes the kv_running rows
 * of writers whose session ended without cleaning up (a crashed process), whose lock is
 * therefore free. Commits delete them too, but readers' ts stays below such a row until then. A
 * live writer holds its lock from the transaction that registers it until after the one that
 * deregisters it, so its row stays.
 */
export const CLEAN_RUNNING = `DO $$
DECLARE t bigint;
BEGIN
  FOR t IN SELECT ts FROM kv_running LOOP
    IF pg_try_advisory_lock_shared(t) THEN
      DELETE FROM kv_running WHERE ts = t;
      PERFORM pg_advisory_unlock_shared(t);
    END IF;
  END LOOP;
END $$`;

/**
 * Run with CLEAN_RUNNING (engine.ts): every transaction deletes or replaces rows of these three
 * small tables (a writer's registration, its logged keys once pruned, the clock), and every begin
 * and commit reads them from their low end (the oldest writer in flight, the log's prune), so
 * dead versions not yet vacuumed are walked over by each. Autovacuum gets to them about once a
 * minute at best (far less often with many databases on one cluster): measured on the test
 * cluster, engine creates fell from 895/s to 455/s over one minute, and held 1,100–1,500/s with
 * this every second. SKIP_LOCKED: several server processes run it; one at a time is enough.
 * Cheap: the tables hold a few rows live. Tables of another owner are skipped with a warning.
 */
export const VACUUM_PROTOCOL_TABLES = 'VACUUM (SKIP_LOCKED) kv_running, kv_writes, kv_clock';

/** The channel commit notifications travel on between the processes sharing a database. */
export const COMMIT_CHANNEL = 'fql_commits';
/** NOTIFY payloads must stay under 8000 bytes. */
export const MAX_NOTIFY_PAYLOAD = 7900;
/** The engine's `stableTs`: one statement, so one snapshot. */
export const STABLE_TS = stablePoint('ts');

/**
 * The read-replica heartbeat (replicas.ts), run on the primary while reads ask for replicas: a
 * clock bump like a reader's (not flushed by itself), so that on an idle database the clock a
 * standby replays keeps up with real time and replica reads get a current ts, not the time of
 * the last write.
 */
export const CLOCK_HEARTBEAT = bumpClockSql('ts');
