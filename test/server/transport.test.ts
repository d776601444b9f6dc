// The app on a real port with a fake QueryService, exercised with raw HTTP/1.1, raw HTTP/2
// (h2c prior knowledge) and the official fauna driver over both of its transports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { AbortError, AuthenticationError, Client, FetchClient, InvalidRequestError, ServiceInternalError, TimeStub, fql } from 'fauna';
import type { QueryInfo, QueryOutcome, QueryRequest, QueryService } from '../../src/exec/query-service';
import type { MValue } from '../../src/wire/materialized';
import { QueryError } from '../../src/fql/errors';
import { createApp } from '../../src/server/app';
import { type RunningServer, listen } from '../../src/server/listen';

const INFO: QueryInfo = {
  txnTs: 1710000000123456n,
  schemaVersion: 0n,
  stats: {
    compute_ops: 1, read_ops: 0, write_ops: 0, query_time_ms: 0, contention_retries: 0,
    storage_bytes_read: 0, storage_bytes_write: 0, rate_limits_hit: [],
  },
  summaryLines: [],
};

const requests: QueryRequest[] = [];

const service: QueryService = {
  async run(req: QueryRequest): Promise<QueryOutcome> {
    requests.push(req);
    if (req.credentials.secret !== 'secret') return { kind: 'protocolError', status: 401, code: 'unauthorized', message: 'Access token required' };
    if (req.source === 'boom') throw new Error('kaboom');
    if (req.source.startsWith('abort(')) {
      return { kind: 'queryError', error: new QueryError('abort', 'Query aborted.'), summary: 'error: Query aborted.', abort: { t: 'string', v: 'oops' }, info: INFO };
    }
    if (req.source === 'args') {
      return { kind: 'ok', data: { t: 'object', v: new Map(req.arguments as Map<string, MValue>) }, info: INFO };
    }
    if (req.templateValues.length > 0) return { kind: 'ok', data: { t: 'array', v: req.templateValues as MValue[] }, info: INFO };
    return { kind: 'ok', data: { t: 'int', v: 2 }, info: INFO };
  },
};

let server: RunningServer;
let base: string;

