// Functions over arrays, pages and sets (core ArrayFunctions.scala, FoldFunctions.scala,
// SetFunctions.scala Distinct/Reverse) and over objects (ObjectFunctions.scala MergeFunction,
// BasicFunctions.scala Contains*).
import { compare4, equals4 } from '../compare';
import { type Position, V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { DistinctSet, ReverseSet } from '../model/set-algebra';
import {
  type ObjectV4, type PageV4, type V4Value, NULL4, arr4, bool4, long4, str4, versionRef,
} from '../values';
import {
  anyValue, arg, expectArray, expectBoolean, expectInteger, expectLambda, expectNumber, expectString, zeroOrMore,
} from './args';
import { pathOf, valueAt } from './basic';
import { type Iterable4, castIterable, elementsOf } from './documents';
import { setOrArray } from './sets';

// ---------------------------------------------------------------------------- folds

/**
 * Core AbstractFoldFunction: an array or a set folds to a value; a page folds to a page holding
 * just that value (with the page's cursors).
 */
function folded(it: Iterable4, value: V4Value): V4Value {
  return it.t === 'page' ? { ...it.page, data: [value], cursors: undefined } : value;
}

const emptyArray = (pos: Position): V4Error => new V4Error('invalid argument', 'Non-empty array expected.', pos);

type Fold = (items: readonly V4Value[], pos: Position) => V4Value;

function sum(items: readonly V4Value[], pos: Position): V4Value {
  let acc: V4Value = long4(0);
  for (const x of items) {
    const n = expectNumber(x, pos);
    acc = acc.t === 'long' && n.t === 'long'
      ? { t: 'long', v: BigInt.asIntN(64, acc.v + n.v) }
      : { t: 'double', v: Number((acc as { v: bigint | number }).v) + Number(n.v) };
  }
  return acc;
}

const boolFold = (seed: boolean) => (items: readonly V4Value[], pos: Position): V4Value => {
  let acc = seed;
  for (const x of items) acc = seed ? acc && expectBoolean(x, pos) : acc || expectBoolean(x, pos);
  return bool4(acc);
};

/** Core AbstractCBORFunction: the greatest (or least) element in index order. */
const extreme = (sign: 1 | -1): Fold => (items, pos) => {
  if (items.length === 0) throw emptyArray(pos);
  return items.reduce((acc, x) => (sign * compare4(acc, x) > 0 ? acc : x));
};

const FOLDS: Readonly<Record<string, Fold>> = {
  count: (items) => long4(items.length),
  sum,
  mean: (items, pos) => {
    if (items.length === 0) throw emptyArray(pos);
    const total = sum(items, pos) as { v: bigint | number };
    return { t: 'double', v: Number(total.v) / items.length };
  },
  any: boolFold(false),
  all: boolFold(true),
  max: extreme(1),
  min: extreme(-1),
};

function foldForm(key: string): FormSpec {
  return {
    keys: [key],
    run: async (ev, a) => {
      let v = await a.value(key);
      // Max([x]) and Min([x]) of a single collection fold that collection.
      if ((key === 'max' || key === 'min') && v.t === 'array' && v.v.length === 1 && ['array', 'page', 'set'].includes(v.v[0].t)) v = v.v[0];
      const it = await castIterable(ev.q, v, a.at(key));
      return folded(it, FOLDS[key](await elementsOf(it), a.at(key)));
    },
  };
}

async function reduce(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const fn = await arg(a, 'reduce', expectLambda);
  const initial = await a.value('initial');
  const it = await castIterable(ev.q, await a.value('collection'), a.at('collection'));
  let acc = initial;
  for (const x of await elementsOf(it)) acc = await ev.apply(fn, arr4([acc, x]), a.at('reduce'));
  return folded(it, acc);
}

// ----------------------------------------------------------------- arrays and pages

/** Core TakeFunction/DropFunction: arrays and pages only. */
function arrayOrPage(v: V4Value, pos: Position): V4Value[] | PageV4 {
  if (v.t === 'array') return [...v.v];
  if (v.t === 'page') return v;
  throw invalidArgument(['Array or Page'], v, pos);
}

/** Scala's `take`/`drop` with a possibly negative count. */
const take = <T>(xs: readonly T[], n: number): T[] => xs.slice(0, Math.max(0, n));
const drop = <T>(xs: readonly T[], n: number): T[] => xs.slice(Math.max(0, n));

async function takeDrop(a: FormArgs, key: 'take' | 'drop'): Promise<V4Value> {
  const n = Number(BigInt.asIntN(32, await arg(a, key, expectInteger)));
  const coll = arrayOrPage(await a.value('collection'), a.at('collection'));
  if (Array.isArray(coll)) return arr4(key === 'take' ? take(coll, n) : drop(coll, n));
  const cursors = coll.cursors ?? [];
  if (key === 'take') {
    // The next page starts at the first element not taken.
    const after = n < 0 ? coll.before : cursors[n] ?? coll.after;
    return { ...coll, data: take(coll.data, n), cursors: take(cursors, n), after };
  }
  const kept = drop(cursors, n);
  const before = n < 0 ? coll.before : kept[0] ?? coll.after;
  return { ...coll, data: drop(coll.data, n), cursors: kept, before };
}

/** Core MultiSet-free Distinct on arrays (first occurrences, structural equality). */
const distinctValues = (xs: readonly V4Value[]): V4Value[] => xs.filter((x, i) => xs.findIndex((y) => equals4(x, y)) === i);

async function distinctOrReverse(ev: Evaluator, a: FormArgs, key: 'distinct' | 'reverse'): Promise<V4Value> {
  const it = await castIterable(ev.q, await a.value(key), a.at(key));
  const list = (xs: readonly V4Value[]) => (key === 'distinct' ? distinctValues(xs) : [...xs].reverse());
  switch (it.t) {
    case 'array': return arr4(list(it.items));
    case 'page': return { ...it.page, data: list(it.page.data) };
    case 'set': return { t: 'set', set: key === 'distinct' ? new DistinctSet(it.set) : new ReverseSet(it.set) };
  }
}

async function emptiness(ev: Evaluator, a: FormArgs, key: 'is_empty' | 'is_nonempty'): Promise<V4Value> {
  const it = await castIterable(ev.q, await a.value(key), a.at(key));
  const empty = (await elementsOf(it)).length === 0;
  return bool4(key === 'is_empty' ? empty : !empty);
}

// -------------------------------------------------------------------------- objects

/** A version or an object, as Merge sees it. */
function objectFields(v: V4Value, pos: Position): ReadonlyMap<string, V4Value> {
  if (v.t !== 'object') throw invalidArgument(['Object'], v, pos);
  return v.v;
}

/** Core MergeFunction: right objects folded into the left; a null result removes the key. */
async function merge(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const left = objectFields(await a.value('merge'), a.at('merge'));
  const rights = zeroOrMore(await a.value('with'), a.at('with'), objectFields);
  const fn = a.has('lambda') ? await arg(a, 'lambda', expectLambda) : undefined;
  const out = new Map(left);
  for (const right of rights) {
    for (const [k, r] of right) {
      const v = fn ? await ev.apply(fn, arr4([str4(k), out.get(k) ?? NULL4, r]), a.pos) : r;
      if (v.t === 'null') out.delete(k);
      else out.set(k, v);
    }
  }
  return { t: 'object', v: out } satisfies ObjectV4;
}

/** Core ContainsValueFunction: the container's own values (not nested ones). */
async function containsValue(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const value = await a.value('contains_value');
  const inside = await a.value('in');
  const is = (x: V4Value | undefined) => x !== undefined && equals4(x, value);
  switch (inside.t) {
    case 'ref': return bool4(is(str4(inside.id)) || is(inside.coll) || is(inside.db));
    case 'set': case 'page': case 'array': {
      if (inside.t === 'page' && (is(inside.before) || is(inside.after) || is(arr4(inside.data)))) return bool4(true);
      if (inside.t === 'page') return bool4(false);
      return bool4((await elementsOf(await castIterable(ev.q, inside, a.at('in')))).some(is));
    }
    // A version also contains its collection (core: ref, collection ref, ts, data fields).
    case 'object': return bool4([...inside.v.values()].some(is) || is(versionRef(inside)?.coll));
    case 'lambda': return bool4(false);
    default:
      throw new V4Error('invalid argument', 'Object, Array, Page, Set, or Ref expected, Scalar provided.', a.at('in'));
  }
}

/** Core FirstFunction/LastFunction: the first (last) element of an array or a set. */
function firstOrLast(key: 'first' | 'last'): FormSpec {
  return {
    keys: [key],
    run: async (ev, a) => {
      const it = await setOrArray(ev, await a.value(key), a.at(key));
      const items = await elementsOf(it);
      if (items.length === 0) {
        throw new V4Error('invalid argument', it.t === 'set' ? 'Non-empty set expected.' : 'Non-empty array expected.', a.at(key));
      }
      return key === 'first' ? items[0] : items[items.length - 1];
    },
  };
}

const COLLECTION_FORMS: readonly FormSpec[] = [
  ...Object.keys(FOLDS).map(foldForm),
  firstOrLast('first'),
  firstOrLast('last'),
  { keys: ['reduce', 'initial', 'collection'], run: reduce },
  { keys: ['take', 'collection'], run: (_ev, a) => takeDrop(a, 'take') },
  { keys: ['drop', 'collection'], run: (_ev, a) => takeDrop(a, 'drop') },
  {
    keys: ['prepend', 'collection'],
    run: async (_ev, a) => arr4([
      ...zeroOrMore(await a.value('prepend'), a.at('prepend'), anyValue), ...(await arg(a, 'collection', expectArray))]),
  },
  {
    keys: ['append', 'collection'],
    run: async (_ev, a) => arr4([
      ...(await arg(a, 'collection', expectArray)), ...zeroOrMore(await a.value('append'), a.at('append'), anyValue)]),
  },
  { keys: ['distinct'], run: (ev, a) => distinctOrReverse(ev, a, 'distinct') },
  { keys: ['reverse'], run: (ev, a) => distinctOrReverse(ev, a, 'reverse') },
  { keys: ['is_empty'], run: (ev, a) => emptiness(ev, a, 'is_empty') },
  { keys: ['is_nonempty'], run: (ev, a) => emptiness(ev, a, 'is_nonempty') },
  { keys: ['merge', 'with'], optional: ['lambda'], run: merge },
  ...['contains_path', 'contains'].map((key): FormSpec => ({
    keys: [key, 'in'],
    run: async (_ev, a) => bool4(valueAt(await a.value('in'), pathOf(await a.value(key), a.at(key)), false) !== undefined),
  })),
  {
    keys: ['contains_field', 'in'],
    run: async (_ev, a) => {
      const field = await arg(a, 'contains_field', expectString);
      const inside = await a.value('in');
      if (inside.t === 'array') throw invalidArgument(['Object'], inside, a.at('in'));
      return bool4(valueAt(inside, [field], false) !== undefined);
    },
  },
  { keys: ['contains_value', 'in'], run: containsValue },
];

/** Registers the forms over arrays, pages, sets and objects (called by src/v4/forms/index.ts). */
export function wireCollectionForms(): void {
  defineForms(COLLECTION_FORMS);
}
