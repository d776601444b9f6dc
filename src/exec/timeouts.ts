// What a query that ran out of time is told, shared by the evaluator's own deadline checks
// (src/exec/run-query.ts) and the coordinator that terminates a worker which did not stop in
// time (src/exec/pool). Core answers 440 "aggressive deadline" when the client's own short
// timeout expired, and 503 "Read timed out" past that.

/** Time reserved for committing: a query whose deadline falls inside it has timed out. */
export const COMMIT_BUDGET_MS = 2;

export interface TimeoutFailure {
  readonly status: number;
  readonly code: 'time_out';
  readonly message: string;
}

export function timeoutFailure(timeoutMs: number, elapsedMs: number): TimeoutFailure {
  if (elapsedMs < 1000) {
    const needs = Math.max(Math.ceil(elapsedMs) + COMMIT_BUDGET_MS, timeoutMs + 1);
    return { status: 440, code: 'time_out', message: `Client set aggressive deadline: query needs ${needs}, timed out within ${timeoutMs}` };
  }
  return { status: 503, code: 'time_out', message: 'Read timed out' };
}
