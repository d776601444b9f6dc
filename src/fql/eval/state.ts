// Per-query evaluation state that is not part of the EvalContext contract: names resolved by
// the static pre-pass, the compute units behind compute ops, and the deadline checkpoint.
import { QueryTimeout } from '../errors';
import { BASELINE_COMPUTE, COMPUTE_OPS_LIMIT, ComputeLimitExceeded, MAX_STACK_FRAMES, checkStringSize } from '../limits';
import type { Span } from '../ast/span';
import { checkHeapPeriodically } from '../memory-guard';
import { isBuiltinModule } from '../stdlib/registry';
import type { ModuleV, Value } from '../values/value';
import type { EvalContext } from './context';
import { lookupBuiltinGlobal } from './globals';

export { MAX_STACK_FRAMES };

/** Raw compute units one query may use (core State.computeOpsLimit: ops × BaselineCompute). */
const COMPUTE_UNITS_LIMIT = COMPUTE_OPS_LIMIT * BASELINE_COMPUTE;
/** Loop iterations between deadline checks in loops that call no function. */
const DEADLINE_STRIDE = 1024;

export interface EvalState {
  /** Globals found through ctx.model.resolveGlobal (user collections and UDFs). */
  readonly globals: Map<string, Value>;
  /** Compute units so far: native method calls, operators and function applications. */
  compute: number;
  /** Iterations of function-free loops since the last deadline check. */
  steps: number;
  /** Characters logged so far (log, dbg): they all go into one summary string. */
  logged: number;
}

const states = new WeakMap<EvalContext, EvalState>();

export function evalState(ctx: EvalContext): EvalState {
  let s = states.get(ctx);
  if (!s) {
    s = { globals: new Map(), compute: 0, steps: 0, logged: 0 };
    states.set(ctx, s);
  }
  return s;
}

/**
 * Counts one compute unit (core Query.incrCompute: every native method call, operator and
 * function application) and enforces the compute limit and the deadline. Billed compute ops
 * are ceil(units / 50) (core QueryMetrics): the first unit of every 50 adds one op.
 */
export function checkpoint(ctx: EvalContext, state: EvalState): void {
  if (state.compute++ % BASELINE_COMPUTE === 0) ctx.stats.computeOps++;
  if (state.compute > COMPUTE_UNITS_LIMIT) throw new ComputeLimitExceeded(Math.ceil(state.compute / BASELINE_COMPUTE));
  checkDeadline(ctx);
}

/**
 * The deadline check for loops that do work without calling functions (set iteration, scans,
 * skipping): cheap enough for every iteration, it reads the clock once per 1024 calls.
 */
export function loopCheckpoint(ctx: EvalContext): void {
  const state = evalState(ctx);
  if (++state.steps < DEADLINE_STRIDE) return;
  state.steps = 0;
  checkDeadline(ctx);
}

/** The deadline check for loops whose every iteration may be expensive (keys of big values). */
export function checkDeadline(ctx: EvalContext): void {
  const now = performance.now();
  if (now > ctx.deadline) throw new QueryTimeout();
  checkHeapPeriodically(now);
}

/**
 * Adds a summary line from log()/dbg(). The summary is one string, so all lines together are
 * held to the string limit (ours: core has no limit of its own here), checked before the line
 * is kept.
 */
export function recordLog(ctx: EvalContext, text: string, span: Span | undefined): void {
  const state = evalState(ctx);
  checkStringSize(state.logged + text.length);
  state.logged += text.length;
  ctx.logs.push({ text, span });
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
