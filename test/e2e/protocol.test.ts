// The /query/1 protocol as the official `fauna` driver observes it (spec: wire-protocol.md §1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortError, AuthenticationError, Client, FetchClient, QueryCheckError, QueryRuntimeError,
  QueryTimeoutError, fql,
} from 'fauna';
import { rawQuery, readsMayShareTs, startServer, TestServer } from '../helpers/server';

describe('/query/1 through the fauna driver', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(async () => { await server?.dispose(); });

  it('evaluates 1 + 1 over h2c with every info field', async () => {
    const res = await client.query(fql`1 + 1`);
    assert.equal(res.data, 2);
    assert.equal(res.summary, '');
    assert.equal(typeof res.txn_ts, 'number');
    assert.equal(typeof res.schema_version, 'number');
    for (const k of ['compute_ops', 'read_ops', 'write_ops', 'query_time_ms', 'contention_retries',
      'storage_bytes_read', 'storage_bytes_write', 'rate_limits_hit']) {
      assert.ok(k in (res.stats as object), `stats.${k}`);
    }
  });

  it('works over HTTP/1.1 with the FetchClient', async () => {
    const c = new Client({ endpoint: new URL(server.url), secret: 'secret' },
      new FetchClient({ url: server.url, fetch_keepalive: false } as never));
    try {
      const res = await c.query(fql`"hello" + " " + "world"`);
      assert.equal(res.data, 'hello world');
    } finally { c.close(); }
  });

  it('passes template arguments of every kind', async () => {
    const when = new Date('2023-03-09T17:45:17.520Z');
    const res = await client.query<any>(fql`[${1}, ${2 ** 40}, ${1.5}, ${'s'}, ${true}, ${null}, ${when}, ${{ '@tag': 'x', a: [1] }}]`);
    assert.deepEqual(res.data.slice(0, 6), [1, 2 ** 40, 1.5, 's', true, null]);
    assert.equal((res.data[6] as { isoString: string }).isoString, '2023-03-09T17:45:17.520Z');
    assert.deepEqual(res.data[7], { '@tag': 'x', a: [1] });
  });

  it('round-trips longs and doubles', async () => {
    const res = await client.query<any>(fql`[${2 ** 53 - 1}, 2 * 3.14, 9223372036854775807, 1.0E10]`);
    assert.deepEqual(res.data, [2 ** 53 - 1, 6.28, 9223372036854775807, 1e10]);
  });

  it('echoes query_tags and gives every query its own txn_ts', async () => {
    const a = await client.query(fql`1`, { query_tags: { project: 'teapot', env: 'test' } });
    assert.deepEqual(a.query_tags, { project: 'teapot', env: 'test' });
    const b = await client.query(fql`1`);
    const c = await client.query(fql`1`);
    if (readsMayShareTs()) {
      // Reads never go back in time; a write after them has a later ts than all of them.
      assert.ok(b.txn_ts! >= a.txn_ts! && c.txn_ts! >= b.txn_ts!);
      const w = await client.query(fql`Collection.create({ name: "TsAfterReads" })`);
      assert.ok(w.txn_ts! > c.txn_ts!);
    } else {
      assert.ok(b.txn_ts! > a.txn_ts!);
      assert.ok(c.txn_ts! > b.txn_ts!);
    }
  });

  it('reports abort with its value', async () => {
    await assert.rejects(client.query(fql`abort("oops")`), (e: unknown) => {
      assert.ok(e instanceof AbortError);
      assert.equal(e.httpStatus, 400);
      assert.equal(e.code, 'abort');
      assert.equal(e.abort, 'oops');
      assert.match(e.queryInfo!.summary!, /^error: Query aborted\.\nat \*query\*:1:6/);
      return true;
    });
  });

  it('reports invalid queries as QueryCheckError', async () => {
    await assert.rejects(client.query(fql`happy little fox`), (e: unknown) => {
      assert.ok(e instanceof QueryCheckError);
      assert.equal(e.httpStatus, 400);
      assert.equal(e.code, 'invalid_query');
      assert.ok(e.queryInfo?.summary);
      return true;
    });
  });

  it('reports runtime errors with code and summary', async () => {
    await assert.rejects(client.query(fql`"taco".length + "taco"`), (e: unknown) => {
      assert.ok(e instanceof QueryRuntimeError);
      assert.equal(e.code, 'invalid_argument');
      assert.ok(e.queryInfo?.summary);
      return true;
    });
    await assert.rejects(client.query(fql`1 / 0`), (e: unknown) => {
      assert.ok(e instanceof QueryRuntimeError);
      assert.equal(e.code, 'divide_by_zero');
      assert.equal(e.message, 'Attempted integer division by zero.');
      return true;
    });
  });

  it('answers 401 without a summary for a wrong secret', async () => {
    const bad = server.client({ secret: 'nope' });
    await assert.rejects(bad.query(fql`1`), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.httpStatus, 401);
      assert.equal(e.code, 'unauthorized');
      assert.equal(e.queryInfo?.summary, undefined);
      return true;
    });
  });

  it('times out with 440 for an aggressive deadline and rolls back', async () => {
    await assert.rejects(client.query(fql`Collection.create({ name: "Wah" })`, { query_timeout_ms: 1 }), (e: unknown) => {
      assert.ok(e instanceof QueryTimeoutError);
      assert.equal(e.httpStatus, 440);
      assert.equal(e.code, 'time_out');
      assert.match(e.message, /aggressive deadline/);
      return true;
    });
    const res = await client.query(fql`Collection.byName("Wah").exists()`);
    assert.equal(res.data, false);
  });

  it('serves the three formats', async () => {
    const q = { query: '{ a: 1, b: 2.5, c: Time("2023-01-01T00:00:00Z"), "@d": [1] }' };
    const simple = await rawQuery(server.url, q);
    assert.equal(simple.status, 200);
    assert.deepEqual(simple.body.data, { a: 1, b: 2.5, c: '2023-01-01T00:00:00Z', '@d': [1] });
    const tagged = await rawQuery(server.url, q, { 'x-format': 'tagged' });
    assert.deepEqual(tagged.body.data, {
      '@object': { a: { '@int': '1' }, b: { '@double': '2.5' }, c: { '@time': '2023-01-01T00:00:00Z' }, '@d': [{ '@int': '1' }] },
    });
    const decorated = await rawQuery(server.url, { query: '[1, "x"]' }, { 'x-format': 'decorated' });
    assert.equal(decorated.body.data, '[\n  1,\n  "x"\n]');
  });

  it('accepts plain-string bodies with arguments', async () => {
    const r = await rawQuery(server.url, { query: 'x + 1', arguments: { x: 41 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.data, 42);
  });

  it('rejects bad requests with invalid_request and keeps serving', async () => {
    const cases: [unknown, Record<string, string>, RegExp][] = [
      ['{not json', {}, /^Invalid request body/],
      ['"{}"', {}, /Invalid request body/],
      [{ query: '1' }, { 'x-format': 'yaml' }, /^Invalid header 'x-format'/],
      [{ query: '1' }, { 'x-query-timeout-ms': '0' }, /Must be greater than 0\./],
      [{ query: '1' }, { 'x-typecheck': 'maybe' }, /Must be a boolean value\./],
      [{ query: '1' }, { 'x-max-contention-retries': '9' }, /Must be between 0 and 7\./],
    ];
    for (const [body, headers, msg] of cases) {
      const r = await rawQuery(server.url, body, headers);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_request');
      assert.match(r.body.error.message, msg);
    }
    const ok = await client.query(fql`1 + 2`);
    assert.equal(ok.data, 3);
  });

  it('answers /ping without auth', async () => {
    const r = await fetch(`${server.url}/ping`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { resource: 'Scope write is OK' });
    const h = await fetch(`${server.url}/ping`, { method: 'HEAD' });
    assert.equal(h.status, 200);
  });
});
