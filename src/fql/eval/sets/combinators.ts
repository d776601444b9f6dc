// Lazy set transformations layered over any FqlSet (array-backed or a model scan). Each one
// defines positions from which iteration can resume, and describes itself (including its
// lambdas, serialised) so that a cursor can rebuild it in a later query.
import type { EvalContext } from '../context';
import type { FqlSet, FunctionV, SetElement, SetPosition, Value } from '../../values/value';
import { compare, equals } from '../../values/compare';
import { serializeValue } from '../../values/serialize';
import { invalidType } from '../failures';
import { callValue } from '../evaluate';
import { checkpoint, evalState } from '../state';
import { ArraySet } from './array-set';

type Description = Record<string, unknown>;

/** Describe a set that wraps `inner`, or undefined when `inner` cannot be resumed. */
function wrap(inner: FqlSet, fields: () => Description): unknown {
  const d = inner.describe();
  return d === undefined ? undefined : { ...fields(), inner: d };
}

/** The elements of a set, in order (for transformations that need all of them). */
export async function materialize(ctx: unknown, set: FqlSet): Promise<Value[]> {
  if (set instanceof ArraySet) return [...set.items];
  const out: Value[] = [];
  for await (const el of set.iterate(ctx)) {
    checkpoint(ctx as EvalContext, evalState(ctx as EvalContext));
    out.push(el.value);
  }
  return out;
}

/** A predicate result as Fauna reads it: true keeps, false or null drops, else an error. */
export function truthy(r: Value): boolean {
  if (r.t === 'boolean') return r.v;
  if (r.t === 'null') return false;
  throw invalidType('Boolean', r);
}

export class WhereSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly pred: FunctionV) {
    this.label = `${inner.label}.where(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for await (const el of this.inner.iterate(ctx, after)) {
      if (truthy(await callValue(ctx as EvalContext, this.pred, [el.value]))) yield el;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'where', fn: serializeValue(this.pred) }));
  }
}

export class MapSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly fn: FunctionV) {
    this.label = `${inner.label}.map(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for await (const el of this.inner.iterate(ctx, after)) {
      yield { value: await callValue(ctx as EvalContext, this.fn, [el.value]), pos: el.pos };
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'map', fn: serializeValue(this.fn) }));
  }
}

export function mapSet(inner: FqlSet, fn: FunctionV): FqlSet {
  return new MapSet(inner, fn);
}

/** Position: the outer position before the current outer element (null: none), and the inner one. */
interface FlatPos { readonly o: SetPosition | null; readonly i: SetPosition }

export class FlatMapSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly fn: FunctionV) {
    this.label = `${inner.label}.flatMap(...)`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const resume = after as FlatPos | undefined;
    let prev: SetPosition | null = resume ? resume.o : null;
    let innerAfter: SetPosition | undefined = resume ? resume.i : undefined;
    for await (const outer of this.inner.iterate(ctx, prev === null ? undefined : prev)) {
      const sub = await callValue(ctx as EvalContext, this.fn, [outer.value]);
      const subSet = sub.t === 'set' ? sub.set : sub.t === 'array' ? new ArraySet(sub.v) : undefined;
      if (!subSet) throw invalidType('Set', sub);
      for await (const el of subSet.iterate(ctx, innerAfter)) yield { value: el.value, pos: { o: prev, i: el.pos } };
      innerAfter = undefined;
      prev = outer.pos;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'flatMap', fn: serializeValue(this.fn) }));
  }
}

interface TakePos { readonly k: number; readonly p: SetPosition }

export class TakeSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet, readonly limit: number) {
    this.label = `${inner.label}.take(${limit})`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const resume = after as TakePos | undefined;
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
    const resume = after as ConcatPos | undefined;
    if (!resume || resume.s === 0) {
      for await (const el of this.first.iterate(ctx, resume?.p)) yield { value: el.value, pos: { s: 0, p: el.pos } };
    }
    const secondAfter = resume && resume.s === 1 ? resume.p : undefined;
    for await (const el of this.second.iterate(ctx, secondAfter)) yield { value: el.value, pos: { s: 1, p: el.pos } };
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
    const items = await this.arrange(ctx, await materialize(ctx, this.inner));
    for (let i = after === undefined ? 0 : Number(after) + 1; i < items.length; i++) yield { value: items[i], pos: i };
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
  if (set instanceof ArraySet) return new ArraySet([...set.items].reverse());
  if (isReversible(set)) return set.reverse();
  return new ReverseSet(set);
}

/** One `order()` key: the accessor and its direction. */
export interface Ordering { readonly fn: FunctionV; readonly desc: boolean }

/** Sort `items` by the orderings' keys (Fauna's total order; stable for equal keys). */
export async function sortByOrderings(ctx: unknown, items: readonly Value[], ords: readonly Ordering[]): Promise<Value[]> {
  const keyed: { v: Value; keys: Value[] }[] = [];
  for (const v of items) {
    const keys: Value[] = [];
    for (const o of ords) keys.push(await callValue(ctx as EvalContext, o.fn, [v]));
    keyed.push({ v, keys });
  }
  keyed.sort((a, b) => {
    for (let i = 0; i < ords.length; i++) {
      const c = compare(a.keys[i], b.keys[i]);
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
  protected arrange(ctx: unknown, items: Value[]): Promise<Value[]> {
    return sortByOrderings(ctx, items, this.ords);
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'order', ords: this.ords.map((o) => ({ fn: serializeValue(o.fn), desc: o.desc })) }));
  }
}

export class DistinctSet implements FqlSet {
  readonly label: string;
  constructor(readonly inner: FqlSet) {
    this.label = `${inner.label}.distinct()`;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    // Resuming replays the prefix to rebuild the elements already seen.
    const resumeAt = after === undefined ? undefined : JSON.stringify(after);
    let emitting = resumeAt === undefined;
    const seen: Value[] = [];
    for await (const el of this.inner.iterate(ctx)) {
      const dup = seen.some((s) => equals(s, el.value));
      if (!dup) seen.push(el.value);
      if (emitting && !dup) yield el;
      if (!emitting && JSON.stringify(el.pos) === resumeAt) emitting = true;
    }
  }
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'distinct' }));
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
  describe(): unknown {
    return wrap(this.inner, () => ({ src: 'paged', size: this.pageSize }));
  }
}
