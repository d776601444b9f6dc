// JSON-safe encoding of FQL values for set cursors: every scalar, arrays, objects, document
// references, modules, sets (by their description) and lambdas (source text plus the captured
// variables and template values the body uses, rebuilt by re-parsing the source).
import { QueryError } from '../errors';
import { parseExpression } from '../parse/parse';
import { freeNames } from '../eval/analysis';
import { implicitArgOffsets, templatesIn } from '../eval/lambda-source';
import { CAPTURED_TEMPLATES, IMPLICIT, TEMPLATES, bind, lookup, type Scope } from '../eval/scope';
import { SOURCE } from '../eval/evaluator';
import type { Expr } from '../ast/nodes';
import type { Callable, FqlSet, LambdaFn, Value } from './value';
import { decodedSet } from '../eval/sets/decode';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Name given to a short lambda's receiver when it is written out as an ordinary lambda. */
const SHORT_PARAM = '__it';

function unserializable(what: string): QueryError {
  return new QueryError('invalid_argument', `${what} cannot be used in a paginated set`);
}

function encodeDouble(n: number): Json {
  return Number.isFinite(n) && !Object.is(n, -0) ? n : String(n);
}

export function serializeValue(v: Value): Json {
  switch (v.t) {
    case 'null': return null;
    case 'boolean': return v.v;
    case 'string': return v.v;
    case 'int': return { i: v.v };
    case 'long': return { l: v.v.toString() };
    case 'double': return { d: encodeDouble(v.v) };
    case 'bytes': return { b: Buffer.from(v.v).toString('base64') };
    case 'time': return { tm: v.ns.toString() };
    case 'date': return { dt: v.days };
    case 'uuid': return { u: v.v };
    case 'array': return v.v.map(serializeValue);
    case 'object': return { o: [...v.v].map(([k, x]) => [k, serializeValue(x)]) };
    case 'module': return { m: v.name };
    case 'doc': return { doc: [v.coll, v.id] };
    case 'named': return { nd: [v.coll, v.name] };
    case 'nulldoc': {
      const n: { [k: string]: Json } = { coll: v.coll, cause: v.cause };
      if (v.id !== undefined) n.id = v.id;
      if (v.name !== undefined) n.name = v.name;
      return { nn: n };
    }
    case 'set': {
      const d = v.set.describe();
      if (d === undefined) throw unserializable('This set');
      return { s: d as Json };
    }
    case 'function': return { fn: serializeCallable(v.fn) };
    case 'eventsource': return { es: v.token };
  }
}

function serializeCallable(fn: Callable): Json {
  switch (fn.kind) {
    case 'udf': return { udf: fn.name };
    case 'native': throw unserializable(`The function \`${fn.name}\``);
    case 'lambda': return serializeLambda(fn);
  }
}

function lambdaText(fn: LambdaFn): string {
  if (fn.params.length !== 1 || fn.params[0] !== IMPLICIT || !fn.span) return fn.source;
  // A short lambda: name its receiver so that the text parses as an ordinary lambda.
  let text = fn.source;
  for (const at of implicitArgOffsets(fn.body as Expr, fn.span.start).reverse()) {
    text = text.slice(0, at) + SHORT_PARAM + text.slice(at);
  }
  return `(${SHORT_PARAM}) => ${text}`;
}

function serializeLambda(fn: LambdaFn): Json {
  const env = fn.env as Scope | null;
  const body = fn.body as Expr;
  const vars: Json[] = [];
  for (const name of freeNames(body, fn.params).keys()) {
    const v = lookup(env, name);
    if (v !== undefined) vars.push([name, serializeValue(v)]);
  }
  const out: { [k: string]: Json } = { src: lambdaText(fn), vars };
  const nodes = templatesIn(body);
  if (nodes.length > 0) {
    const own = lookup(env, TEMPLATES);
    const captured = lookup(env, CAPTURED_TEMPLATES);
    out.tpl = nodes.map((n, k) => {
      const v = own?.t === 'array' ? own.v[n.index] : captured?.t === 'array' ? captured.v[k] : undefined;
      if (v === undefined) throw unserializable('This function');
      return serializeValue(v);
    });
  }
  return out;
}

