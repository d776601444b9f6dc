// Control flow, variables, lambdas, objects and basic functions (core BasicFunctions.scala,
// ObjectFunctions.scala, ArrayFunctions.scala, BooleanFunctions.scala).
import { type Position, V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { decodeLiteral } from '../escapes';
import { compare4, equals4 } from '../compare';
import { isJsonObject } from '../json';
import type { V4Value } from '../values';
import { NULL4, arr4, bool4, str4 } from '../values';
import { anyValue, expectBoolean, expectLambda, expectString, oneOrMore, zeroOrMore } from './args';
import { castIterable } from './documents';
import { FilterSet } from '../model/set-algebra';

async function letForm(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const bindings = a.json('let');
  const env = new Map(a.env);
  const bind = async (name: string, expr: Parameters<Evaluator['eval']>[0], pos: Position) => {
    env.set(name, await ev.eval(expr, env, pos));
  };
  if (Array.isArray(bindings)) {
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i];
      if (!isJsonObject(b)) throw new V4Error('invalid expression', 'Object expected.', [...a.at('let'), i]);
      for (const [k, x] of Object.entries(b)) await bind(k, x, [...a.at('let'), i, k]);
    }
  } else if (isJsonObject(bindings)) {
    for (const [k, x] of Object.entries(bindings)) await bind(k, x, [...a.at('let'), k]);
  } else {
    throw new V4Error('invalid expression', 'Object expected.', a.at('let'));
  }
  return ev.eval(a.json('in'), env, a.at('in'));
}

type PathElem = string | bigint;

/** Core `Casts.Path`: a string, a number, or an array of them. */
export function pathOf(v: V4Value, pos: Position): PathElem[] {
  return zeroOrMore(v, pos, (x, at): PathElem => {
    if (x.t === 'string' || x.t === 'long') return x.v;
    throw invalidArgument(['String', 'Integer'], x, at);
  });
}

function step(cur: V4Value, p: PathElem): V4Value | undefined {
  if (typeof p === 'bigint') {
    const items = cur.t === 'array' ? cur.v : cur.t === 'page' ? cur.data : undefined;
    return items && p >= 0n && p < BigInt(items.length) ? items[Number(p)] : undefined;
  }
  switch (cur.t) {
    case 'object': return cur.v.get(p);
    case 'page': return p === 'data' ? arr4(cur.data) : p === 'before' ? cur.before : p === 'after' ? cur.after : undefined;
    case 'ref':
      if (p === 'id') return str4(cur.id);
      if (p === 'collection') return cur.coll;
      if (p === 'database') return cur.db;
      return undefined;
    default: return undefined;
  }
}

const flatten = (xs: readonly V4Value[]): V4Value[] => xs.flatMap((x) => (x.t === 'array' ? flatten(x.v) : [x]));

/**
 * The value at `path` (core ReadAdaptor.valueAtPath0). With `all`, a field name applied to an
 * array applies to each element and the results are flattened into one array.
 */
export function valueAt(cur: V4Value, path: readonly PathElem[], all: boolean): V4Value | undefined {
  if (cur.t === 'array' && all && (path.length === 0 || typeof path[0] === 'string')) {
    const found = path.length === 0 ? cur.v : cur.v.map((x) => valueAt(x, path, all)).filter((x) => x !== undefined);
    return arr4(flatten(found as V4Value[]));
  }
  if (path.length === 0) return cur;
  const next = step(cur, path[0]);
  return next === undefined ? undefined : valueAt(next, path.slice(1), all);
}

/** Select and SelectAll (core EvalContext SelectE): a missing value is reported at `from`. */
async function select(a: FormArgs, name: 'select' | 'select_all'): Promise<V4Value> {
  const path = pathOf(await a.value(name), a.at(name));
  const from = await a.value('from');
  const all = name === 'select_all' || (a.has('all') && expectBoolean(await a.value('all'), a.at('all')));
  const found = valueAt(from, path, all);
  if (all) return found === undefined ? arr4([]) : found.t === 'array' ? found : arr4([found]);
  if (found !== undefined) return found;
  if (a.has('default')) return a.value('default');
  throw new V4Error('value not found', `Value not found at path [${path.map(String).join(',')}].`, a.at('from'));
}

