// The principal a query runs as, attached to its model transaction. Permission checks reach it
// from the model's read guards (which see the transaction) and from write hooks and methods
// (which see the EvalContext). A transaction without attached state is trusted (admin): that
// is how internal callers and unit tests of other layers use the model.
import type { EvalContext } from '../../fql/eval/context';
import type { ModelTxn } from '../model-api';
import type { Principal } from '../../auth/principal';

export interface AuthState {
  principal: Principal;
  /** The query's context, used to evaluate role predicates. */
  readonly ctx: EvalContext;
  /** > 0 while a role predicate runs: reads as an internal read-only role, no writes. */
  predicateDepth: number;
  /** Per-query memos for each principal the query ran as: verdicts, role definitions. */
  readonly memos: WeakMap<Principal, Map<string, unknown>>;
  /**
   * A schema API dry run (diff, validate), always rolled back: the schema writes it simulates
   * are not permission-checked (a server key may ask what a push would change), while everything
   * the pushed FQL reads or does runs with the caller's permissions. Read it through
   * dryRunExempts, never directly.
   */
  readonly schemaDryRun: boolean;
}

/**
 * Whether a schema write made with `ctx` is one a dry run simulates unchecked: only the writes
 * the schema API makes itself, with the session's own context. Stored code the pushed files run
 * meanwhile (a migration's backfill, a default, a check) has a context of its own: its writes,
 * such as a `Function.create` with role admin inside a backfill, are checked as in any query,
 * else a server key could create and call an admin function within the dry run.
 */
export function dryRunExempts(state: AuthState, ctx: EvalContext): boolean {
  return state.schemaDryRun && ctx === state.ctx;
}

const states = new WeakMap<ModelTxn, AuthState>();
/** Secrets of keys and tokens created in this transaction: shown on reads in this query only. */
const freshSecrets = new WeakMap<ModelTxn, Map<string, string>>();

export function attachPrincipal(ctx: EvalContext, principal: Principal, opts: { schemaDryRun?: boolean } = {}): void {
  states.set(ctx.model, { principal, ctx, predicateDepth: 0, memos: new WeakMap(), schemaDryRun: opts.schemaDryRun ?? false });
}

/** The memo of the principal the query currently runs as. */
export function memoOf(state: AuthState): Map<string, unknown> {
  let m = state.memos.get(state.principal);
  if (!m) state.memos.set(state.principal, (m = new Map()));
  return m;
}

/**
 * Let `view` (a model over another database in the same storage transaction, e.g. a child
 * database a v4 scoped ref reads) judge reads as the query does: the same state, so the
 * caller's rights and any `runAs` apply to both.
 */
export function shareAuthState(from: ModelTxn, view: ModelTxn): void {
  const state = states.get(from);
  if (state) states.set(view, state);
}

export function authState(txn: ModelTxn): AuthState | undefined {
  return states.get(txn);
}

export function principalOf(ctx: EvalContext): Principal | undefined {
  return states.get(ctx.model)?.principal;
}

/** Run `f` as another principal (a UDF with a role, a role predicate). */
export async function runAs<T>(state: AuthState, principal: Principal, f: () => Promise<T>): Promise<T> {
  const previous = state.principal;
  state.principal = principal;
  try {
    return await f();
  } finally {
    state.principal = previous;
  }
}

export function rememberSecret(txn: ModelTxn, coll: string, id: string, secret: string): void {
  let m = freshSecrets.get(txn);
  if (!m) freshSecrets.set(txn, (m = new Map()));
  m.set(coll + '\u0000' + id, secret);
}

export function freshSecret(txn: ModelTxn, coll: string, id: string): string | undefined {
  return freshSecrets.get(txn)?.get(coll + '\u0000' + id);
}
