// What a transaction's results depended on: keys looked up (present or not) and key ranges
// scanned, as latin1 key strings (see bytes.keyString) so that `<` compares bytewise. Both
// optimistic engines validate it at commit (SQLite against its in-memory commit log, PostgreSQL
// against the kv_writes table).
//
// Validation runs on the coordinator's thread, once per commit recorded since the transaction
// began, so its cost must not grow with the product of the two: one query may scan a hundred
// thousand ranges (an index lookup per iteration of a fold) while thousands of commits land.
// The ranges are therefore kept sorted and merged into disjoint ones, and a check walks the
// smaller side, binary-searching the other: O(min(keys, ranges) · log(max)) per commit.
import { keyString } from './bytes';
import type { ForeignReads, KvPair, ScanOptions } from './kv';
import { lowerBound } from './overlay';

export interface KeyRange {
  /** Inclusive. */
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
}

/** Sorted, overlapping and adjacent ranges merged: disjoint and ascending. */
function coalesce(ranges: KeyRange[]): KeyRange[] {
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: KeyRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) {
      if (r.end > last.end) out[out.length - 1] = { start: last.start, end: r.end };
    } else {
      out.push(r);
    }
  }
  return out;
}

export class ReadSet {
  readonly points = new Set<string>();
  private added: KeyRange[] = [];
  /** Whether `added` is coalesced (sorted, disjoint) since the last range was added. */
  private merged = true;

  get isEmpty(): boolean {
    return this.points.size === 0 && this.added.length === 0;
  }

  /** The ranges read, disjoint and ascending. */
  get ranges(): readonly KeyRange[] {
    if (!this.merged) {
      this.added = coalesce(this.added);
      this.merged = true;
    }
    return this.added;
  }

  addRange(start: string, end: string): void {
    if (start >= end) return;
    const last = this.added[this.added.length - 1];
    // Scans in ascending order (and repeats of the last one) keep the list coalesced.
    if (this.merged && last !== undefined && start <= last.end) this.merged = false;
    this.added.push({ start, end });
  }

  /** As plain strings, to hand to another thread (merged first: less to send and to sort there). */
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
    const ranges = this.ranges;
    if (ranges.length <= sortedKeys.length) {
      for (const r of ranges) {
        const i = lowerBound(sortedKeys, r.start);
        if (i < sortedKeys.length && sortedKeys[i] < r.end) return true;
      }
      return false;
    }
    for (const k of sortedKeys) {
      // The last range starting at or before k is the only one that can hold it.
      const i = rangeAtOrBefore(ranges, k);
      if (i >= 0 && k < ranges[i].end) return true;
    }
    return false;
  }
}

/** Index of the last range whose start is <= key, or -1. */
function rangeAtOrBefore(ranges: readonly KeyRange[], key: string): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid].start <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
