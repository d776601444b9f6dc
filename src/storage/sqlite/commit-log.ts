// The in-memory history used by optimistic concurrency control: for each transaction that
// committed recently, its commit sequence number, timestamp, written keys and (when some older
// transaction might still need them) the keys and ranges it read.
//
// Why this makes the engine serializable in *timestamp* order. Timestamps are assigned at begin,
// so a writer's ts can be lower than that of a transaction that committed before it. Committing
// transaction T (timestamp t, begun when the log was at sequence s) is rejected if:
//   1. a transaction that committed after s wrote a key or into a range T read: T's reads were
//      not all of one state, or are stale for T's writes (classic backward validation);
//   2. a transaction C with C.ts > t that already committed read or wrote a key T writes: C must
//      come after T in timestamp order but did not see (or was overwritten by) T's write.
// With both rules, every conflicting pair of committed transactions is ordered by ts, so ts order
// is a serial order and reads never depend on a write with a larger ts.
//
// Read-only transactions are validated too (rule 1). Reads go to the latest committed state, not a
// snapshot, so a read-only transaction could otherwise observe half of one writer's effects (key a
// before the writer committed, key b after). If nothing it read changed since it began, every read
// equals the state at begin, which is consistent with its timestamp. This relies on callers
// committing read-only transactions before using their results, as the server does.
import { lowerBound } from '../overlay';
import type { ReadSet } from '../read-set';

export interface CommitRecord {
  readonly csn: number;
  readonly ts: bigint;
  /** Ascending. */
  readonly writes: readonly string[];
  /** Only kept while a transaction with a lower ts that may still write is running (rule 2). */
  readonly reads: ReadSet | undefined;
}

export interface CommitCandidate {
  readonly startCsn: number;
  readonly ts: bigint;
  readonly reads: ReadSet;
  /** Ascending. */
  readonly writes: readonly string[];
}

export class CommitLog {
  private records: CommitRecord[] = [];
  /** Sequence number of the latest commit. */
  private csn = 0;
  /** Records up to this sequence number have been dropped. */
  private truncatedCsn = 0;

  /** `capacity`: records kept at most; older transactions then fail validation. */
  constructor(private readonly capacity: number) {}

  get currentCsn(): number {
    return this.csn;
  }

  /** Undefined if `txn` may commit, otherwise what it conflicted with. */
  validate(txn: CommitCandidate): string | undefined {
    if (txn.startCsn < this.truncatedCsn) return 'transaction too old to validate';
    for (let i = this.records.length - 1; i >= 0; i--) {
      const rec = this.records[i];
      if (rec.csn <= txn.startCsn) break;
      if (txn.reads.intersects(rec.writes)) return 'data read by this transaction was modified concurrently';
      if (rec.ts > txn.ts && txn.writes.length > 0) {
        if (rec.reads !== undefined && rec.reads.intersects(txn.writes)) {
          return 'a newer transaction read data this transaction writes';
        }
        if (sortedIntersect(rec.writes, txn.writes)) return 'a newer transaction wrote the same data';
      }
    }
    return undefined;
  }

  append(ts: bigint, writes: readonly string[], reads: ReadSet | undefined): void {
    this.records.push({ csn: ++this.csn, ts, writes, reads });
    if (this.records.length > this.capacity) this.dropThrough(this.records.length - this.capacity);
  }

  /** Forgets records no running transaction needs: those at or before `oldestStartCsn`. */
  trim(oldestStartCsn: number): void {
    let n = 0;
    while (n < this.records.length && this.records[n].csn <= oldestStartCsn) n++;
    if (n > 0) this.dropThrough(n);
  }

  private dropThrough(count: number): void {
    this.truncatedCsn = this.records[count - 1].csn;
    this.records = this.records.slice(count);
  }
}

function sortedIntersect(a: readonly string[], b: readonly string[]): boolean {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  for (const k of small) if (large[lowerBound(large, k)] === k) return true;
  return false;
}