before(async () => {
  server = await listen(createApp({ service, build: 'test-build' }), { port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
});

after(async () => {
  await server.close(1000);
});

interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function h1(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function h2(path: string, headers: Record<string, string>, body?: string, method = 'POST'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(base);
    session.on('error', reject);
    const req = session.request({ ':method': method, ':path': path, ...headers });
    let status = 0;
    let resHeaders: Record<string, string | string[] | undefined> = {};
    req.on('response', (h) => { status = Number(h[':status']); resHeaders = h; });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      session.close();
      resolve({ status, headers: resHeaders, body: Buffer.concat(chunks).toString() });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const AUTH = { authorization: 'Bearer secret' };
const SUCCESS_TAGGED = '{"data":{"@int":"2"},"summary":"","txn_ts":1710000000123456,"stats":{"compute_ops":1,"read_ops":0,' +
  '"write_ops":0,"query_time_ms":0,"contention_retries":0,"storage_bytes_read":0,"storage_bytes_write":0,"rate_limits_hit":[]},' +
  '"schema_version":0}';

test('HTTP/1.1 query round-trip with exact body and headers', async () => {
  const r = await h1('POST', '/query/1', { ...AUTH, 'x-format': 'tagged', 'content-type': 'application/json' }, '{"query":"1 + 1"}');
  assert.equal(r.status, 200);
  assert.equal(r.body, SUCCESS_TAGGED);
  assert.equal(r.headers['content-type'], 'application/json;charset=utf-8');
  assert.equal(r.headers['x-faunadb-build'], 'test-build');
});

test('HTTP/2 prior-knowledge query round-trip, simple format by default', async () => {
  const r = await h2('/query/1', AUTH, '{"query":{"fql":["1 + 1"]}}');
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).data, 2);
  assert.equal(r.headers['x-faunadb-build'], 'test-build');
});

test('request fields reach the service', async () => {
  requests.length = 0;
  await h1('POST', '/query/1', {
    authorization: 'Bearer secret:db:admin', 'x-format': 'tagged', 'x-typecheck': 'false', 'x-query-timeout-ms': '5000',
    'x-max-contention-retries': '2', 'x-last-txn-ts': '17', 'x-query-tags': 'a=b',
  }, JSON.stringify({ query: { fql: ['x + ', { value: { '@int': '1' } }] }, arguments: { x: { '@long': '5' } } }));
  const req = requests[0];
  assert.equal(req.source, 'x + \u0000value>');
  assert.deepEqual(req.templateValues, [{ t: 'int', v: 1 }]);
  assert.deepEqual([...req.arguments], [['x', { t: 'long', v: 5n }]]);
  assert.deepEqual(req.credentials, { secret: 'secret', scopePath: ['db'], scopeRole: { kind: 'builtin', role: 'admin' } });
  assert.equal(req.typecheck, false);
  assert.equal(req.timeoutMs, 5000);
  assert.equal(req.maxContentionRetries, 2);
  assert.equal(req.lastTxnTs, 17n);
  assert.ok(req.deadline > performance.now() && req.deadline <= performance.now() + 5000);
});

test('query tags are echoed as a string', async () => {
  const r = await h1('POST', '/query/1', { ...AUTH, 'x-query-tags': 'project=teapot' }, '{"query":"1"}');
  const body = JSON.parse(r.body);
  assert.equal(body.query_tags, 'project=teapot');
  assert.deepEqual(Object.keys(body), ['data', 'summary', 'txn_ts', 'stats', 'query_tags', 'schema_version']);
});

test('protocol errors', async () => {
  let r = await h1('POST', '/query/1', {}, '{"query":"1"}');
  assert.equal(r.status, 401);
  assert.equal(r.body, '{"error":{"code":"unauthorized","message":"Access token required"}}');
  assert.equal(r.headers['www-authenticate'], 'Bearer');

  r = await h1('POST', '/query/1', { authorization: 'Bearer nope' }, '{"query":"1"}');
  assert.equal(r.status, 401);

  r = await h1('POST', '/query/1', { ...AUTH, 'x-format': 'xml' }, '{"query":"1"}');
  assert.equal(r.status, 400);
  assert.equal(r.body, `{"error":{"code":"invalid_request","message":"Invalid header 'x-format': Invalid format xml"}}`);

  r = await h1('POST', '/query/1', AUTH, '{"query":');
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.body).error.message, /^Invalid request body: /);

  r = await h1('POST', '/query/1', AUTH, '"{}"');
  assert.equal(JSON.parse(r.body).error.code, 'invalid_request');

  r = await h1('POST', '/query/1', AUTH);
  assert.equal(JSON.parse(r.body).error.message, 'No request body provided');

  r = await h1('POST', '/query/1', AUTH, `{"query":${'['.repeat(1001)}${']'.repeat(1001)}}`);
  assert.equal(JSON.parse(r.body).error.message, 'Invalid request body: JSON exceeds nesting limit');

  r = await h1('POST', '/query/1', { ...AUTH, 'x-format': 'tagged' }, '{"query":"args","arguments":{"x":1}}');
  assert.equal(r.body, `{"error":{"code":"invalid_request","message":"Invalid argument 'x': numbers must be tagged"}}`);

  r = await h1('POST', '/query/1', AUTH, '{"query":{"fql":[{"value":{"@blah":"foo"}},".bar!"]}}');
  assert.equal(r.status, 400);
  const body = JSON.parse(r.body);
  assert.equal(body.error.code, 'invalid_query');
  assert.equal(body.summary, "error: invalid tag '@blah'\nat *query*:1:1\n  |\n1 | <value>.bar!\n  | ^^^^^^^\n  |");
});

test('query failures carry the abort value in the requested format', async () => {
  const r = await h1('POST', '/query/1', { ...AUTH, 'x-format': 'decorated' }, '{"query":"abort(\\"oops\\")"}');
  assert.equal(r.status, 400);
  const body = JSON.parse(r.body);
  assert.deepEqual(Object.keys(body), ['error', 'summary', 'txn_ts', 'stats', 'schema_version']);
  assert.deepEqual(body.error, { code: 'abort', message: 'Query aborted.', abort: '"oops"' });
});

test('a throwing service yields a 500 and the server keeps serving', async () => {
  const r = await h1('POST', '/query/1', AUTH, '{"query":"boom"}');
  assert.equal(r.status, 500);
  assert.equal(JSON.parse(r.body).error.code, 'internal_error');
  assert.equal((await h1('GET', '/ping')).status, 200);
});

