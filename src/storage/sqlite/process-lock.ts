// One process owns a data directory: the optimistic concurrency control keeps its commit log in
// memory, so a second process writing the same file would be invisible to it. The database file
// itself is opened in normal locking mode (query workers read it through connections of their
// own), so ownership is a lock of its own: an exclusive SQLite lock on `<dataDir>/lock`, held
// until the engine closes and released by the OS if the process dies (POSIX advisory locks).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface ProcessLock {
  release(): void;
}

/** Takes the data directory's lock; throws "in use by another process" if another holds it. */
export function lockDataDir(dataDir: string): ProcessLock {
  const file = path.join(dataDir, 'lock');
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new Error(`data directory ${dataDir} is in use by another process`);
    throw err;
  }
  return { release: () => db.close() };
}
