// FQL v4 lambdas kept in shared definitions (core stores `@query` values): a v4 UDF's `body`
// and v4 role predicates are `Query(Lambda(...))`, which no v10 value represents. They are
// stored as an object `{ "@fql4": "<the @query JSON: {lambda, expr}>" }` next to the v10 forms
// (source strings), and run by the v4 evaluator, which the v4 layer hands in when it starts
// (`installFql4Runner`): the model cannot import the v4 layer, which is built on it.
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';

export const FQL4_MARK = '@fql4';

/** A stored v4 lambda from its `{lambda, expr}` JSON text. */
export function fql4Lambda(query: string): Value {
  return { t: 'object', v: new Map([[FQL4_MARK, { t: 'string', v: query }]]) };
}

/** The `{lambda, expr}` JSON text of a stored v4 lambda, or undefined for any other value. */
export function fql4QueryOf(v: Value | undefined): string | undefined {
  if (v?.t !== 'object' || v.v.size !== 1) return undefined;
  const q = v.v.get(FQL4_MARK);
  if (q?.t !== 'string') return undefined;
  try {
    const parsed = JSON.parse(q.v) as unknown;
    if (parsed && typeof parsed === 'object' && 'lambda' in parsed && 'expr' in parsed) return q.v;
  } catch {
    // not a v4 lambda
  }
  return undefined;
}

/** Calls a stored v4 lambda with (v10) arguments, as the current principal. */
export type Fql4Runner = (ctx: EvalContext, query: string, args: readonly Value[]) => Promise<Value>;

let runner: Fql4Runner | undefined;

export function installFql4Runner(r: Fql4Runner): void {
  runner = r;
}

export function runFql4(ctx: EvalContext, query: string, args: readonly Value[]): Promise<Value> {
  if (!runner) throw new QueryError('invalid_function_invocation', 'FQL v4 code cannot run in this process.');
  return runner(ctx, query, args);
}
