// CORS exactly as core's `CoreApplication.addCORSHeaders` (spec §0.7): preflights (OPTIONS
// with Origin) get a bodiless 200; every response to a request with Origin echoes it and
// exposes its own headers to browser code.
import type { ServerRequest, ServerResponse } from './http-types';

const ALLOWED_HEADERS = [
  'accept-encoding', 'authorization', 'content-type', 'x-driver-env', 'x-faunadb-api-version',
  'x-fauna-driver', 'x-fauna-source', 'x-fauna-tags', 'x-format', 'x-last-seen-txn',
  'x-last-txn-ts', 'x-linearized', 'x-max-contention-retries', 'x-max-retries-on-contention',
  'x-query-tags', 'x-query-timeout', 'x-query-timeout-ms', 'x-runtime-environment',
  'x-runtime-environment-os', 'x-nodejs-version', 'traceparent', 'x-typecheck',
  'x-performance-hints',
].join(', ');
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const MAX_AGE = String(24 * 60 * 60);

export function isPreflight(req: ServerRequest): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined;
}

/** Add CORS headers to `res` when the request carries an Origin. */
export function withCors(req: ServerRequest, res: ServerResponse): ServerResponse {
  const origin = req.headers.origin;
  if (origin === undefined) return res;
  const headers: Record<string, string> = { ...res.headers };
  headers['access-control-expose-headers'] = Object.keys(headers).join(', ');
  headers['access-control-allow-origin'] = origin;
  headers['access-control-allow-credentials'] = 'true';
  if (req.method === 'OPTIONS') {
    headers['access-control-max-age'] = MAX_AGE;
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-allow-methods'] = ALLOWED_METHODS;
  }
  return { ...res, headers };
}
