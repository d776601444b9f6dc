// Sets built from sets (core model/EventSet.scala: Union, Intersection, Difference, Distinct,
// ReverseSet, RangeSet, IndexJoin, LambdaJoin, LambdaFilterSet). Like their sources they list
// their elements in memory: each element keeps its sort key (index values, then the ref) and
// the order of the first source decides the order of the result.
import { compareKeys } from '../compare';
import { encodeV4 } from '../encode';
import type { Position } from '../errors';
import type { Evaluator } from '../evaluator';
import {
  type LambdaV4, type RefV4, type SetEntry, type SetWindow, type V4Set, type V4Value, arr4,
} from '../values';

type Order = (a: readonly V4Value[], b: readonly V4Value[]) => number;

/** The order a set lists its keys in. */
export const orderOf = (set: V4Set): Order => (a, b) => (set.compare ? set.compare(a, b) : compareKeys(a, b));

const setValue = (set: V4Set): V4Value => ({ t: 'set', set });

/** A set's entries, each naming the leaf sets it came from (the set itself for a leaf). */
async function sourced(set: V4Set): Promise<SetEntry[]> {
  return (await set.entries()).map((e) => (e.sources ? e : { ...e, sources: [set] }));
}

/**
 * How many copies of a value a combination keeps, from the counts of the sources holding it
 * (by source index, ascending; sources not holding it are absent) out of `lists` sources.
 */
type Multiplicity = (counts: ReadonlyMap<number, number>, lists: number) => number;

// Loops, not Math.max(...counts): a Join's union may have more sources than a call has arguments.
const fold = (counts: ReadonlyMap<number, number>, pick: (a: number, b: number) => number): number => {
  let acc: number | undefined;
  for (const n of counts.values()) acc = acc === undefined ? n : pick(acc, n);
  return acc ?? 0;
};
const UNION: Multiplicity = (counts) => fold(counts, Math.max);
const INTERSECTION: Multiplicity = (counts, lists) => (counts.size < lists ? 0 : fold(counts, Math.min));
const DIFFERENCE: Multiplicity = (counts) => {
  let rest = 0;
  for (const [i, n] of counts) if (i > 0) rest += n;
  return Math.max(0, (counts.get(0) ?? 0) - rest);
};

/**
 * The entries of every source holding one value, by source index (ascending), and all of them
 * in that order. Sparse: a value held by few of many sources (a Join's targets) costs only
 * what it holds, not one slot per source.
 */
interface Group { readonly bySource: Map<number, SetEntry[]>; readonly all: SetEntry[] }

/**
 * The entries of a group with an equal key, each mapped to all of them in the group's order
 * (absent when alone). Equal keys are found by sorting once (n log n) rather than by scanning
 * the group for every kept entry, which was quadratic in a value's duplicates (an index whose
 * values repeat).
 */
function sameKeys(all: readonly SetEntry[], order: Order): Map<SetEntry, readonly SetEntry[]> {
  const sorted = all.map((e, i) => ({ e, i })).sort((x, y) => order(x.e.key, y.e.key) || x.i - y.i);
  const out = new Map<SetEntry, readonly SetEntry[]>();
  for (let start = 0, end = 1; start < sorted.length; start = end++) {
    while (end < sorted.length && order(sorted[start].e.key, sorted[end].e.key) === 0) end++;
    if (end - start < 2) continue;
    const run = sorted.slice(start, end).map((x) => x.e);
    for (const e of run) out.set(e, run);
  }
  return out;
}

/**
 * Core's set algebra: elements are compared by value (for a set of refs, the ref) and counted
 * with multiplicity, e.g. a union holds each value as often as the source holding it most (core
 * UnionFunctionSpec "emits maximum element count"). The kept elements come from the first source
 * with the most copies and carry the sources of every set holding an element with the same key.
 */
