// How a lazy set calls the lambdas it was built with (`where`, `map`, `flatMap`, the accessors
// of `order`): at the read snapshot the set captured, and unable to write. Core ValueSet.scala
// runs them with `ValueSet.disallowWrites(ctx)` (Effect.Limit(Read, "set functions")): a write
// there fails with `invalid_effect`, "`update` performs a write, which is not allowed in set
// functions." (FQL2PureSpec "writes within set functions make nice errors", FQL2SetsSpec
// ".map(.update()) is disallowed"). Eager methods (forEach, fold, reduce, aggregate, any,
// every) and Array methods call their lambdas with the caller's context and may write.
import type { EvalContext } from '../context';
import type { Value } from '../../values/value';
import { callValue } from '../evaluate';

/** The reason core's write refusal names for set lambdas. */
export const SET_FUNCTIONS = 'set functions';

/**
 * Run `body` with the read snapshot a set captured when it was built: lambdas of sets made
 * inside `at (t) { ... }` read as of `t` wherever the set is iterated (Fauna's validTime).
 */
export async function atSnapshot<T>(ctx: unknown, ts: bigint | undefined, body: () => Promise<T>): Promise<T> {
  const ectx = ctx as EvalContext;
  if (ts === undefined || ectx.snapshotTs === ts) return body();
  const previous = ectx.snapshotTs;
  ectx.snapshotTs = ts;
  try {
    return await body();
  } finally {
    ectx.snapshotTs = previous;
  }
}

/**
 * Run `body` where writes are refused as in set functions. Like core's `withEffectLimit`, this
 * replaces the reason of an enclosing limit (a set lambda inside a computed field names set
 * functions); the previous one is back once `body` is done, so the consumer of the set (a
 * `forEach` callback between two elements) writes as freely as before.
 */
export async function readOnlyInSet<T>(ctx: unknown, body: () => Promise<T>): Promise<T> {
  const ectx = ctx as EvalContext;
  const previous = ectx.writesForbiddenIn;
  if (previous === SET_FUNCTIONS) return body();
  ectx.writesForbiddenIn = SET_FUNCTIONS;
  try {
    return await body();
  } finally {
    ectx.writesForbiddenIn = previous;
  }
}

/** Call a set's lambda `fn` on `args`: at the set's snapshot `at`, with writes refused. */
export function callSetLambda(ctx: unknown, at: bigint | undefined, fn: Value, args: readonly Value[]): Promise<Value> {
  return atSnapshot(ctx, at, () => readOnlyInSet(ctx, () => callValue(ctx as EvalContext, fn, args)));
}
