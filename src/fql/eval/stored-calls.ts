// The calls of stored code (user-defined functions) in progress in a query, and the call stack
// a lazy set built inside one remembers (core: a set's operations keep the stack trace of the
// call that built them, FQL2ErrorRenderingSpec "error in Set.map renders with query stack
// trace"). A set returned by a UDF runs its lambdas after the call returned, when the query
// reads it: an error there still shows the set method's call (`.map(...)`) and every call out
// to the query, as if the UDF had not returned; frames of a function the caller may not read
// are hidden, as when an error leaves the call (src/model/identity/functions.ts).
import type { Span } from '../ast/span';
import { QUERY_ORIGIN, type QueryError, type StoredSource, type TraceFrame } from '../errors';
import type { Callable } from '../values/value';

export interface StoredCall {
  /** The stored code running (its source and Fauna's frame name, `*udf:Name*`). */
  readonly origin: StoredSource;
  /** Where the caller called it (in the query, or in the stored code of the call below). */
  readonly callSpan?: Span;
  /** Whether the caller may see frames inside it. */
  readonly visible: () => Promise<boolean>;
}

/** A set method's call inside stored code, with the stored calls around it. */
interface CapturedCall {
  readonly calls: readonly StoredCall[];
  /** The set method's argument list (`(i => ...)`). */
  readonly setCallSpan?: Span;
}

const stacks = new WeakMap<object, StoredCall[]>();
const captured = new WeakMap<Callable, CapturedCall>();
/**
 * Errors whose trace was completed out to the query (an error may leave several captured
 * lambdas of the same stored code), with the stored calls and the trace's length then.
 */
const completed = new WeakMap<QueryError, { readonly calls: readonly StoredCall[]; readonly length: number }>();

/** Runs `run` as the stored call `call` of the query `ctx` belongs to. */
export async function inStoredCall<T>(ctx: object, call: StoredCall, run: () => Promise<T>): Promise<T> {
  let stack = stacks.get(ctx);
  if (!stack) stacks.set(ctx, (stack = []));
  stack.push(call);
  try {
    return await run();
  } finally {
    stack.pop();
  }
}

/**
 * A set method called with lambda `fn` at `setCallSpan`: remember the call (a lazy set runs
 * its lambdas later, from the call that reads it), and the stored calls around it.
 */
export function captureSetCall(ctx: object, fn: Callable, setCallSpan: Span | undefined): void {
  captured.set(fn, { calls: [...(stacks.get(ctx) ?? [])], setCallSpan });
}

/**
 * Completes the trace of `err`, thrown by lambda `fn` of a lazy set: the set method's call is
 * a frame (core: the set keeps the stack trace of the call that built it and prepends it to the
 * trace of the call reading it, FQL2PureSpec "writes within set functions make nice errors").
 * A set built inside stored code that has since returned adds each stored call out to the query.
 */
export async function completeSetTrace(ctx: object, fn: Callable, err: QueryError): Promise<void> {
  const at = captured.get(fn);
  if (!at) return;
  const innermost = at.calls[at.calls.length - 1];
  // Built in the query, or inside a call still running (leaving it adds its frames): the set
  // method's call site is in the source of the code around it.
  if (innermost === undefined || stacks.get(ctx)?.includes(innermost)) {
    if (at.setCallSpan !== undefined) err.trace.push({ span: at.setCallSpan });
    return;
  }
  const done = completed.get(err);
  if (done) {
    // A second lambda of code the error already left: frames pushed since are inside it.
    if (done.calls.includes(innermost)) err.trace.length = done.length;
    return;
  }
  const callerOf = (i: number): StoredSource => (i > 0 ? at.calls[i - 1].origin : QUERY_ORIGIN);
  /** The frames of the calls outside call `i`: each call site, in its caller's source. */
  const outside = (i: number): TraceFrame[] => {
    const frames: TraceFrame[] = [];
    for (let j = i - 1; j >= 0; j--) frames.push({ span: at.calls[j].callSpan, origin: callerOf(j) });
    return frames;
  };
  const last = at.calls.length - 1;
  err.trace.push({ span: at.setCallSpan, origin: innermost.origin }, { span: innermost.callSpan, origin: callerOf(last) }, ...outside(last));
  // Innermost first, as the calls would have been left: the outermost hidden call wins.
  for (let i = last; i >= 0; i--) {
    if (await at.calls[i].visible()) continue;
    err.span = at.calls[i].callSpan;
    err.origin = callerOf(i);
    err.trace.splice(0, err.trace.length, ...outside(i));
  }
  completed.set(err, { calls: at.calls, length: err.trace.length });
}
