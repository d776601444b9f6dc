// Every SQL statement the engine runs, prepared once per database.
import type BetterSqlite3 from 'better-sqlite3';
import type { Bytes } from '../kv';

export interface Statements {
  /** (key) → value | undefined */
  readonly get: BetterSqlite3.Statement<[Bytes], Bytes>;
  /** (start, end, limit; -1 = none) → [key, value] rows ascending */
  readonly scanForward: BetterSqlite3.Statement<[Bytes, Bytes, number], [Bytes, Bytes]>;
  /** (start, end, limit; -1 = none) → [key, value] rows descending */
  readonly scanReverse: BetterSqlite3.Statement<[Bytes, Bytes, number], [Bytes, Bytes]>;
  readonly put: BetterSqlite3.Statement<[Bytes, Bytes]>;
  readonly delete: BetterSqlite3.Statement<[Bytes]>;
  /** (name) → value */
  readonly getMeta: BetterSqlite3.Statement<[string], bigint>;
  readonly putMeta: BetterSqlite3.Statement<[string, bigint]>;
  /**
   * Runs `read` (synchronous statements only) in one read transaction: outside one, SQLite
   * takes and releases a WAL read lock for every statement, which costs more than a short scan
   * itself (event reads scan the versions of hundreds of documents at once).
   */
  readonly together: <T>(read: () => T) => T;
}

export function prepareStatements(db: BetterSqlite3.Database): Statements {
  // Deferred (BEGIN without IMMEDIATE): only reads run inside, so it never takes the write lock.
  const inOneTransaction = db.transaction((read: () => unknown) => read());
  return {
    get: db.prepare<[Bytes], Bytes>('SELECT value FROM kv WHERE key = ?').pluck(),
    scanForward: db
      .prepare<[Bytes, Bytes, number], [Bytes, Bytes]>('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?')
      .raw(),
    scanReverse: db
      .prepare<[Bytes, Bytes, number], [Bytes, Bytes]>('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT ?')
      .raw(),
    put: db.prepare<[Bytes, Bytes]>('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)'),
    delete: db.prepare<[Bytes]>('DELETE FROM kv WHERE key = ?'),
    getMeta: db.prepare<[string], bigint>('SELECT value FROM meta WHERE name = ?').pluck().safeIntegers(true),
    putMeta: db.prepare<[string, bigint]>('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
    together: <T>(read: () => T): T => inOneTransaction(read) as T,
  };
}
