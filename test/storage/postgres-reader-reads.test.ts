// A PostgreSQL reader moving to a newer snapshot (src/storage/postgres/reader-reads.ts) goes on
// only if everything it read reads the same there: keys looked up (found or not) and scans. After
// a renewal only digests of what was read are kept, and later renewals compare against them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyString } from '../../src/storage/bytes';
import type { Bytes, KvPair } from '../../src/storage/kv';
import { ReaderReads, type RereadSource, type ScanSpec } from '../../src/storage/postgres/reader-reads';

const b = (s: string): Bytes => Buffer.from(s);

/** A snapshot: sorted key/value pairs. */
function snapshot(entries: Record<string, string>): RereadSource {
  const rows = Object.entries(entries).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]): KvPair => ({ key: b(k), value: b(v) }));
  return {
    async getMany(keys) {
      const out = new Map<string, Bytes>();
      for (const k of keys) {
        const hit = rows.find((r) => Buffer.compare(r.key, k) === 0);
        if (hit) out.set(keyString(k), hit.value);
      }
      return out;
    },
    async scan(spec: ScanSpec) {
      const inRange = rows.filter((r) => Buffer.compare(r.key, spec.start) >= 0 && Buffer.compare(r.key, spec.end) < 0);
      if (spec.reverse) inRange.reverse();
      return spec.limit === null ? inRange : inRange.slice(0, spec.limit);
    },
  };
}

const range: ScanSpec = { start: b('r/'), end: b('r0'), limit: 2, reverse: false };

function readsOf(state: Record<string, string>): ReaderReads {
  const reads = new ReaderReads();
  reads.point('a', b('a'), state.a === undefined ? undefined : b(state.a));
  reads.point('missing', b('missing'), undefined);
  const rows = Object.keys(state).filter((k) => k.startsWith('r/')).sort().slice(0, 2).map((k) => ({ key: b(k), value: b(state[k]) }));
  reads.scan(range, rows);
  return reads;
}

const first = { a: '1', 'r/1': 'x', 'r/3': 'y', z: 'other' };

test('unchanged reads: the reader goes on, twice (the second time against digests)', async () => {
  const reads = readsOf(first);
  assert.equal(await reads.unchangedIn(snapshot({ ...first, z: 'changed elsewhere' })), true);
  assert.equal(await reads.unchangedIn(snapshot({ ...first, 'r/9': 'past the limit of 2' })), true);
});

for (const [label, next] of [
  ['a value read changed', { ...first, a: '2' }],
  ['a key read is gone', { 'r/1': 'x', 'r/3': 'y' }],
  ['a key found missing now exists', { ...first, missing: 'now' }],
  ['a scanned row changed', { ...first, 'r/3': 'y2' }],
  ['a row appeared inside the scanned prefix', { ...first, 'r/2': 'new' }],
] as const) {
  test(`${label}: conflict, at the first renewal and at a later one`, async () => {
    assert.equal(await readsOf(first).unchangedIn(snapshot(next)), false);
    const later = readsOf(first);
    assert.equal(await later.unchangedIn(snapshot(first)), true);
    assert.equal(await later.unchangedIn(snapshot(next)), false);
  });
}

test('keys read after a renewal are compared by value at the next one, the earlier ones by digest', async () => {
  const reads = readsOf(first);
  assert.equal(await reads.unchangedIn(snapshot(first)), true);
  reads.point('z', b('z'), b('other'));
  reads.point('a', b('a'), b('ignored: a was read first before'));
  assert.equal(await reads.unchangedIn(snapshot(first)), true);
  assert.equal(await reads.unchangedIn(snapshot({ ...first, z: 'changed' })), false);
});
