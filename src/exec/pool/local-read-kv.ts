// A query worker's storage engine over the embedded (SQLite) engine: reads go straight to the
// database file through a read-only connection of the worker's own (WAL lets it read the latest
// committed state while the coordinator writes), so a read costs no message; begin, commit and
// rollback still go to the coordinator (remote-kv.ts), which owns the timestamps, the commit log
// and the only writer connection. The transaction is the engine's own SqliteTxn: it records
// what it read exactly as it would in the coordinator and hands the read set over with its
// commit, where the coordinator's transaction validates it against the commit log. Reading
// through another connection changes nothing in the argument of commit-log.ts: there, too,
// reads see the latest committed state rather than a snapshot, and a read of anything committed
// after the transaction began is a conflict (rule 1). Everything the coordinator wrote before
// beginning the transaction is visible here: it commits a group to SQLite in the same
// synchronous step as it logs it, and begins transactions only between such steps.
import Database from 'better-sqlite3';
import type { Bytes, CommitAnswer, CommitRerun, KvEngine, KvPair, KvTxn, ScanOptions } from '../../storage/kv';
import { prepareStatements, type Statements } from '../../storage/sqlite/statements';
import { SqliteTxn, type TxnHost } from '../../storage/sqlite/txn';
import type { WriteOp } from './protocol';
import { packScans, unpackRows } from './packed-bytes';
import type { RemoteKvEngine } from './remote-kv';

/** A copy that owns exactly its bytes: cloning a view to the coordinator clones all of its buffer. */
function own(b: Bytes): Bytes {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}

/** A transaction of this worker: its coordinator-side id, and whether to declare it read-only there. */
class LocalTxn extends SqliteTxn {
  constructor(
    private readonly local: LocalReadKvEngine,
    readonly remoteId: number,
    ts: bigint,
    readOnly: boolean,
    /** Begun read-write by the coordinator but taken read-only: say so with the commit. */
    public declare: boolean,
  ) {
    super(local, ts, 0, readOnly);
  }

  /**
   * Many scans at once (event reads prefetch the versions of the next documents while they
   * evaluate the current ones): the coordinator runs them on its connection, into its side of
   * this transaction's read set, so the two threads overlap. With buffered writes the scans must
   * see them: then they run here, one by one.
   */
  override async scanMany(opts: readonly ScanOptions[]): Promise<KvPair[][]> {
    this.ensureOpen();
    if (this.hasWrites) return super.scanMany(opts);
    const r = await this.local.remoteScanMany(this.remoteId, opts);
    return r.map((rows) => this.counted(rows));
  }

  /**
   * The coordinator answers the request with `answer` if the commit succeeds (no response
   * message). With `rerun`, and a request the coordinator can run again, the commit is handed
   * off: nothing waits for it here (protocol.ts, the commit's `rerun`).
   */
  async commitAnswering(answer: CommitAnswer, rerun?: CommitRerun): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    await this.local.commit(this, answer, rerun);
  }

  override async rollbackStale(): Promise<string | undefined> {
    if (this.finished) return undefined;
    this.finished = true;
    return this.local.rollbackStaleRemote(this);
  }
}

export class LocalReadKvEngine implements KvEngine, TxnHost {
  readonly kind = 'sqlite' as const;
  readonly statements: Statements;
  private readonly db: Database.Database;

  constructor(private readonly remote: RemoteKvEngine, file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('cache_size = -32768');
    this.db.pragma('mmap_size = 268435456');
    this.statements = prepareStatements(this.db);
  }

  async begin(opts?: { readonly readOnly?: boolean }): Promise<KvTxn> {
    const readOnly = opts?.readOnly === true;
    const b = await this.remote.beginRemote(readOnly);
    return new LocalTxn(this, b.txn, b.ts, readOnly, b.declare);
  }

  async commit(txn: SqliteTxn, answer?: CommitAnswer, rerun?: CommitRerun): Promise<void> {
    const t = txn as LocalTxn;
    const writes: WriteOp[] = [];
    for (const w of t.overlay.writes()) writes.push(w.value === undefined ? { key: own(w.key) } : { key: own(w.key), value: own(w.value) });
    const req = {
      op: 'commit' as const, txn: t.remoteId,
      ...(writes.length > 0 ? { writes } : {}),
      ...(t.reads.isEmpty ? {} : { reads: t.reads.toForeign() }),
      ...(t.declare ? { readOnly: true as const } : {}),
      ...(answer !== undefined ? { answer: { id: this.remote.requestId, ...answer } } : {}),
    };
    if (answer !== undefined && rerun !== undefined && this.remote.rerunnable) return this.remote.post({ ...req, rerun });
    await this.remote.call(req);
  }

  release(txn: SqliteTxn): void {
    // Nothing waits for the answer: the coordinator handles this worker's messages in order.
    this.remote.call({ op: 'rollback', txn: (txn as LocalTxn).remoteId }).catch(() => undefined);
  }

  declaredReadOnly(txn: SqliteTxn): void {
    (txn as LocalTxn).declare = true;
  }

  staleReads(): string | undefined {
    throw new Error('stale reads are checked by the coordinator (rollbackStaleRemote)');
  }

  async remoteScanMany(txn: number, opts: readonly ScanOptions[]): Promise<KvPair[][]> {
    const r = await this.remote.call({ op: 'scanMany', txn, ...packScans(opts) });
    return r.rows ? unpackRows(r.rows) : opts.map(() => []);
  }

  async rollbackStaleRemote(t: LocalTxn): Promise<string | undefined> {
    const r = await this.remote.call({ op: 'rollbackStale', txn: t.remoteId, ...(t.reads.isEmpty ? {} : { reads: t.reads.toForeign() }) });
    return r.stale;
  }

  async close(): Promise<void> {
    await this.remote.close();
    this.db.close();
  }
}
