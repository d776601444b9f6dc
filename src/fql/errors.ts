// Query errors carry Fauna's error codes. A QueryError is a failure of a query (HTTP 400 with a
// summary pointing at `span`); a ProtocolError (src/server) is a failure of the request itself.
import type { Span } from './ast/span';
import type { Value } from './values/value';

export interface ConstraintFailure {
  readonly paths: readonly (readonly (string | number)[])[];
  readonly message: string;
}

/** A runtime failure of a query, with Fauna's error code (`invalid_argument`, `abort`, ...). */
export class QueryError extends Error {
  /** The span the summary points at; filled in by the evaluator when not known at throw. */
  span: Span | undefined;
  constructor(
    readonly code: string,
    message: string,
    span?: Span,
    readonly extra: { readonly abort?: Value; readonly constraintFailures?: readonly ConstraintFailure[] } = {},
  ) {
    super(message);
    this.span = span;
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
