// A transport-neutral request/response model shared by HTTP/1.1 and HTTP/2 connections.
// Handlers are async functions from request to response; a response body may be an async
// iterable of chunks for long-lived streaming responses (/stream/1).
import type { CommitRerun } from '../storage/kv';

export interface ServerRequest {
  readonly method: string;
  /** Path without the query string, e.g. "/query/1". */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names are lowercase; repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly httpVersion: string;
  /** performance.now() when the request arrived (deadlines are measured from here). */
  readonly receivedAt: number;
  /** The whole request body; rejects with RequestTooLargeError past the size limit. */
  body(): Promise<Buffer>;
  /** Aborted when the client disconnects (streaming handlers stop on it). */
  readonly signal: AbortSignal;
  /** True once the client has disconnected: what `signal` tells, without making one (absent: never). */
  readonly closed?: boolean;
  /**
   * Calls `cb` once when the client disconnects (at once if it has), without making a signal.
   * Absent on requests made inside the server, which have no client to lose.
   */
  onClose?(cb: () => void): void;
  /** The client's address (fair scheduling and per-client limits key on it). */
  readonly remoteAddress?: string;
  /**
   * Set by the query workers' coordinator only, never from the wire: this run repeats a request
   * whose handed-off commit failed (src/exec/pool/worker-pool.ts), from this attempt on.
   */
  readonly rerun?: CommitRerun;
}

export type ResponseBody = string | Buffer | AsyncIterable<string | Buffer>;

export interface ServerResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: ResponseBody;
  /**
   * Streaming bodies: aborting it drops the response at once, even while a write waits for a
   * client that stopped reading (a stream whose buffer overflowed).
   */
  readonly cancel?: AbortSignal;
  /** For the server's own metrics; never sent to the client. */
  readonly report?: ResponseReport;
}

/**
 * What a response tells the server's metrics (src/server/metrics), set where the response is
 * built so that nobody parses bodies to count: a query worker sends it back with the response.
 */
export interface ResponseReport {
  /** The Fauna error code of an error response. */
  readonly errorCode?: string;
  /** The stats of a query that ran. */
  readonly ops?: { readonly compute: number; readonly read: number; readonly write: number };
}

export type Handler = (req: ServerRequest) => Promise<ServerResponse>;

/**
 * What a handler in a query worker returns when its response already went to the coordinator
 * with the request's commit (KvTxn.commitAnswering): the worker sends nothing more.
 */
export const ANSWERED_WITH_COMMIT: ServerResponse = Object.freeze({ status: 0 });

/** Core's `HttpServer.MaxRequestSize`. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export class RequestTooLargeError extends Error {
  constructor() { super('Request entity is too large'); }
}

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';
