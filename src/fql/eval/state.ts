// Per-query evaluation state that is not part of the EvalContext contract: names resolved by
// the static pre-pass, the call counter behind compute ops, and the deadline checkpoint.
import { QueryTimeout } from '../errors';
import { isBuiltinModule } from '../stdlib/registry';
import type { ModuleV, Value } from '../values/value';
import type { EvalContext } from './context';
import { lookupBuiltinGlobal } from './globals';

/** Fauna's default limit on nested function calls (RepoContext.DefaultFQLXMaxStackFrames). */
export const MAX_STACK_FRAMES = 2048;
/** Function calls per compute op (Fauna bills roughly one compute op per 50 calls). */
const CALLS_PER_COMPUTE_OP = 50;

export interface EvalState {
  /** Globals found through ctx.model.resolveGlobal (user collections and UDFs). */
  readonly globals: Map<string, Value>;
  /** Function calls so far. */
  calls: number;
}

const states = new WeakMap<EvalContext, EvalState>();

export function evalState(ctx: EvalContext): EvalState {
  let s = states.get(ctx);
  if (!s) {
    s = { globals: new Map(), calls: 0 };
    states.set(ctx, s);
    if (ctx.stats.computeOps < 1) ctx.stats.computeOps = 1;
  }
  return s;
}

/** Counts a function call and enforces the deadline. */
export function checkpoint(ctx: EvalContext, state: EvalState): void {
  if (++state.calls % CALLS_PER_COMPUTE_OP === 0) ctx.stats.computeOps++;
  if (performance.now() > ctx.deadline) throw new QueryTimeout();
}

const moduleValues = new Map<string, ModuleV>();

export function moduleValue(name: string): ModuleV {
  let m = moduleValues.get(name);
  if (!m) moduleValues.set(name, (m = Object.freeze({ t: 'module', name })));
  return m;
}

/** Names resolvable without the database: request arguments, built-in modules and globals. */
export function resolveStaticName(ctx: EvalContext, name: string): Value | undefined {
  const arg = ctx.arguments.get(name);
  if (arg !== undefined) return arg;
  if (isBuiltinModule(name)) return moduleValue(name);
  return lookupBuiltinGlobal(name);
}

/** Members of the `FQL` module: every built-in module but itself, and every global function. */
export function fqlMember(name: string): Value | undefined {
  if (name !== 'FQL' && isBuiltinModule(name)) return moduleValue(name);
  return lookupBuiltinGlobal(name);
}

/** Full global resolution: static names, then user collections and functions (cached). */
export async function resolveName(ctx: EvalContext, state: EvalState, name: string): Promise<Value | undefined> {
  const v = resolveStaticName(ctx, name) ?? state.globals.get(name);
  if (v !== undefined) return v;
  const found = await ctx.model.resolveGlobal(name);
  if (found !== undefined) state.globals.set(name, found);
  return found;
}
