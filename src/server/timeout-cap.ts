// The server's own bound on query timeouts (--max-query-timeout-ms). A query's transaction, and
// so its storage snapshot, lives as long as the query runs: on PostgreSQL an open snapshot keeps
// VACUUM from removing the rows every commit replaces in the commit protocol's tables
// (kv_clock, kv_running, kv_writes), and every transaction of every process slows as they pile
// up (issue 12: one 70 s snapshot took creates from 395/s to 127/s). Fauna lets a client ask
// for up to 10 minutes (core RequestParams: at most 600,000 ms) and gives 2 minutes without the
// header; an operator can lower both here. A request asking for more, or for nothing, runs with
// the cap, as if it had asked for it: the endpoint, the worker's deadline and the timeout error
// all see the one header. Headers the endpoint will refuse (not a number, 0, past Fauna's
// maximum) are left as they are, so the client still gets Fauna's error.
import type { Handler, ServerRequest } from './http-types';
import { parseLong } from '../fql/values/long-text';
import { DEFAULT_QUERY_TIMEOUT_MS, MAX_QUERY_TIMEOUT_MS } from './query-headers';

/** Whether the timeout header value `v` (absent: the default) asks for more than `capMs`, and validly. */
function asksPastCap(v: string | undefined, capMs: number): boolean {
  if (v === undefined) return capMs < DEFAULT_QUERY_TIMEOUT_MS;
  const asked = parseLong(v);
  return asked !== undefined && asked > BigInt(capMs) && asked <= BigInt(MAX_QUERY_TIMEOUT_MS);
}

/** The request with its timeout header `name` at most `capMs` (see above). */
export function capTimeoutHeader(req: ServerRequest, name: string, capMs: number): ServerRequest {
  return capMs < MAX_QUERY_TIMEOUT_MS && asksPastCap(req.headers[name], capMs)
    ? { ...req, headers: { ...req.headers, [name]: String(capMs) } }
    : req;
}

/** `handler` with its requests' timeout header `name` capped at `capMs`. */
export function withTimeoutCap(handler: Handler, name: string, capMs: number): Handler {
  return capMs >= MAX_QUERY_TIMEOUT_MS ? handler : (req) => handler(capTimeoutHeader(req, name, capMs));
}
