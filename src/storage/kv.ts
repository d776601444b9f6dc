// The storage engine contract: an ordered, transactional key-value store in the style of
// FoundationDB's layers. Everything above (documents, versions, indexes, schema, keys, tokens)
// is encoded into keys by src/model; an engine knows nothing about FQL.
//
// Semantics every engine must provide (checked by test/storage/engine-suite):
//   - A transaction sees a consistent view plus its own buffered writes (read-your-writes,
//     also in scans).
//   - commit() is atomic and serializable: if anything the transaction read (a key or a
//     scanned range, including absent keys) was changed by another transaction that committed
//     after this one began, commit() throws KvConflictError and applies nothing.
//   - An acknowledged commit survives a crash (kill -9) of the process.
//   - `ts` values of transactions that may write are strictly increasing across all transactions
//     ever begun against the same store, in every process sharing it, and are close to
//     wall-clock time in µs. A read-only transaction's ts is at least that of every transaction
//     that ended before it began, and below that of every writer that commits after it began; on
//     PostgreSQL, while a writer is in flight, read-only transactions share the ts just below it.

import type { ProcessShared } from './postgres/process-shared';
export type Bytes = Uint8Array;

export interface KvPair { readonly key: Bytes; readonly value: Bytes }

export interface ScanOptions {
  /** Inclusive lower bound. */
  readonly start: Bytes;
  /** Exclusive upper bound. */
  readonly end: Bytes;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export interface KvStats {
  /** Keys returned by get/scan (a lookup that found nothing counts 1). */
  rowsRead: number;
  bytesRead: number;
  bytesWritten: number;
}

/** A response handed over with a commit (KvTxn.commitAnswering); opaque to storage, cloneable. */
export interface CommitAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly report?: object;
}

/**
 * How to run a request again if its answering commit fails (KvTxn.commitAnswering): given, the
 * engine may hand the commit off and resolve at once, the caller being done with the request
 * whatever the outcome; its host answers the request on success, and on a conflict runs it
 * again from `attempt`, read-write if `readWrite`.
 */
export interface CommitRerun {
  readonly attempt: number;
  readonly readWrite: boolean;
  /**
   * What the runs so far counted (src/exec/run-query.ts), so that the run again reports them with
   * its own, as retries inside one worker do; `startedAtEpoch` (ms since the Unix epoch) is when
   * the first run began, for `query_time_ms`.
   */
  readonly counted?: { readonly computeOps: number; readonly readOps: number; readonly writeOps: number; readonly startedAtEpoch: number };
}

export interface KvTxn {
  /** Transaction timestamp, µs since the epoch. */
  readonly ts: bigint;
  readonly stats: KvStats;
  get(key: Bytes): Promise<Bytes | undefined>;
  scan(opts: ScanOptions): Promise<KvPair[]>;
  /** Buffered until commit. */
  put(key: Bytes, value: Bytes): void;
  /** Buffered until commit. */
  delete(key: Bytes): void;
  /** True if put/delete was called. */
  readonly hasWrites: boolean;
  /**
   * Optional, on engines whose reads are round trips (PostgreSQL): a precondition of this
   * transaction's writes, checked by its commit in the commit order: `key` must hold no committed
   * value in the state the commit applies to, else commit() throws KvConflictError and applies
   * nothing. That state is the one a committed transaction's reads are validated against, so this
   * is as strong as reading `key`, finding it absent and having that read validated, without the
   * read: a create with a generated id (src/model/model-txn.ts newDocId) thus cannot overwrite another
   * process's document of the same id. A read-only transaction throws KvReadOnlyError, as for a
   * write. Where absent, callers read the key instead.
   */
  requireAbsent?(key: Bytes): void;
  /** Throws KvConflictError on a serialization conflict; nothing is applied then. */
  commit(): Promise<void>;
  /**
   * Optional: commit() that also hands over `answer` (the request's response, built before
   * committing) to whoever applies the commit. A query worker's coordinator answers the request
   * with it once the commit succeeded (durable), instead of waiting for a response message
   * from the worker. Only where such a path exists.
   */
  commitAnswering?(answer: CommitAnswer, rerun?: CommitRerun): Promise<void>;
  /** Discard buffered writes and release resources. Safe to call more than once. */
  rollback(): Promise<void>;
  /**
   * Rolls back, and tells whether what the transaction read had already changed when it ended
   * (a conflict detail): a failure computed from such reads is no outcome of any serial order,
   * so the caller retries instead of reporting it. Undefined when the reads still hold.
   */
  rollbackStale(): Promise<string | undefined>;
  /**
   * Optional: the transaction will not write (it has not so far); from now on it is read-only,
   * and the engine stops treating it as a possible writer. For transactions begun read-write
   * speculatively (see KvEngine.beginNow).
   */
  declareReadOnly?(): void;
  /**
   * Optional: several scans at once, results in order (engines whose operations are messages
   * send them as one; event streams read many documents' versions this way). Callers fall back
   * to `scan` each.
   */
  scanMany?(opts: readonly ScanOptions[]): Promise<KvPair[][]>;
  /**
   * Optional: reads made elsewhere on this transaction's behalf (a query worker reading the
   * embedded engine's file through a connection of its own), validated at commit (and by
   * rollbackStale) as if this transaction had made them.
   */
  addReads?(reads: ForeignReads): void;
}

