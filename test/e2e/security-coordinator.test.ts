// Work the coordinator (the main thread: transport, authentication, storage) does on a client's
// behalf must stay small whatever the client sends, since every other client waits while it
// runs (README "Query isolation"). Each test here has one client make the coordinator work for
// it while the test pings the server, and asserts that /ping kept answering.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

/** Pings the server every 10 ms until stopped; resolves with the slowest answer (ms). */
function pinger(url: string): { stop: () => Promise<number> } {
  let stopped = false;
  let slowest = 0;
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      await fetch(`${url}/ping`);
      slowest = Math.max(slowest, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { stop: async () => { stopped = true; await loop; return slowest; } };
}

describe('the coordinator does bounded work for each client', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const client = (): Client => {
    const c = new Client({ endpoint: new URL(server.url), secret: 'secret', query_timeout_ms: 120_000 });
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.dispose();
  });

  it('validating a long reader that scanned many ranges does not stall the server while others commit', async () => {
    const admin = client();
    await admin.query(fql`Collection.create({ name: "R", indexes: { byX: { terms: [{ field: ".x" }] } } })`);
    await admin.query(fql`Collection.create({ name: "W" })`);
    // Other clients commit while the reader runs: each commit is one record its reads are
    // validated against (src/storage/sqlite/commit-log.ts), on the coordinator's thread.
    let stop = false;
    let commits = 0;
    const writers = Array.from({ length: 4 }, async () => {
      const w = client();
      while (!stop) {
        await w.query(fql`W.create({ x: 1 })`);
        commits++;
      }
    });
    const ping = pinger(server.url);
    // 100,000 index lookups (one range read each), then a few seconds of string work while
    // the commits pile up; its transaction then commits (is validated) on the coordinator.
    const reader = await client().query<number>(fql`
      let b = "abcdefgh"
      let b = b + b + b + b + b + b + b + b
      let b = b + b + b + b + b + b + b + b
      let b = b + b + b + b + b + b + b + b
      let b = b + b + b + b + b + b + b + b
      let big = b + b + b + b + b + b + b + b
      let misses = Set.sequence(0, 100000).fold(0, (n, i) => if (R.byX(i).first() == null) n + 1 else n)
      let burnt = Set.sequence(0, 2000).fold(0, (n, i) => n + big.toUpperCase().length)
      misses + burnt`);
    const slowest = await ping.stop();
    stop = true;
    await Promise.all(writers);
    assert.equal(reader.data, 100_000 + 2000 * 262_144);
    console.log(`commits meanwhile: ${commits}; slowest ping ${slowest.toFixed(0)} ms`);
    assert.ok(commits > 200, `only ${commits} commits ran meanwhile`);
    assert.ok(slowest < 1000, `a ping waited ${slowest.toFixed(0)} ms`);
  });

  // Event requests are validated on the coordinator, before authentication (core
  // StreamRequest/FeedRequest; spec streams-feeds.md §6.2). Parsing JSON nested millions deep
  // took it seconds per request, from a client holding no valid secret. Like /query/1 bodies
  // (Jackson's StreamReadConstraints in core, MAX_JSON_DEPTH here) they are refused past 1000.
  it('deeply nested event requests from a client without a valid secret are refused at once', async () => {
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    const post = async (path: string, body: string): Promise<{ status: number; body: any }> => {
      const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer nobody' }, body });
      return { status: r.status, body: await r.json() };
    };
    const ping = pinger(server.url);
    const streamBody = await post('/stream/1', `{"token":"x","junk":${deep(3_000_000)}}`);
    const feedBody = await post('/feed/1', `{"token":"x","junk":${deep(3_000_000)}}`);
    // A token is base64url JSON (src/streams/token.ts): its content is decoded where queries
    // run, not on the coordinator. This one is cut short, so it is no token at all.
    const token = Buffer.from(`{"k":"fqles1","start":"1","set":${deep(3_000_000)}`).toString('base64url');
    const streamToken = await post('/stream/1', JSON.stringify({ token }));
    const feedToken = await post('/feed/1', JSON.stringify({ token }));
    const v4 = await post('/stream', deep(3_500_000));
    const slowest = await ping.stop();
    assert.ok(slowest < 1000, `a ping waited ${slowest.toFixed(0)} ms`);
    assert.deepEqual(streamBody, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: JSON exceeds nesting limit' } } });
    assert.deepEqual(feedBody, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: JSON exceeds nesting limit' } } });
    // A token that is no event source gets the same 400 before authentication wherever it is decoded.
    assert.deepEqual(streamToken, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: invalid event source provided' } } });
    assert.deepEqual(feedToken, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: invalid event source provided.' } } });
    // v4 /stream bodies as v4 /query bodies (src/v4/endpoint.ts).
    assert.deepEqual(v4, { status: 400, body: { errors: [{ position: [], code: 'invalid expression', description: 'JSON exceeds nesting limit of 1000.' }] } });
  });
});
