// Database file layout and its versioned migrations. PRAGMA user_version holds the number of
// migrations applied; each runs in its own transaction together with the version bump.
import type BetterSqlite3 from 'better-sqlite3';

/** meta row holding the timestamp high-water mark (see clock.ts). */
export const HIGH_WATER_META = 'ts_high_water';

const MIGRATIONS: readonly string[] = [
  // 1: the ordered key-value table and engine metadata (e.g. the timestamp high-water mark).
  `CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
   CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;`,
];

export function configure(db: BetterSqlite3.Database): void {
  // WAL + synchronous=FULL: every commit is fsynced before it returns, so acknowledged commits
  // survive kill -9 and power loss. Normal locking (with the -shm index), so that query workers
  // can read the file through read-only connections of their own; one process owning the file
  // is ensured by the data directory's lock instead (process-lock.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
}

export function migrate(db: BetterSqlite3.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Makes every timestamp handed out from now on exceed `minTs` (used after importing data whose
 * versions carry another store's timestamps). The engine must not have the file open.
 */
export function raiseClockFloor(db: BetterSqlite3.Database, minTs: bigint): void {
  db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)')
    .run(HIGH_WATER_META, minTs);
}