/**
 * Keys and ranges read, as latin1 key strings (src/storage/bytes.ts keyString): `points` looked
 * up (present or not), `ranges` scanned as flattened [start, end) pairs.
 */
export interface ForeignReads {
  readonly points: readonly string[];
  readonly ranges: readonly string[];
}

export interface BeginOptions {
  readonly readOnly?: boolean;
  /**
   * Only with `readOnly`: the transaction may be served by a read replica (an engine that has
   * them), whose snapshot must then hold every commit with ts ≤ minTs (the client's
   * x-last-txn-ts, or 0). Absent: the primary, whose snapshot is always the newest.
   */
  readonly minTs?: bigint;
  /**
   * A trusted caller's transaction (export, import) that keeps one snapshot however long it
   * runs. Others, on PostgreSQL, renew a snapshot older than a few seconds or conflict
   * (postgres/sql.ts SNAPSHOT_MAX_MS).
   */
  readonly longSnapshot?: boolean;
}

export interface KvEngine {
  readonly kind: 'sqlite' | 'postgres';
  begin(opts?: BeginOptions): Promise<KvTxn>;
  /**
   * Only on engines whose begin needs no I/O (the embedded one): begin() done synchronously, so
   * a caller may begin speculatively (the worker pool begins a read-write transaction together
   * with dispatching each request, sparing the worker a round trip).
   */
  beginNow?(opts?: { readonly readOnly?: boolean }): KvTxn;
  /**
   * Only on the embedded engine: its database file, which other threads of this process may
   * open read-only to read the latest committed state themselves (reads recorded and handed
   * over with the commit, see KvTxn.addReads).
   */
  readonly sharedReadFile?: string;
  /**
   * Only on PostgreSQL without read replicas: the database's connection string, on which other
   * threads of this process may run their transactions themselves (postgres/engine.ts
   * openPostgresForWorker).
   */
  readonly sharedUrl?: string;
  /** Only on PostgreSQL: what the process's engines share (postgres/process-shared.ts), for those threads' too. */
  readonly shared?: ProcessShared;
  close(): Promise<void>;
}

/** What one commit wrote under a watched prefix. */
export interface CommitNotice {
  readonly ts: bigint;
  /** The written keys under the prefix; undefined when too many to report (treat as "anything"). */
  readonly keys?: readonly Bytes[];
}

/**
 * Commit notifications and the stable point, for event streams and feeds (src/streams). Only the
 * engines a server opens itself have them (not a query worker's remote engine).
 */
export interface CommitWatch {
  /**
   * Calls `listener` after every commit that wrote keys starting with `prefix` — by this process
   * or, on a shared engine, by any process — once the commit is durable and visible. Returns a
   * function that stops watching.
   */
  watchCommits(prefix: Bytes, listener: (n: CommitNotice) => void): () => void;
  /**
   * A time S such that no transaction with a ts ≤ S can still commit, and every one that did is
   * visible to transactions begun from now on. Reading history up to S therefore never misses
   * a write that commits later (a cursor may safely advance to S).
   */
  stableTs(): Promise<bigint>;
  /**
   * The ts of the newest commit with writes that is durable and visible. Where transactions
   * that may never write hold the stable point back (the embedded engine counts a query's
   * read-write transaction until it commits), a reader that must include everything already
   * acknowledged (a feed page) waits for stableTs to reach it.
   */
  committedTs?(): bigint;
}

export type WatchedEngine = KvEngine & CommitWatch;

/** A serialization conflict; the caller may retry the whole transaction. */
export class KvConflictError extends Error {
  constructor(readonly detail: string = 'concurrent modification') {
    super(`Transaction conflict: ${detail}`);
  }
}

/**
 * A write in a transaction begun with `readOnly`. Callers that guessed wrong restart the work
 * in a read-write transaction.
 */
export class KvReadOnlyError extends Error {
  constructor() {
    super('cannot write in a read-only transaction');
  }
}
