// The embedded engine: one SQLite file per data directory, optimistic concurrency control across
// the interleaved async transactions of this process (see commit-log.ts for the argument why the
// result is serializable in timestamp order).
//
// Group commit. A commit with writes is queued; the queue is flushed once per turn of the event
// loop (setImmediate), so every commit that arrived while the previous group was being written
// (and fsynced: the main thread is blocked meanwhile, the workers are not) forms the next group.
// A flush runs without yielding: it validates the group's transactions one by one, in arrival
// order, against the commit log exactly as a single commit does (a transaction that conflicts is
// rejected alone; the next ones are validated against the log including the earlier ones of the
// group), then writes all accepted transactions in ONE SQLite transaction, so the group costs one
// fsync (WAL + synchronous=FULL), and acknowledges them only after that COMMIT returned, i.e.
// once the group is durable. Because validation, log append and the write happen without
// interleaving, a flush is equivalent to committing its members one after another: the
// argument of commit-log.ts holds unchanged. Nothing reads a group's writes before they are
// durable (they reach SQLite in the same synchronous step as its fsync).
// Commits without writes (read-only and read-write transactions that wrote nothing) are
// validated at once: they read only durable state, and until a queued writer is flushed it
// counts as still running (its validation comes later, as for any writer that commits later).
// Except when such a transaction read a key a queued writer writes: validated at once, its ts
// (larger than the writer's when it began later) would make the writer fail (commit-log rule
// 2); queued behind the writer instead, it is the one that conflicts (rule 1) and retries, so
// readers of a hot key cannot starve its writers.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { KvConflictError, type Bytes, type CommitNotice, type WatchedEngine } from '../kv';
import { CommitWatchers } from '../commit-watchers';
import { TimestampClock } from './clock';
import { ClockMarkFile } from './clock-mark-file';
import { CommitLog } from './commit-log';
import { HIGH_WATER_META, configure, migrate, raiseClockFloor } from './schema';
import { prepareStatements, type Statements } from './statements';
import { lockDataDir, type ProcessLock } from './process-lock';
import { SqliteTxn, type TxnHost } from './txn';
import { SharedLockPin } from './shared-lock-pin';
import { EVICTED, WRITER_HOLD_MS } from '../writer-hold';

export interface SqliteOptions {
  /** Commits remembered for validation; a transaction older than that many commits conflicts. */
  readonly commitLogCapacity?: number;
  /** Observes each group written (one SQLite transaction, one fsync): its transaction count. */
  readonly onGroupWritten?: (transactions: number) => void;
  /** TEST ONLY, see UNSAFE_NO_VALIDATION_ENV. Every commit passes validation: not serializable. */
  readonly unsafeNoValidation?: boolean;
}

/**
 * TEST ONLY. `FQL_TEST_UNSAFE_NO_VALIDATION=1` in the server's environment turns commit
 * validation off (every transaction commits, whatever it conflicts with), so the engine is no
 * longer serializable. It exists solely as the negative control of the history checker
 * (test/e2e/consistency-checker.test.ts), which must flag the anomalies that follow. Read once,
 * when the engine opens; the server warns on stderr when it is on. Never set it anywhere else.
 */
export const UNSAFE_NO_VALIDATION_ENV = 'FQL_TEST_UNSAFE_NO_VALIDATION';

class SqliteEngine implements WatchedEngine, TxnHost {
  readonly kind = 'sqlite' as const;
  readonly statements: Statements;
  private readonly clock: TimestampClock;
  /** The clock mark the meta row holds (group commits bring it up to date: see the constructor). */
  private metaMark: bigint;
  private readonly log: CommitLog;
  /** Running transactions in begin order, hence in ts and start-sequence order. */
  private readonly running = new Map<SqliteTxn, true>();
  /** Running transactions that may write, in begin order. */
  /** Transactions that may still write, oldest first, with when they began (performance.now()). */
  private readonly runningWriters = new Map<SqliteTxn, number>();
  /** Writers that held the stable point past WRITER_HOLD_MS: their commits may not write. */
  private readonly evicted = new WeakSet<SqliteTxn>();
  /** The ts of the newest write group's newest member (committedTs). */
  private lastWriteTs = 0n;
  /** Writes all accepted transactions of a group in one SQLite transaction (one fsync). */
  private readonly applyGroup: (txns: readonly SqliteTxn[], metaMark: bigint | undefined) => void;
  /** Commits with writes waiting for the next flush, in arrival order. */
  private queue: QueuedCommit[] = [];
  private flushScheduled = false;
  private readonly onGroupWritten: ((transactions: number) => void) | undefined;
  private readonly unsafeNoValidation: boolean;
  private closed = false;
  private readonly watchers = new CommitWatchers();
  /** Keeps this process's SHARED lock on the file between writes (shared-lock-pin.ts). */
  private readonly pin: SharedLockPin;

