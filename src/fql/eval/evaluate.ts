// Public entry points of the evaluator: run a parsed query, and call FQL functions from
// TypeScript (standard-library methods that take lambdas).
import type { Query } from '../ast/nodes';
import type { Diagnostic } from '../errors';
import { QueryCheckError, isStackOverflow } from '../errors';
import type { Callable, CallSite, FunctionV, Value } from '../values/value';
import { freeNames } from './analysis';
import { invoke } from './calls';
import type { EvalContext } from './context';
import { Evaluator } from './evaluator';
import { stackOverflow } from './failures';
import { bind, type Scope } from './scope';
import { MAX_STACK_FRAMES, evalState, resolveName } from './state';

const evaluators = new WeakMap<EvalContext, Evaluator>();

export function evaluatorFor(ctx: EvalContext): Evaluator {
  let ev = evaluators.get(ctx);
  if (!ev) evaluators.set(ctx, (ev = new Evaluator(ctx, evalState(ctx))));
  return ev;
}

export interface EvaluateOptions {
  /**
   * Report unbound variables before running, as a check error (`invalid_query`), the way a
   * typechecked query fails. When false they fail at run time with `unbound_variable`, which
   * is how Fauna behaves with typechecking off (a lambda calling an unknown function fails
   * only when called).
   */
  readonly checkUnbound?: boolean;
}

/**
 * Resolve every free name of the query once (user collections and functions through the
 * model) and collect the ones that resolve to nothing.
 */
async function resolveFreeNames(q: Query, ctx: EvalContext): Promise<Diagnostic[]> {
  const state = evalState(ctx);
  const diagnostics: Diagnostic[] = [];
  for (const [name, spans] of freeNames(q.body)) {
    if ((await resolveName(ctx, state, name)) !== undefined) continue;
    for (const span of spans) diagnostics.push({ message: `Unbound variable \`${name}\``, span });
  }
  return diagnostics.sort((a, b) => a.span.start - b.span.start);
}

export async function evaluateQuery(q: Query, ctx: EvalContext, opts: EvaluateOptions = {}): Promise<Value> {
  const diagnostics = await resolveFreeNames(q, ctx);
  if (diagnostics.length > 0 && opts.checkUnbound !== false) throw new QueryCheckError(diagnostics);
  // Request arguments are the outermost scope, so lambdas capture them like variables.
  let scope: Scope | null = null;
  for (const [name, v] of ctx.arguments) scope = bind(scope, name, v);
  try {
    return await evaluatorFor(ctx).evalExpr(q.body, scope);
  } catch (err) {
    if (isStackOverflow(err)) throw stackOverflow(MAX_STACK_FRAMES, q.body.span);
    throw err;
  }
}

/** Call an FQL function (lambda, native function or UDF) with already evaluated arguments. */
export function callFunction(ctx: EvalContext, fn: FunctionV | Callable, args: readonly Value[], site: CallSite = {}): Promise<Value> {
  return invoke(evaluatorFor(ctx), 't' in fn ? fn.fn : fn, args, site);
}

/** Call any callable value: a function or an applicable module such as `Time`. */
export function callValue(ctx: EvalContext, f: Value, args: readonly Value[], site: CallSite = {}): Promise<Value> {
  return evaluatorFor(ctx).applyValue(f, args, site);
}
