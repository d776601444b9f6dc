// A worker's storage engine: every operation is a message to the coordinator, which runs it on
// the real engine (kv-host.ts). Writes are buffered here and sent with the next operation, so
// the coordinator sees them in order before anything that could read them.
import type { MessagePort } from 'node:worker_threads';
import {
  type BeginOptions, type Bytes, KvConflictError, type KvEngine, type KvPair, KvReadOnlyError, type KvStats, type KvTxn, type ScanOptions,
} from '../../storage/kv';
import type { KvErrorInfo, KvReply, KvRequest, PreBegun, WriteOp } from './protocol';
import { packScans, unpackRows } from './packed-bytes';

type Pending = { resolve: (r: Extract<KvReply, { ok: true }>) => void; reject: (e: Error) => void };

/** Distributes a KvRequest without its `id`, over all variants of the union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id' | 'type'> : never;

function toError(e: KvErrorInfo): Error {
  switch (e.kind) {
    case 'conflict': return new KvConflictError(e.detail);
    case 'readOnly': return new KvReadOnlyError();
    case 'other': return new Error(e.message);
  }
}

export class RemoteKvEngine implements KvEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** The transaction the coordinator began with the current request, until begin() takes it. */
  private offered: PreBegun | undefined;
  /** The current request's id (answers sent with a commit name it). */
  requestId = 0;
  /** Whether the coordinator can run the current request again (its commit may be handed off). */
  rerunnable = false;

  constructor(readonly kind: 'sqlite' | 'postgres', private readonly port: Pick<MessagePort, 'postMessage'>) {}

  /** Feed replies from the coordinator here. */
  receive(reply: KvReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply);
    else p.reject(toError(reply.error));
  }

  call(req: WithoutId<KvRequest>): Promise<Extract<KvReply, { ok: true }>> {
    if (this.closed) return Promise.reject(new Error('storage engine is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ ...req, type: 'kv', id } as KvRequest);
    });
  }

  /** Sends `req` and awaits no reply (a handed-off commit: the coordinator settles it). */
  post(req: WithoutId<KvRequest>): void {
    if (this.closed) throw new Error('storage engine is closed');
    this.port.postMessage({ ...req, type: 'kv', id: 0 } as KvRequest);
  }

  /** Called with each request: its id and pre-begun transaction, if any (replaces an unused one). */
  offer(pre: PreBegun | undefined, requestId = 0, rerunnable = false): void {
    this.requestId = requestId;
    this.offered = pre;
    this.rerunnable = rerunnable;
  }

  async begin(opts?: BeginOptions): Promise<KvTxn> {
    const readOnly = opts?.readOnly === true;
    const b = await this.beginRemote(readOnly, opts?.minTs);
    return new RemoteTxn(this, b.txn, b.ts, readOnly, b.declare);
  }

  /**
   * Begins a transaction on the coordinator: the offered one if any (then `declare`: a read-only
   * begin must declare it so with its first operation), else by asking.
   */
  async beginRemote(readOnly: boolean, minTs?: bigint): Promise<{ txn: number; ts: bigint; declare: boolean }> {
    const pre = this.offered;
    if (pre !== undefined && !this.closed) {
      this.offered = undefined;
      return { txn: pre.txn, ts: pre.ts, declare: readOnly };
    }
    const r = await this.call({ op: 'begin', readOnly, minTs });
    return { txn: r.txn!, ts: r.ts!, declare: false };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

class RemoteTxn implements KvTxn {
  readonly stats: KvStats = { rowsRead: 0, bytesRead: 0, bytesWritten: 0 };
  private writes: WriteOp[] = [];
  private wrote = false;
  private finished = false;

  constructor(
    private readonly engine: RemoteKvEngine,
    private readonly id: number,
    readonly ts: bigint,
    private readonly readOnly: boolean,
    /** A pre-begun (read-write) transaction taken read-only: declared so with the first operation. */
    private declarePending = false,
  ) {}

  /** `readOnly: true` for the first operation of a transaction to declare read-only. */
  private declaration(): { readOnly?: true } {
    if (!this.declarePending) return {};
    this.declarePending = false;
    return { readOnly: true };
  }

  get hasWrites(): boolean {
    return this.wrote;
  }

  /** The writes buffered since the last operation, handed over with the next one. */
  private takeWrites(): WriteOp[] | undefined {
    if (this.writes.length === 0) return undefined;
    const w = this.writes;
    this.writes = [];
    return w;
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    this.ensureOpen();
    const r = await this.engine.call({ op: 'get', txn: this.id, key, writes: this.takeWrites(), ...this.declaration() });
    this.stats.rowsRead++;
    if (r.value !== undefined) this.stats.bytesRead += key.length + r.value.length;
    return r.value;
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const r = await this.engine.call({
      op: 'scan', txn: this.id, start: opts.start, end: opts.end, reverse: opts.reverse, limit: opts.limit, writes: this.takeWrites(),
      ...this.declaration(),
    });
    const rows = r.rows ? unpackRows(r.rows)[0] : [];
    this.stats.rowsRead += rows.length;
    for (const row of rows) this.stats.bytesRead += row.key.length + row.value.length;
    return rows;
  }

  async scanMany(opts: readonly ScanOptions[]): Promise<KvPair[][]> {
    this.ensureOpen();
    const r = await this.engine.call({
      op: 'scanMany', txn: this.id, writes: this.takeWrites(), ...this.declaration(), ...packScans(opts),
    });
    const batches = r.rows ? unpackRows(r.rows) : [];
    for (const rows of batches) {
      this.stats.rowsRead += rows.length;
      for (const row of rows) this.stats.bytesRead += row.key.length + row.value.length;
    }
    return batches;
  }

  put(key: Bytes, value: Bytes): void {
    this.ensureWritable();
    this.writes.push({ key, value });
    this.wrote = true;
    this.stats.bytesWritten += key.length + value.length;
  }

  delete(key: Bytes): void {
    this.ensureWritable();
    this.writes.push({ key });
    this.wrote = true;
    this.stats.bytesWritten += key.length;
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    await this.engine.call({ op: 'commit', txn: this.id, writes: this.takeWrites(), ...this.declaration() });
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.writes = [];
    await this.engine.call({ op: 'rollback', txn: this.id });
  }

  async rollbackStale(): Promise<string | undefined> {
    if (this.finished) return undefined;
    this.finished = true;
    this.writes = [];
    return (await this.engine.call({ op: 'rollbackStale', txn: this.id })).stale;
  }

  private ensureOpen(): void {
    if (this.finished) throw new Error('transaction is already committed or rolled back');
  }

  private ensureWritable(): void {
    this.ensureOpen();
    if (this.readOnly) throw new KvReadOnlyError();
  }
}
