import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { ReadSet } from '../../src/storage/read-set';

const key = (n: number): string => String.fromCharCode(1, n >> 8, n & 0xff);

test('read set: intersects answers as a plain list of ranges would, in any order of reads', () => {
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let round = 0; round < 300; round++) {
    const rs = new ReadSet();
    const ranges: [number, number][] = [];
    const points = new Set<number>();
    for (let i = rand(20); i > 0; i--) {
      const a = rand(200), b = a + rand(30);
      ranges.push([a, b]);
      rs.addRange(key(a), key(b));
      if (rand(3) === 0) { const p = rand(260); points.add(p); rs.points.add(key(p)); }
      // Reading the ranges mid-way (PostgreSQL commits, toForeign) must not lose later ones.
      if (rand(4) === 0) void rs.ranges;
    }
    const copy = new ReadSet();
    copy.addForeign(rs.toForeign());
    for (let probe = 0; probe < 20; probe++) {
      const keys = [...new Set(Array.from({ length: 1 + rand(40) }, () => rand(260)))].sort((x, y) => x - y);
      const expected = keys.some((k) => points.has(k) || ranges.some(([a, b]) => a <= k && k < b));
      assert.equal(rs.intersects(keys.map(key)), expected, `round ${round}`);
      assert.equal(copy.intersects(keys.map(key)), expected, `round ${round} (foreign copy)`);
    }
    for (let i = 1; i < rs.ranges.length; i++) assert.ok(rs.ranges[i - 1].end < rs.ranges[i].start, 'disjoint and ascending');
  }
});

test('read set: a check costs O(min · log max), not ranges × keys', () => {
  const rs = new ReadSet();
  for (let i = 0; i < 200_000; i++) rs.addRange(`r${String((i * 7919) % 200_000).padStart(7, '0')}`, `r${String((i * 7919) % 200_000).padStart(7, '0')}\x00`);
  const t = performance.now();
  for (let c = 0; c < 2_000; c++) assert.equal(rs.intersects([`w${c}`, `x${c}`]), false);
  assert.ok(performance.now() - t < 2000, `2,000 checks took ${(performance.now() - t).toFixed(0)} ms`);
});
