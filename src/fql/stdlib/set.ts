// Set methods (Fauna's SetPrototype) and the `Set` module. Transformations are lazy (they
// wrap the set); methods that need elements iterate it. `paginate()` returns a plain
// `{ data, after }` object.
import { FALSE, NULL, TRUE, arr, bool, int } from '../values/construct';
import { equals } from '../values/compare';
import type { FqlSet, FunctionV, SetV, Value } from '../values/value';
import type { EvalContext } from '../eval/context';
import { ANY, FUNCTION, SET } from '../eval/args';
import { checkParamArity } from '../eval/calls';
import { callFunction } from '../eval/evaluate';
import { invalidArgType, invalidBounds, invalidType } from '../eval/failures';
import { noSuchElement } from '../eval/nulls';
import { collectOrderings } from '../eval/ordering';
import { loopCheckpoint } from '../eval/state';
import { captureSetCall } from '../eval/stored-calls';
import { ArraySet, SequenceSet, SingleSet } from '../eval/sets/array-set';
import {
  ConcatSet, DistinctSet, DropSet, FlatMapSet, MapSet, OrderSet, PagedSet, TakeSet, WhereSet,
  materialize, reverseSet,
} from '../eval/sets/combinators';
import { MAX_PAGE_SIZE, defaultPageSize, pageObject, pageSet, paginateCursor } from '../eval/sets/paginate';
import { INT, method, overloaded, param, sig } from './native-args';
import { MAX_ARRAY_SIZE, MAX_SET_ELEMENTS } from '../limits';
import { defineMethods, defineModule, type MethodDef } from './registry';

const setOf = (self: Value): FqlSet => (self as SetV).set;
const wrap = (set: FqlSet): SetV => ({ t: 'set', set });
const call = (ctx: EvalContext, fn: FunctionV, ...args: Value[]): Promise<Value> => callFunction(ctx, fn, args);

/** Visit elements in order until `visit` returns false. */
async function each(ctx: EvalContext, set: FqlSet, visit: (v: Value) => boolean | Promise<boolean>): Promise<void> {
  for await (const el of set.iterate(ctx)) {
    loopCheckpoint(ctx);
    if (!(await visit(el.value))) return;
  }
}

async function first(ctx: EvalContext, set: FqlSet, reason: string): Promise<Value> {
  let found: Value | undefined;
  await each(ctx, set, (v) => { found = v; return false; });
  return found ?? noSuchElement(reason);
}

function checkSize(size: number, arg: string): number {
  if (size <= 0 || size > MAX_PAGE_SIZE) throw invalidBounds(arg, `between 1 and ${MAX_PAGE_SIZE} (inclusive)`, String(size));
  return size;
}

async function anyEvery(ctx: EvalContext, set: FqlSet, fn: FunctionV, every: boolean): Promise<Value> {
  checkParamArity(fn, 1, 'predicate');
  let result = every;
  await each(ctx, set, async (v) => {
    const r = await call(ctx, fn, v);
    const b = r.t === 'null' ? false : r.t === 'boolean' ? r.v : undefined;
    if (b === undefined) throw invalidType('Boolean', r);
    if (b !== every) { result = b; return false; }
    return true;
  });
  return result ? TRUE : FALSE;
}

/** Left folds stream the set, so a long set costs time (and meets the deadline), not memory. */
async function foldLeft(ctx: EvalContext, set: FqlSet, seed: Value | undefined, fn: FunctionV): Promise<Value | undefined> {
  let acc = seed;
  await each(ctx, set, async (v) => {
    acc = acc === undefined ? v : await call(ctx, fn, acc, v);
    return true;
  });
  return acc;
}

/** Right folds and `aggregate` need every element at once: at most MAX_ARRAY_SIZE of them. */
const allElements = (ctx: EvalContext, set: FqlSet): Promise<Value[]> => materialize(ctx, set, MAX_ARRAY_SIZE);