function bad(): never {
  throw new SyntaxError('malformed serialized value');
}

function isRecord(j: unknown): j is Record<string, unknown> {
  return typeof j === 'object' && j !== null && !Array.isArray(j);
}

/** Inverse of serializeValue. Throws on malformed input (callers report an invalid cursor). */
export function deserializeValue(json: unknown): Value {
  if (json === null) return { t: 'null' };
  if (typeof json === 'boolean') return { t: 'boolean', v: json };
  if (typeof json === 'string') return { t: 'string', v: json };
  if (Array.isArray(json)) return { t: 'array', v: json.map(deserializeValue) };
  if (!isRecord(json)) bad();
  const [tag] = Object.keys(json);
  const x = json[tag];
  switch (tag) {
    case 'i': return { t: 'int', v: Number(x) | 0 };
    case 'l': return { t: 'long', v: BigInt.asIntN(64, BigInt(String(x))) };
    case 'd': return { t: 'double', v: Number(x) };
    case 'b': return { t: 'bytes', v: new Uint8Array(Buffer.from(String(x), 'base64')) };
    case 'tm': return { t: 'time', ns: BigInt(String(x)) };
    case 'dt': return { t: 'date', days: Number(x) };
    case 'u': return { t: 'uuid', v: String(x) };
    case 'o': {
      if (!Array.isArray(x)) bad();
      return { t: 'object', v: new Map(x.map((e) => (Array.isArray(e) ? [String(e[0]), deserializeValue(e[1])] : bad()))) };
    }
    case 'm': return { t: 'module', name: String(x) };
    case 'doc': return Array.isArray(x) ? { t: 'doc', coll: String(x[0]), id: String(x[1]) } : bad();
    case 'nd': return Array.isArray(x) ? { t: 'named', coll: String(x[0]), name: String(x[1]) } : bad();
    case 'nn': {
      if (!isRecord(x)) bad();
      const cause = String(x.cause) as Extract<Value, { t: 'nulldoc' }>['cause'];
      return {
        t: 'nulldoc', coll: String(x.coll), cause,
        ...(x.id !== undefined ? { id: String(x.id) } : {}),
        ...(x.name !== undefined ? { name: String(x.name) } : {}),
      };
    }
    case 's': return { t: 'set', set: decodedSet(x) as FqlSet };
    case 'fn': return { t: 'function', fn: deserializeCallable(x) };
    case 'es': return { t: 'eventsource', token: String(x) };
    default: bad();
  }
}

/** Lambdas rebuilt from cursors: their spans refer to their own source, not the query's. */
const decodedLambdas = new WeakSet<LambdaFn>();

export function isDecodedLambda(fn: LambdaFn): boolean {
  return decodedLambdas.has(fn);
}

function deserializeCallable(j: unknown): Callable {
  if (!isRecord(j)) bad();
  if (typeof j.udf === 'string') return { kind: 'udf', name: j.udf };
  if (typeof j.src !== 'string' || !Array.isArray(j.vars)) bad();
  const src = j.src;
  const parsed = parseExpression(src);
  if (parsed.kind !== 'lambda') bad();
  let env: Scope | null = bind(null, SOURCE, { t: 'string', v: src });
  if (Array.isArray(j.tpl)) env = bind(env, TEMPLATES, { t: 'array', v: j.tpl.map(deserializeValue) });
  for (const entry of j.vars) {
    if (!Array.isArray(entry)) bad();
    env = bind(env, String(entry[0]), deserializeValue(entry[1]));
  }
  const fn: LambdaFn = { kind: 'lambda', params: parsed.params, variadic: parsed.variadic, body: parsed.body, env, source: src, span: parsed.span };
  decodedLambdas.add(fn);
  return fn;
}
