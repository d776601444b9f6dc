// The boundary between the HTTP layer (src/server) and query execution (src/exec): the server
// validates and decodes the request, the service runs it as one transaction and hands back a
// materialised result or an error. Implemented in src/exec/run-query.ts.
import type { Value } from '../fql/values/value';
import type { MValue } from '../wire/materialized';
import type { QueryError, QueryCheckError } from '../fql/errors';
import type { Credentials } from '../auth/credentials';
import type { CommitAnswer, CommitRerun } from '../storage/kv';

export interface QueryRequest {
  /** Query source; template `value` fragments appear as "\u0000value>" placeholders. */
  readonly source: string;
  readonly templateValues: readonly Value[];
  readonly arguments: ReadonlyMap<string, Value>;
  /** The caller's secret, already parsed (see src/auth/credentials.ts). */
  readonly credentials: Credentials;
  /** x-typecheck, when sent. */
  readonly typecheck?: boolean;
  /** performance.now()-based ms deadline (request receipt + x-query-timeout-ms). */
  readonly deadline: number;
  /** The timeout the client asked for (ms), for the "aggressive deadline" message. */
  readonly timeoutMs: number;
  readonly maxContentionRetries: number;
  readonly lastTxnTs?: bigint;
  /**
   * The success response, built before the commit where the engine can send it with the commit
   * (KvTxn.commitAnswering, in query workers): the outcome is then `answered`.
   */
  readonly answer?: (data: MValue, info: QueryInfo) => CommitAnswer;
  /** A run again after a handed-off commit failed: the attempt to start from (ServerRequest.rerun). */
  readonly rerun?: CommitRerun;
}

export interface QueryStatsOut {
  readonly compute_ops: number;
  readonly read_ops: number;
  readonly write_ops: number;
  readonly query_time_ms: number;
  readonly contention_retries: number;
  readonly storage_bytes_read: number;
  readonly storage_bytes_write: number;
  readonly rate_limits_hit: readonly string[];
}

/** Information returned with successes and query failures alike. */
export interface QueryInfo {
  readonly txnTs: bigint;
  readonly schemaVersion: bigint;
  readonly stats: QueryStatsOut;
  /** Rendered log()/dbg() lines (and warnings) for the summary. */
  readonly summaryLines: readonly string[];
}

export type QueryOutcome =
  /** `answered`: the response (QueryRequest.answer) went out with the commit. */
  | { readonly kind: 'ok'; readonly data: MValue; readonly info: QueryInfo; readonly answered?: true }
  /** A query failure: HTTP 400 with summary. `summary` is already rendered. */
  | { readonly kind: 'queryError'; readonly error: QueryError | QueryCheckError; readonly summary: string; readonly abort?: MValue; readonly info: QueryInfo }
  /** A protocol-level failure: 401 unauthorized, 409 contended, 440/503 time_out, 500. */
  | { readonly kind: 'protocolError'; readonly status: number; readonly code: string; readonly message: string };

export interface QueryService {
  run(req: QueryRequest): Promise<QueryOutcome>;
}
