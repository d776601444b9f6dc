// Array methods (Fauna's ArrayPrototype) and the `Array` module. Methods taking functions
// check the function's arity first, as Fauna does ("`mapper` should accept 1 parameter").
import { FALSE, NULL, TRUE, arr, bool, int } from '../values/construct';
import { equals } from '../values/compare';
import { serializeValue } from '../values/serialize';
import type { ArrayV, FunctionV, Value } from '../values/value';
import type { EvalContext } from '../eval/context';
import { ANY, ARRAY, FUNCTION } from '../eval/args';
import { checkParamArity } from '../eval/calls';
import { callFunction } from '../eval/evaluate';
import { indexOutOfBounds, invalidType, valueTooLarge } from '../eval/failures';
import { noSuchElement } from '../eval/nulls';
import { collectOrderings } from '../eval/ordering';
import { ArraySet } from '../eval/sets/array-set';
import { sortByOrderings, truthy } from '../eval/sets/combinators';
import { INT, method, overloaded, param, sig } from './native-args';
import { MAX_ARRAY_SEQUENCE, checkArraySize } from '../limits';
import { checkDeadline } from '../eval/state';
import { defineFields, defineMethods, defineModule, type MethodDef } from './registry';

/** Builds an array of `size` elements once the size is known to be within the limit. */
function sized(size: number, build: () => Value[]): Value {
  checkArraySize(size);
  return arr(build());
}

const items = (self: Value): readonly Value[] => (self as ArrayV).v;

const call = (ctx: EvalContext, fn: FunctionV, ...args: Value[]): Promise<Value> => callFunction(ctx, fn, args);

async function test(ctx: EvalContext, fn: FunctionV, v: Value): Promise<boolean> {
  return truthy(await call(ctx, fn, v));
}

function checkIndex(xs: readonly Value[], i: number): number {
  if (i < 0 || i >= xs.length) throw indexOutOfBounds(i, xs.length);
  return i;
}

/** Scala's `slice` semantics: bounds are clamped, never an error. */
function slice(xs: readonly Value[], from: number, until: number): Value[] {
  const lo = Math.max(0, from), hi = Math.min(xs.length, until);
  return lo < hi ? xs.slice(lo, hi) : [];
}

function indexOf(xs: readonly Value[], v: Value, from: number): Value {
  for (let i = from; i < xs.length; i++) if (equals(xs[i], v)) return int(i);
  return noSuchElement('no element found');
}

function lastIndexOf(xs: readonly Value[], v: Value, end: number): Value {
  for (let i = Math.min(end, xs.length - 1); i >= 0; i--) if (equals(xs[i], v)) return int(i);
  return noSuchElement('no element found');
}

async function indexWhere(ctx: EvalContext, xs: readonly Value[], fn: FunctionV, from: number): Promise<Value> {
  checkParamArity(fn, 1, 'predicate');
  for (let i = from; i < xs.length; i++) if (await test(ctx, fn, xs[i])) return int(i);
  return noSuchElement('no element found');
}

async function lastIndexWhere(ctx: EvalContext, xs: readonly Value[], fn: FunctionV, end: number): Promise<Value> {
  checkParamArity(fn, 1, 'predicate');
  for (let i = Math.min(end, xs.length - 1); i >= 0; i--) if (await test(ctx, fn, xs[i])) return int(i);
  return noSuchElement('no element found');
}

async function where(ctx: EvalContext, xs: readonly Value[], fn: FunctionV, argName: string): Promise<Value[]> {
  checkParamArity(fn, 1, argName);
  const out: Value[] = [];
  for (const x of xs) if (await test(ctx, fn, x)) out.push(x);
  return out;
}

/** `any` / `every`: stops at the first element whose result differs from `unless`. */
async function anyEvery(ctx: EvalContext, xs: readonly Value[], fn: FunctionV, every: boolean): Promise<Value> {
  checkParamArity(fn, 1, 'predicate');
  for (const x of xs) {
    const r = await call(ctx, fn, x);
    const b = r.t === 'null' ? false : r.t === 'boolean' ? r.v : undefined;
    if (b === undefined) throw invalidType('Boolean', r);
    if (b !== every) return bool(b);
  }
  return every ? TRUE : FALSE;
}

async function foldLeft(ctx: EvalContext, xs: readonly Value[], seed: Value, fn: FunctionV): Promise<Value> {
  let acc = seed;
  for (const x of xs) acc = await call(ctx, fn, acc, x);
  return acc;
}

async function foldRight(ctx: EvalContext, xs: readonly Value[], seed: Value, fn: FunctionV): Promise<Value> {
  let acc = seed;
  for (let i = xs.length - 1; i >= 0; i--) acc = await call(ctx, fn, acc, xs[i]);
  return acc;
}