  constructor(
    private readonly db: Database.Database,
    private readonly lock: ProcessLock,
    readonly sharedReadFile: string,
    private readonly markFile: ClockMarkFile,
    opts: SqliteOptions,
  ) {
    const st = (this.statements = prepareStatements(db));
    this.log = new CommitLog(opts.commitLogCapacity ?? 100_000);
    this.onGroupWritten = opts.onGroupWritten;
    this.unsafeNoValidation = opts.unsafeNoValidation === true;
    // The clock's marks go to the clock file, asynchronously (clock.ts); the meta row is the
    // synchronous fallback and is also brought up to the durable mark by each group commit (no
    // extra fsync), so the database file alone never holds a version above its own mark (a copy
    // of data.sqlite without the clock file still resumes above its data). Restart floor: both.
    this.metaMark = st.getMeta.get(HIGH_WATER_META) ?? 0n;
    this.clock = new TimestampClock(this.metaMark > markFile.initial ? this.metaMark : markFile.initial, {
      persistSync: (mark) => {
        st.putMeta.run(HIGH_WATER_META, mark);
        this.metaMark = mark;
      },
      persistAsync: (mark) => markFile.write(mark),
    });
    this.pin = new SharedLockPin(sharedReadFile);
    this.pin.hold();
    this.applyGroup = db.transaction((txns: readonly SqliteTxn[], metaMark: bigint | undefined) => {
      if (metaMark !== undefined) st.putMeta.run(HIGH_WATER_META, metaMark);
      for (const txn of txns) {
        for (const w of txn.overlay.writes()) {
          if (w.value === undefined) st.delete.run(w.key);
          else st.put.run(w.key, w.value);
        }
      }
    });
  }

  /** Waits (rather than fsyncing on this thread) if the clock's reserve ran out (clock.ts). */
  async begin(opts?: { readonly readOnly?: boolean }): Promise<SqliteTxn> {
    return this.started(await this.clock.nextAsync(), opts);
  }

  beginNow(opts?: { readonly readOnly?: boolean }): SqliteTxn {
    if (this.closed) throw new Error('storage engine is closed'); // before the clock may persist
    return this.started(this.clock.next(), opts);
  }

  /** Registers a transaction begun at `ts` (checked after the clock: begin may have waited). */
  private started(ts: bigint, opts: { readonly readOnly?: boolean } | undefined): SqliteTxn {
    if (this.closed) throw new Error('storage engine is closed');
    const readOnly = opts?.readOnly === true;
    const txn = new SqliteTxn(this, ts, this.log.currentCsn, readOnly);
    this.running.set(txn, true);
    if (!readOnly) this.runningWriters.set(txn, performance.now());
    return txn;
  }

