// What the evaluator and the standard library can see while a query runs. One EvalContext per
// query attempt; it is discarded (with its transaction) on retry or failure.
import type { Value } from '../values/value';
import type { ModelTxn } from '../../model/model-api';

export interface QueryStats {
  computeOps: number;
  readOps: number;
  writeOps: number;
  storageBytesRead: number;
  storageBytesWrite: number;
  contentionRetries: number;
}

export interface EvalContext {
  /** The query source with template placeholders ("\u0000value>") in place. */
  readonly source: string;
  /** Values bound to the template placeholders, in order. */
  readonly templateValues: readonly Value[];
  /** Variables bound by the request's `arguments`. */
  readonly arguments: ReadonlyMap<string, Value>;
  /** Database access for this query (one transaction). */
  readonly model: ModelTxn;
  /** performance.now()-based deadline in ms; evaluation checks it at checkpoints. */
  readonly deadline: number;
  readonly stats: QueryStats;
  /** Lines produced by log()/dbg(); rendered into the response summary. */
  readonly logs: { readonly text: string; readonly span?: import('../ast/span').Span }[];
  /** Nesting depth of function calls, for stack_overflow errors. */
  depth: number;
  /**
   * Read snapshot (µs) set by `at (time) expr` while `expr` evaluates; undefined means the
   * transaction's own snapshot. The model reads documents and sets as of this time.
   */
  snapshotTs?: bigint;
  /**
   * Read snapshot (µs) of the set cursor being resumed (`Set.paginate(cursor)`): the time of the
   * query that made its first page (core's system valid time, FQLInterpreter.systemValidTime).
   * Sets read as of it and lambdas read documents as of it, but it is the cursor's present, not
   * the past: reads need `read`, not `history_read`, documents keep no snapshot of their own
   * (they render as they are now, as core renders a page's documents at the query's time), and
   * writes are refused. `snapshotTs` (a user's `at`) takes precedence.
   */
  systemTs?: bigint;
  /**
   * While an event of a stream or feed is evaluated: its time. Reads at it are the event's own
   * present (core reads event documents at their system valid time), so they need `read`, not
   * `history_read`.
   */
  eventTs?: bigint;
  /**
   * Set while code that may not write runs: stored code (`computed fields`, `check
   * constraints`), or a lazy set's lambdas while the set is read (`set functions`,
   * sets/set-lambdas.ts). A write then fails with `invalid_effect`, naming this.
   */
  writesForbiddenIn?: string;
}
