// The history checker (elle.ts) on hand-made histories: a valid one passes, and each anomaly it
// exists to catch is flagged with the right kind. (Anomaly names after Adya's and Jepsen Elle's;
// the e2e runs are in test/e2e/consistency-checker.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, minimalHistory, type Mop, type Op, type Outcome, type SnapshotRead } from './elle';

let nextId = 0;
/** An op invoked at `invoke`, completed at `complete`, with ts `ts`. */
function op(mops: Mop[], ts: number | undefined, invoke: number, complete: number, outcome: Outcome = 'ok'): Op {
  return { id: ++nextId, mops, invoke, complete, ts: ts === undefined ? undefined : BigInt(ts), outcome };
}
const append = (k: string, v: number): Mop => ({ f: 'append', k, v });
const w = (k: string, v: unknown, g?: number): Mop => (g === undefined ? { f: 'w', k, v } : { f: 'w', k, v, g });
const r = (k: string, value: unknown): Mop => ({ f: 'r', k, value });
const range = (g: number, value: Record<string, unknown>): Mop => ({ f: 'range', g, value });

/** Commits of the ok writers (the common case: every acknowledged writer committed at its ts). */
function commitsOf(history: Op[], extra: [Op, number][] = []): Map<number, bigint> {
  const m = new Map<number, bigint>();
  for (const o of history) if (o.outcome === 'ok' && o.mops.some((x) => x.f === 'append' || x.f === 'w')) m.set(o.id, o.ts!);
  for (const [o, ts] of extra) m.set(o.id, BigInt(ts));
  return m;
}

function kinds(history: Op[], commits = commitsOf(history), snapshots?: SnapshotRead[]): string[] {
  return check({ history, commits, snapshots }).anomalies.map((a) => a.kind).sort();
}

