// Lazy set transformations layered over any FqlSet (array-backed or a model scan). Each one
// defines positions from which iteration can resume, and describes itself (including its
// lambdas, serialised) so that a cursor can rebuild it in a later query.
import type { EvalContext } from '../context';
import type { FqlSet, FunctionV, SetElement, SetPosition, Value } from '../../values/value';
import { compare, equals } from '../../values/compare';
import { serializeValue } from '../../values/serialize';
import { invalidCursor, invalidType, valueTooLarge } from '../failures';
import { callValue } from '../evaluate';
import { checkDeadline, loopCheckpoint } from '../state';
import { MAX_SET_ELEMENTS } from '../../limits';
import { ArraySet, SingleSet, integerPosition } from './array-set';
import { callSetLambda, readOnlyInSet } from './set-lambdas';

export { atSnapshot } from './set-lambdas';

type Description = Record<string, unknown>;

/** A resumed position that must be an object of this set's shape (cursors come from clients). */
function positionOf<P>(after: SetPosition | undefined, fits: (p: Record<string, unknown>) => boolean): P | undefined {
  if (after === undefined) return undefined;
  if (typeof after !== 'object' || after === null || !fits(after as Record<string, unknown>)) throw invalidCursor();
  return after as P;
}

/** Describe a set that wraps `inner`, or undefined when `inner` cannot be resumed. */
function wrap(inner: FqlSet, fields: () => Description): unknown {
  const d = inner.describe();
  return d === undefined ? undefined : { ...fields(), inner: d };
}

/**
 * The elements of a set, in order. With `limit`, a set larger than that fails with Fauna's
 * `value_too_large` (toArray, distinct, order and reverse materialise; folds stream).
 */
export async function materialize(ctx: unknown, set: FqlSet, limit?: number): Promise<Value[]> {
  const tooLarge = () => valueTooLarge(`exceeded maximum number of elements (limit=${limit})`);
  if (set instanceof ArraySet) {
    if (limit !== undefined && set.items.length > limit) throw tooLarge();
    return [...set.items];
  }
  const out: Value[] = [];
  for await (const el of set.iterate(ctx)) {
    loopCheckpoint(ctx as EvalContext);
    if (limit !== undefined && out.length >= limit) throw tooLarge();
    out.push(el.value);
  }
  return out;
}

/** A snapshot as stored in a set description. */
const snapshotField = (ts: bigint | undefined): Description => (ts === undefined ? {} : { at: ts.toString() });

/** A predicate result as Fauna reads it: true keeps, false or null drops, else an error. */
export function truthy(r: Value): boolean {
  if (r.t === 'boolean') return r.v;
  if (r.t === 'null') return false;
  throw invalidType('Boolean', r);
}

export class WhereSet implements FqlSet {
  readonly label: string;
  /** `at` is the read snapshot the predicate runs at (set when built inside `at`). */
  constructor(readonly inner: FqlSet, readonly pred: FunctionV, readonly at?: bigint) {
    this.label = `${inner.label}.where(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for await (const el of this.inner.iterate(ctx, after)) {
      const keep = await callSetLambda(ctx, this.at, this.pred, [el.value]);
      if (truthy(keep)) yield el;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'where', fn: serializeValue(this.pred), ...snapshotField(this.at) }));
  }
}

export class MapSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly fn: FunctionV, readonly at?: bigint) {
    this.label = `${inner.label}.map(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for await (const el of this.inner.iterate(ctx, after)) {
      const value = await callSetLambda(ctx, this.at, this.fn, [el.value]);
      yield { value, pos: el.pos };
    }
  }
  // Core's ProjectedSet pages its inner set with the same size and keeps its cursor.
  cursorAtEnd(pos: SetPosition): boolean {
    return this.inner.cursorAtEnd?.(pos) ?? false;
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'map', fn: serializeValue(this.fn), ...snapshotField(this.at) }));
  }
}

export function mapSet(inner: FqlSet, fn: FunctionV, at?: bigint): FqlSet {
  return new MapSet(inner, fn, at);
}

/** Position: the outer position before the current outer element (null: none), and the inner one. */
interface FlatPos { readonly o: SetPosition | null; readonly i: SetPosition }

