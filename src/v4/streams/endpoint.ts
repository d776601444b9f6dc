// The coordinator's handler of v4 `POST /stream` (core StreamEndpoint, FQL1Routes): check the
// method, the v4 headers, `?fields=` and the secret's form as a v4 query would, then open a
// stream on the StreamHub whose jobs (service.ts, in a query worker) evaluate the expression
// and read events. Answers before the first event are v4 error bodies; the stream's events are
// lines of JSON (`start`, `version`, `set`, `error`).
import { parseAuthorization } from '../../auth/secret-parse';
import type { Handler, ServerRequest, ServerResponse } from '../../server/http-types';
import { jsonResponse } from '../../server/responses';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../wire/json-reader';
import { InvalidHeaderError } from '../../server/query-headers';
import type { StreamHub } from '../../streams/stream-hub';
import { checkApiVersion, checkLastSeenTxn, parseQueryTimeout } from '../headers';
import type { Json } from '../json';
import { V4_DIALECT, encodeV4StreamToken, parseFields } from './protocol';

/** (ours) Bytes of a stream request's body, the expression to stream. */
export const MAX_STREAM_EXPRESSION_BYTES = 64 * 1024;

const errors = (status: number, list: readonly object[], headers: Record<string, string> = {}): ServerResponse =>
  jsonResponse(status, JSON.stringify({ errors: list }), headers);

export function createV4StreamEndpoint(hub: StreamHub): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    if (req.method !== 'POST') {
      return errors(405, [{ code: 'method not allowed', description: 'Allowed methods are POST.' }], { allow: 'POST' });
    }
    const h = req.headers;
    try {
      checkApiVersion(h['x-faunadb-api-version']);
      checkLastSeenTxn(h['x-last-seen-txn']);
      parseQueryTimeout(h['x-query-timeout']);
    } catch (e) {
      if (e instanceof InvalidHeaderError) return errors(400, [{ code: 'bad request', description: e.message }]);
      throw e;
    }
    if (!parseAuthorization(h.authorization)) {
      return errors(401, [{ code: 'unauthorized', description: 'Unauthorized' }], { 'www-authenticate': 'Basic realm="Unauthorized"' });
    }
    const fields = parseFields(req.query.get('fields'));
    if ('bad' in fields) {
      return errors(400, [{ position: [], code: 'invalid url parameter', description: `Invalid url parameter fields. Invalid field name '${fields.bad}'.` }]);
    }
    const body = await req.body();
    // (ours) A stream's expression is a ref or a set: parsed and encoded here, on the
    // coordinator's thread and before the secret is checked, an 8 MiB one held every client for
    // a second (found by probing, session 16).
    if (body.length > MAX_STREAM_EXPRESSION_BYTES) {
      return errors(413, [{ position: [], code: 'request entity too large', description: `A stream expression may be ${MAX_STREAM_EXPRESSION_BYTES} bytes at most.` }]);
    }
    const text = body.toString('utf8');
    if (text.trim() === '') return errors(400, [{ position: [], code: 'invalid expression', description: 'No query provided.' }]);
    // As v4 query bodies (src/v4/endpoint.ts), and before parsing: this is the coordinator's
    // thread, and the secret has not been checked yet.
    if (nestsDeeperThan(text)) {
      return errors(400, [{ position: [], code: 'invalid expression', description: `JSON exceeds nesting limit of ${MAX_JSON_DEPTH}.` }]);
    }
    let expr: Json;
    try {
      expr = JSON.parse(text) as Json;
    } catch (e) {
      return errors(400, [{ position: [], code: 'invalid expression', description: (e as Error).message }]);
    }
    return hub.open(req, encodeV4StreamToken({ expr, fields: fields.fields }), { dialect: V4_DIALECT });
  };
}
