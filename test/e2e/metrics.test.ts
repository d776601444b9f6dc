// GET /metrics through the real server: Prometheus text with exact counts of what the `fauna`
// driver and raw v4/schema requests did, root-only access (or public with --public-metrics),
// and the JSON history the dashboard reads. Error codes are Fauna's: `abort` for abort()
// (core fql2 AbortSpec; test/e2e/protocol.test.ts), `unauthorized` for an unknown secret
// (core FQL2Endpoint), `transaction aborted` for v4 Abort (core fql1 error codes; fql-v4.md §1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, AuthenticationError, type Client, type QueryStats, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

type Labels = Record<string, string>;
interface Sample { readonly name: string; readonly labels: Labels; readonly value: number }

/** The samples of a Prometheus text exposition (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `malformed line: ${line}`);
    const labels: Labels = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample named `name` with exactly `labels`; undefined when absent. */
function valueOf(samples: readonly Sample[], name: string, labels: Labels = {}): number | undefined {
  const keys = Object.keys(labels);
  const hits = samples.filter((s) => s.name === name && Object.keys(s.labels).length === keys.length
    && keys.every((k) => s.labels[k] === labels[k]));
  assert.ok(hits.length <= 1, `${name} ${JSON.stringify(labels)} appears ${hits.length} times`);
  return hits[0]?.value;
}

async function get(server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(server.url + path, { method, headers });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

const ROOT = { authorization: 'Bearer secret' };
const UNAUTHORIZED_TEXT = 'Unauthorized: /metrics needs the root secret (Authorization: Bearer <root secret>).\n';

/** Stats of a query, from its success or its failure. */
async function statsOf(p: Promise<{ stats?: QueryStats }>): Promise<QueryStats> {
  try {
    return (await p).stats!;
  } catch (e) {
    if (e instanceof AbortError) return e.queryInfo!.stats!;
    throw e;
  }
}

async function v4(server: TestServer, body: string): Promise<{ status: number; ops: [number, number, number] }> {
  const r = await fetch(`${server.url}/`, { method: 'POST', headers: { ...ROOT, 'x-faunadb-api-version': '4' }, body });
  await r.text();
  const n = (h: string): number => Number(r.headers.get(h));
  return { status: r.status, ops: [n('x-compute-ops'), n('x-byte-read-ops'), n('x-byte-write-ops')] };
}

/** Waits for the start of the next 10-second history bucket. */
async function nextBucket(): Promise<void> {
  await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));
}

