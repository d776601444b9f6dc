// Every SQL statement of the PostgreSQL engine. Statements sent with parameters are named, so each
// pooled connection parses and plans them once.
//
// Portability (CockroachDB / YugabyteDB): plain tables, bytea, ON CONFLICT, unnest and = ANY are
// accepted by both. Exceptions, marked where used: session advisory locks (not in CockroachDB),
// SET LOCAL synchronous_commit (ignored or rejected outside PostgreSQL).

/** Session advisory lock keys (arbitrary constants; "FQL" in the high bytes). */
export const MIGRATION_LOCK_KEY = '5067596800001';
export const WRITER_LOCK_KEY = '5067596800002';

/** Rows per batched upsert/delete statement at commit. */
export const WRITE_BATCH_ROWS = 1000;

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

export const UPSERT = {
  name: 'fql_kv_upsert',
  text:
    'INSERT INTO kv (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ' +
    'ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
};
export const DELETE = { name: 'fql_kv_delete', text: 'DELETE FROM kv WHERE key = ANY($1::bytea[])' };

/**
 * Takes the next timestamp from the single clock row: max(now µs, last + 1) by the database
 * server's clock, so every process shares one time source. It runs as its own short transaction
 * (a multi-statement simple query, one round trip) so that the row lock is held only for the
 * statement and never by a long transaction. synchronous_commit is off for it because the ts
 * bump need not be flushed by itself: a writer's own commit, which is flushed, comes later in
 * the WAL and so persists it; a lost bump of a read-only ts (under a second, on a database crash)
 * is covered by the wall clock having moved on by the time the server is back.
 * READ COMMITTED explicitly: under a serializable default (default_transaction_isolation),
 * concurrent bumps of the one row would fail with serialization errors instead of queueing.
 * `then` is appended verbatim to the same round trip.
 */
export function takeTimestampSql(then = ''): string {
  return (
    'BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL synchronous_commit TO OFF; ' +
    'UPDATE kv_clock SET ts = GREATEST(ts + 1, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint) ' +
    'WHERE id = 1 RETURNING ts; COMMIT;' +
    then
  );
}

/** ($1 = a ts) Later timestamps exceed $1 (takeTimestampSql keeps ts monotonic from there). */
export const RAISE_CLOCK_FLOOR = 'UPDATE kv_clock SET ts = GREATEST(ts, $1::bigint) WHERE id = 1';

export const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL SERIALIZABLE';
export const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * A reader's begin (engine.ts): under the writer lock held shared — so no writer is in flight —
 * take the ts, open the transaction and fix its snapshot (`SELECT 1`), then let writers go on.
 * Every writer with a lower ts has committed and is in the snapshot; none with a higher ts is.
 */
export function beginReadSql(): string {
  return `SELECT pg_advisory_lock_shared(${WRITER_LOCK_KEY}); ${takeTimestampSql(`${BEGIN_READ}; SELECT 1; SELECT pg_advisory_unlock_shared(${WRITER_LOCK_KEY})`)}`;
}

export const LOCK_WRITER = `SELECT pg_advisory_lock(${WRITER_LOCK_KEY})`;
export const UNLOCK_WRITER = `SELECT pg_advisory_unlock(${WRITER_LOCK_KEY})`;
export const COMMIT_AND_UNLOCK_WRITER = `COMMIT; ${UNLOCK_WRITER}`;
export const ROLLBACK_AND_UNLOCK_WRITER = `ROLLBACK; ${UNLOCK_WRITER}`;

/** The channel commit notifications travel on between the processes sharing a database. */
export const COMMIT_CHANNEL = 'fql_commits';
/** NOTIFY payloads must stay under 8000 bytes. */
export const MAX_NOTIFY_PAYLOAD = 7900;
/** Waits for the running writer (if any) to end, then reads the clock (engine `stableTs`). */
export const STABLE_TS = `SELECT pg_advisory_lock_shared(${WRITER_LOCK_KEY}); SELECT ts FROM kv_clock WHERE id = 1; SELECT pg_advisory_unlock_shared(${WRITER_LOCK_KEY})`;
