// Tables and their versioned migrations. kv_migrations records applied versions; migrating holds
// a session advisory lock, so several processes starting at once apply each migration exactly
// once (the others wait, then find nothing to do). CockroachDB has no advisory locks: there,
// start one process first.
import type { Pool } from 'pg';
import { MIGRATION_LOCK_KEY, WRITER_HOLD_MS } from './sql';
import { EVICTED } from '../writer-hold';

/**
 * fql_wait_older(ts, budget): waits until every writer with a lower ts in flight has ended (each
 * holds the session advisory lock keyed by its ts until its commit is visible, or its session
 * ends), for at most `budget` (NULL: no limit). Returns whether they all ended.
 */
const WAIT_FUNCTION = `
CREATE FUNCTION fql_wait_older(w bigint, budget interval) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  older bigint;
  deadline timestamptz := clock_timestamp() + budget;
  remaining interval;
BEGIN
  FOR older IN SELECT ts FROM kv_running WHERE ts < w ORDER BY ts LOOP
    IF budget IS NULL THEN
      PERFORM set_config('lock_timeout', '0', true);
    ELSE
      remaining := deadline - clock_timestamp();
      IF remaining <= interval '0' THEN RETURN false; END IF;
      PERFORM set_config('lock_timeout', ceil(extract(epoch FROM remaining) * 1000)::bigint || 'ms', true);
    END IF;
    BEGIN
      PERFORM pg_advisory_lock_shared(older);
      PERFORM pg_advisory_unlock_shared(older);
    EXCEPTION WHEN lock_not_available THEN
      RETURN false;
    END;
  END LOOP;
  RETURN true;
END
$$;`;

/**
 * fql_conflict(snap, ts, reads, range starts, range ends): whether a transaction that read the
 * keys `reads` (hex) and the ranges [start, end) from the snapshot at `snap` conflicts with a
 * commit after it: a kv_writes entry above `snap` (and below `ts`, when given) on one of them.
 * Deleted keys have entries too, so removals and phantoms in a range are caught.
 */
const CONFLICT_EXPRESSION = `EXISTS (
      SELECT 1 FROM kv_writes w
      WHERE w.key = ANY (ARRAY(SELECT decode(x, 'hex') FROM unnest(reads) x))
        AND w.ts > snap AND (upto IS NULL OR w.ts < upto))
    OR EXISTS (
      SELECT 1 FROM unnest(rstarts, rends) r(s, e)
      JOIN kv_writes w ON w.key >= decode(r.s, 'hex') AND w.key < decode(r.e, 'hex')
      WHERE w.ts > snap AND (upto IS NULL OR w.ts < upto))`;
const CONFLICT_SIGNATURE = 'fql_conflict(snap bigint, upto bigint, reads text[], rstarts text[], rends text[]) RETURNS boolean';
const CONFLICT_FUNCTION = `
CREATE FUNCTION ${CONFLICT_SIGNATURE}
LANGUAGE sql STABLE AS $$
  SELECT ${CONFLICT_EXPRESSION}
$$;`;

/**
 * fql_commit(ts, snap, reads, range starts, range ends, put keys, put values, delete keys,
 * notification): the body of a writer's commit (engine.ts), in its READ COMMITTED transaction.
 * Returns a conflict detail (and applies nothing but the deregistration), or NULL once applied.
 *   1. Commits happen in ts order: wait for every older writer in flight to end. Each statement
 *      reads a fresh snapshot (READ COMMITTED), so what follows sees every older commit.
 *   2. Rows of older writers still present belong to sessions that ended without cleaning up
 *      (a crash): delete them.
 *   3. Validate the reads against the commits after the snapshot (all older, by 1).
 *   4. Apply the writes, log their keys in kv_writes, deregister, and prune the log below every
 *      running writer's floor (ours included: a writer registering meanwhile has a higher one).
 * `precondition`, when given, adds parameters and a check between 3 and 4 (ABSENT_COMMIT_FUNCTION);
 * without it the text is the one migrations 2 and 3 applied.
 */
