// The coordinator's side of storage for one worker: it opens, reads, writes and ends
// transactions on the real engine on the worker's behalf. Every transaction a worker begins is
// tracked, so that when the worker is terminated (deadline, memory) its open transactions are
// rolled back and nothing it had not committed is applied.
import { type ForeignReads, KvConflictError, KvReadOnlyError, type KvEngine, type KvTxn, type ScanOptions } from '../../storage/kv';
import type { KvErrorInfo, KvReply, KvRequest, PreBegun, WriteOp } from './protocol';
import { packRows, unpackBytes } from './packed-bytes';

function errorInfo(e: unknown): KvErrorInfo {
  if (e instanceof KvConflictError) return { kind: 'conflict', detail: e.detail };
  if (e instanceof KvReadOnlyError) return { kind: 'readOnly' };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

/** A copy that owns exactly its bytes (a Buffer may view a larger shared slab). */
function own(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}

export class KvHost {
  private readonly txns = new Map<number, KvTxn>();
  private nextTxn = 1;

  constructor(private readonly engine: KvEngine) {}

  /** Number of transactions this worker has open. */
  get openTransactions(): number {
    return this.txns.size;
  }

  /**
   * Begins a read-write transaction for the worker's next request, if the engine can do so
   * without I/O (read-write: the worker's query may write; the worker itself refuses writes in
   * a transaction it asked to be read-only).
   */
  preBegin(): PreBegun | undefined {
    const txn = this.engine.beginNow?.();
    if (txn === undefined) return undefined;
    const id = this.nextTxn++;
    this.txns.set(id, txn);
    return { txn: id, ts: txn.ts };
  }

  /** Rolls back a transaction if it is still open (a pre-begun one the request did not use). */
  async discard(id: number): Promise<void> {
    const txn = this.txns.get(id);
    if (!txn) return;
    this.txns.delete(id);
    await txn.rollback();
  }

  async handle(req: KvRequest): Promise<KvReply> {
    try {
      return { type: 'kv', id: req.id, ok: true, ...(await this.run(req)) };
    } catch (e) {
      return { type: 'kv', id: req.id, ok: false, error: errorInfo(e) };
    }
  }

  private async run(req: KvRequest): Promise<Omit<Extract<KvReply, { ok: true }>, 'type' | 'id' | 'ok'>> {
    switch (req.op) {
      case 'begin': {
        const txn = await this.engine.begin({ readOnly: req.readOnly, minTs: req.minTs });
        const id = this.nextTxn++;
        this.txns.set(id, txn);
        return { txn: id, ts: txn.ts };
      }
      case 'get': {
        const txn = this.apply(req.txn, req.writes, req.readOnly);
        const value = await txn.get(req.key);
        return value === undefined ? {} : { value: own(value) };
      }
      case 'scan': {
        const txn = this.apply(req.txn, req.writes, req.readOnly);
        const rows = await txn.scan({ start: req.start, end: req.end, reverse: req.reverse, limit: req.limit });
        return { rows: packRows([rows]) };
      }
      case 'scanMany': {
        const txn = this.apply(req.txn, req.writes, req.readOnly);
        const bounds = unpackBytes(req.bounds);
        const scans: ScanOptions[] = req.scans.map((s, i) => ({ start: bounds[2 * i], end: bounds[2 * i + 1], reverse: s.reverse, limit: s.limit }));
        // The engine's own batch when it has one (SQLite: one read transaction for all).
        const batches = txn.scanMany ? await txn.scanMany(scans) : await Promise.all(scans.map((s) => txn.scan(s)));
        return { rows: packRows(batches) };
      }
      case 'commit': {
        const txn = this.apply(req.txn, req.writes, req.readOnly);
        if (req.reads) this.addReads(txn, req.reads);
        this.txns.delete(req.txn);
        try {
          await txn.commit();
        } catch (e) {
          await txn.rollback();
          throw e;
        }
        return {};
      }
      case 'rollback': {
        const txn = this.txns.get(req.txn);
        this.txns.delete(req.txn);
        await txn?.rollback();
        return {};
      }
      case 'rollbackStale': {
        const txn = this.txns.get(req.txn);
        this.txns.delete(req.txn);
        if (!txn) return {};
        try {
          if (req.reads) this.addReads(txn, req.reads);
        } catch (e) {
          await txn.rollback();
          throw e;
        }
        const stale = await txn.rollbackStale();
        return stale === undefined ? {} : { stale };
      }
    }
  }

  private apply(id: number, writes: readonly WriteOp[] | undefined, readOnly?: true): KvTxn {
    const txn = this.txns.get(id);
    if (!txn) throw new Error(`transaction ${id} is not open`);
    if (readOnly) txn.declareReadOnly?.();
    if (writes) {
      for (const w of writes) {
        if (w.value === undefined) txn.delete(w.key);
        else txn.put(w.key, w.value);
      }
    }
    return txn;
  }

  private addReads(txn: KvTxn, reads: ForeignReads): void {
    if (!txn.addReads) throw new Error('this storage engine cannot validate reads made elsewhere');
    txn.addReads(reads);
  }

  /** Rolls back every transaction still open (the worker is gone). */
  async abandonAll(): Promise<void> {
    const open = [...this.txns.values()];
    this.txns.clear();
    await Promise.all(open.map((t) => t.rollback().catch(() => undefined)));
  }
}
