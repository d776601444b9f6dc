// Control flow, variables, lambdas, objects and basic functions (core BasicFunctions.scala,
// ObjectFunctions.scala, ArrayFunctions.scala, BooleanFunctions.scala).
import { type Position, V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, defineForms } from '../evaluator';
import { decodeLiteral } from '../escapes';
import { equals4 } from '../compare';
import { isJsonObject } from '../json';
import type { V4Value } from '../values';
import { NULL4, arr4, bool4, str4 } from '../values';
import { expectBoolean, expectLambda, expectString, varargs } from './args';

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

/** Select's path: a string, a number, or an array of them. */
function pathOf(v: V4Value, pos: Position): (string | bigint)[] {
  const one = (x: V4Value): string | bigint => {
    if (x.t === 'string') return x.v;
    if (x.t === 'long') return x.v;
    throw invalidArgument(['Integer or String'], x, pos);
  };
  return v.t === 'array' ? v.v.map(one) : [one(v)];
}

function step(cur: V4Value, p: string | bigint): V4Value | undefined {
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

async function select(a: FormArgs): Promise<V4Value> {
  const path = pathOf(await a.value('select'), a.at('select'));
  let cur: V4Value | undefined = await a.value('from');
  for (const p of path) {
    cur = cur === undefined ? undefined : step(cur, p);
    if (cur === undefined) break;
  }
  if (cur !== undefined) return cur;
  if (a.has('default')) return a.value('default');
  throw new V4Error('value not found', `Value not found at path [${path.map(String).join(',')}].`, a.pos);
}

/** The items Map/Foreach/Filter walk: an array or a page's data. */
function items(v: V4Value, pos: Position): readonly V4Value[] {
  if (v.t === 'array') return v.v;
  if (v.t === 'page') return v.data;
  throw invalidArgument(['Array or Page'], v, pos);
}

function sameShape(input: V4Value, data: readonly V4Value[]): V4Value {
  return input.t === 'page' ? { ...input, data } : arr4(data);
}

async function mapLike(ev: Evaluator, a: FormArgs, name: 'map' | 'foreach' | 'filter'): Promise<V4Value> {
  const fn = expectLambda(await a.value(name), a.at(name));
  const input = await a.value('collection');
  const out: V4Value[] = [];
  for (const item of items(input, a.at('collection'))) {
    const r = await ev.apply(fn, item, a.at(name));
    if (name === 'map') out.push(r);
    else if (name === 'filter') { if (expectBoolean(r, a.at(name))) out.push(item); }
  }
  return name === 'foreach' ? input : sameShape(input, out);
}

function lambda(a: FormArgs): V4Value {
  return { t: 'lambda', params: a.json('lambda'), expr: a.json('expr'), env: a.env, apiVersion: '4', bodyPos: a.at('expr') };
}

defineForms([
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
  { keys: ['select', 'from'], optional: ['default', 'all'], run: async (_ev, a) => select(a) },
  {
    keys: ['equals'],
    run: async (_ev, a) => {
      const vals = varargs(await a.value('equals'));
      return bool4(vals.every((v) => equals4(v, vals[0])));
    },
  },
  {
    keys: ['and'],
    run: async (ev, a) => {
      for (const v of varargs(await a.value('and'))) if (!expectBoolean(v, a.at('and'))) return bool4(false);
      return bool4(true);
    },
  },
  {
    keys: ['or'],
    run: async (ev, a) => {
      for (const v of varargs(await a.value('or'))) if (expectBoolean(v, a.at('or'))) return bool4(true);
      return bool4(false);
    },
  },
  { keys: ['not'], run: async (_ev, a) => bool4(!expectBoolean(await a.value('not'), a.at('not'))) },
  { keys: ['map', 'collection'], run: (ev, a) => mapLike(ev, a, 'map') },
  { keys: ['foreach', 'collection'], run: (ev, a) => mapLike(ev, a, 'foreach') },
  { keys: ['filter', 'collection'], run: (ev, a) => mapLike(ev, a, 'filter') },
]);

