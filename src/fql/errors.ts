// Query errors carry Fauna's error codes. A QueryError is a failure of a query (HTTP 400 with a
// summary pointing at `span`); a ProtocolError (src/server) is a failure of the request itself.
import type { Span } from './ast/span';
import type { Value } from './values/value';

export interface ConstraintFailure {
  readonly paths: readonly (readonly (string | number)[])[];
  readonly message: string;
}

/** Stored code an error or a trace frame points into: its text and Fauna's name for it (`*udf:Name*`). */
export interface StoredSource { readonly text: string; readonly name: string }

/**
 * The query itself as an origin: marks positions known to be in the query text (a lambda
 * written in the query and called from stored code), so leaving stored code keeps them.
 */
export const QUERY_ORIGIN: StoredSource = { text: '', name: '*query*' };

/** One caller in an error's stack trace: a call site of stored code (`span` unset until placed). */
export interface TraceFrame { span?: Span; origin?: StoredSource }

/** A runtime failure of a query, with Fauna's error code (`invalid_argument`, `abort`, ...). */
export class QueryError extends Error {
  /** The span the summary points at; filled in by the evaluator when not known at throw. */
  span: Span | undefined;
  /** The stored code `span` points into; unset: the query (or the next stored code it leaves). */
  origin: StoredSource | undefined;
  /** Call sites of the stored code the error came from, innermost first (Fauna's trace). */
  readonly trace: TraceFrame[] = [];
  /**
   * Notes printed after the error, before its trace (`hint: Null value created here`). A hint
   * without a span points where the error does (known only once the error is placed).
   */
  readonly hints: { readonly message: string; readonly span?: Span; readonly origin?: StoredSource }[] = [];
  /**
   * The error left a lambda called by a native method or function application that it has not
   * left yet: that call's site becomes a trace frame (core FQLInterpreter: each call runs with
   * its span pushed on the stack trace, and a lambda's body runs in its caller's trace).
   */
  inLambda = false;
  constructor(
    readonly code: string,
    message: string,
    span?: Span,
    readonly extra: { readonly abort?: Value; readonly constraintFailures?: readonly ConstraintFailure[] } = {},
  ) {
    super(message);
    this.span = span;
  }

  /**
   * Points the error at `span` when it has no position yet, else points its outermost
   * unplaced trace frame there (the call site of the stored code the error left).
   */
  place(span: Span | undefined): void {
    if (span === undefined) return;
    if (this.span === undefined) { this.span = span; return; }
    const last = this.trace[this.trace.length - 1];
    if (last && last.span === undefined && last.origin === undefined) last.span = span;
  }

  /**
   * The error leaves a call (a method call or an application) at `span`: after a lambda the
   * call raised it in, the call is a trace frame; else it is where the error points (if unplaced).
   */
  leaveCall(span: Span | undefined): void {
    if (!this.inLambda) { this.place(span); return; }
    this.inLambda = false;
    if (span !== undefined) this.trace.push({ span });
  }

  /** The error leaves stored code its caller may not see: it points at the call site only. */
  hideStoredFrames(callSpan: Span | undefined): void {
    this.inLambda = false;
    this.span = callSpan;
    this.origin = undefined;
    this.trace.length = 0;
  }

  /**
   * The error leaves stored code `origin` (a UDF body, a computed field, a check): positions
   * so far are in that code; the caller's site (`callSpan`, or placed later) becomes a frame.
   */
  leaveStored(origin: StoredSource, callSpan?: Span): void {
    // The call of the stored code is the frame the lambda (its body) was left for.
    this.inLambda = false;
    if (this.span !== undefined && this.origin === undefined) this.origin = origin;
    for (let i = this.trace.length - 1; i >= 0; i--) {
      const f = this.trace[i];
      if (f.origin !== undefined) break;
      if (f.span === undefined) this.trace.splice(i, 1);
      else f.origin = origin;
    }
    if (this.span === undefined) { this.span = callSpan; return; }
    this.trace.push({ span: callSpan });
  }
}

/** One diagnostic of a static check failure (parse error, unbound name, ...). */
export interface Diagnostic { readonly message: string; readonly span: Span; readonly hint?: string }

/**
 * A query that fails before evaluation (parse/check errors): code `invalid_query`, message
 * "The query failed N validation check(s)", one summary block per diagnostic.
 */
export class QueryCheckError extends Error {
  readonly code = 'invalid_query';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`The query failed ${diagnostics.length} validation check${diagnostics.length === 1 ? '' : 's'}`);
  }
}

/** Thrown inside evaluation when the query's deadline passes; becomes a 440/503 `time_out`. */
export class QueryTimeout extends Error {
  constructor() { super('query timed out'); }
}

/** A JavaScript stack overflow (deeply nested input or values): refused, never a crash. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
