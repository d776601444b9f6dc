// What a v4 query sees while it runs: the v10 evaluation context over the same storage
// transaction (so document writes go through the same write broker, hooks and permission
// checks as v10), the authenticated principal, and per-query bookkeeping.
import type { EvalContext } from '../fql/eval/context';
import type { Principal } from '../auth/principal';
import type { ModelTxnImpl } from '../model/model-txn';
import type { SecretOwner } from '../model/identity/authenticate';

export interface V4Query {
  readonly ctx: EvalContext;
  readonly model: ModelTxnImpl;
  readonly principal: Principal;
  /** The key or token document behind the secret (undefined for the root key). */
  readonly secretOwner?: SecretOwner;
  /** Versions written by this query: a top-level result among them answers HTTP 201. */
  readonly created: WeakSet<object>;
}