  commit(txn: SqliteTxn): Promise<void> {
    const writes = txn.hasWrites ? txn.overlay.sortedKeyStrings() : [];
    if (writes.length === 0 && !this.queue.some((c) => txn.reads.intersects(c.writes))) {
      try {
        const conflict = this.validateAndLog(txn, writes);
        return conflict === undefined ? Promise.resolve() : Promise.reject(new KvConflictError(conflict));
      } finally {
        this.release(txn);
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ txn, writes, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Validates and writes the queued group (see the top of the file); never yields. Each member
   * is settled: rejected with its conflict, or after the group's COMMIT (hence fsync) returned,
   * resolved, or rejected with the write's error.
   */
  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const accepted: QueuedCommit[] = [];
    for (const c of group) {
      try {
        const conflict = this.validateAndLog(c.txn, c.writes);
        if (conflict === undefined) accepted.push(c);
        else c.reject(new KvConflictError(conflict));
      } catch (err) {
        c.reject(err);
      } finally {
        this.release(c.txn);
      }
    }
    const writers = accepted.filter((c) => c.writes.length > 0).map((c) => c.txn);
    try {
      if (writers.length > 0) {
        if (this.closed) throw new Error('storage engine is closed');
        const durable = this.clock.durableMark;
        const metaMark = durable > this.metaMark ? durable : undefined;
        // Not pinned while writing: the WAL may restart at BEGIN and be checkpointed at COMMIT.
        this.pin.release();
        try {
          this.applyGroup(writers, metaMark);
        } finally {
          this.pin.hold();
        }
        if (metaMark !== undefined) this.metaMark = metaMark;
        for (const w of writers) if (w.ts > this.lastWriteTs) this.lastWriteTs = w.ts;
        this.onGroupWritten?.(writers.length);
        // Durable and visible now: tell the watchers (event streams), in commit order.
        if (this.watchers.size > 0) for (const w of writers) this.watchers.notify(w.ts, w.overlay.writes());
      }
    } catch (err) {
      // Nothing of the group was applied (one SQLite transaction). Its records stay in the log;
      // they can only make later transactions conflict, never let a conflict pass.
      for (const c of accepted) c.reject(err);
      return;
    }
    for (const c of accepted) c.resolve();
  }

  /**
   * Validates `txn` (writing `writes`, ascending) against the log and, if it may commit, appends
   * its record: undefined, or the conflict. Must run without yielding up to the write.
   */
  private validateAndLog(txn: SqliteTxn, writes: readonly string[]): string | undefined {
    if (writes.length > 0 && this.evicted.has(txn)) return EVICTED;
    const conflict = this.unsafeNoValidation
      ? undefined
      : this.log.validate({ startCsn: txn.startCsn, ts: txn.ts, reads: txn.reads, writes });
    if (conflict !== undefined) return conflict;
    const keepReads = !txn.reads.isEmpty && this.olderWriterRunning(txn);
    if (writes.length > 0 || keepReads) this.log.append(txn.ts, writes, keepReads ? txn.reads : undefined);
    return undefined;
  }

  declaredReadOnly(txn: SqliteTxn): void {
    // Safe in this direction only: newer transactions kept their reads for it needlessly.
    this.runningWriters.delete(txn);
  }

  watchCommits(prefix: Bytes, listener: (n: CommitNotice) => void): () => void {
    return this.watchers.add(prefix, listener);
  }

  /**
   * Transactions commit in any order (optimistic), so the stable point is just below the oldest
   * transaction that may still write, or the last ts handed out when none is running.
   */
  committedTs(): bigint {
    return this.lastWriteTs;
  }

  async stableTs(): Promise<bigint> {
    this.evictHeldWriters();
    const oldest = first(this.runningWriters);
    return oldest === undefined ? this.clock.current : oldest.ts - 1n;
  }

  /**
   * Writers running longer than WRITER_HOLD_MS that have written nothing here yet stop holding
   * the stable point: a commit of theirs that writes then conflicts (validateAndLog; retried with
   * a new ts), so none can land below a point already passed, and one that only read commits as
   * before. A writer whose writes have reached the engine (a schema push backfilling documents)
   * keeps the point until it ends: evicting it would fail work already done.
   */
  private evictHeldWriters(): void {
    const since = performance.now() - WRITER_HOLD_MS;
    for (const [txn, began] of this.runningWriters) {
      if (began > since || txn.hasWrites) break;
      this.runningWriters.delete(txn);
      this.evicted.add(txn);
    }
  }

  staleReads(txn: SqliteTxn): string | undefined {
    if (this.unsafeNoValidation) return undefined;
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

  /** At open: a reserve is durable before the first begin, so no begin waits in steady state. */
  reserveClock(): Promise<void> {
    return this.clock.reserve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush(); // queued commits are written (and acknowledged) before the file closes
    this.closed = true;
    await this.clock.settle(); // the write in flight, before its file closes (never rejects)
    await this.markFile.close();
    this.pin.close();
    this.db.close();
    this.lock.release();
  }
}

interface QueuedCommit {
  readonly txn: SqliteTxn;
  /** The transaction's written keys, ascending. */
  readonly writes: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

function first<K>(map: Map<K, unknown>): K | undefined {
  for (const k of map.keys()) return k;
  return undefined;
}

/** Opens (creating if needed) `<dataDir>/data.sqlite`. Fails if another process has it open. */
export async function openSqlite(dataDir: string, opts: SqliteOptions = {}): Promise<WatchedEngine> {
  const { db, lock } = openMigrated(dataDir);
  const unsafeNoValidation = opts.unsafeNoValidation ?? process.env[UNSAFE_NO_VALIDATION_ENV] === '1';
  if (unsafeNoValidation) {
    process.stderr.write(`WARNING: ${UNSAFE_NO_VALIDATION_ENV}=1: commit validation is OFF (test-only negative control; not serializable)\n`);
  }
  let markFile: ClockMarkFile | undefined;
  try {
    markFile = await ClockMarkFile.open(dataDir);
    const engine = new SqliteEngine(db, lock, sqliteDataFile(dataDir), markFile, { ...opts, unsafeNoValidation });
    await engine.reserveClock();
    return engine;
  } catch (err) {
    await markFile?.close();
    db.close();
    lock.release();
    throw err;
  }
}

/**
 * Makes every timestamp the store hands out from now on exceed `minTs`. The data directory must
 * not be open (by this process or another).
 */
export async function raiseSqliteClockFloor(dataDir: string, minTs: bigint): Promise<void> {
  const { db, lock } = openMigrated(dataDir);
  try {
    raiseClockFloor(db, minTs);
  } finally {
    db.close();
    lock.release();
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

/** How long the coordinator's connection waits out another connection's momentary lock. */
export const BUSY_TIMEOUT_MS = 250;

function openMigrated(dataDir: string): { db: Database.Database; lock: ProcessLock } {
  const file = prepareDataFile(dataDir);
  // No busy wait: if another process holds the directory, fail at once with a clear message.
  const lock = lockDataDir(dataDir);
  const db = new Database(file, { timeout: 0 });
  try {
    configure(db);
    migrate(db);
    // From now on the directory is ours (the lock above), but other connections still touch the
    // file for an instant: a query worker's read connection opening or closing (workers start
    // and retire with load; a closing connection tries for the exclusive lock to checkpoint),
    // tools reading it. Without a busy wait such an instant failed a whole group commit with
    // SQLITE_BUSY, answered 500 "database is locked" (seen once in CI under load).
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return { db, lock };
  } catch (err) {
    db.close();
    lock.release();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new Error(`data directory ${dataDir} is in use by another process`);
    }
    throw err;
  }
}
