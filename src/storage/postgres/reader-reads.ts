// What a PostgreSQL reader read, kept so that it can move to a newer snapshot (txn.ts renew).
//
// A reader records no read set for validation (it commits nothing), so its renewal re-reads: in
// the new snapshot it looks up every key it read and re-runs every scan. If all of them return
// what they returned before, every read the transaction made is a read of the new snapshot too,
// and it goes on there as if it had begun at the new ts (serializable at that ts). Otherwise it
// conflicts and the query is retried. Values and scanned rows are kept as they were read until
// the next renewal, then only as digests (and the keys, to read again), so a long reader does not
// hold every value it ever read.
import { createHash, type Hash } from 'node:crypto';
import type { Bytes, KvPair } from '../kv';

/** A scan as sent to the database (the limit after the overlay, null for none). */
export interface ScanSpec {
  readonly start: Bytes;
  readonly end: Bytes;
  readonly limit: number | null;
  readonly reverse: boolean;
}

/** The database reads a renewal makes, in the new snapshot. */
export interface RereadSource {
  /** The values of `keys` that exist, by keyString. */
  getMany(keys: readonly Bytes[]): Promise<Map<string, Bytes>>;
  scan(spec: ScanSpec): Promise<KvPair[]>;
}

interface ScanRecord {
  readonly spec: ScanSpec;
  /** The rows as read, until a renewal replaces them with their digest. */
  rows: KvPair[] | undefined;
  digest: string | undefined;
}

export class ReaderReads {
  /** Every key looked up (by keyString), in the order first read. */
  private readonly keys = new Map<string, Bytes>();
  /** What the keys read since the last renewal returned (undefined: nothing). */
  private readonly fresh = new Map<string, Bytes | undefined>();
  /** The first `settled` keys were checked by a renewal; `settledDigest` is what they read then. */
  private settled = 0;
  private settledDigest = '';
  private readonly scans: ScanRecord[] = [];

  /** A lookup of `key` (`ks`: its keyString, which the caller has) that found `value`. */
  point(ks: string, key: Bytes, value: Bytes | undefined): void {
    if (this.keys.has(ks)) return;
    this.keys.set(ks, key);
    this.fresh.set(ks, value);
  }

  scan(spec: ScanSpec, rows: KvPair[]): void {
    this.scans.push({ spec, rows, digest: undefined });
  }

  /**
   * Whether every read returns the same in `source`'s snapshot. From then on only digests are
   * kept of what was read (and the keys, to read them again), so a long reader does not hold
   * every value it ever read.
   */
  async unchangedIn(source: RereadSource): Promise<boolean> {
    if (this.keys.size > 0) {
      const now = await source.getMany([...this.keys.values()]);
      const settled = createHash('sha256');
      const all = createHash('sha256');
      let i = 0;
      for (const ks of this.keys.keys()) {
        const current = now.get(ks);
        if (i < this.settled) addRow(settled, ks, current);
        else {
          const was = this.fresh.get(ks);
          if (current === undefined ? was !== undefined : was === undefined || !sameBytes(current, was)) return false;
        }
        addRow(all, ks, current);
        i++;
      }
      if (this.settled > 0 && settled.digest('base64') !== this.settledDigest) return false;
      this.settled = this.keys.size;
      this.settledDigest = all.digest('base64');
      this.fresh.clear();
    }
    for (const record of this.scans) {
      const rows = await source.scan(record.spec);
      const digest = digestOf(rows);
      if (record.rows !== undefined ? !sameRows(record.rows, rows) : digest !== record.digest) return false;
      record.rows = undefined;
      record.digest = digest;
    }
    return true;
  }
}

function sameBytes(a: Bytes, b: Bytes): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function sameRows(a: readonly KvPair[], b: readonly KvPair[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!sameBytes(a[i].key, b[i].key) || !sameBytes(a[i].value, b[i].value)) return false;
  }
  return true;
}

/** SHA-256 over the rows, each length-prefixed, so that no two different lists share it. */
function digestOf(rows: readonly KvPair[]): string {
  const hash = createHash('sha256');
  for (const { key, value } of rows) addRow(hash, key, value);
  return hash.digest('base64');
}

/** Adds a key and its value (or its absence) to `hash`, length-prefixed. */
function addRow(hash: Hash, key: Bytes | string, value: Bytes | undefined): void {
  const k = typeof key === 'string' ? Buffer.from(key, 'latin1') : key;
  const len = Buffer.alloc(9);
  len.writeUInt32BE(k.length, 0);
  len.writeUInt32BE(value?.length ?? 0, 4);
  len[8] = value === undefined ? 0 : 1;
  hash.update(len).update(k);
  if (value !== undefined) hash.update(value);
}
