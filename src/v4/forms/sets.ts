// Set algebra (core SetFunctions.scala): Union, Intersection and Difference of sets (or of
// arrays, as multisets), Join, Range and Singleton. Distinct and Reverse, which also take arrays
// and pages, live with the other iterable functions (collections.ts).
import { equals4 } from '../compare';
import { type Position, V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { matchSet } from '../model/index-defs';
import { DifferenceSet, IntersectionSet, JoinSet, RangeSet, UnionSet } from '../model/set-algebra';
import { SingletonSet } from '../model/sets';
import { type V4Set, type V4Value, arr4, nativeCollOf } from '../values';
import { expectRef } from './args';
import { castIterable, castSet } from './documents';

export type SetOrArray = { t: 'set'; set: V4Set } | { t: 'array'; items: readonly V4Value[] };

/** Core `Casts.SetOrArray`: pages are refused by name. */
export async function setOrArray(ev: Evaluator, v: V4Value, pos: Position): Promise<SetOrArray> {
  const it = await castIterable(ev.q, v, pos);
  if (it.t === 'page') throw new V4Error('invalid argument', 'Set or Array expected, Page provided.', pos);
  return it;
}

/** Scala's multiset `intersect`/`diff` and core's max-count union, by structural equality. */
function countIn(xs: readonly V4Value[], x: V4Value): number {
  return xs.reduce((n, y) => (equals4(x, y) ? n + 1 : n), 0);
}

const ARRAY_OPS: Readonly<Record<string, (acc: readonly V4Value[], next: readonly V4Value[]) => V4Value[]>> = {
  union: (left, right) => {
    const out: V4Value[] = [];
    const emitted: V4Value[] = [];
    for (const x of [...left, ...right]) {
      if (emitted.some((y) => equals4(x, y))) continue;
      emitted.push(x);
      for (let i = Math.max(countIn(left, x), countIn(right, x)); i > 0; i--) out.push(x);
    }
    return out;
  },
  intersection: (left, right) => {
    const pool = [...right];
    return left.filter((x) => {
      const i = pool.findIndex((y) => equals4(x, y));
      if (i >= 0) pool.splice(i, 1);
      return i >= 0;
    });
  },
  difference: (left, right) => {
    const pool = [...right];
    return left.filter((x) => {
      const i = pool.findIndex((y) => equals4(x, y));
      if (i >= 0) pool.splice(i, 1);
      return i < 0;
    });
  },
};

const SET_OPS: Readonly<Record<string, new (sets: readonly V4Set[]) => V4Set>> = {
  union: UnionSet, intersection: IntersectionSet, difference: DifferenceSet,
};

/** Core AssociativeSetFunction: all sets (of one shape) or all arrays. */
function associative(key: 'union' | 'intersection' | 'difference'): FormSpec {
  return {
    keys: [key],
    run: async (ev, a) => {
      const raw = await a.value(key);
      const parts: SetOrArray[] = [];
      for (const [v, pos] of raw.t === 'array' ? raw.v.map((x, i) => [x, [...a.at(key), i]] as const) : [[raw, a.at(key)] as const]) {
        parts.push(await setOrArray(ev, v, pos));
      }
      if (parts.length === 0) throw new V4Error('invalid argument', 'Non-empty array expected.', a.at(key));
      if (parts.every((p) => p.t === 'array')) {
        const arrays = parts.map((p) => (p as { items: readonly V4Value[] }).items);
        return arr4(arrays.slice(1).reduce(ARRAY_OPS[key], [...arrays[0]]));
      }
      if (!parts.every((p) => p.t === 'set')) {
        throw new V4Error('invalid argument', 'Arguments cannot be of different types, expected Set or Array.', a.at(key));
      }
      const sets = parts.map((p) => (p as { set: V4Set }).set);
      for (let i = 1; i < sets.length; i++) {
        const [x, y] = [sets[i - 1].shape, sets[i].shape];
        if (x !== undefined && y !== undefined && x !== y) throw new V4Error('invalid argument', 'Sets are not compatible.', a.at(key));
      }
      return { t: 'set', set: new SET_OPS[key](sets) };
    },
  };
}

/** `Join(source, Index(...) | Lambda)`. */
async function join(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const source = await castSet(ev.q, await a.value('join'), a.at('join'));
  const target = await a.value('with');
  const pos = a.at('with');
  if (target.t === 'lambda') {
    return {
      t: 'set',
      set: new JoinSet(source, { t: 'lambda', fn: target, ev: ev.reading(), pos, toSet: async (v) => castSet(ev.q, v, pos) }),
    };
  }
  if (target.t === 'ref' && nativeCollOf(target) === 'indexes') {
    return { t: 'set', set: new JoinSet(source, { t: 'index', ref: target, match: (terms) => matchSet(ev.q, target, terms, pos) }) };
  }
  throw invalidArgument(['Lambda', 'Index Ref'], target, pos);
}

/** Core CursorParser's array cursor: an array's elements, or one value. */
const bound = (v: V4Value): readonly V4Value[] => (v.t === 'array' ? v.v : [v]);

const SET_FORMS: readonly FormSpec[] = [
  associative('union'),
  associative('intersection'),
  associative('difference'),
  { keys: ['join', 'with'], run: join },
  {
    keys: ['range', 'from', 'to'],
    run: async (ev, a) => {
      const set = await castSet(ev.q, await a.value('range'), a.at('range'));
      const from = await a.value('from');
      const to = await a.value('to');
      return { t: 'set', set: new RangeSet(set, bound(from), bound(to), { from, to }) };
    },
  },
  {
    keys: ['singleton'],
    run: async (_ev, a) => ({ t: 'set', set: new SingletonSet(expectRef(await a.value('singleton'), a.at('singleton'))) }),
  },
];

/** Registers the set algebra forms (called by src/v4/forms/index.ts). */
export function wireSetForms(): void {
  defineForms(SET_FORMS);
}
