// Running stored `Query(Lambda(...))` values: v4 UDF bodies and v4 role predicates, whether the
// query that reaches them is v4 or v10 (a v10 query under a v4 role, a v10 call of a v4 UDF).
// The lambda gets Fauna's v4 argument shapes: one argument as itself, several as an array the
// lambda's parameters destructure (core `genLambdaArgMap`); a lambda naming fewer parameters
// than there are arguments gets the leading ones (a `write` predicate of `[old, new]` is given
// `[old, new, ref]`, as core's arity-dependent `lambdaArgs`).
import { QueryError, QueryTimeout } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import type { Principal } from '../../auth/principal';
import { authState } from '../../model/identity/auth-state';
import type { ModelTxnImpl } from '../../model/model-txn';
import { type Position, V4Error, V4Timeout } from '../errors';
import { Evaluator } from '../evaluator';
import type { V4Query } from '../query-context';
import { type LambdaV4, type V4Value, arr4 } from '../values';
import { fromModel, lambdaOfQuery, toModel } from './convert';

/** The single argument value a lambda is applied to. */
export function lambdaArgument(fn: LambdaV4, args: readonly V4Value[]): V4Value {
  const params = fn.params;
  const n = Array.isArray(params) ? params.length : 1;
  const given = args.length > n ? args.slice(0, n) : args;
  return given.length === 1 && !Array.isArray(params) ? given[0] : arr4(given);
}

/** A v4 query over a v10 query's context, as whoever that query currently runs as. */
export function queryOver(ctx: EvalContext): V4Query {
  const model = ctx.model as ModelTxnImpl;
  const principal: Principal = authState(model)?.principal ?? { db: model.db, access: { kind: 'builtin', role: 'admin' } };
  return { ctx, model, principal, created: new WeakSet() };
}

/** v4 failures as the v10 side reports them. */
function toQueryError(e: V4Error): QueryError {
  switch (e.code) {
    case 'permission denied': return new QueryError('permission_denied', e.description);
    case 'instance not found': return new QueryError('document_not_found', e.description);
    // v10's abort carries the value given to it: a v4 Abort's message.
    case 'transaction aborted': return new QueryError('abort', 'Query aborted.', undefined, { abort: { t: 'string', v: e.description } });
    default: return new QueryError('invalid_argument', `${e.code}: ${e.description}`);
  }
}

/** `installFql4Runner`'s runner: call a stored v4 lambda with v10 arguments. */
export async function runStoredQuery(ctx: EvalContext, query: string, args: readonly Value[]): Promise<Value> {
  const ev = new Evaluator(queryOver(ctx));
  const fn = lambdaOfQuery(query);
  const pos: Position = [];
  try {
    const arg = lambdaArgument(fn, args.map((a) => fromModel(a, pos)));
    return toModel(await ev.apply(fn, arg, pos), pos);
  } catch (e) {
    if (e instanceof V4Timeout) throw new QueryTimeout();
    if (e instanceof V4Error) throw toQueryError(e);
    throw e;
  }
}
