import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KvPair } from '../../src/storage/kv';
import { WriteOverlay } from '../../src/storage/overlay';

const k = (n: number): Uint8Array => new Uint8Array([n]);
const pair = (n: number, v: string): KvPair => ({ key: k(n), value: Buffer.from(v) });
const show = (rows: readonly KvPair[]): string[] => rows.map((r) => `${r.key[0]}=${Buffer.from(r.value).toString()}`);

/** The committed rows a scan would fetch: in range, in order, up to the limit. */
function fetchBase(all: readonly KvPair[], start: number, end: number, reverse: boolean, limit: number | undefined): KvPair[] {
  const rows = all.filter((p) => p.key[0] >= start && p.key[0] < end);
  if (reverse) rows.reverse();
  return limit === undefined ? rows : rows.slice(0, limit);
}

test('overlay: lookups see the latest buffered write', () => {
  const o = new WriteOverlay();
  assert.equal(o.lookup(k(1)), undefined);
  o.put(k(1), Buffer.from('a'));
  o.put(k(1), Buffer.from('b'));
  o.delete(k(2));
  assert.equal(Buffer.from(o.lookup(k(1))?.value as Uint8Array).toString(), 'b');
  assert.deepEqual(o.lookup(k(2)), { key: k(2), value: undefined });
  assert.equal(o.size, 2);
  assert.deepEqual(o.sortedKeyStrings(), ['\x01', '\x02']);
});

test('overlay: merged scans match a model for every range, direction and limit', () => {
  const committed = [1, 3, 5, 7, 9].map((n) => pair(n, `c${n}`));
  const o = new WriteOverlay();
  o.put(k(0), Buffer.from('o0'));
  o.put(k(5), Buffer.from('o5'));
  o.delete(k(3));
  o.delete(k(7));
  o.delete(k(8)); // not committed: deleting it changes nothing
  o.put(k(10), Buffer.from('o10'));
  const model = new Map<number, string>([[1, 'c1'], [9, 'c9'], [0, 'o0'], [5, 'o5'], [10, 'o10']]);
  for (let start = 0; start <= 11; start++) {
    for (let end = start; end <= 11; end++) {
      for (const reverse of [false, true]) {
        for (const limit of [undefined, 0, 1, 2, 3, 6]) {
          const opts = { start: k(start), end: k(end), reverse, limit };
          const base = fetchBase(committed, start, end, reverse, o.baseLimit(opts));
          const expected = [...model.keys()]
            .filter((n) => n >= start && n < end)
            .sort((a, b) => (reverse ? b - a : a - b))
            .slice(0, limit ?? Infinity)
            .map((n) => `${n}=${model.get(n)}`);
          assert.deepEqual(show(o.merge(base, opts)), expected, JSON.stringify({ start, end, reverse, limit }));
        }
      }
    }
  }
});

test('overlay: an empty overlay passes committed rows through', () => {
  const o = new WriteOverlay();
  const base = [pair(1, 'a'), pair(2, 'b')];
  assert.equal(o.baseLimit({ start: k(0), end: k(9), limit: 1 }), 1);
  assert.equal(o.baseLimit({ start: k(0), end: k(9) }), undefined);
  assert.deepEqual(show(o.merge(base, { start: k(0), end: k(9), limit: 1 })), ['1=a']);
});
