// What a transaction's results depended on: keys looked up (present or not) and key ranges
// scanned, as latin1 key strings (see bytes.keyString) so that `<` compares bytewise. Both
// optimistic engines validate it at commit (SQLite against its in-memory commit log, PostgreSQL
// against the kv_writes table).
import { keyString } from './bytes';
import type { ForeignReads, KvPair, ScanOptions } from './kv';
import { lowerBound } from './overlay';

export interface KeyRange {
  /** Inclusive. */
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
}

export class ReadSet {
  readonly points = new Set<string>();
  readonly ranges: KeyRange[] = [];

  get isEmpty(): boolean {
    return this.points.size === 0 && this.ranges.length === 0;
  }

  addRange(start: string, end: string): void {
    if (start < end) this.ranges.push({ start, end });
  }

  /** As plain strings, to hand to another thread. */
  toForeign(): ForeignReads {
    const ranges: string[] = [];
    for (const r of this.ranges) ranges.push(r.start, r.end);
    return { points: [...this.points], ranges };
  }

  /** Adds reads made elsewhere (see toForeign). */
  addForeign(reads: ForeignReads): void {
    for (const p of reads.points) this.points.add(p);
    for (let i = 0; i + 1 < reads.ranges.length; i += 2) this.addRange(reads.ranges[i], reads.ranges[i + 1]);
  }

  /**
   * Records a scan that returned `rows`. A scan cut short by its limit depended only on the keys
   * up to the last one it returned.
   */
  addScan(opts: ScanOptions, rows: readonly KvPair[]): void {
    const start = keyString(opts.start);
    const end = keyString(opts.end);
    if (opts.limit === undefined || rows.length < opts.limit) this.addRange(start, end);
    else if (rows.length > 0) {
      const last = keyString(rows[rows.length - 1].key);
      if (opts.reverse) this.addRange(last, end);
      else this.addRange(start, last + '\x00');
    }
  }

  /** True if any of the keys (ascending) was read. */
  intersects(sortedKeys: readonly string[]): boolean {
    if (sortedKeys.length === 0) return false;
    if (this.points.size <= sortedKeys.length) {
      for (const p of this.points) if (sortedKeys[lowerBound(sortedKeys, p)] === p) return true;
    } else {
      for (const k of sortedKeys) if (this.points.has(k)) return true;
    }
    for (const r of this.ranges) {
      const i = lowerBound(sortedKeys, r.start);
      if (i < sortedKeys.length && sortedKeys[i] < r.end) return true;
    }
    return false;
  }
}