describe('/metrics', () => {
  let server: TestServer;
  let client: Client;
  let adminSecret: string;
  /** compute, read, write ops of every query run so far (driver stats and v4 headers). */
  const ops = [0, 0, 0];
  const add = (s: QueryStats): void => {
    ops[0] += s.compute_ops;
    ops[1] += s.read_ops;
    ops[2] += s.write_ops;
  };

  before(async () => {
    server = await startServer();
    client = server.client();
    // /query/1: 3 × 200, 1 × 400 abort, 1 × 401 unauthorized.
    add(await statsOf(client.query(fql`Key.create({ role: "admin" })`).then((r) => {
      adminSecret = (r.data as { secret: string }).secret;
      return r;
    })));
    add(await statsOf(client.query(fql`1 + 1`)));
    add(await statsOf(client.query(fql`[1, 2, 3].map(x => x * 2)`)));
    add(await statsOf(client.query(fql`abort("boom")`)));
    await assert.rejects(server.client({ secret: 'not-a-secret' }).query(fql`1`), AuthenticationError);
    // v4: 1 × 200, 1 × 400 transaction aborted.
    for (const [body, status] of [['{"add":[1,2]}', 200], ['{"abort":"stop"}', 400]] as const) {
      const r = await v4(server, body);
      assert.equal(r.status, status);
      for (let i = 0; i < 3; i++) ops[i] += r.ops[i];
    }
    // The schema API: 1 × 200.
    assert.equal((await get(server, '/schema/1/files', ROOT)).status, 200);
  });
  after(async () => { await server?.dispose(); });

  it('counts requests, errors, latency and ops in Prometheus text with the root secret', async () => {
    const r = await get(server, '/metrics', ROOT);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const m = parseMetrics(r.text);
    const expected: [string, Labels, number][] = [
      ['fql_requests_total', { route: '/query/1', status: '200' }, 3],
      ['fql_requests_total', { route: '/query/1', status: '400' }, 1],
      ['fql_requests_total', { route: '/query/1', status: '401' }, 1],
      ['fql_requests_total', { route: '/', status: '200' }, 1],
      ['fql_requests_total', { route: '/', status: '400' }, 1],
      ['fql_requests_total', { route: '/schema/1', status: '200' }, 1],
      ['fql_query_errors_total', { route: '/query/1', code: 'abort' }, 1],
      ['fql_query_errors_total', { route: '/query/1', code: 'unauthorized' }, 1],
      ['fql_query_errors_total', { route: '/', code: 'transaction aborted' }, 1],
      ['fql_request_duration_seconds_count', { route: '/query/1' }, 5],
      ['fql_request_duration_seconds_bucket', { route: '/query/1', le: '+Inf' }, 5],
      ['fql_request_duration_seconds_count', { route: '/' }, 2],
      ['fql_request_duration_seconds_count', { route: '/schema/1' }, 1],
      ['fql_compute_ops_total', {}, ops[0]],
      ['fql_read_ops_total', {}, ops[1]],
      ['fql_write_ops_total', {}, ops[2]],
      ['fql_workers', { state: 'busy' }, 0],
      ['fql_queued_requests', {}, 0],
      ['fql_worker_restarts_total', { reason: 'deadline' }, 0],
      ['fql_worker_restarts_total', { reason: 'crash' }, 0],
      // The three queries that succeeded: each worker handed its commit off; none conflicted
      // (on the embedded engine: on PostgreSQL workers commit on connections of their own).
      ['fql_commit_hand_offs_total', { event: 'handed_off' }, process.env.FQL_TEST_STORAGE === 'postgres' ? 0 : 3],
      ['fql_commit_hand_offs_total', { event: 'run_again' }, 0],
    ];
    for (const [name, labels, value] of expected) assert.equal(valueOf(m, name, labels), value, `${name} ${JSON.stringify(labels)}`);
    // Key.create wrote; `1 + 1` costs a compute op.
    assert.ok(ops[0] >= 4 && ops[2] >= 1, `ops ${ops}`);
    // Only the requests above: nothing else was counted under a route.
    const total = m.filter((s) => s.name === 'fql_requests_total').reduce((n, s) => n + s.value, 0);
    assert.equal(total, 8);
    // Buckets are cumulative and end at the count.
    const buckets = m.filter((s) => s.name === 'fql_request_duration_seconds_bucket' && s.labels.route === '/query/1').map((s) => s.value);
    assert.deepEqual([...buckets].sort((a, b) => a - b), buckets);
    assert.ok(valueOf(m, 'fql_request_duration_seconds_sum', { route: '/query/1' })! > 0);
    assert.ok(valueOf(m, 'fql_workers', { state: 'idle' })! >= 1);
    assert.ok(valueOf(m, 'fql_open_connections')! >= 1);
    assert.ok(valueOf(m, 'fql_storage_bytes')! > 0);
    // Process metrics (prom-client's defaults).
    assert.ok(valueOf(m, 'process_cpu_user_seconds_total')! > 0);
    assert.ok(valueOf(m, 'nodejs_heap_size_used_bytes')! > 0);

    // Scrapes are not counted themselves.
    const again = parseMetrics((await get(server, '/metrics', ROOT)).text);
    assert.equal(again.filter((s) => s.name === 'fql_requests_total').reduce((n, s) => n + s.value, 0), 8);
  });

  it('refuses requests without the root secret with 401 and a plain body', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${adminSecret}` },
      // A root secret scoped to a role is not the root secret.
      { authorization: 'Bearer secret:admin' },
      // Bearer only.
      { authorization: `Basic ${Buffer.from('secret:').toString('base64')}` },
    ]) {
      for (const path of ['/metrics', '/metrics?format=json']) {
        const r = await get(server, path, headers);
        assert.equal(r.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        assert.equal(r.text, UNAUTHORIZED_TEXT);
      }
    }
  });

  it('answers GET and HEAD only, and rejects unknown formats', async () => {
    const post = await get(server, '/metrics', ROOT, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal(post.text, 'Method POST is not allowed for /metrics.\n');
    const head = await get(server, '/metrics', ROOT, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const bad = await get(server, '/metrics?format=xml', ROOT);
    assert.equal(bad.status, 400);
    assert.equal(bad.text, 'Unknown format: use format=json, format=prometheus or none.\n');
  });

  it('gives the last hour as JSON in 10-second buckets, the current one counting its queries', async () => {
    // Three queries alone in a bucket: two answered, one failing with `abort`.
    await nextBucket();
    const bucket = Math.floor(Date.now() / 10_000) * 10_000;
    const s1 = await statsOf(client.query(fql`1 + 1`));
    const s2 = await statsOf(client.query(fql`"a" + "b"`));
    const s3 = await statsOf(client.query(fql`abort(0)`));
    const r = await get(server, '/metrics?format=json', ROOT);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
    const json = JSON.parse(r.text) as { interval_s: number; points: Record<string, any>[] };
    assert.deepEqual(Object.keys(json), ['interval_s', 'points']);
    assert.equal(json.interval_s, 10);
    assert.ok(json.points.length >= 1 && json.points.length <= 360);
    for (const [i, p] of json.points.entries()) {
      assert.deepEqual(Object.keys(p), ['t', 'queries', 'qps', 'p50_ms', 'p95_ms', 'p99_ms', 'errors', 'compute_ops', 'read_ops', 'write_ops', 'storage_bytes']);
      assert.equal(p.t % 10_000, 0);
      if (i > 0) assert.equal(p.t, json.points[i - 1].t + 10_000);
      assert.ok(p.p50_ms <= p.p95_ms && p.p95_ms <= p.p99_ms, JSON.stringify(p));
      assert.ok(p.storage_bytes > 0);
    }
    const cur = json.points.at(-1)!;
    assert.equal(cur.t, bucket);
    assert.equal(cur.queries, 3);
    assert.deepEqual(cur.errors, { abort: 1 });
    assert.equal(cur.compute_ops, s1.compute_ops + s2.compute_ops + s3.compute_ops);
    assert.equal(cur.read_ops, s1.read_ops + s2.read_ops + s3.read_ops);
    assert.equal(cur.write_ops, s1.write_ops + s2.write_ops + s3.write_ops);
    assert.ok(cur.p50_ms > 0 && cur.qps > 0);
    // Over all points: the 5 + 2 queries of `before` too (/query/1 and v4; not the schema API).
    const sum = (k: string): number => json.points.reduce((n, p) => n + p[k], 0);
    assert.equal(sum('queries'), 10);
    assert.equal(sum('compute_ops'), ops[0] + cur.compute_ops);
    const errors: Record<string, number> = {};
    for (const p of json.points) for (const [code, n] of Object.entries(p.errors as Record<string, number>)) errors[code] = (errors[code] ?? 0) + n;
    assert.deepEqual(errors, { abort: 2, unauthorized: 1, 'transaction aborted': 1 });
  });
});

describe('/metrics with --public-metrics (queries in the main thread)', () => {
  let server: TestServer;
  before(async () => { server = await startServer({ args: ['--public-metrics', '--workers', '0'] }); });
  after(async () => { await server?.dispose(); });

  it('needs no secret', async () => {
    await server.client().query(fql`1 + 1`);
    const r = await get(server, '/metrics');
    assert.equal(r.status, 200);
    const m = parseMetrics(r.text);
    assert.equal(valueOf(m, 'fql_requests_total', { route: '/query/1', status: '200' }), 1);
    assert.equal(valueOf(m, 'fql_compute_ops_total'), 1);
    // No worker pool, no pool metrics.
    assert.equal(m.some((s) => s.name.startsWith('fql_worker')), false);
    const j = await get(server, '/metrics?format=json', { authorization: 'Bearer wrong' });
    assert.equal(j.status, 200);
    assert.equal((JSON.parse(j.text) as { points: { queries: number }[] }).points.reduce((n, p) => n + p.queries, 0), 1);
  });
});