async function foldRight(ctx: EvalContext, items: readonly Value[], seed: Value, fn: FunctionV): Promise<Value> {
  let acc = seed;
  for (let i = items.length - 1; i >= 0; i--) acc = await call(ctx, fn, acc, items[i]);
  return acc;
}

async function reduce(ctx: EvalContext, set: FqlSet, fn: FunctionV, right: boolean): Promise<Value> {
  checkParamArity(fn, 2, 'reducer');
  if (!right) return (await foldLeft(ctx, set, undefined, fn)) ?? noSuchElement('empty set');
  const items = await allElements(ctx, set);
  if (items.length === 0) return noSuchElement('empty set');
  return foldRight(ctx, items.slice(0, -1), items[items.length - 1], fn);
}

async function aggregate(ctx: EvalContext, set: FqlSet, seed: Value, fn: FunctionV): Promise<Value> {
  checkParamArity(fn, 2, 'combiner');
  let level = await allElements(ctx, set);
  if (level.length === 0) return seed;
  while (level.length > 1) {
    const next: Value[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? await call(ctx, fn, level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return call(ctx, fn, level[0], seed);
}

async function paginate(ctx: EvalContext, set: FqlSet, size: number): Promise<Value> {
  return pageObject(await pageSet(ctx, set, size));
}

const SET_METHODS: Record<string, MethodDef> = {
  // Lazy transformations remember the `at` snapshot they were built in (ctx.snapshotTs), and
  // inside stored code the calls around them (stored-calls.ts).
  where: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn], site) => {
    checkParamArity(fn, 1, 'pred');
    captureSetCall(ctx, fn.fn, site.argsSpan);
    return wrap(new WhereSet(setOf(self), fn, ctx.snapshotTs));
  })),
  map: method(sig([param('mapper', FUNCTION)], (ctx, self, [fn], site) => {
    checkParamArity(fn, 1, 'mapper');
    captureSetCall(ctx, fn.fn, site.argsSpan);
    return wrap(new MapSet(setOf(self), fn, ctx.snapshotTs));
  })),
  flatMap: method(sig([param('mapper', FUNCTION)], (ctx, self, [fn], site) => {
    checkParamArity(fn, 1, 'mapper');
    captureSetCall(ctx, fn.fn, site.argsSpan);
    return wrap(new FlatMapSet(setOf(self), fn, ctx.snapshotTs));
  })),
  take: method(sig([param('limit', INT)], (_ctx, self, [n]) => {
    if (n < 0) throw invalidBounds('limit', 'greater than 0', String(n));
    return wrap(n === 0 ? new ArraySet([]) : new TakeSet(setOf(self), n));
  })),
  drop: method(sig([param('amount', INT)], (_ctx, self, [n]) => wrap(new DropSet(setOf(self), n)))),
  distinct: method(sig([], (_ctx, self) => wrap(new DistinctSet(setOf(self))))),
  reverse: method(sig([], (_ctx, self) => wrap(reverseSet(setOf(self))))),
  order: {
    arity: [0, Infinity],
    impl: (ctx, self, args, site) => {
      const orderings = collectOrderings(args);
      for (const o of orderings) captureSetCall(ctx, o.fn.fn, site.argsSpan);
      return wrap(new OrderSet(setOf(self), orderings));
    },
  },
  concat: method(sig([param('other', SET)], (_ctx, self, [other]) => wrap(new ConcatSet(setOf(self), other.set)))),
  toSet: method(sig([], (_ctx, self) => self)),
  pageSize: method(sig([param('size', INT)], (_ctx, self, [n]) => wrap(new PagedSet(setOf(self), checkSize(n, 'size'))))),

  first: method(sig([], (ctx, self) => first(ctx, setOf(self), 'empty set'))),
  last: method(sig([], (ctx, self) => first(ctx, reverseSet(setOf(self)), 'empty set'))),
  firstWhere: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'pred');
    return first(ctx, new WhereSet(setOf(self), fn, ctx.snapshotTs), 'no element found');
  })),
  lastWhere: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'pred');
    return first(ctx, new WhereSet(reverseSet(setOf(self)), fn, ctx.snapshotTs), 'no element found');
  })),
  count: method(sig([], async (ctx, self) => {
    let n = 0;
    await each(ctx, setOf(self), () => { n++; return true; });
    return int(n);
  })),
  isEmpty: method(sig([], async (ctx, self) => {
    let empty = true;
    await each(ctx, setOf(self), () => (empty = false));
    return bool(empty);
  })),
  nonEmpty: method(sig([], async (ctx, self) => {
    let empty = true;
    await each(ctx, setOf(self), () => (empty = false));
    return bool(!empty);
  })),
  includes: method(sig([param('element', ANY)], async (ctx, self, [v]) => {
    let found = false;
    await each(ctx, setOf(self), (x) => !(found = equals(x, v)));
    return bool(found);
  })),
  any: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => anyEvery(ctx, setOf(self), fn, false))),
  every: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => anyEvery(ctx, setOf(self), fn, true))),
  toArray: method(sig([], async (ctx, self) => arr(await materialize(ctx, setOf(self), MAX_SET_ELEMENTS)))),
  fold: method(sig([param('seed', ANY), param('reducer', FUNCTION)], async (ctx, self, [seed, fn]) => {
    checkParamArity(fn, 2, 'reducer');
    return (await foldLeft(ctx, setOf(self), seed, fn))!;
  })),
  foldRight: method(sig([param('seed', ANY), param('reducer', FUNCTION)], async (ctx, self, [seed, fn]) => {
    checkParamArity(fn, 2, 'reducer');
    return foldRight(ctx, await allElements(ctx, setOf(self)), seed, fn);
  })),
  reduce: method(sig([param('reducer', FUNCTION)], (ctx, self, [fn]) => reduce(ctx, setOf(self), fn, false))),
  reduceRight: method(sig([param('reducer', FUNCTION)], (ctx, self, [fn]) => reduce(ctx, setOf(self), fn, true))),
  aggregate: method(sig([param('seed', ANY), param('combiner', FUNCTION)], (ctx, self, [seed, fn]) => aggregate(ctx, setOf(self), seed, fn))),
  forEach: method(sig([param('callback', FUNCTION)], async (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'func');
    await each(ctx, setOf(self), async (v) => { await call(ctx, fn, v); return true; });
    return NULL;
  })),
  paginate: overloaded('paginate',
    sig([], (ctx, self) => paginate(ctx, setOf(self), defaultPageSize(setOf(self)))),
    sig([param('size', INT)], (ctx, self, [n]) => paginate(ctx, setOf(self), checkSize(n, 'size')))),
};

const CURSOR_TYPE = 'String';
function cursorText(v: Value): string {
  if (v.t !== 'string') throw invalidArgType('cursor', CURSOR_TYPE, v);
  return v.v;
}

const SET_MODULE_METHODS: Record<string, MethodDef> = {
  single: method(sig([param('element', ANY)], (_ctx, _self, [v]) => wrap(new SingleSet(v)))),
  sequence: method(sig([param('from', INT), param('until', INT)], (_ctx, _self, [from, until]) => wrap(new SequenceSet(from, until)))),
  paginate: {
    arity: [1, 2],
    impl: (ctx, _self, args) => {
      const cursor = cursorText(args[0]);
      if (args.length === 1) return paginateCursor(ctx, cursor);
      const size = INT.cast(args[1]);
      if (size === undefined) throw invalidArgType('size', 'Int', args[1]);
      return paginateCursor(ctx, cursor, checkSize(size, 'size'));
    },
  },
};

/** Registers the members of sets and the `Set` module (called by src/fql/stdlib/index.ts). */
export function wireSet(): void {
  defineMethods('set', SET_METHODS);
  defineModule('Set');
  defineMethods('module:Set', SET_MODULE_METHODS);
}
