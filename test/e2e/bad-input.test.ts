// Bad input never crashes the server or changes data: random bytes on the socket, malformed and
// hostile JSON, deep nesting, huge strings and bodies, random FQL. Each gets a clear error and
// the server keeps serving.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { connect as h2connect } from 'node:http2';
import { randomBytes } from 'node:crypto';
import { fql } from 'fauna';
import { rawQuery, startServer, TestServer } from '../helpers/server';
import { rng } from '../helpers/random';

describe('bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await server.client().query(fql`Collection.create({ name: "Guard" })`);
    await server.client().query(fql`Guard.create({ id: "1", v: 1 })`);
  });
  after(async () => { await server?.dispose(); });

  const stillServing = async () => {
    const r = await rawQuery(server.url, { query: 'Guard.byId("1")!.v + 1' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data, 2);
  };

  it('survives random bytes and HTTP/2 garbage on the socket', async () => {
    const rand = rng(1);
    for (let i = 0; i < 30; i++) {
      const prefix = i % 3 === 0 ? 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' : i % 3 === 1 ? 'POST /query/1 HTTP/1.1\r\n' : '';
      await new Promise<void>((res) => {
        const sock = connect(server.port, '127.0.0.1', () => {
          sock.write(Buffer.concat([Buffer.from(prefix), randomBytes(1 + Math.floor(rand() * 4096))]));
          setTimeout(() => sock.destroy(), 20);
        });
        sock.on('error', () => res());
        sock.on('close', () => res());
      });
    }
    await stillServing();
  });

  it('answers malformed and hostile JSON with 400 invalid_request', async () => {
    const bodies = [
      '', '{', '{"query":', '[]', 'null', '42', '"{}"', '{"query": 5}', '{"query": null}',
      '{"query": {"fql": [{"nope": 1}]}}', '{"query": {"fql": [{"value": {"@int": "x"}}]}}',
      '{"query": "1", "arguments": []}', '{"query": "1", "arguments": {"a": {"@time": "yesterday"}}}',
      '\u0000\u0001\u0002', '{"query":"1"}garbage',
      '[' .repeat(100_000) + ']'.repeat(100_000),
      '{"query":' + '{"fql":['.repeat(5000) + '"1"' + ']}'.repeat(5000) + '}',
    ];
    for (const body of bodies) {
      const r = await rawQuery(server.url, body, { 'x-format': 'tagged' });
      assert.ok(r.status === 400, `${body.slice(0, 60)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      assert.ok(r.body.error.code === 'invalid_request' || r.body.error.code === 'invalid_query', JSON.stringify(r.body).slice(0, 200));
      assert.equal(typeof r.body.error.message, 'string');
    }
    await stillServing();
  });

  it('refuses deeply nested FQL with an error, not a crash', async () => {
    for (const q of ['['.repeat(50_000) + ']'.repeat(50_000), '('.repeat(50_000) + '1' + ')'.repeat(50_000), '-'.repeat(100_000) + '1']) {
      const r = await rawQuery(server.url, { query: q });
      assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 300));
      assert.ok(['invalid_query', 'stack_overflow'].includes(r.body.error.code), r.body.error.code);
    }
    const nested = await rawQuery(server.url, { query: 'Set.sequence(0, 3000).fold([], (acc, _) => [acc])' });
    assert.ok([200, 400].includes(nested.status), JSON.stringify(nested.body).slice(0, 300));
    await stillServing();
  });

  it('refuses FQL v4 JSON nested deeper than 1000 with 400, without crashing a worker', async () => {
    // /query/1 caps nesting at Jackson's default (StreamReadConstraints, 1000), as core's reader
    // does; v4 bodies went to JSON.parse uncapped, and evaluating a 10,000-deep `Add` overflowed
    // the worker's stack: the worker died and the client got "exceeded the memory available".
    const v4 = async (body: string) => {
      const r = await fetch(`${server.url}/`, { method: 'POST', headers: { authorization: 'Bearer secret' }, body });
      return { status: r.status, body: await r.json() as any };
    };
    const crashes = async () => Number(/fql_worker_restarts_total\{reason="crash"\} (\d+)/.exec(
      await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text())![1]);
    const before = await crashes();
    // Each `{"add":[` opens two levels: 500 of them nest exactly 1000 deep.
    const nestedAdd = (n: number) => '{"add":['.repeat(n) + '1' + ',1]}'.repeat(n);
    assert.deepEqual(await v4(nestedAdd(500)), { status: 200, body: { resource: 501 } });
    const refused = { status: 400, body: { errors: [{ position: [], code: 'invalid expression', description: 'JSON exceeds nesting limit of 1000.' }] } };
    assert.deepEqual(await v4(nestedAdd(501)), refused);
    assert.deepEqual(await v4(nestedAdd(10_000)), refused);
    assert.deepEqual(await v4('['.repeat(100_000) + ']'.repeat(100_000)), refused);
    // Brackets inside strings do not count.
    assert.deepEqual(await v4(JSON.stringify({ concat: ['['.repeat(5000), '{\\"'] })), { status: 200, body: { resource: '['.repeat(5000) + '{\\"' } });
    assert.equal(await crashes(), before);
    await stillServing();
  });

  it('handles huge strings and refuses bodies over 8 MiB with 413', async () => {
    const big = 'x'.repeat(6 * 1024 * 1024);
    const r = await rawQuery(server.url, { query: `"${big}".length` });
    assert.equal(r.status, 200);
    assert.equal(r.body.data, big.length);
    const tooBig = await rawQuery(server.url, { query: `"${'y'.repeat(9 * 1024 * 1024)}"` });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'request_size_exceeded');
    await stillServing();
  });

  it('answers random FQL text with query errors and changes nothing', async () => {
    const rand = rng(7);
    const alphabet = 'abcdefgxyz_019 .,;:!?()[]{}"\'#+-*/%<>=&|^~@$\n\t\\Guard';
    for (let i = 0; i < 300; i++) {
      let q = '';
      const n = 1 + Math.floor(rand() * 40);
      for (let j = 0; j < n; j++) q += alphabet[Math.floor(rand() * alphabet.length)];
      const r = await rawQuery(server.url, { query: q });
      assert.ok(r.status === 200 || r.status === 400, `seed 7 case ${i}: ${JSON.stringify(q)} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      if (r.status === 400) assert.equal(typeof r.body.error.code, 'string');
    }
    const count = await rawQuery(server.url, { query: 'Guard.all().count()' });
    assert.equal(count.body.data, 1);
    await stillServing();
  });

  it('rejects wrong secrets and bad auth headers with 401', async () => {
    for (const auth of ['Bearer', 'Bearer ', 'Basic !!!', 'Bearer secret:nope:admin', 'Token secret', 'Bearer ' + 'z'.repeat(10_000)]) {
      const r = await rawQuery(server.url, { query: 'Guard.all().count()' }, { authorization: auth });
      assert.equal(r.status, 401, `${auth.slice(0, 30)} → ${r.status}`);
      assert.equal(r.body.error.code, 'unauthorized');
    }
    await stillServing();
  });

  it('keeps serving HTTP/2 streams after a client resets them', async () => {
    const session = h2connect(server.url);
    for (let i = 0; i < 20; i++) {
      const req = session.request({ ':method': 'POST', ':path': '/query/1', authorization: 'Bearer secret' });
      req.on('error', () => {});
      req.write('{"query": "Set.sequence(0, 1000).toArray().length"');
      req.close(0x8);
    }
    await new Promise((r) => setTimeout(r, 100));
    session.close();
    await stillServing();
  });
});
