// The coordinator's handlers for the routes that run query code: each request goes to a worker
// with its deadline (from the request's own timeout header, as the endpoint will read it) and
// the answer to give if the worker cannot answer, in the route's own error format.
import { clientKey } from '../../server/client-key';
import { parseQueryTimeoutMs, DEFAULT_QUERY_TIMEOUT_MS } from '../../server/query-headers';
import { parseQueryTimeout } from '../../v4/headers';
import type { Handler, ServerRequest, ServerResponse } from '../../server/http-types';
import { jsonResponse, protocolError, v4Error } from '../../server/responses';
import { timeoutFailure } from '../timeouts';
import { OUT_OF_MEMORY } from '../../fql/memory-guard';
import { UNREAD } from '../../server/response-backlog';
import type { QueryHandlers } from '../handlers';
import type { PoolFailure, WorkerPool } from './worker-pool';
import type { RouteKind } from './protocol';

/** The schema API's own transaction deadline (src/schema-api/session.ts), plus slack for reading files. */
const SCHEMA_TIMEOUT_MS = 125_000;

function timeoutOf(parse: (v: string | undefined) => number, v: string | undefined): number {
  try {
    return parse(v);
  } catch {
    // The endpoint rejects the header at once; the default only bounds that.
    return DEFAULT_QUERY_TIMEOUT_MS;
  }
}

/** Bound on one stream job; feeds send their client's timeout (`x-job-timeout-ms`, set only by the coordinator). */
export const EVENTS_JOB_TIMEOUT_MS = 30_000;

export const OVERLOADED = 'Too many requests are waiting to run; try again later.';

function queryFailure(timeoutMs: number, f: PoolFailure): ServerResponse {
  switch (f.kind) {
    case 'timeout': {
      const t = timeoutFailure(timeoutMs, f.elapsedMs);
      return protocolError(t.status, t.code, t.message);
    }
    case 'crashed': return protocolError(500, 'internal_error', OUT_OF_MEMORY);
    case 'overloaded': return protocolError(429, 'limit_exceeded', OVERLOADED);
    case 'unread': return protocolError(429, 'limit_exceeded', UNREAD);
  }
}

function v4Failure(f: PoolFailure): ServerResponse {
  switch (f.kind) {
    case 'timeout': return v4Error(503, 'time out', 'Read timed out');
    case 'crashed': return v4Error(500, 'internal server error', OUT_OF_MEMORY);
    case 'overloaded': return v4Error(429, 'too many requests', OVERLOADED);
    case 'unread': return v4Error(429, 'too many requests', UNREAD);
  }
}

function schemaFailure(f: PoolFailure): ServerResponse {
  const [status, message] = f.kind === 'timeout' ? [503, 'Read timed out'] : f.kind === 'crashed' ? [500, OUT_OF_MEMORY]
    : f.kind === 'unread' ? [429, UNREAD] : [429, OVERLOADED];
  return jsonResponse(status, JSON.stringify({ error: { message } }));
}

/** Who is asking, for fair scheduling between clients (an IPv6 /64 is one: client-key.ts). */
function clientOf(req: ServerRequest): string {
  return clientKey(req.remoteAddress);
}

export function createPooledHandlers(pool: WorkerPool): QueryHandlers {
  const route = (kind: RouteKind, limits: (req: ServerRequest) => { timeoutMs: number; failure: (f: PoolFailure) => ServerResponse }): Handler =>
    (req) => {
      const { timeoutMs, failure } = limits(req);
      return pool.run({ route: kind, req, deadline: req.receivedAt + timeoutMs, client: clientOf(req), failure });
    };
  return {
    query: route('query', (req) => {
      const timeoutMs = timeoutOf(parseQueryTimeoutMs, req.headers['x-query-timeout-ms']);
      return { timeoutMs, failure: (f) => queryFailure(timeoutMs, f) };
    }),
    v4: route('v4', (req) => ({ timeoutMs: timeoutOf(parseQueryTimeout, req.headers['x-query-timeout']), failure: v4Failure })),
    schema: route('schema', () => ({ timeoutMs: SCHEMA_TIMEOUT_MS, failure: schemaFailure })),
    // Internal jobs of streams and feeds: the job's own deadline; failures are reported in the
    // job's answer format (src/streams/job-runner.ts).
    events: (req) => pool.run({
      route: 'events', req, deadline: req.receivedAt + (Number(req.headers['x-job-timeout-ms']) || EVENTS_JOB_TIMEOUT_MS), client: clientOf(req),
      failure: (f) => jsonResponse(200, JSON.stringify({ kind: 'failed', failure: f.kind, elapsedMs: f.elapsedMs, ...(f.queued ? { queued: true } : {}) })),
    }),
  };
}