function sameShape(input: V4Value, data: readonly V4Value[], cursors?: readonly V4Value[]): V4Value {
  return input.t === 'page' ? { ...input, data, cursors } : arr4(data);
}

/** Map and Foreach walk an array or a page (core MapFunction, ForeachFunction). */
async function mapLike(ev: Evaluator, a: FormArgs, name: 'map' | 'foreach'): Promise<V4Value> {
  const fn = expectLambda(await a.value(name), a.at(name));
  const input = await a.value('collection');
  if (input.t !== 'array' && input.t !== 'page') throw invalidArgument(['Array or Page'], input, a.at('collection'));
  const out: V4Value[] = [];
  for (const item of input.t === 'array' ? input.v : input.data) out.push(await ev.apply(fn, item, a.at(name)));
  return name === 'foreach' ? input : sameShape(input, out, input.t === 'page' ? input.cursors : undefined);
}

/**
 * Filter (core FilterFunction) keeps an array's or a page's elements the lambda returns true
 * for (checked as core does, at the element's index under the form), or filters a set lazily.
 */
async function filter(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const fn = expectLambda(await a.value('filter'), a.at('filter'));
  const it = await castIterable(ev.q, await a.value('collection'), a.at('collection'));
  const check = (v: V4Value, pos: Position) => expectBoolean(v, pos);
  if (it.t === 'set') return { t: 'set', set: new FilterSet(it.set, fn, ev.reading(), a.at('filter'), check) };
  const input = it.t === 'array' ? it.items : it.page.data;
  const keep: boolean[] = [];
  for (let i = 0; i < input.length; i++) keep.push(check(await ev.apply(fn, input[i], a.at('filter')), [...a.pos, i]));
  if (it.t === 'array') return arr4(input.filter((_, i) => keep[i]));
  return sameShape(it.page, input.filter((_, i) => keep[i]), it.page.cursors?.filter((_, i) => keep[i]));
}

/** And/Or (core AndE, OrE): left to right, stopping at the first false (true). */
async function logic(ev: Evaluator, a: FormArgs, name: 'and' | 'or'): Promise<V4Value> {
  const raw = a.json(name);
  const exprs = Array.isArray(raw) ? raw : [raw];
  if (exprs.length === 0) throw new V4Error('invalid expression', 'Expression list cannot be empty.', a.at(name));
  for (let i = 0; i < exprs.length; i++) {
    const at = Array.isArray(raw) ? [...a.at(name), i] : a.at(name);
    const b = expectBoolean(await ev.eval(exprs[i], a.env, at), at);
    if (b === (name === 'or')) return bool4(b);
  }
  return bool4(name === 'and');
}

/**
 * Equals (core EqualsFunction): numbers compare across Integer and Double at the top level, as
 * java.lang.Double.compare does (NaN equals NaN, -0.0 does not equal 0.0).
 */
function equalsTop(a: V4Value, b: V4Value): boolean {
  if ((a.t === 'long' || a.t === 'double') && (b.t === 'long' || b.t === 'double')) return Object.is(Number(a.v), Number(b.v));
  return equals4(a, b);
}

function lambda(a: FormArgs): V4Value {
  return { t: 'lambda', params: a.json('lambda'), expr: a.json('expr'), env: a.env, apiVersion: '4', bodyPos: a.at('expr') };
}

