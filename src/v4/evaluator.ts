// The v4 expression evaluator (core ast/Parser.scala + EvalContext.scala). A request is one
// JSON tree: scalars and arrays evaluate to themselves (elementwise), an object is either an
// `@`-escape or a *form* whose key set exactly matches one declared form, e.g.
// `{"select": p, "from": x, "default": d}`. Forms live in src/v4/forms/*, one file per family,
// registered here by src/v4/forms/index.ts (`wireV4Forms`). Errors carry the position of the
// failing form: the path of object keys and array indexes from the root of the request.
import { performance } from 'node:perf_hooks';
import type { Json } from './json';
import { isJsonObject } from './json';
import { type Position, V4Error, V4Timeout, expectedMessage, invalidWriteTime } from './errors';
import type { Env, LambdaV4, V4Value } from './values';
import { NULL4, arr4, jsonNumber4, typeName4 } from './values';
import type { V4Query } from './query-context';
import { decodeEscape } from './escapes';
import { QueryError, QueryTimeout } from '../fql/errors';
import { fromQueryError } from './model/failures';
import { checkArraySize, checkStringSize } from '../fql/limits';
import { QueryMemoryExceeded, checkHeapPeriodically } from '../fql/memory-guard';
import { ReadBelowMinValidTime } from '../model/temporal/min-valid-time';

/**
 * A form's result within FQL v10's limits on the values operations build (src/fql/limits.ts).
 * Forms that grow a value by a bounded factor (Append, Prepend, Union, Map over an array) are
 * checked here, after the fact, so repeating them (a Reduce doubling an array) stops at twice
 * the limit instead of at the heap limit, which Node does not always survive; forms that can
 * grow a value by any factor check before they build (strings.ts).
 */
function checkBuilt(v: V4Value): V4Value {
  if (v.t === 'array') checkArraySize(v.v.length);
  else if (v.t === 'string') checkStringSize(v.v.length);
  return v;
}

export interface FormSpec {
  /** Keys that must be present; the first names the form. */
  readonly keys: readonly string[];
  readonly optional?: readonly string[];
  /** Set for forms that must not run in a read-only request (`GET /?q=`). */
  readonly writes?: boolean;
  /** Set for writes that may run inside `At` (Insert and Remove write history at any time). */
  readonly anyTime?: boolean;
  readonly run: (ev: Evaluator, args: FormArgs) => Promise<V4Value>;
}

const forms = new Map<string, FormSpec[]>();

export function defineForms(specs: readonly FormSpec[]): void {
  for (const spec of specs) {
    const list = forms.get(spec.keys[0]) ?? [];
    list.push(spec);
    forms.set(spec.keys[0], list);
  }
}

function findForm(keys: readonly string[]): FormSpec | undefined {
  for (const k of keys) {
    for (const spec of forms.get(k) ?? []) {
      const allowed = spec.optional ? [...spec.keys, ...spec.optional] : spec.keys;
      if (spec.keys.every((r) => keys.includes(r)) && keys.every((x) => allowed.includes(x))) return spec;
    }
  }
  return undefined;
}

/** A form's unevaluated arguments, evaluated on demand at their own positions. */
export class FormArgs {
  constructor(
    private readonly ev: Evaluator,
    private readonly raw: { readonly [k: string]: Json },
    readonly env: Env,
    /** Position of the form itself. */
    readonly pos: Position,
  ) {}

  has(key: string): boolean { return key in this.raw; }
  json(key: string): Json { return this.raw[key]; }
  at(key: string): Position { return [...this.pos, key]; }

  /** The evaluated argument; an absent optional argument is null. */
  value(key: string): Promise<V4Value> {
    return this.has(key) ? this.ev.eval(this.raw[key], this.env, this.at(key)) : Promise.resolve(NULL4);
  }
}

export class Evaluator {
  /** Set while a `GET /?q=` request runs: writes are refused. */
  constructor(readonly q: V4Query, readonly readOnly = false) {}

  /** The same query refusing writes: for lambdas that sets run while they are read (Filter, Join). */
  reading(): Evaluator {
    return this.readOnly ? this : new Evaluator(this.q, true);
  }

  async eval(expr: Json, env: Env, pos: Position): Promise<V4Value> {
    if (expr === null) return NULL4;
    switch (typeof expr) {
      case 'boolean': return { t: 'boolean', v: expr };
      case 'string': return { t: 'string', v: expr };
      case 'number': return jsonNumber4(expr);
    }
    if (Array.isArray(expr)) {
      const out: V4Value[] = [];
      for (let i = 0; i < expr.length; i++) out.push(await this.eval(expr[i], env, [...pos, i]));
      return arr4(out);
    }
    if (!isJsonObject(expr)) throw new V4Error('invalid expression', 'Invalid expression.', pos);
    const keys = Object.keys(expr);
    if (keys.length === 1 && keys[0].startsWith('@')) return decodeEscape(this, keys[0], expr[keys[0]], env, pos);
    const spec = findForm(keys);
    if (!spec) {
      throw new V4Error('invalid expression', `No form/function found, or invalid argument keys: { ${keys.join(', ')} }.`, pos);
    }
    const now = performance.now();
    if (now > this.q.ctx.deadline) throw new V4Timeout();
    checkHeapPeriodically(now);
    if (spec.writes && this.readOnly) {
      throw new V4Error('invalid expression', 'Call performs a write, which is not allowed in reads.', pos);
    }
    // Inside `At` only history writes may run (core WriteAdaptor.write: InvalidWriteTime, at the
    // position the write reports: `create*` forms at their first argument).
    if (spec.writes && !spec.anyTime && this.q.ctx.snapshotTs !== undefined) {
      throw invalidWriteTime(spec.keys[0].startsWith('create') ? [...pos, spec.keys[0]] : pos);
    }
    this.q.ctx.stats.computeOps += 1;
    try {
      return checkBuilt(await spec.run(this, new FormArgs(this, expr, env, pos)));
    } catch (e) {
      // Failures of the shared model surface at the innermost form that called it.
      if (e instanceof QueryError) throw fromQueryError(e, pos);
      // A read before the history kept ends the query with its own 400, and the memory guard
      // with its own 500 (v4/run.ts).
      if (e instanceof QueryTimeout && !(e instanceof ReadBelowMinValidTime) && !(e instanceof QueryMemoryExceeded)) throw new V4Timeout();
      throw e;
    }
  }

  /** Call a lambda with one argument value (core `genLambdaArgMap`). */
  async apply(fn: LambdaV4, arg: V4Value, pos: Position): Promise<V4Value> {
    const env = new Map(fn.env);
    const params = fn.params;
    if (typeof params === 'string') {
      if (params !== '_') env.set(params, arg);
    } else if (Array.isArray(params) && params.every((p) => typeof p === 'string')) {
      const names = params as string[];
      if (arg.t === 'array') {
        if (arg.v.length !== names.length) {
          throw new V4Error('invalid argument',
            `Lambda expects an array with ${names.length} elements. Array contains ${arg.v.length}.`, pos);
        }
        names.forEach((n, i) => { if (n !== '_') env.set(n, arg.v[i]); });
      } else if (names.length === 1) {
        if (names[0] !== '_') env.set(names[0], arg);
      } else {
        throw new V4Error('invalid argument', expectedMessage(['Array'], typeName4(arg)), pos);
      }
    } else {
      throw new V4Error('invalid expression', 'Invalid lambda.', pos);
    }
    return this.eval(fn.expr, env, fn.bodyPos ?? pos);
  }
}