function combine(lists: readonly (readonly SetEntry[])[], order: Order, keep: Multiplicity): SetEntry[] {
  const groups = new Map<string, Group>();
  lists.forEach((list, i) => {
    for (const e of list) {
      const id = encodeV4(e.value);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { bySource: new Map(), all: [] }));
      let held = g.bySource.get(i);
      if (!held) g.bySource.set(i, (held = []));
      held.push(e);
      g.all.push(e);
    }
  });
  const out: SetEntry[] = [];
  for (const g of groups.values()) {
    const counts = new Map([...g.bySource].map(([i, l]) => [i, l.length] as const));
    const n = keep(counts, lists.length);
    if (n === 0) continue;
    let from: SetEntry[] = g.bySource.get(0) ?? [];
    if (keep === UNION) for (const l of g.bySource.values()) if (l.length > from.length) from = l;
    const same = sameKeys(g.all, order);
    for (const e of from.slice(0, n)) {
      // Only kept entries gather their equals' sources: one per source set holding the key.
      const run = same.get(e);
      out.push(run ? { ...e, sources: [...e.sources!, ...run.filter((x) => x !== e).flatMap((x) => x.sources!)] } : e);
    }
  }
  return out.sort((x, y) => order(x.key, y.key));
}

abstract class Combined implements V4Set {
  constructor(protected readonly name: string, protected readonly sets: readonly V4Set[], private readonly keep: Multiplicity) {}
  get shape(): number | undefined { return this.sets.find((s) => s.shape !== undefined)?.shape; }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number { return orderOf(this.sets[0])(a, b); }
  render(): { setJson: Record<string, V4Value> } {
    return { setJson: { [this.name]: this.sets.length === 1 ? setValue(this.sets[0]) : arr4(this.sets.map(setValue)) } };
  }
  async entries(): Promise<readonly SetEntry[]> {
    return combine(await Promise.all(this.sets.map(sourced)), (a, b) => this.compare(a, b), this.keep);
  }
}

export class UnionSet extends Combined {
  constructor(sets: readonly V4Set[]) { super('union', sets, UNION); }
}

export class IntersectionSet extends Combined {
  constructor(sets: readonly V4Set[]) { super('intersection', sets, INTERSECTION); }
}

export class DifferenceSet extends Combined {
  constructor(sets: readonly V4Set[]) { super('difference', sets, DIFFERENCE); }
}