const BASIC_FORMS: readonly FormSpec[] = [
  { keys: ['let', 'in'], run: letForm },
  {
    keys: ['var'],
    run: async (_ev, a) => {
      const name = a.json('var');
      if (typeof name !== 'string') throw new V4Error('invalid expression', 'String expected.', a.at('var'));
      const v = a.env.get(name);
      if (v === undefined) throw new V4Error('invalid expression', `Variable '${name}' is not defined.`, a.pos);
      return v;
    },
  },
  { keys: ['lambda', 'expr'], run: async (_ev, a) => lambda(a) },
  {
    keys: ['query'],
    run: async (ev, a) => {
      const fn = await a.value('query');
      if (fn.t !== 'lambda') throw invalidArgument(['Lambda'], fn, a.at('query'));
      return fn;
    },
  },
  {
    keys: ['object'],
    run: async (ev, a) => {
      const fields = a.json('object');
      if (!isJsonObject(fields)) throw new V4Error('invalid expression', 'Invalid object.', a.at('object'));
      const out = new Map<string, V4Value>();
      for (const [k, x] of Object.entries(fields)) out.set(k, await ev.eval(x, a.env, [...a.at('object'), k]));
      return { t: 'object', v: out };
    },
  },
  { keys: ['quote'], run: async (ev, a) => decodeLiteral(ev, a.json('quote'), a.at('quote')) },
  {
    keys: ['if', 'then', 'else'],
    run: async (_ev, a) => (expectBoolean(await a.value('if'), a.at('if')) ? a.value('then') : a.value('else')),
  },
  {
    keys: ['do'],
    run: async (ev, a) => {
      const exprs = a.json('do');
      const list = Array.isArray(exprs) ? exprs : [exprs];
      if (list.length === 0) throw new V4Error('invalid expression', 'Expression list cannot be empty.', a.at('do'));
      let last: V4Value = NULL4;
      for (let i = 0; i < list.length; i++) last = await ev.eval(list[i], a.env, Array.isArray(exprs) ? [...a.at('do'), i] : a.at('do'));
      return last;
    },
  },
  {
    keys: ['abort'],
    run: async (_ev, a) => { throw new V4Error('transaction aborted', expectString(await a.value('abort'), a.at('abort')), a.pos); },
  },
  { keys: ['select', 'from'], optional: ['default', 'all'], run: async (_ev, a) => select(a, 'select') },
  { keys: ['select_all', 'from'], optional: ['default'], run: async (_ev, a) => select(a, 'select_all') },
  {
    keys: ['equals'],
    run: async (_ev, a) => {
      const vals = oneOrMore(await a.value('equals'), a.at('equals'), anyValue);
      return bool4(vals.every((v) => equalsTop(vals[0], v)));
    },
  },
  { keys: ['and'], run: (ev, a) => logic(ev, a, 'and') },
  { keys: ['or'], run: (ev, a) => logic(ev, a, 'or') },
  // Comparisons (core ComparisonFunctions.scala): each value against the next, in index order.
  ...([['lt', (c: number) => c < 0], ['lte', (c: number) => c <= 0], ['gt', (c: number) => c > 0], ['gte', (c: number) => c >= 0]] as const)
    .map(([key, holds]) => ({
      keys: [key],
      run: async (_ev: Evaluator, a: FormArgs) => {
        const vals = oneOrMore(await a.value(key), a.at(key), anyValue);
        return bool4(vals.every((v, i) => i === 0 || holds(compare4(vals[i - 1], v))));
      },
    })),
  { keys: ['not'], run: async (_ev, a) => bool4(!expectBoolean(await a.value('not'), a.at('not'))) },
  { keys: ['map', 'collection'], run: (ev, a) => mapLike(ev, a, 'map') },
  { keys: ['foreach', 'collection'], run: (ev, a) => mapLike(ev, a, 'foreach') },
  { keys: ['filter', 'collection'], run: filter },
];

/** Registers the control flow, variable, lambda, object and basic forms (called by src/v4/forms/index.ts). */
export function wireBasicForms(): void {
  defineForms(BASIC_FORMS);
}