test('/ping GET and HEAD, 404 and 405', async () => {
  let r = await h1('GET', '/ping');
  assert.equal(r.status, 200);
  assert.equal(r.body, '{"resource":"Scope write is OK"}');
  r = await h1('HEAD', '/ping');
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  r = await h2('/ping', {}, undefined, 'GET');
  assert.equal(r.body, '{"resource":"Scope write is OK"}');
  r = await h2('/ping', {}, undefined, 'HEAD');
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  r = await h1('DELETE', '/ping');
  assert.equal(r.status, 405);
  r = await h1('GET', '/stream/1');
  assert.equal(r.status, 404);
  assert.equal(JSON.parse(r.body).error.code, 'not_found');
  r = await h1('GET', '/no/such/path');
  assert.equal(r.status, 404);
  assert.ok(Array.isArray(JSON.parse(r.body).errors));
});

test('CORS preflight and exposed headers', async () => {
  let r = await h1('OPTIONS', '/query/1', { origin: 'http://app.example' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['access-control-allow-origin'], 'http://app.example');
  assert.equal(r.headers['access-control-allow-credentials'], 'true');
  assert.equal(r.headers['access-control-max-age'], '86400');
  assert.equal(r.headers['access-control-allow-methods'], 'GET, POST, PUT, PATCH, DELETE');
  assert.match(String(r.headers['access-control-allow-headers']), /^accept-encoding, authorization, .*x-typecheck, x-performance-hints$/);
  r = await h1('POST', '/query/1', { ...AUTH, origin: 'http://app.example' }, '{"query":"1"}');
  assert.equal(r.headers['access-control-allow-origin'], 'http://app.example');
  assert.match(String(r.headers['access-control-expose-headers']), /x-faunadb-build/);
  assert.equal(r.headers['access-control-max-age'], undefined);
});

test('413 for bodies over 8 MiB', async () => {
  const r = await h1('POST', '/query/1', AUTH, Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
  assert.equal(r.status, 413);
  assert.equal(r.body, '{"error":{"code":"request_size_exceeded","message":"Request entity is too large"}}');
});

test('garbage bytes on a socket do not hurt the server', async () => {
  for (const garbage of ['\x00\x01\x02garbage\r\n\r\n', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nnot-a-frame-at-all', 'GET / HTTP/9\r\n\r\n']) {
    await new Promise<void>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => s.write(garbage));
      s.on('data', () => undefined);
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      setTimeout(() => s.destroy(), 300);
    });
  }
  assert.equal((await h1('GET', '/ping')).status, 200);
});

test('the fauna driver (default HTTP/2 client)', async () => {
  const client = new Client({ endpoint: new URL(base), secret: 'secret', query_tags: { t1: 'v1', t2: 'v2' } });
  try {
    const res = await client.query(fql`1 + 1`);
    assert.equal(res.data, 2);
    assert.deepEqual(res.query_tags, { t1: 'v1', t2: 'v2' });
    assert.equal(res.txn_ts, 1710000000123456);
    const echoed = await client.query(fql`${new Date('2023-03-09T17:45:17.520Z')} ${{ '@x': 1.5 }}`);
    const [when, obj] = echoed.data as [unknown, unknown];
    assert.ok(when instanceof TimeStub);
    assert.equal(when.isoString, '2023-03-09T17:45:17.520Z');
    assert.deepEqual(obj, { '@x': 1.5 });
    await assert.rejects(client.query(fql`abort("oops")`), (e: unknown) => e instanceof AbortError && e.abort === 'oops');
    await assert.rejects(client.query(fql`boom`), ServiceInternalError);
    await assert.rejects(client.query(fql`1`, { format: 'tagged', query_timeout_ms: 0 }), InvalidRequestError);
  } finally {
    client.close();
  }
  const bad = new Client({ endpoint: new URL(base), secret: 'wrong' });
  try {
    await assert.rejects(bad.query(fql`1`), AuthenticationError);
  } finally {
    bad.close();
  }
});

test('the fauna driver over FetchClient (HTTP/1.1)', async () => {
  const http = new FetchClient({ url: base, http2_session_idle_ms: 5000, http2_max_streams: 100, fetch_keepalive: false });
  const client = new Client({ endpoint: new URL(base), secret: 'secret' }, http);
  try {
    const res = await client.query(fql`1 + 1`);
    assert.equal(res.data, 2);
    await assert.rejects(client.query(fql`abort("x")`), AbortError);
  } finally {
    client.close();
  }
});