describe('elle-style history checker', () => {
  it('passes a valid history of list appends, registers, range reads and snapshots', () => {
    const setup = op([w('a', []), w('x', null, 0), w('y', null, 0)], 10, 0, 1);
    const h = [
      setup,
      op([append('a', 1), r('a', [1])], 20, 2, 3),
      // Concurrent with the next one (overlapping in real time): either ts order is fine.
      op([r('a', [1]), append('a', 2), w('x', 7, 1)], 40, 4, 8),
      op([r('a', [1]), range(0, { x: null, y: null })], 30, 5, 9),
      op([range(1, { x: 7 }), range(0, { y: null }), r('a', [1, 2])], 50, 10, 11),
      op([append('a', 3)], undefined, 12, 13, 'fail'),
      op([r('a', [1, 2]), r('x', 7)], 60, 14, 15),
    ];
    const snaps: SnapshotRead[] = [
      { ts: 10n, k: 'a', value: [] }, { ts: 35n, k: 'a', value: [1] }, { ts: 40n, k: 'a', value: [1, 2] }, { ts: 35n, k: 'x', value: null },
    ];
    const res = check({ history: h, commits: commitsOf(h), snapshots: snaps });
    assert.deepEqual(res.anomalies, []);
    assert.equal(res.committed, 6);
    assert.equal(res.readsChecked, 9);
    assert.deepEqual(res.counts, { ok: 6, fail: 1, unknown: 0 });
  });

  it('flags a lost update: two appends read the same list and one overwrites the other', () => {
    const h = [
      op([w('a', [])], 10, 0, 1),
      op([r('a', []), append('a', 1)], 20, 2, 5),
      op([r('a', []), append('a', 2)], 30, 3, 6), // did not see 1, though 1 has the lower ts
      op([r('a', [2])], 40, 7, 8),
    ];
    assert.deepEqual(kinds(h), ['lost-append', 'lost-append']);
  });

  it('flags a stale read of a register, noting real time', () => {
    const wr = op([w('x', 1)], 20, 2, 3);
    const h = [op([w('x', 0)], 10, 0, 1), wr, op([r('x', 0)], 30, 4, 5)];
    const res = check({ history: h, commits: commitsOf(h) });
    assert.deepEqual(res.anomalies.map((a) => a.kind), ['stale-read']);
    assert.match(res.anomalies[0].detail, /acknowledged before the read was invoked/);
    assert.deepEqual(res.anomalies[0].ops, [h[2].id, wr.id]);
  });

  it('flags a stale list read that a later read contradicts', () => {
    const h = [op([w('a', [])], 10, 0, 1), op([append('a', 1)], 20, 2, 3), op([r('a', [])], 30, 4, 5), op([r('a', [1])], 40, 6, 7)];
    assert.deepEqual(kinds(h), ['stale-read']);
  });

  it('flags a real-time violation: acknowledged first, yet the higher ts', () => {
    const h = [op([w('x', 1)], 50, 0, 1), op([w('y', 1)], 40, 2, 3)];
    assert.deepEqual(kinds(h), ['realtime']);
  });

  it('a read-only transaction may share the ts of one acknowledged before it; a writer may not', () => {
    // Two reads of one snapshot, one after the other (readers capped below a writer in flight).
    const reads = [op([w('x', 1)], 10, 0, 1), op([r('x', 1)], 20, 2, 3), op([r('x', 1)], 20, 4, 5)];
    assert.deepEqual(kinds(reads), []);
    // A read at the ts of a write acknowledged before it reads that write.
    assert.deepEqual(kinds([op([w('x', 1)], 10, 0, 1), op([r('x', 1)], 10, 2, 3)]), []);
    // A write at the ts of a read acknowledged before it would be visible to that read: flagged.
    const write = [op([w('x', 1)], 10, 0, 1), op([r('x', 1)], 20, 2, 3), op([w('y', 1)], 20, 4, 5)];
    assert.deepEqual(kinds(write), ['realtime']);
  });

  it('flags a non-repeatable at(): a historical read that later shows a write with a higher ts', () => {
    const h = [op([w('a', [])], 10, 0, 1), op([append('a', 1)], 20, 2, 3), op([append('a', 2)], 30, 4, 5)];
    assert.deepEqual(kinds(h, commitsOf(h), [{ ts: 25n, k: 'a', value: [1] }]), []);
    assert.deepEqual(kinds(h, commitsOf(h), [{ ts: 25n, k: 'a', value: [1, 2] }]), ['non-repeatable-at']);
  });

  it('flags reads of aborted, future and garbage values', () => {
    const failed = op([append('a', 9)], undefined, 2, 3, 'fail');
    const h = [op([w('a', [])], 10, 0, 1), failed, op([r('a', [9])], 20, 4, 5)];
    assert.deepEqual(kinds(h), ['G1a-aborted-read']);
    const h2 = [op([w('x', 0)], 10, 0, 1), op([r('x', 5)], 20, 2, 6), op([w('x', 5)], 30, 3, 7)];
    assert.deepEqual(kinds(h2), ['G1c-future-read']);
    const h3 = [op([w('x', 0)], 10, 0, 1), op([r('x', 42)], 20, 2, 3)];
    assert.deepEqual(kinds(h3), ['garbage-read']);
  });

  it('flags elements out of append order and duplicated elements', () => {
    const h = [op([w('a', [])], 10, 0, 1), op([append('a', 1)], 20, 2, 3), op([append('a', 2)], 30, 4, 5), op([r('a', [2, 1])], 40, 6, 7)];
    assert.deepEqual(kinds(h), ['G0-write-order']);
    const h2 = [op([w('a', [])], 10, 0, 1), op([append('a', 1)], 20, 2, 3), op([r('a', [1, 1])], 40, 6, 7)];
    assert.deepEqual(kinds(h2), ['duplicate-append']);
  });

  it('flags phantoms in a range read', () => {
    const h = [op([w('x', 0, 0), w('y', 0, 0)], 10, 0, 1), op([w('y', 1, 1)], 20, 2, 3), op([range(0, { x: 0, y: 1 })], 30, 4, 5)];
    assert.deepEqual(kinds(h), ['phantom']);
  });

  it('accepts an unknown outcome either way, but never a partial effect', () => {
    const setup = op([w('a', []), w('b', [])], 10, 0, 1);
    const unknown = op([append('a', 1), append('b', 1)], undefined, 2, 3, 'unknown');
    // Committed (ts 20, from its marker): both appends are visible.
    const seen = [setup, unknown, op([r('a', [1]), r('b', [1])], 30, 4, 5)];
    assert.deepEqual(kinds(seen, commitsOf(seen, [[unknown, 20]])), []);
    // Not committed: neither is visible.
    const unseen = [setup, unknown, op([r('a', []), r('b', [])], 30, 4, 5)];
    assert.deepEqual(kinds(unseen), []);
    // Half of it visible: flagged whichever way the marker says it went.
    const half = [setup, unknown, op([r('a', [1]), r('b', [])], 30, 4, 5)];
    assert.deepEqual(kinds(half), ['G1a-aborted-read']);
    assert.deepEqual(kinds(half, commitsOf(half, [[unknown, 20]])), ['lost-append']);
  });

  it('flags lost acknowledged writes, wrong txn_ts, failed ops that committed, shared ts', () => {
    const acked = op([w('x', 1)], 20, 2, 3);
    const failed = op([w('y', 1)], undefined, 4, 5, 'fail');
    const h = [op([w('x', 0), w('y', 0)], 10, 0, 1), acked, failed];
    assert.deepEqual(kinds(h, new Map([[h[0].id, 10n]])), ['lost-write']);
    assert.deepEqual(kinds(h, new Map([[h[0].id, 10n], [acked.id, 21n]])), ['ts-mismatch']);
    assert.deepEqual(kinds(h, new Map([[h[0].id, 10n], [acked.id, 20n], [failed.id, 30n]])), ['aborted-committed']);
    const h2 = [op([w('x', 0)], 10, 0, 1), op([w('y', 0)], 10, 2, 3)];
    assert.deepEqual(kinds(h2), ['duplicate-ts', 'realtime']);
  });

  it('extracts a minimal history: the ops involved and the writes of their keys between their timestamps', () => {
    const h = [op([w('x', 0)], 10, 0, 1), op([w('y', 0)], 11, 2, 3), op([w('x', 1)], 20, 4, 5), op([w('x', 2)], 25, 6, 7),
      op([r('x', 1)], 30, 8, 9), op([w('x', 3)], 40, 10, 11)];
    const [a] = check({ history: h, commits: commitsOf(h) }).anomalies;
    assert.equal(a.kind, 'stale-read');
    assert.deepEqual(minimalHistory(h, a, commitsOf(h)).map((o) => o.id), [h[3].id, h[4].id]);
  });
});