function commitFunction(create: string, awaitOlder: string, precondition?: { params: string; check: string }): string {
  return `
${create} fql_commit(w bigint, snap bigint, reads text[], rstarts text[], rends text[],
                           pkeys text[], pvals text[], dkeys text[], note text${precondition?.params ?? ''}) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  keep bigint;
BEGIN
  ${awaitOlder}
  DELETE FROM kv_running WHERE ts < w;
  IF fql_conflict(snap, w, reads, rstarts, rends) THEN
    DELETE FROM kv_running WHERE ts = w;
    RETURN 'data read by this transaction was modified concurrently';
  END IF;${precondition?.check ?? ''}
  INSERT INTO kv (key, value)
    SELECT decode(k, 'hex'), decode(v, 'hex') FROM unnest(pkeys, pvals) p(k, v)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
  DELETE FROM kv WHERE key = ANY (ARRAY(SELECT decode(x, 'hex') FROM unnest(dkeys) x));
  INSERT INTO kv_writes (key, ts) SELECT decode(x, 'hex'), w FROM unnest(pkeys || dkeys) x;
  SELECT min(floor) INTO keep FROM kv_running;
  DELETE FROM kv_writes WHERE ts <= keep;
  DELETE FROM kv_running WHERE ts = w;
  IF note IS NOT NULL THEN PERFORM pg_notify('fql_commits', note); END IF;
  RETURN NULL;
END
$$;`;
}

const COMMIT_FUNCTION = commitFunction('CREATE FUNCTION', 'PERFORM fql_wait_older(w, NULL);');

/**
 * fql_await_older(ts, hold): a committer's wait for the older writers in flight (fql_commit step
 * 1), each for as long as it is younger than `hold` (kv_running.began). One still in flight past
 * that is evicted: its registration is deleted, so that readers and committers stop waiting for
 * it, and its own commit finds it gone and conflicts. A writer already committing has locked its
 * registration (fql_commit step 2): the delete waits for that commit to end and then finds nothing.
 */
const AWAIT_OLDER_FUNCTION = `
CREATE FUNCTION fql_await_older(w bigint, hold interval) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  older record;
  remaining interval;
BEGIN
  FOR older IN SELECT ts, began FROM kv_running WHERE ts < w ORDER BY ts LOOP
    remaining := older.began + hold - clock_timestamp();
    BEGIN
      IF remaining <= interval '0' THEN RAISE lock_not_available; END IF;
      PERFORM set_config('lock_timeout', ceil(extract(epoch FROM remaining) * 1000)::bigint || 'ms', true);
      PERFORM pg_advisory_lock_shared(older.ts);
      PERFORM pg_advisory_unlock_shared(older.ts);
    EXCEPTION WHEN lock_not_available THEN
      PERFORM set_config('lock_timeout', '0', true);
      DELETE FROM kv_running WHERE ts = older.ts;
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', '0', true);
END
$$;`;

/** Evicted: see fql_await_older. Retried by the query layer like any conflict. */

/**
 * fql_commit as COMMIT_FUNCTION, but the wait for older writers is bounded (fql_await_older), and
 * a writer evicted meanwhile applies nothing. Its registration is locked before it validates, so
 * that no newer committer evicts it from then on.
 */
const BOUNDED_AWAIT_OLDER = `PERFORM fql_await_older(w, interval '${WRITER_HOLD_MS} milliseconds');
  PERFORM 1 FROM kv_running WHERE ts = w FOR UPDATE;
  IF NOT FOUND THEN RETURN '${EVICTED}'; END IF;`;
const BOUNDED_COMMIT_FUNCTION = commitFunction('CREATE OR REPLACE FUNCTION', BOUNDED_AWAIT_OLDER);

/** A key required absent exists: retried by the query layer like any conflict (with a new id). */
const TAKEN = 'a key this transaction requires absent was written before it committed';

/**
 * fql_commit as BOUNDED_COMMIT_FUNCTION with one more argument, `absent`: keys (hex) that must
 * hold no value, or the commit fails as a conflict and applies nothing (KvTxn.requireAbsent: a
 * create with a generated id, which then needs no read first, issue 12). Checked once every
 * older writer has ended (step 1) and before any newer one can commit (newer committers wait for
 * this one, and can no longer evict it once it has locked its registration), and read in a fresh
 * READ COMMITTED snapshot: it sees exactly the state at this writer's ts, the state its reads are
 * validated against, so it is as strong as a validated read of the key finding nothing. A new
 * overload (PostgreSQL tells functions apart by their arguments): the nine-argument one stays for
 * servers of schema 4 still running while their database migrates (they read their ids first).
 */
