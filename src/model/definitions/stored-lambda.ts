// Runs the FQL functions stored in collection definitions (computed field bodies, check
// constraint predicates) against a document. Sources are parsed once (../stored-lambda.ts); every call gets its
// own evaluation context whose `source` is the function's text, so spans in errors and logs
// refer to the stored source rather than to the query that caused the call.
import type { Expr } from '../../fql/ast/nodes';
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import { Evaluator, SOURCE, SOURCE_NAME } from '../../fql/eval/evaluator';
import { str } from '../../fql/values/construct';
import { IMPLICIT, bind, type Scope } from '../../fql/eval/scope';
import { evalState } from '../../fql/eval/state';
import { parseExpression } from '../../fql/parse/parse';
import { parseStoredLambda } from '../stored-lambda';
import { stackOverflow } from '../../fql/eval/failures';
import { MAX_STACK_FRAMES } from '../../fql/eval/state';
import type { Value } from '../../fql/values/value';
import type { ModelTxn } from '../model-api';

interface CompiledLambda { readonly params: readonly string[]; readonly body: Expr }

function compile(source: string): CompiledLambda {
  const e = parseStoredLambda(source);
  if (e.kind === 'lambda') return { params: e.params, body: e.body };
  if (e.kind === 'shortLambda') return { params: [IMPLICIT], body: e.body };
  throw new QueryError('invalid_function_definition', 'Stored function source is not a function.');
}

/** Seconds a stored function may run when no query deadline is known. */
const STANDALONE_BUDGET_MS = 10_000;

/** An evaluation context for stored code, sharing the query's transaction, stats and logs. */
function storedContext(model: ModelTxn, source: string, outer: EvalContext | undefined, frame?: StoredFrame): EvalContext {
  const depth = (outer?.depth ?? 0) + (frame ? 1 : 0);
  if (depth > MAX_STACK_FRAMES) throw stackOverflow(MAX_STACK_FRAMES);
  const ctx: EvalContext = {
    source,
    templateValues: [],
    arguments: new Map(),
    model,
    deadline: outer?.deadline ?? performance.now() + STANDALONE_BUDGET_MS,
    stats: outer?.stats ?? {
      computeOps: 0, readOps: 0, writeOps: 0, storageBytesRead: 0, storageBytesWrite: 0, contentionRetries: 0,
    },
    logs: outer?.logs ?? [],
    depth,
    snapshotTs: outer?.snapshotTs,
    systemTs: outer?.systemTs,
    writesForbiddenIn: frame?.writesForbiddenIn ?? outer?.writesForbiddenIn,
  };
  // `at (t) { ... }` inside stored code moves the query's snapshot, which document reads
  // follow (a check reading its document's previous version, core FQL2CheckConstraintsSpec);
  // so does `Set.paginate(cursor)` (a resumed cursor's snapshot, EvalContext.systemTs).
  if (outer) {
    for (const field of ['snapshotTs', 'systemTs'] as const) {
      Object.defineProperty(ctx, field, {
        get: () => outer[field],
        set: (ts: bigint | undefined) => { outer[field] = ts; },
        enumerable: true,
      });
    }
  }
  return ctx;
}

/** How a call of stored code shows in error traces, and what it may not do. */
export interface StoredFrame {
  /** Fauna's source name, e.g. `*computed_field:Order:total*`. */
  readonly name: string;
  readonly writesForbiddenIn?: string;
}

/** Call the stored function `source` with `args`. */
export async function callDefinitionFunction(
  model: ModelTxn, outer: EvalContext | undefined, source: string, args: readonly Value[], frame?: StoredFrame,
): Promise<Value> {
  const fn = compile(source);
  const ctx = storedContext(model, source, outer, frame);
  // Lambdas written here keep pointing into this source wherever they run later.
  let scope: Scope | null = frame ? bind(bind(null, SOURCE, str(source)), SOURCE_NAME, str(frame.name)) : null;
  fn.params.forEach((p, i) => { scope = bind(scope, p, args[i] ?? { t: 'null' }); });
  try {
    return await new Evaluator(ctx, evalState(ctx)).evalExpr(fn.body, scope);
  } catch (e) {
    // Positions so far are in the stored source; the caller's site is placed as it unwinds.
    if (frame && e instanceof QueryError) e.leaveStored({ text: source, name: frame.name });
    throw e;
  }
}

/** Evaluate a stored expression (a defined field's `default`, e.g. `Time.now()`). */
export async function evalStoredExpr(model: ModelTxn, outer: EvalContext | undefined, source: string): Promise<Value> {
  const ctx = storedContext(model, source, outer);
  return new Evaluator(ctx, evalState(ctx)).evalExpr(parseExpression(source), null);
}
