// FQL stored as source text: UDF bodies, role predicates, check constraints, computed fields,
// field defaults. Each text is parsed once (one bounded cache for all of them); evaluation binds
// SOURCE so that spans and the lambda's own `source` refer to the stored text.
import type { Expr } from '../fql/ast/nodes';
import { QueryCheckError, QueryError } from '../fql/errors';
import type { EvalContext } from '../fql/eval/context';
import { invoke } from '../fql/eval/calls';
import { Evaluator, SOURCE, SOURCE_NAME } from '../fql/eval/evaluator';
import { bind } from '../fql/eval/scope';
import { evalState } from '../fql/eval/state';
import { parseExpression } from '../fql/parse/parse';
import { ParseCache } from '../fql/parse/parse-cache';
import { str, typeName } from '../fql/values/construct';
import type { CallSite, Value } from '../fql/values/value';

const parsed = new ParseCache<Expr>((source) => parseExpression(source, { allowShortLambda: true }));

/** The parsed lambda expression of a stored source text; throws its QueryCheckError. */
export function parseStoredLambda(source: string): Expr {
  const hit = parsed.get(source);
  if (hit instanceof QueryCheckError) throw hit;
  return hit;
}

/** Evaluate the stored lambda `source` and call it with `args`. */
export async function callStoredLambda(
  ctx: EvalContext, source: string, args: readonly Value[], site: CallSite = {}, sourceName?: string,
): Promise<Value> {
  const expr = parseStoredLambda(source);
  const ev = new Evaluator(ctx, evalState(ctx));
  let scope = bind(null, SOURCE, str(source));
  if (sourceName !== undefined) scope = bind(scope, SOURCE_NAME, str(sourceName));
  const fn = await ev.evalExpr(expr, scope);
  if (fn.t !== 'function') {
    throw new QueryError('invalid_type', `expected type: Function, received ${typeName(fn)}`, site.span);
  }
  return invoke(ev, fn.fn, args, site);
}