const ABSENT_COMMIT_FUNCTION = commitFunction('CREATE FUNCTION', BOUNDED_AWAIT_OLDER, {
  params: ', absent text[]',
  check: `
  IF cardinality(absent) > 0 AND EXISTS (
      SELECT 1 FROM kv WHERE key = ANY (ARRAY(SELECT decode(x, 'hex') FROM unnest(absent) x))) THEN
    DELETE FROM kv_running WHERE ts = w;
    RETURN '${TAKEN}';
  END IF;`,
});

/**
 * The clock bump and the stable point as PL/pgSQL functions, whose statements each session plans
 * once: sent as SQL text in every begin, they were parsed and planned on every transaction
 * (issue 12: about a third of a reader's begin in the database). sql.ts says what each is for.
 *   fql_bump_clock(): the next ts, max(now µs, last + 1), in the caller's short READ COMMITTED
 *     transaction, which it makes commit without waiting for a flush (sql.ts bumpClockSql).
 *   fql_register(): bumps the clock and registers the caller as a writer in flight at that ts
 *     (kv_running, its floor, its session advisory lock, the fql.ts setting).
 *   fql_stable_ts(): the clock as of the caller's snapshot, capped just below the oldest writer
 *     in flight.
 * And fql_conflict in PL/pgSQL: a LANGUAGE sql function's statements are planned on every call.
 */
const PLANNED_ONCE_FUNCTIONS = `
CREATE FUNCTION fql_bump_clock() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE t bigint;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  UPDATE kv_clock SET ts = GREATEST(ts + 1, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint)
    WHERE id = 1 RETURNING ts INTO t;
  RETURN t;
END
$$;
CREATE FUNCTION fql_register() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE t bigint;
BEGIN
  t := fql_bump_clock();
  INSERT INTO kv_running (ts, floor) SELECT t, LEAST(t, (SELECT min(r.ts) FROM kv_running r)) - 1;
  PERFORM pg_advisory_lock(t);
  PERFORM set_config('fql.ts', t::text, false);
  RETURN t;
END
$$;
CREATE FUNCTION fql_stable_ts() RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE t bigint;
BEGIN
  SELECT LEAST(c.ts, (SELECT min(r.ts) FROM kv_running r) - 1) INTO t FROM kv_clock c WHERE c.id = 1;
  RETURN t;
END
$$;
CREATE OR REPLACE FUNCTION ${CONFLICT_SIGNATURE}
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ${CONFLICT_EXPRESSION};
END
$$;`;

const MIGRATIONS: readonly string[] = [
  // 1: the ordered key-value table, and the single-row timestamp clock (see sql.takeTimestampSql).
  `CREATE TABLE kv (key bytea PRIMARY KEY, value bytea NOT NULL);
   CREATE TABLE kv_clock (id integer PRIMARY KEY, ts bigint NOT NULL);
   INSERT INTO kv_clock (id, ts) VALUES (1, 0);`,
  // 2: parallel writers (engine.ts): writers in flight, the keys recent commits wrote, and the
  // commit function. Servers of schema 1 serialize writers with a lock this version no longer
  // takes: upgrade every process of a database together (an old server refuses to start on a
  // migrated database, see migrate).
  `CREATE TABLE kv_running (ts bigint PRIMARY KEY, floor bigint NOT NULL);
   CREATE TABLE kv_writes (key bytea NOT NULL, ts bigint NOT NULL, PRIMARY KEY (key, ts));
   CREATE INDEX kv_writes_ts ON kv_writes (ts);
   ${WAIT_FUNCTION}
   ${CONFLICT_FUNCTION}
   ${COMMIT_FUNCTION}`,
  // 3: a slow writer holds newer commits for WRITER_HOLD_MS at most (fql_await_older). Writers
  // record when they began (the column's default: registrations need not name it).
  `ALTER TABLE kv_running ADD COLUMN began timestamptz NOT NULL DEFAULT clock_timestamp();
   ${AWAIT_OLDER_FUNCTION}
   ${BOUNDED_COMMIT_FUNCTION}`,
  // 4: begins call functions planned once per session (PLANNED_ONCE_FUNCTIONS).
  PLANNED_ONCE_FUNCTIONS,
  // 5: commits check the keys their writes require absent (ABSENT_COMMIT_FUNCTION).
  ABSENT_COMMIT_FUNCTION,
];

export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await client.query('CREATE TABLE IF NOT EXISTS kv_migrations (version integer PRIMARY KEY)');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM kv_migrations');
    const current = rows[0].v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v]);
        await client.query('INSERT INTO kv_migrations (version) VALUES ($1)', [v + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // On failure the connection is discarded, which also drops the advisory lock.
    client.release(broken);
  }
}