export class FlatMapSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly fn: FunctionV, readonly at?: bigint) {
    this.label = `${inner.label}.flatMap(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const resume = positionOf<FlatPos>(after, (p) => 'o' in p && 'i' in p);
    let prev: SetPosition | null = resume ? resume.o : null;
    let innerAfter: SetPosition | undefined = resume ? resume.i : undefined;
    for await (const outer of this.inner.iterate(ctx, prev === null ? undefined : prev)) {
      const sub = await callSetLambda(ctx, this.at, this.fn, [outer.value]);
      // Fauna's FlatMapSet accepts sets only (arrays must be turned into sets with toSet()).
      if (sub.t !== 'set') throw invalidType('Set<Any>', sub);
      const subSet = sub.set;
      for await (const el of subSet.iterate(ctx, innerAfter)) yield { value: el.value, pos: { o: prev, i: el.pos } };
      innerAfter = undefined;
      prev = outer.pos;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'flatMap', fn: serializeValue(this.fn), ...snapshotField(this.at) }));
  }
}

interface TakePos { readonly k: number; readonly p: SetPosition }

export class TakeSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly limit: number) {
    this.label = `${inner.label}.take(${limit})`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const resume = positionOf<TakePos>(after, (p) => Number.isSafeInteger(p.k) && 'p' in p);
    let k = resume ? resume.k : 0;
    if (k >= this.limit) return;
    for await (const el of this.inner.iterate(ctx, resume?.p)) {
      k++;
      yield { value: el.value, pos: { k, p: el.pos } };
      if (k >= this.limit) return;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'take', n: this.limit }));
  }
}

export class DropSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly count: number) {
    this.label = `${inner.label}.drop(${count})`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    // Resuming after an inner position means the dropped prefix is already behind us.
    let skip = after === undefined ? this.count : 0;
    for await (const el of this.inner.iterate(ctx, after)) {
      if (skip > 0) { skip--; continue; }
      yield el;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'drop', n: this.count }));
  }
}

interface ConcatPos { readonly s: 0 | 1; readonly p: SetPosition }

export class ConcatSet implements FqlSet {
  readonly label: string;
  constructor(readonly first: FqlSet, readonly second: FqlSet) {
    this.label = `${first.label}.concat(${second.label})`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const resume = positionOf<ConcatPos>(after, (p) => (p.s === 0 || p.s === 1) && 'p' in p);
    if (!resume || resume.s === 0) {
      for await (const el of this.first.iterate(ctx, resume?.p)) yield { value: el.value, pos: { s: 0, p: el.pos } };
    }
    const secondAfter = resume && resume.s === 1 ? resume.p : undefined;
    for await (const el of this.second.iterate(ctx, secondAfter)) yield { value: el.value, pos: { s: 1, p: el.pos } };
  }
  /**
   * Core's ConcatSet.paginateImpl pages the first set alone and, when that fills the page and
   * drains it, answers with a cursor to the second set without reading it: a page that ends
   * with the first set's last element has a cursor even when the second set is empty.
   */
  cursorAtEnd(pos: SetPosition): boolean {
    const p = pos as ConcatPos;
    return p.s === 0 || (this.second.cursorAtEnd?.(p.p) ?? false);
  }
  describe(): unknown {
    const a = this.first.describe(), b = this.second.describe();
    return a === undefined || b === undefined ? undefined : { src: 'concat', first: a, second: b };
  }
}

/**
 * Transformations that need the whole inner set (reverse, order): materialise it, then
 * position by index in the result.
 */
abstract class MaterializedSet implements FqlSet {
  abstract readonly label: string;
  constructor(readonly inner: FqlSet) {}
  protected abstract arrange(ctx: unknown, items: Value[]): Promise<Value[]>;
  abstract describe(): unknown;

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const items = await this.arrange(ctx, await materialize(ctx, this.inner, MAX_SET_ELEMENTS));
    for (let i = after === undefined ? 0 : integerPosition(after) + 1; i < items.length; i++) yield { value: items[i], pos: i };
  }
}

export class ReverseSet extends MaterializedSet {
  readonly label = `${this.inner.label}.reverse()`;
  protected async arrange(_ctx: unknown, items: Value[]): Promise<Value[]> {
    return items.reverse();
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'reverse' }));
  }
}

/** A set implementation that can reverse itself cheaply (index ranges, collection scans). */
interface Reversible extends FqlSet { reverse(): FqlSet }
const isReversible = (s: FqlSet): s is Reversible => typeof (s as Partial<Reversible>).reverse === 'function';

export function reverseSet(set: FqlSet): FqlSet {
  // A reversed `Set.single` stays a reversed set, not a plain array set (as in core, where
  // streaming it fails as reversed, not as an array set).
  if (set instanceof SingleSet) return new ReverseSet(set);
  if (set instanceof ArraySet) return new ArraySet([...set.items].reverse());
  if (isReversible(set)) return set.reverse();
  return new ReverseSet(set);
}

/** One `order()` key: the accessor and its direction. */
export interface Ordering { readonly fn: FunctionV; readonly desc: boolean }

/** A comparison that checks the deadline: comparing big values walks them. */
const timedCompare = (ctx: unknown) => (a: Value, b: Value): number => {
  checkDeadline(ctx as EvalContext);
  return compare(a, b);
};

/**
 * Sort `items` by the orderings' keys (Fauna's total order; stable for equal keys). Without
 * orderings, by the elements themselves, ascending (Fauna's OrderedSet.sortElems).
 */
export async function sortByOrderings(ctx: unknown, items: readonly Value[], ords: readonly Ordering[]): Promise<Value[]> {
  if (ords.length === 0) return [...items].sort(timedCompare(ctx));
  const cmp = timedCompare(ctx);
  const keyed: { v: Value; keys: Value[] }[] = [];
  for (const v of items) {
    const keys: Value[] = [];
    for (const o of ords) keys.push(await callValue(ctx as EvalContext, o.fn, [v]));
    keyed.push({ v, keys });
  }
  keyed.sort((a, b) => {
    for (let i = 0; i < ords.length; i++) {
      const c = cmp(a.keys[i], b.keys[i]);
      if (c !== 0) return ords[i].desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.v);
}

export class OrderSet extends MaterializedSet {
  readonly label = `${this.inner.label}.order(...)`;
  constructor(inner: FqlSet, readonly ords: readonly Ordering[]) {
    super(inner);
  }
  protected async arrange(ctx: unknown, items: Value[]): Promise<Value[]> {
    // The accessors are set functions (core OrderedSet.sortElems: disallowWrites).
    return readOnlyInSet(ctx, () => sortByOrderings(ctx, items, this.ords));
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'order', ords: this.ords.map((o) => ({ fn: serializeValue(o.fn), desc: o.desc })) }));
  }
}

/** `distinct()`: Fauna materialises the set, sorts it (total value order) and drops repeats. */
export class DistinctSet extends MaterializedSet {
  readonly label = `${this.inner.label}.distinct()`;
  protected async arrange(ctx: unknown, items: Value[]): Promise<Value[]> {
    const sorted = items.sort(timedCompare(ctx));
    return sorted.filter((v, i) => i === 0 || !equals(sorted[i - 1], v));
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'distinct' }));
  }
}

/**
 * The page size a set paginates with by default: the nearest `pageSize(n)` under the
 * transformations that keep their inner set's page size (Fauna's `initialPageSize`), else 16.
 */
export function initialPageSize(set: FqlSet, fallback: number): number {
  let s: FqlSet = set;
  for (;;) {
    if (s instanceof PagedSet) return s.pageSize;
    if (s instanceof WhereSet || s instanceof MapSet || s instanceof FlatMapSet || s instanceof TakeSet
      || s instanceof DropSet || s instanceof MaterializedSet) s = s.inner;
    else return fallback;
  }
}

/** `set.pageSize(n)`: the same elements, paginated `n` at a time by default. */
export class PagedSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly pageSize: number) {
    this.label = inner.label;
  }
  iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    return this.inner.iterate(ctx, after);
  }
  cursorAtEnd(pos: SetPosition): boolean {
    return this.inner.cursorAtEnd?.(pos) ?? false;
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'paged', size: this.pageSize }));
  }
}
