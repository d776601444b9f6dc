// Denial of service peculiar to PostgreSQL storage, where stateless server processes share one
// database. Runs when FQL_TEST_PG is set (a server on a fresh database of that cluster).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fql } from 'fauna';
import { freshPgDatabase, startServer, type TestServer } from '../helpers/server';
import { WRITER_HOLD_MS } from '../../src/storage/postgres/sql';

const PG = process.env.FQL_TEST_PG;

/** A raw /query/1 request from another loopback address, so the server sees another client. */
function hostile(url: string, query: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const u = new URL(`${url}/query/1`);
  const payload = Buffer.from(JSON.stringify({ query }));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', localAddress: '127.0.0.2', agent: false,
      headers: { authorization: 'Bearer secret', 'content-length': String(payload.length), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// Once, in the first pass: it starts its own server on PostgreSQL.
const skip = !PG ? 'FQL_TEST_PG is not set' : process.env.FQL_TEST_STORAGE === 'postgres' ? 'ran in the first pass' : false;

describe('postgres: one client cannot stall the writers of every process', { skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ storage: await freshPgDatabase(PG!) });
    await server.client().query(fql`Collection.create({ name: "K" })`);
  });
  after(async () => {
    await server?.dispose();
  });

  it('a query that writes and then runs until its deadline holds other writers for WRITER_HOLD_MS at most', async () => {
    // Writes (so it registers as a writer in flight), then backtracks until its 20 s deadline.
    const slow = hostile(server.url, 'K.create({ x: 1 }); "😀aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!".matches("(a+)+$")', { 'x-query-timeout-ms': '20000' });
    await new Promise((r) => setTimeout(r, 500));
    const innocent = server.client();
    const started = performance.now();
    await innocent.query(fql`K.create({ y: 1 })`, { query_timeout_ms: 30_000 });
    const first = performance.now() - started;
    assert.ok(first < WRITER_HOLD_MS + 2_000, `the innocent write took ${Math.round(first)} ms`);
    // Once the slow writer is evicted, nothing waits for it any more.
    const again = performance.now();
    await innocent.query(fql`K.create({ y: 2 })`);
    assert.ok(performance.now() - again < 1_000);
    const s = await slow;
    assert.equal(s.body.error.code, 'time_out', JSON.stringify(s.body));
    // The slow query's write was never applied.
    assert.equal((await innocent.query(fql`K.where(.x == 1).count()`)).data, 0);
  });
});
