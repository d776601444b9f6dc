// Function invocation: lambdas (closures over a Scope), native functions, built-in methods
// from the registry, and user-defined functions (delegated to the model layer, which owns
// their definitions and roles).
import { QueryError } from '../errors';
import type { MethodDef } from '../stdlib/registry';
import { arr } from '../values/construct';
import { isDecodedLambda } from '../values/serialize';
import type { Callable, CallSite, FunctionV, LambdaFn, NativeFn, Value } from '../values/value';
import type { EvalContext } from './context';
import { arityAccepts, arityFromDef, invalidFuncArity, invalidFuncParamArity, stackOverflow, type Arity } from './failures';
import type { Evaluator } from './evaluator';
import { bind, type Scope } from './scope';
import { originOf } from './evaluator';
import { checkpoint, MAX_STACK_FRAMES } from './state';
import { completeSetTrace } from './stored-calls';

export type UdfInvoker = (ctx: EvalContext, name: string, args: readonly Value[], site: CallSite) => Promise<Value>;

let udfInvoker: UdfInvoker | undefined;

/** The model layer registers how to run a user-defined function (body, role, signature). */
export function setUdfInvoker(invoker: UdfInvoker): void {
  udfInvoker = invoker;
}

export function callableArity(fn: Callable): Arity {
  switch (fn.kind) {
    case 'lambda':
      return fn.variadic ? { kind: 'variable', min: fn.params.length - 1 } : { kind: 'fixed', counts: [fn.params.length] };
    case 'native': return arityFromDef(fn.arity);
    case 'udf': return { kind: 'variable', min: 0 };
  }
}

/**
 * Check that a function argument of a standard-library method accepts `expected` arguments
 * (Fauna rejects e.g. `map((a, b) => a)` before calling it).
 */
export function checkParamArity(fn: FunctionV, expected: number, argName: string): void {
  const arity = callableArity(fn.fn);
  if (!arityAccepts(arity, expected)) throw invalidFuncParamArity(argName, expected, arity);
}

function enter(ctx: EvalContext, ev: Evaluator, site: CallSite): void {
  checkpoint(ctx, ev.state);
  if (++ctx.depth > MAX_STACK_FRAMES) {
    ctx.depth--;
    throw stackOverflow(MAX_STACK_FRAMES, site.span);
  }
}

export async function invoke(ev: Evaluator, fn: Callable, args: readonly Value[], site: CallSite): Promise<Value> {
  const ctx = ev.ctx;
  const arity = callableArity(fn);
  if (!arityAccepts(arity, args.length)) throw invalidFuncArity(arity, args.length, site.span);
  enter(ctx, ev, site);
  try {
    switch (fn.kind) {
      case 'lambda':
        if (isDecodedLambda(fn)) return await runDecoded(ev, fn, args, site);
        return await runLambda(ev, fn, args);
      case 'native': return await fn.call(ctx, args, site);
      case 'udf':
        if (!udfInvoker) throw new QueryError('invalid_function_invocation', `The function \`${fn.name}\` cannot be called here.`);
        return await udfInvoker(ctx, fn.name, args, site);
    }
  } finally {
    ctx.depth--;
  }
}

/**
 * A lambda rebuilt from a cursor: spans inside it refer to the cursor's copy of its source,
 * so its errors point at the call site in this query instead (Fauna drops those frames too).
 */
async function runDecoded(ev: Evaluator, fn: LambdaFn, args: readonly Value[], site: CallSite): Promise<Value> {
  try {
    return await ev.evalExpr(fn.body as never, bindParams(fn, args));
  } catch (err) {
    if (err instanceof QueryError) err.span = site.span;
    throw err;
  }
}

/**
 * A lambda written in stored code (a UDF body, a computed field) may run after that code
 * returned (a set's `map` materialised by the query): its errors still point into its source.
 */
async function runLambda(ev: Evaluator, fn: LambdaFn, args: readonly Value[]): Promise<Value> {
  try {
    return await ev.evalExpr(fn.body as never, bindParams(fn, args));
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    // A lambda with no stored source was written in the query.
    const origin = originOf(fn.env as Scope | null);
    if (origin !== undefined) {
      if (err.span !== undefined && err.origin === undefined) err.origin = origin;
      // Frames of calls made in the body (`.map(...)` inside the lambda) are in its source too.
      for (let i = err.trace.length - 1; i >= 0 && err.trace[i].origin === undefined; i--) {
        if (err.trace[i].span !== undefined) err.trace[i].origin = origin;
      }
    }
    // The call that ran the lambda (a native method, an application) becomes a frame.
    err.inLambda = true;
    await completeSetTrace(ev.ctx, fn, err);
    throw err;
  }
}

function bindParams(fn: LambdaFn, args: readonly Value[]): Scope | null {
  let scope = fn.env as Scope | null;
  const n = fn.variadic ? fn.params.length - 1 : fn.params.length;
  for (let i = 0; i < n; i++) scope = bind(scope, fn.params[i], args[i]);
  if (fn.variadic) scope = bind(scope, fn.params[n], arr(args.slice(n)));
  return scope;
}

/** Call a registry method on `self`, enforcing its arity. */
export async function callMethod(ev: Evaluator, def: MethodDef, self: Value, args: readonly Value[], site: CallSite): Promise<Value> {
  const arity = arityFromDef(def.arity);
  if (!arityAccepts(arity, args.length)) throw invalidFuncArity(arity, args.length, site.span);
  enter(ev.ctx, ev, site);
  try {
    return await def.impl(ev.ctx, self, args, site);
  } finally {
    ev.ctx.depth--;
  }
}

/** A method as a first-class function value (`let f = arr.map`). */
/** Bound methods of modules, kept so that `Time.now == Time.now` (core: the same native function). */
const moduleMethods = new WeakMap<MethodDef, WeakMap<Value, FunctionV>>();

export function boundMethod(name: string, def: MethodDef, self: Value): FunctionV {
  const shared = self.t === 'module' ? moduleMethods.get(def)?.get(self) : undefined;
  if (shared) return shared;
  const fn: NativeFn = {
    kind: 'native',
    name,
    arity: def.arity,
    call: (ctx, args, site) => def.impl(ctx as EvalContext, self, args, site),
  };
  const bound: FunctionV = { t: 'function', fn };
  if (self.t === 'module') {
    let byReceiver = moduleMethods.get(def);
    if (!byReceiver) moduleMethods.set(def, (byReceiver = new WeakMap()));
    byReceiver.set(self, bound);
  }
  return bound;
}
