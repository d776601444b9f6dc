// Tables and their versioned migrations. kv_migrations records applied versions; migrating holds
// a session advisory lock, so several processes starting at once apply each migration exactly
// once (the others wait, then find nothing to do). CockroachDB has no advisory locks: there,
// start one process first.
import type { Pool } from 'pg';
import { MIGRATION_LOCK_KEY } from './sql';

const MIGRATIONS: readonly string[] = [
  // 1: the ordered key-value table, and the single-row timestamp clock (see sql.takeTimestampSql).
  `CREATE TABLE kv (key bytea PRIMARY KEY, value bytea NOT NULL);
   CREATE TABLE kv_clock (id integer PRIMARY KEY, ts bigint NOT NULL);
   INSERT INTO kv_clock (id, ts) VALUES (1, 0);`,
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
