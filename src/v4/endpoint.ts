// The legacy v4 HTTP API (core api/fql1/FQL1Routes.scala, APIResponse.scala): `POST /` and
// `POST /linearized` run an expression, `GET /?q=<json>` runs one read-only. Answers are
// `{"resource": ...}` (201 when the result is a version the request created) or
// `{"errors": [{position, code, description, failures?}]}`, with core's response headers.
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { jsonResponse } from '../server/responses';
import { InvalidHeaderError } from '../server/query-headers';
import { parseAuthorization } from '../auth/secret-parse';
import type { V4Error } from './errors';
import { checkApiVersion, checkLastSeenTxn, parseQueryTimeout, parseTags, responseTraceparent } from './headers';
import type { Json } from './json';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../wire/json-reader';
import type { V4Service, V4Stats } from './run';

function errorsBody(errors: readonly { code: string; description: string; position?: readonly (string | number)[] }[]): string {
  return JSON.stringify({ errors });
}

interface V4ErrorJson { position: readonly (string | number)[]; code: string; description: string; failures?: unknown; cause?: V4ErrorJson[] }

function v4ErrorJson(e: V4Error): V4ErrorJson {
  const out: V4ErrorJson = { position: e.position, code: e.code, description: e.description };
  if (e.failures.length > 0) out.failures = e.failures;
  if (e.causes.length > 0) out.cause = e.causes.map(v4ErrorJson);
  return out;
}

function metricHeaders(stats: V4Stats, bytesIn: number, bytesOut: number): Record<string, string> {
  return {
    'x-compute-ops': String(stats.computeOps),
    'x-byte-read-ops': String(stats.readOps),
    'x-byte-write-ops': String(stats.writeOps),
    // The legacy names, still sent by Fauna's v4 service beside the byte ops (the faunadb-js
    // suite's response fixture and client.test.js 'extract response headers from observer').
    'x-read-ops': String(stats.readOps),
    'x-write-ops': String(stats.writeOps),
    'x-query-time': String(stats.queryTimeMs),
    'x-query-bytes-in': String(bytesIn),
    'x-query-bytes-out': String(bytesOut),
    'x-storage-bytes-read': String(stats.storageBytesRead),
    'x-storage-bytes-write': String(stats.storageBytesWrite),
    'x-txn-retries': String(stats.retries),
  };
}

const unauthorized = (headers: Record<string, string>): ServerResponse =>
  jsonResponse(401, errorsBody([{ code: 'unauthorized', description: 'Unauthorized' }]), {
    ...headers, 'www-authenticate': 'Basic realm="Unauthorized"',
  });

export function createV4Endpoint(service: V4Service): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    if (req.path !== '/' && req.path !== '/linearized') {
      return jsonResponse(404, errorsBody([{ code: 'not found', description: 'Not Found' }]));
    }
    const isQueryGet = req.path === '/' && (req.method === 'GET' || req.method === 'HEAD');
    if (req.method !== 'POST' && !isQueryGet) {
      const allowed = req.path === '/' ? 'GET, POST' : 'POST';
      return jsonResponse(405, errorsBody([{ code: 'method not allowed', description: `Allowed methods are ${allowed}.` }]), { allow: allowed });
    }
    const h = req.headers;
    const base: Record<string, string> = { traceparent: responseTraceparent(h.traceparent) };
    let timeoutMs: number;
    try {
      checkApiVersion(h['x-faunadb-api-version']);
      checkLastSeenTxn(h['x-last-seen-txn']);
      timeoutMs = parseQueryTimeout(h['x-query-timeout']);
      const tags = parseTags(h['x-fauna-tags']);
      if (tags !== undefined) base['x-fauna-tags'] = tags;
    } catch (e) {
      if (e instanceof InvalidHeaderError) return jsonResponse(400, errorsBody([{ code: 'bad request', description: e.message }]), base);
      throw e;
    }
    const credentials = parseAuthorization(h.authorization);
    if (!credentials) return unauthorized(base);

    const text = isQueryGet ? req.query.get('q') ?? '' : (await req.body()).toString('utf8');
    const bytesIn = Buffer.byteLength(text);
    if (text.trim() === '') {
      return jsonResponse(400, errorsBody([{ position: [], code: 'invalid expression', description: 'No query provided.' }]), base);
    }
    // The same cap as /query/1's reader (Jackson's default): evaluating and rendering deeper
    // expressions would overflow the worker's stack.
    if (nestsDeeperThan(text)) {
      return jsonResponse(400, errorsBody([{ position: [], code: 'invalid expression', description: `JSON exceeds nesting limit of ${MAX_JSON_DEPTH}.` }]), base);
    }
    let body: Json;
    try {
      body = JSON.parse(text) as Json;
    } catch (e) {
      return jsonResponse(400, errorsBody([{ position: [], code: 'invalid expression', description: (e as Error).message }]), base);
    }

    const outcome = await service.run({ body, credentials, deadline: req.receivedAt + timeoutMs, readOnly: isQueryGet });
    switch (outcome.kind) {
      case 'ok': {
        const out = `{"resource":${outcome.resource}}`;
        return jsonResponse(outcome.status, out, {
          ...base, 'x-txn-time': outcome.txnTs.toString(), ...metricHeaders(outcome.stats, bytesIn, Buffer.byteLength(out)),
        });
      }
      case 'error': {
        // Core answers with the most severe error's status (Error.statusCode).
        const worst = [...outcome.errors].sort((a, b) => b.severity - a.severity)[0];
        const out = errorsBody(outcome.errors.map(v4ErrorJson));
        return jsonResponse(worst.status, out, {
          ...base, 'x-txn-time': outcome.txnTs.toString(), ...metricHeaders(outcome.stats, bytesIn, Buffer.byteLength(out)),
        });
      }
      case 'failure':
        if (outcome.status === 401) return unauthorized(base);
        return jsonResponse(outcome.status, errorsBody([{ code: outcome.code, description: outcome.description }]), base);
    }
  };
}