/** Key for hash-based `distinct` (like Scala's, Int 1 and Double 1.0 stay distinct). */
function distinctKey(v: Value): string | undefined {
  try {
    return JSON.stringify(serializeValue(v));
  } catch {
    return undefined;
  }
}

export function distinctValues(ctx: EvalContext, xs: readonly Value[]): Value[] {
  const seen = new Set<string>();
  // Elements are often the same value many times over: key each one once.
  const keys = new Map<Value, string | undefined>();
  const others: Value[] = [];
  const out: Value[] = [];
  for (const x of xs) {
    // Keying an element walks all of it: check the deadline for every one.
    checkDeadline(ctx);
    let k = keys.get(x);
    if (k === undefined && !keys.has(x)) keys.set(x, (k = distinctKey(x)));
    if (k !== undefined ? seen.has(k) : others.some((o) => equals(o, x))) continue;
    if (k !== undefined) seen.add(k);
    else others.push(x);
    out.push(x);
  }
  return out;
}

/** Pairwise tree reduction, then the seed last (Fauna's `aggregate`). */
async function aggregate(ctx: EvalContext, xs: readonly Value[], seed: Value, fn: FunctionV): Promise<Value> {
  checkParamArity(fn, 2, 'combiner');
  if (xs.length === 0) return seed;
  let level = [...xs];
  while (level.length > 1) {
    const next: Value[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? await call(ctx, fn, level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return call(ctx, fn, level[0], seed);
}

const ARRAY_METHODS: Record<string, MethodDef> = {
  at: method(sig([param('index', INT)], (_ctx, self, [i]) => items(self)[checkIndex(items(self), i)])),
  aggregate: method(sig([param('seed', ANY), param('combiner', FUNCTION)], (ctx, self, [seed, fn]) => aggregate(ctx, items(self), seed, fn))),
  any: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => anyEvery(ctx, items(self), fn, false))),
  every: method(sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => anyEvery(ctx, items(self), fn, true))),
  append: method(sig([param('element', ANY)], (_ctx, self, [v]) => sized(items(self).length + 1, () => [...items(self), v]))),
  prepend: method(sig([param('element', ANY)], (_ctx, self, [v]) => sized(items(self).length + 1, () => [v, ...items(self)]))),
  concat: method(sig([param('other', ARRAY)], (_ctx, self, [other]) =>
    sized(items(self).length + other.v.length, () => items(self).concat(other.v)))),
  distinct: method(sig([], (ctx, self) => arr(distinctValues(ctx, items(self))))),
  drop: method(sig([param('amount', INT)], (_ctx, self, [n]) => arr(items(self).slice(Math.max(0, n))))),
  take: method(sig([param('limit', INT)], (_ctx, self, [n]) => (n < items(self).length ? arr(items(self).slice(0, Math.max(0, n))) : self))),
  entries: method(sig([], (_ctx, self) => arr(items(self).map((v, i) => arr([int(i), v]))))),
  filter: method(sig([param('predicate', FUNCTION)], async (ctx, self, [fn]) => arr(await where(ctx, items(self), fn, 'predicate')))),
  where: method(sig([param('predicate', FUNCTION)], async (ctx, self, [fn]) => arr(await where(ctx, items(self), fn, 'pred')))),
  first: method(sig([], (_ctx, self) => items(self)[0] ?? noSuchElement('empty array'))),
  last: method(sig([], (_ctx, self) => items(self)[items(self).length - 1] ?? noSuchElement('empty array'))),
  firstWhere: method(sig([param('predicate', FUNCTION)], async (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'pred');
    for (const x of items(self)) if (await test(ctx, fn, x)) return x;
    return noSuchElement('no element found');
  })),
  lastWhere: method(sig([param('predicate', FUNCTION)], async (ctx, self, [fn]) => {
    const found = await where(ctx, items(self), fn, 'pred');
    return found[found.length - 1] ?? noSuchElement('no element found');
  })),
  flatten: method(sig([], (_ctx, self) => {
    let size = 0;
    for (const x of items(self)) {
      if (x.t !== 'array') throw invalidType('Array<Any>', x);
      size += x.v.length;
    }
    return sized(size, () => items(self).flatMap((x) => (x as ArrayV).v));
  })),
  flatMap: method(sig([param('mapper', FUNCTION)], async (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'mapper');
    const out: Value[] = [];
    for (const x of items(self)) {
      const r = await call(ctx, fn, x);
      if (r.t !== 'array') throw invalidType('Array<Any>', r);
      checkArraySize(out.length + r.v.length);
      for (const y of r.v) out.push(y);
    }
    return arr(out);
  })),
  fold: method(sig([param('seed', ANY), param('reducer', FUNCTION)], (ctx, self, [seed, fn]) => {
    checkParamArity(fn, 2, 'reducer');
    return foldLeft(ctx, items(self), seed, fn);
  })),
  foldRight: method(sig([param('seed', ANY), param('reducer', FUNCTION)], (ctx, self, [seed, fn]) => {
    checkParamArity(fn, 2, 'reducer');
    return foldRight(ctx, items(self), seed, fn);
  })),
  reduce: method(sig([param('reducer', FUNCTION)], (ctx, self, [fn]) => {
    checkParamArity(fn, 2, 'reducer');
    const xs = items(self);
    return xs.length === 0 ? noSuchElement('empty array') : foldLeft(ctx, xs.slice(1), xs[0], fn);
  })),
  reduceRight: method(sig([param('reducer', FUNCTION)], (ctx, self, [fn]) => {
    checkParamArity(fn, 2, 'reducer');
    const xs = items(self);
    return xs.length === 0 ? noSuchElement('empty array') : foldRight(ctx, xs.slice(0, -1), xs[xs.length - 1], fn);
  })),
  forEach: method(sig([param('callback', FUNCTION)], async (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'fn');
    for (const x of items(self)) await call(ctx, fn, x);
    return NULL;
  })),
  includes: method(sig([param('element', ANY)], (_ctx, self, [v]) => bool(items(self).some((x) => equals(x, v))))),
  indexOf: overloaded('indexOf',
    sig([param('element', ANY)], (_ctx, self, [v]) => indexOf(items(self), v, 0)),
    sig([param('element', ANY), param('start', INT)], (_ctx, self, [v, start]) => indexOf(items(self), v, checkIndex(items(self), start)))),
  lastIndexOf: overloaded('lastIndexOf',
    sig([param('element', ANY)], (_ctx, self, [v]) => lastIndexOf(items(self), v, items(self).length - 1)),
    sig([param('element', ANY), param('end', INT)], (_ctx, self, [v, end]) => lastIndexOf(items(self), v, checkIndex(items(self), end)))),
  indexWhere: overloaded('indexWhere',
    sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => indexWhere(ctx, items(self), fn, 0)),
    sig([param('predicate', FUNCTION), param('start', INT)], (ctx, self, [fn, start]) => indexWhere(ctx, items(self), fn, checkIndex(items(self), start)))),
  lastIndexWhere: overloaded('lastIndexWhere',
    sig([param('predicate', FUNCTION)], (ctx, self, [fn]) => lastIndexWhere(ctx, items(self), fn, items(self).length - 1)),
    sig([param('predicate', FUNCTION), param('end', INT)], (ctx, self, [fn, end]) => lastIndexWhere(ctx, items(self), fn, checkIndex(items(self), end)))),
  isEmpty: method(sig([], (_ctx, self) => bool(items(self).length === 0))),
  nonEmpty: method(sig([], (_ctx, self) => bool(items(self).length > 0))),
  map: method(sig([param('mapper', FUNCTION)], async (ctx, self, [fn]) => {
    checkParamArity(fn, 1, 'mapper');
    const out: Value[] = [];
    for (const x of items(self)) out.push(await call(ctx, fn, x));
    return arr(out);
  })),
  order: {
    arity: [0, Infinity],
    impl: async (ctx, self, args) => arr(await sortByOrderings(ctx, items(self), collectOrderings(args))),
  },
  reverse: method(sig([], (_ctx, self) => arr([...items(self)].reverse()))),
  slice: overloaded('slice',
    sig([param('from', INT)], (_ctx, self, [from]) => arr(slice(items(self), from, items(self).length))),
    sig([param('from', INT), param('until', INT)], (_ctx, self, [from, until]) => arr(slice(items(self), from, until)))),
  toSet: method(sig([], (_ctx, self) => ({ t: 'set', set: new ArraySet(items(self)) }))),
};

const ARRAY_MODULE_METHODS: Record<string, MethodDef> = {
  sequence: method(sig([param('from', INT), param('until', INT)], (_ctx, _self, [from, until]) => {
    const n = Math.max(0, until - from);
    if (n > MAX_ARRAY_SEQUENCE) throw valueTooLarge(`range size ${n} exceeds limit ${MAX_ARRAY_SEQUENCE}`);
    const out: Value[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = int(from + i);
    return arr(out);
  })),
};

/** Registers the members of arrays and the `Array` module (called by src/fql/stdlib/index.ts). */
export function wireArray(): void {
  defineFields('array', { length: (_ctx, self) => int(items(self).length) });
  defineMethods('array', ARRAY_METHODS);
  defineModule('Array');
  defineMethods('module:Array', ARRAY_MODULE_METHODS);
}
