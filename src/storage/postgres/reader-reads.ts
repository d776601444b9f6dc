// What a PostgreSQL reader read, kept so that it can move to a newer snapshot (txn.ts renew).
//
// A reader records no read set for validation (it commits nothing), so its renewal re-reads: in
// the new snapshot it looks up every key it read and re-runs every scan. If all of them return
// what they returned before, every read the transaction made is a read of the new snapshot too,
// and it goes on there as if it had begun at the new ts (serializable at that ts). Otherwise it
// conflicts and the query is retried. Scans' rows are kept as they were read until the first
// renewal, then as a digest, so a long reader does not hold every row it ever scanned.
import { createHash } from 'node:crypto';
import { keyString } from '../bytes';
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
  /** Keys looked up (keyString), with what was found (undefined: nothing). */
  private readonly points = new Map<string, { readonly key: Bytes; readonly value: Bytes | undefined }>();
  private readonly scans: ScanRecord[] = [];

  point(key: Bytes, value: Bytes | undefined): void {
    const ks = keyString(key);
    if (!this.points.has(ks)) this.points.set(ks, { key, value });
  }

  scan(spec: ScanSpec, rows: KvPair[]): void {
    this.scans.push({ spec, rows, digest: undefined });
  }

  /** Whether every read returns the same in `source`'s snapshot; scans keep only digests from now. */
  async unchangedIn(source: RereadSource): Promise<boolean> {
    if (this.points.size > 0) {
      const now = await source.getMany([...this.points.values()].map((p) => p.key));
      for (const [ks, { value }] of this.points) {
        const current = now.get(ks);
        if (current === undefined ? value !== undefined : value === undefined || !sameBytes(current, value)) return false;
      }
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
  const len = Buffer.alloc(8);
  for (const { key, value } of rows) {
    len.writeUInt32BE(key.length, 0);
    len.writeUInt32BE(value.length, 4);
    hash.update(len).update(key).update(value);
  }
  return hash.digest('base64');
}
