// The embedded engine: one SQLite file per data directory, optimistic concurrency control across
// the interleaved async transactions of this process (see commit-log.ts for the argument why the
// result is serializable in timestamp order). Commit is synchronous: validation, the SQLite write
// transaction and the log update happen without yielding, so nothing interleaves with them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { KvConflictError, type Bytes, type CommitNotice, type WatchedEngine } from '../kv';
import { CommitWatchers } from '../commit-watchers';
import type { OverlayEntry } from '../overlay';
import { TimestampClock } from './clock';
import { CommitLog } from './commit-log';
import { HIGH_WATER_META, configure, migrate, raiseClockFloor } from './schema';
import { prepareStatements, type Statements } from './statements';
import { SqliteTxn, type TxnHost } from './txn';

export interface SqliteOptions {
  /** Commits remembered for validation; a transaction older than that many commits conflicts. */
  readonly commitLogCapacity?: number;
}

class SqliteEngine implements WatchedEngine, TxnHost {
  readonly kind = 'sqlite' as const;
  readonly statements: Statements;
  private readonly clock: TimestampClock;
  private readonly log: CommitLog;
  /** Running transactions in begin order, hence in ts and start-sequence order. */
  private readonly running = new Map<SqliteTxn, true>();
  /** Running transactions that may write, in begin order. */
  private readonly runningWriters = new Map<SqliteTxn, true>();
  private readonly applyWrites: (writes: Iterable<OverlayEntry>) => void;
  private closed = false;
  private readonly watchers = new CommitWatchers();

  constructor(
    private readonly db: Database.Database,
    opts: SqliteOptions,
  ) {
    const st = (this.statements = prepareStatements(db));
    this.log = new CommitLog(opts.commitLogCapacity ?? 100_000);
    this.clock = new TimestampClock(st.getMeta.get(HIGH_WATER_META) ?? 0n, (mark) => {
      st.putMeta.run(HIGH_WATER_META, mark);
    });
    this.applyWrites = db.transaction((writes: Iterable<OverlayEntry>) => {
      for (const w of writes) {
        if (w.value === undefined) st.delete.run(w.key);
        else st.put.run(w.key, w.value);
      }
    });
  }

  async begin(opts?: { readonly readOnly?: boolean }): Promise<SqliteTxn> {
    if (this.closed) throw new Error('storage engine is closed');
    const readOnly = opts?.readOnly === true;
    const txn = new SqliteTxn(this, this.clock.next(), this.log.currentCsn, readOnly);
    this.running.set(txn, true);
    if (!readOnly) this.runningWriters.set(txn, true);
    return txn;
  }

  commit(txn: SqliteTxn): void {
    try {
      const writes = txn.hasWrites ? txn.overlay.sortedKeyStrings() : [];
      const conflict = this.log.validate({ startCsn: txn.startCsn, ts: txn.ts, reads: txn.reads, writes });
      if (conflict !== undefined) throw new KvConflictError(conflict);
      if (writes.length > 0) this.applyWrites(txn.overlay.writes());
      const keepReads = !txn.reads.isEmpty && this.olderWriterRunning(txn);
      if (writes.length > 0 || keepReads) this.log.append(txn.ts, writes, keepReads ? txn.reads : undefined);
      if (writes.length > 0 && this.watchers.size > 0) this.watchers.notify(txn.ts, txn.overlay.writes());
    } finally {
      this.release(txn);
    }
  }

  watchCommits(prefix: Bytes, listener: (n: CommitNotice) => void): () => void {
    return this.watchers.add(prefix, listener);
  }

  /**
   * Transactions commit in any order (optimistic), so the stable point is just below the oldest
   * transaction that may still write, or the last ts handed out when none is running.
   */
  async stableTs(): Promise<bigint> {
    const oldest = first(this.runningWriters);
    return oldest === undefined ? this.clock.current : oldest.ts - 1n;
  }

  staleReads(txn: SqliteTxn): string | undefined {
    return this.log.validate({ startCsn: txn.startCsn, ts: txn.ts, reads: txn.reads, writes: [] });
  }

  release(txn: SqliteTxn): void {
    this.running.delete(txn);
    this.runningWriters.delete(txn);
    const oldest = first(this.running);
    this.log.trim(oldest === undefined ? this.log.currentCsn : oldest.startCsn);
  }

  /** Whether a transaction with a lower ts that may still write is running (commit-log rule 2). */
  private olderWriterRunning(txn: SqliteTxn): boolean {
    const oldest = first(this.runningWriters);
    return oldest !== undefined && oldest !== txn && oldest.ts < txn.ts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function first<K>(map: Map<K, unknown>): K | undefined {
  for (const k of map.keys()) return k;
  return undefined;
}

/** Opens (creating if needed) `<dataDir>/data.sqlite`. Fails if another process has it open. */
export async function openSqlite(dataDir: string, opts: SqliteOptions = {}): Promise<WatchedEngine> {
  const db = openMigrated(dataDir);
  try {
    return new SqliteEngine(db, opts);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Makes every timestamp the store hands out from now on exceed `minTs`. The data directory must
 * not be open (by this process or another).
 */
export async function raiseSqliteClockFloor(dataDir: string, minTs: bigint): Promise<void> {
  const db = openMigrated(dataDir);
  try {
    raiseClockFloor(db, minTs);
  } finally {
    db.close();
  }
}

/** The database file of a data directory. */
export function sqliteDataFile(dataDir: string): string {
  return path.join(dataDir, 'data.sqlite');
}

/**
 * The store holds key and credential hashes: a data directory the server creates is the
 * owner's only (0700), and the database file is always 0600 (SQLite gives its -wal and -shm
 * files the database file's mode). An existing directory keeps its mode: it may be shared.
 */
function prepareDataFile(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = sqliteDataFile(dataDir);
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  return file;
}

function openMigrated(dataDir: string): Database.Database {
  const file = prepareDataFile(dataDir);
  // No busy wait: if another process holds the file, fail at once with a clear message.
  const db = new Database(file, { timeout: 0 });
  try {
    configure(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new Error(`data directory ${dataDir} is in use by another process`);
    }
    throw err;
  }
}
