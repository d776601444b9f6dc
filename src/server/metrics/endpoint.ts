// GET|HEAD /metrics: the server's metrics in Prometheus text format, or with `?format=json` the
// last hour in 10-second buckets for the dashboard. Only the root secret may read them
// (`Authorization: Bearer <root secret>`; a scoped secret is not the root secret), unless the
// server runs with --public-metrics. Answers are plain text, not Fauna errors: the readers are
// Prometheus and the dashboard, not the drivers.
import type { Handler, ServerResponse } from '../http-types';
import type { ServerMetrics } from './registry';

export interface MetricsEndpointOptions {
  readonly metrics: ServerMetrics;
  /** The root-key check (src/auth/root-key.ts, cached). */
  readonly isRoot: (secret: string) => Promise<boolean>;
  /** --public-metrics: no secret needed. */
  readonly isPublic: boolean;
}

const BEARER = /^Bearer +(\S+) *$/i;

function plain(status: number, text: string, headers?: Record<string, string>): ServerResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: `${text}\n` };
}

export function createMetricsEndpoint(opts: MetricsEndpointOptions): Handler {
  const { metrics } = opts;
  const authorized = async (header: string | undefined): Promise<boolean> => {
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    return token !== undefined && opts.isRoot(token);
  };
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(405, `Method ${req.method} is not allowed for /metrics.`, { allow: 'GET, HEAD' });
    }
    if (!opts.isPublic && !(await authorized(req.headers.authorization))) {
      return plain(401, 'Unauthorized: /metrics needs the root secret (Authorization: Bearer <root secret>).', { 'www-authenticate': 'Bearer' });
    }
    const format = req.query.get('format');
    if (format === 'json') {
      await metrics.sampleStorage();
      return {
        status: 200,
        headers: { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify(metrics.history.toJSON()),
      };
    }
    if (format !== null && format !== 'prometheus') {
      return plain(400, 'Unknown format: use format=json, format=prometheus or none.');
    }
    return {
      status: 200,
      headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
      body: await metrics.registry.metrics(),
    };
  };
}
