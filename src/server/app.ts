// The HTTP application: routing (core `CoreApplication.handleRequest`), CORS, the build header,
// and the guarantee that a failing handler yields a 500 JSON response instead of a crash.
import type { QueryService } from '../exec/query-service';
import { BUILD_VERSION } from './build-info';
import { isPreflight, withCors } from './cors';
import { type Handler, RequestTooLargeError, type ServerRequest, type ServerResponse } from './http-types';
import { createQueryEndpoint } from './query-endpoint';
import { jsonResponse, protocolError, v4Error } from './responses';

/** Endpoints implemented elsewhere and plugged in when available. */
export interface PluggableRoutes {
  /** POST /query/1; defaults to running `service` in this thread. */
  readonly query?: Handler;
  /** POST /stream/1 */
  readonly stream?: Handler;
  /** POST /feed/1 */
  readonly feed?: Handler;
  /** POST /stream (v4 streams) */
  readonly v4Stream?: Handler;
  /** /schema/1/* */
  readonly schema?: Handler;
  /** GET /environment/1 */
  readonly environment?: Handler;
  /** GET /metrics */
  readonly metrics?: Handler;
  /** GET /dashboard/* (the web dashboard's files); `GET /` from a browser redirects there. */
  readonly dashboard?: Handler;
  /** Everything that is not a v10 path (v4 queries at `/`, `/linearized`, ref paths). */
  readonly v4?: Handler;
}

export interface AppOptions {
  /** Runs /query/1 in this thread when no `routes.query` handler is given. */
  readonly service?: QueryService;
  readonly routes?: PluggableRoutes;
  /** Value of `x-faunadb-build`; defaults to the package version. */
  readonly build?: string;
  /** Called with every answered request (not CORS preflights), for the metrics. */
  readonly onResponse?: (req: ServerRequest, res: ServerResponse) => void;
}

/**
 * `GET /ping?scope=` (core AdminSpec "ping"): write (the default; `global` is its old name),
 * read (`local`), node and all; an unknown scope is treated as node.
 */
const PING_SCOPES: Readonly<Record<string, string>> = { write: 'write', global: 'write', read: 'read', local: 'read', node: 'node', all: 'all' };

function pingBody(scope: string | null | undefined): string {
  const answered = scope === null || scope === undefined ? 'write' : PING_SCOPES[scope] ?? 'node';
  return JSON.stringify({ resource: `Scope ${answered} is OK` });
}

function notFound(what: string): ServerResponse {
  return protocolError(404, 'not_found', `${what} is not available on this server.`);
}

function ping(req: ServerRequest): ServerResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return v4Error(405, 'method not allowed', `Method ${req.method} is not allowed for /ping.`);
  }
  return jsonResponse(200, pingBody(req.query.get('scope')));
}

/** Paths served by the legacy v4 API, answered with a v4 error until a v4 handler is plugged in. */
function v4Fallback(req: ServerRequest): ServerResponse {
  if (req.path === '/' || req.path === '/linearized') {
    return v4Error(400, 'bad request', 'FQL v4 queries are not supported by this server.');
  }
  return v4Error(404, 'not found', `Page not found: ${req.path}`);
}

/**
 * `GET /` without a v4 query (`?q=`) or credentials: a person opening the server's address in a
 * browser, sent to the dashboard. v4 `GET /?q=…` reads and `POST /` stay the v4 endpoint.
 */
function isBrowserHome(req: ServerRequest): boolean {
  return req.path === '/' && (req.method === 'GET' || req.method === 'HEAD') && !req.query.has('q') && !req.headers.authorization;
}

export function createApp(opts: AppOptions): Handler {
  const routes = opts.routes ?? {};
  const query = routes.query ?? (opts.service ? createQueryEndpoint(opts.service) : undefined);
  if (!query) throw new Error('createApp needs a query route or a query service');
  const build = opts.build ?? BUILD_VERSION;

  const route = (req: ServerRequest): Promise<ServerResponse> | ServerResponse => {
    const p = req.path;
    if (p === '/query/1') return query(req);
    if (p === '/ping') return ping(req);
    if (p === '/stream/1') return routes.stream ? routes.stream(req) : notFound('Event streaming (/stream/1)');
    if (p === '/feed/1') return routes.feed ? routes.feed(req) : notFound('Event feeds (/feed/1)');
    if (p === '/stream' && routes.v4Stream) return routes.v4Stream(req);
    if (p.startsWith('/schema/1')) return routes.schema ? routes.schema(req) : notFound('The schema API (/schema/1)');
    if (p === '/metrics' && routes.metrics) return routes.metrics(req);
    if (p === '/dashboard' || p.startsWith('/dashboard/')) return routes.dashboard ? routes.dashboard(req) : notFound('The web dashboard (/dashboard/)');
    if (routes.dashboard && isBrowserHome(req)) return { status: 302, headers: { location: '/dashboard/' } };
    if (p === '/environment/1') return routes.environment ? routes.environment(req) : notFound('The environment API (/environment/1)');
    return routes.v4 ? routes.v4(req) : v4Fallback(req);
  };

  return async (req: ServerRequest): Promise<ServerResponse> => {
    let res: ServerResponse;
    if (isPreflight(req)) {
      res = { status: 200 };
    } else {
      try {
        res = await route(req);
      } catch (e) {
        if (e instanceof RequestTooLargeError) {
          res = protocolError(413, 'request_size_exceeded', 'Request entity is too large');
        } else {
          console.error(`internal error handling ${req.method} ${req.path}:`, e);
          res = protocolError(500, 'internal_error', `Internal server error: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      opts.onResponse?.(req, res);
    }
    return withCors(req, { ...res, headers: { ...res.headers, 'x-faunadb-build': build } });
  };
}
