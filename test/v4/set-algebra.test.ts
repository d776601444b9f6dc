// Unit tests of v4 set algebra over in-memory sets (no server): results and sources as core
// counts them, and the work a union does when many elements share one value, counted in key
// comparisons rather than timed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeys } from '../../src/v4/compare';
import { DifferenceSet, IntersectionSet, JoinSet, UnionSet } from '../../src/v4/model/set-algebra';
import { type SetEntry, type V4Set, type V4Value, long4, str4 } from '../../src/v4/values';

/** A leaf set of `[value, id]` elements keyed like an index with one value (value, then id). */
class ListSet implements V4Set {
  compared = 0;
  constructor(readonly name: string, private readonly elems: readonly (readonly [number, string])[]) {}
  render(): V4Value { return str4(this.name); }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number {
    this.compared++;
    return compareKeys(a, b);
  }
  async entries(): Promise<readonly SetEntry[]> {
    return this.elems.map(([v, id]) => ({ value: long4(v), key: [long4(v), str4(id)] }));
  }
}

/** Each element as `value/id <- source names`. */
const shown = (entries: readonly SetEntry[]) => entries.map((e) =>
  `${String((e.value as { v: bigint }).v)}/${String((e.key[1] as { v: string }).v)} <- ${e.sources!.map((s) => (s as ListSet).name).join(',')}`);

describe('v4 set algebra', () => {
  it('keeps values with multiplicity and names every set holding an equal key', async () => {
    const a = new ListSet('a', [[1, 'x'], [2, 'x'], [2, 'y'], [3, 'x']]);
    const b = new ListSet('b', [[2, 'x'], [2, 'y'], [2, 'z'], [3, 'y']]);
    const c = new ListSet('c', [[3, 'x']]);
    assert.deepEqual(shown(await new UnionSet([a, b, c]).entries()),
      ['1/x <- a', '2/x <- b,a', '2/y <- b,a', '2/z <- b', '3/x <- a,c']);
    // Values are counted, keys only name the sources: b's 3/y keeps a's 3/x in the intersection.
    assert.deepEqual(shown(await new IntersectionSet([a, b]).entries()), ['2/x <- a,b', '2/y <- a,b', '3/x <- a']);
    assert.deepEqual(shown(await new IntersectionSet([a, b, c]).entries()), ['3/x <- a,c']);
    assert.deepEqual(shown(await new DifferenceSet([a, b]).entries()), ['1/x <- a']);
    assert.deepEqual(shown(await new DifferenceSet([b, a, c]).entries()), ['2/x <- b,a']);
  });

  it('unites many copies of one value in n log n comparisons', async () => {
    const n = 4000;
    const copies = Array.from({ length: n }, (_, i) => [7, String(i).padStart(5, '0')] as const);
    const a = new ListSet('a', copies);
    const b = new ListSet('b', copies);
    const union = await new UnionSet([a, b]).entries();
    assert.equal(union.length, n);
    assert.deepEqual(shown(union.slice(0, 2)), ['7/00000 <- a,b', '7/00001 <- a,b']);
    assert.ok(union.every((e) => e.sources!.length === 2));
    // Scanning the 2n copies for each kept one took 2n² = 32M comparisons; sorting them ~2n log 2n.
    assert.ok(a.compared < 40 * n * Math.log2(n), `${a.compared} comparisons`);
  });

  it('joins into many sets, each holding one value, with one entry per value held', async () => {
    const n = 3000;
    const source = new ListSet('source', Array.from({ length: n }, (_, i) => [i, 'k'] as const));
    const join = new JoinSet(source, {
      t: 'index', ref: str4('i') as never,
      match: async (terms) => new ListSet(`t${String((terms[0] as { v: bigint }).v)}`, [[Number((terms[0] as { v: bigint }).v), 'k']]),
    });
    const joined = await join.entries();
    assert.equal(joined.length, n);
    assert.deepEqual(shown(joined.slice(0, 2)), ['0/k <- t0', '1/k <- t1']);
  });
});