/** One element per distinct value (the first in order). */
export class DistinctSet implements V4Set {
  constructor(private readonly source: V4Set) {}
  get shape(): number | undefined { return this.source.shape; }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number { return orderOf(this.source)(a, b); }
  render(): { setJson: Record<string, V4Value> } { return { setJson: { distinct: setValue(this.source) } }; }
  async entries(): Promise<readonly SetEntry[]> {
    const seen = new Set<string>();
    return (await sourced(this.source)).filter((e) => {
      const id = encodeV4(e.value);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
}

export class ReverseSet implements V4Set {
  constructor(private readonly source: V4Set) {}
  get shape(): number | undefined { return this.source.shape; }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number { return -orderOf(this.source)(a, b); }
  render(): { setJson: Record<string, V4Value> } { return { setJson: { reverse: setValue(this.source) } }; }

  /**
   * Over an index, the source's window read the other way: a lower bound here is an upper
   * bound there (exact for the full keys cursors hold; a shorter prefix bound takes in the
   * keys it prefixes, as it does in index order).
   */
  get window(): ((w: SetWindow) => Promise<readonly SetEntry[]>) | undefined {
    const source = this.source;
    if (!source.window) return undefined;
    return async (w) => (await source.window!({ from: w.to, to: w.from, reverse: !w.reverse, limit: w.limit }))
      .map((e) => (e.sources ? e : { ...e, sources: [source] }));
  }

  async entries(): Promise<readonly SetEntry[]> { return (await sourced(this.source)).reverse(); }
}

/**
 * `Range(set, from, to)`: the elements from `from` to `to`, both included. A bound shorter than
 * a key is a prefix: it includes every key that starts with it (core CursorParser).
 */
export class RangeSet implements V4Set {
  constructor(
    private readonly source: V4Set,
    private readonly from: readonly V4Value[],
    private readonly to: readonly V4Value[],
    private readonly rendered: { from: V4Value; to: V4Value },
  ) {}

  get shape(): number | undefined { return this.source.shape; }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number { return orderOf(this.source)(a, b); }
  render(): { setJson: Record<string, V4Value> } {
    return { setJson: { range: setValue(this.source), from: this.rendered.from, to: this.rendered.to } };
  }

  /** Over an index the range is a key range of its entries, read as such. */
  get window(): ((w: SetWindow) => Promise<readonly SetEntry[]>) | undefined {
    const source = this.source;
    if (!source.window) return undefined;
    return async (w) => (await source.window!({
      ...w, from: [...w.from, { key: this.from, inclusive: true }], to: [...w.to, { key: this.to, inclusive: true }],
    })).map((e) => (e.sources ? e : { ...e, sources: [source] }));
  }

  async entries(): Promise<readonly SetEntry[]> {
    if (this.window) return this.window({ from: [], to: [], reverse: false, limit: Infinity });
    const order = orderOf(this.source);
    const prefix = (key: readonly V4Value[], bound: readonly V4Value[]) => {
      const n = Math.min(key.length, bound.length);
      return order(key.slice(0, n), bound.slice(0, n));
    };
    return (await sourced(this.source)).filter((e) => prefix(e.key, this.from) >= 0 && prefix(e.key, this.to) <= 0);
  }
}

/**
 * `Join(source, target)`: for every value of the source, the set the target makes of it (an
 * index matched with the value as its terms, or a lambda's result), all in one set.
 */
export class JoinSet implements V4Set {
  constructor(
    private readonly source: V4Set,
    private readonly target: { t: 'index'; ref: RefV4; match: (terms: readonly V4Value[]) => Promise<V4Set> }
      | { t: 'lambda'; fn: LambdaV4; ev: Evaluator; pos: Position; toSet: (v: V4Value) => Promise<V4Set> },
  ) {}

  render(): { setJson: Record<string, V4Value> } {
    return { setJson: { join: setValue(this.source), with: this.target.t === 'index' ? this.target.ref : this.target.fn } };
  }

  private async targetOf(value: V4Value): Promise<V4Set> {
    const t = this.target;
    if (t.t === 'index') return t.match(value.t === 'array' ? value.v : [value]);
    return t.toSet(await t.ev.apply(t.fn, value, t.pos));
  }

  async entries(): Promise<readonly SetEntry[]> {
    const sets: V4Set[] = [];
    for (const e of await this.source.entries()) sets.push(await this.targetOf(e.value));
    if (sets.length === 0) return [];
    return combine(await Promise.all(sets.map(sourced)), orderOf(sets[0]), UNION);
  }
}

/** `Filter(lambda, set)`: the elements the lambda returns true for. */
export class FilterSet implements V4Set {
  constructor(
    private readonly source: V4Set,
    private readonly fn: LambdaV4,
    private readonly ev: Evaluator,
    private readonly pos: Position,
    private readonly check: (v: V4Value, pos: Position) => boolean,
  ) {}

  get shape(): number | undefined { return this.source.shape; }
  compare(a: readonly V4Value[], b: readonly V4Value[]): number { return orderOf(this.source)(a, b); }
  render(): { setJson: Record<string, V4Value> } { return { setJson: { filter: this.fn, collection: setValue(this.source) } }; }

  async entries(): Promise<readonly SetEntry[]> {
    const out: SetEntry[] = [];
    for (const e of await sourced(this.source)) {
      if (this.check(await this.ev.apply(this.fn, e.value, this.pos), this.pos)) out.push(e);
    }
    return out;
  }
}
