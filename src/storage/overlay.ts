// A transaction's buffered writes, layered over the committed state for read-your-writes.
// Entries live in a Map keyed by the key's latin1 string (point lookups); the sorted key list
// needed by scans is rebuilt lazily, so a transaction that only writes never sorts anything.
import { compareBytes, keyString } from './bytes';
import type { Bytes, KvPair, ScanOptions } from './kv';

/** A buffered write: `value` undefined means the key is deleted. */
export interface OverlayEntry {
  readonly key: Bytes;
  readonly value: Bytes | undefined;
}

export class WriteOverlay {
  private readonly entries = new Map<string, OverlayEntry>();
  private sortedKeys: string[] | null = [];

  get size(): number {
    return this.entries.size;
  }

  put(key: Bytes, value: Bytes): void {
    this.set(key, value);
  }

  delete(key: Bytes): void {
    this.set(key, undefined);
  }

  private set(key: Bytes, value: Bytes | undefined): void {
    const k = keyString(key);
    if (!this.entries.has(k)) this.sortedKeys = null;
    this.entries.set(k, { key, value });
  }

  /** The buffered write for `key`, if any (a delete is an entry whose value is undefined). */
  lookup(key: Bytes): OverlayEntry | undefined {
    return this.entries.size === 0 ? undefined : this.entries.get(keyString(key));
  }

  /** All buffered writes, in no particular order. */
  writes(): IterableIterator<OverlayEntry> {
    return this.entries.values();
  }

  /** Latin1 key strings of all buffered writes, sorted. */
  sortedKeyStrings(): readonly string[] {
    if (this.sortedKeys === null) this.sortedKeys = [...this.entries.keys()].sort();
    return this.sortedKeys;
  }

  /** Buffered writes with start <= key < end, in ascending key order. */
  private inRange(start: Bytes, end: Bytes): OverlayEntry[] {
    if (this.entries.size === 0) return [];
    const keys = this.sortedKeyStrings();
    const s = keyString(start);
    const e = keyString(end);
    const out: OverlayEntry[] = [];
    for (let i = lowerBound(keys, s); i < keys.length && keys[i] < e; i++) {
      out.push(this.entries.get(keys[i]) as OverlayEntry);
    }
    return out;
  }

  /**
   * How many rows to fetch from the committed state so that merging yields `opts.limit` rows
   * whenever that many exist: each buffered delete in the range can hide one committed row.
   * Undefined means no limit.
   */
  baseLimit(opts: ScanOptions): number | undefined {
    if (opts.limit === undefined) return undefined;
    let deletes = 0;
    for (const entry of this.inRange(opts.start, opts.end)) if (entry.value === undefined) deletes++;
    return opts.limit + deletes;
  }

  /**
   * Merges committed rows (fetched in scan order with baseLimit(opts)) with the buffered writes
   * in the range, and applies the limit. If the base fetch was cut short by its limit, every
   * returned row still lies at or before its last row, since at least `limit` merged rows do.
   */
  merge(base: readonly KvPair[], opts: ScanOptions): KvPair[] {
    const limit = opts.limit ?? Infinity;
    const own = this.inRange(opts.start, opts.end);
    if (own.length === 0) return base.length > limit ? base.slice(0, limit) : (base as KvPair[]);
    const dir = opts.reverse ? -1 : 1;
    if (opts.reverse) own.reverse();
    const out: KvPair[] = [];
    let b = 0;
    let o = 0;
    while (out.length < limit && (b < base.length || o < own.length)) {
      const cmp = b >= base.length ? 1 : o >= own.length ? -1 : dir * compareBytes(base[b].key, own[o].key);
      if (cmp < 0) {
        out.push(base[b++]);
        continue;
      }
      if (cmp === 0) b++; // the buffered write replaces the committed row
      const entry = own[o++];
      if (entry.value !== undefined) out.push({ key: entry.key, value: entry.value });
    }
    return out;
  }
}

/** First index whose element is >= target in an ascending array. */
export function lowerBound(sorted: readonly string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
