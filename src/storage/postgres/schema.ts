// Tables and their versioned migrations. kv_migrations records applied versions; migrating holds
// a session advisory lock, so several processes starting at once apply each migration exactly
// once (the others wait, then find nothing to do). CockroachDB has no advisory locks: there,
// start one process first.
import type { Pool } from 'pg';
import { MIGRATION_LOCK_KEY } from './sql';

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
const CONFLICT_FUNCTION = `
CREATE FUNCTION fql_conflict(snap bigint, upto bigint, reads text[], rstarts text[], rends text[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
      SELECT 1 FROM kv_writes w
      WHERE w.key = ANY (ARRAY(SELECT decode(x, 'hex') FROM unnest(reads) x))
        AND w.ts > snap AND (upto IS NULL OR w.ts < upto))
    OR EXISTS (
      SELECT 1 FROM unnest(rstarts, rends) r(s, e)
      JOIN kv_writes w ON w.key >= decode(r.s, 'hex') AND w.key < decode(r.e, 'hex')
      WHERE w.ts > snap AND (upto IS NULL OR w.ts < upto))
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
 */
const COMMIT_FUNCTION = `
CREATE FUNCTION fql_commit(w bigint, snap bigint, reads text[], rstarts text[], rends text[],
                           pkeys text[], pvals text[], dkeys text[], note text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  keep bigint;
BEGIN
  PERFORM fql_wait_older(w, NULL);
  DELETE FROM kv_running WHERE ts < w;
  IF fql_conflict(snap, w, reads, rstarts, rends) THEN
    DELETE FROM kv_running WHERE ts = w;
    RETURN 'data read by this transaction was modified concurrently';
  END IF;
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
