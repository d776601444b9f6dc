// Work the coordinator (the main thread: transport, authentication, storage) does on a client's
// behalf must stay small whatever the client sends, since every other client waits while it
// runs (README "Query isolation"). Each test here has one client make the coordinator work for
// it while the test pings the server, and asserts that /ping kept answering.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
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

/** The server process's resident memory (MiB). */
function rssMib(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Opens an event stream from `localAddress` and never reads it: its events pile up in the server. */
function stalledStream(url: string, localAddress: string, token: string): Promise<http.IncomingMessage> {
  const u = new URL(`${url}/stream/1`);
  const body = JSON.stringify({ token });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false, localAddress,
      headers: { authorization: 'Bearer secret', 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => { res.pause(); resolve(res); });
    req.on('error', reject);
    req.end(body);
  });
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
    const v4Deep = await post('/stream', deep(30_000));
    const slowest = await ping.stop();
    assert.ok(slowest < 1000, `a ping waited ${slowest.toFixed(0)} ms`);
    assert.deepEqual(streamBody, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: JSON exceeds nesting limit' } } });
    assert.deepEqual(feedBody, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: JSON exceeds nesting limit' } } });
    // A token that is no event source gets the same 400 before authentication wherever it is decoded.
    assert.deepEqual(streamToken, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: invalid event source provided' } } });
    assert.deepEqual(feedToken, { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request body: invalid event source provided.' } } });
    // v4 /stream bodies past 64 KiB are refused by their size; smaller ones are checked for
    // nesting as v4 /query bodies are (src/v4/endpoint.ts).
    assert.deepEqual(v4, { status: 413, body: { errors: [{ position: [], code: 'request entity too large', description: 'A stream expression may be 65536 bytes at most.' }] } });
    assert.deepEqual(v4Deep, { status: 400, body: { errors: [{ position: [], code: 'invalid expression', description: 'JSON exceeds nesting limit of 1000.' }] } });
  });

  // A stream holds up to 4 MiB of events for a client that does not read (stream_overflow
  // past it), but nothing bounded all streams together: 20,000 streams (1,000 per address)
  // could hold 80 GiB of the coordinator's memory. They now share 256 MiB, past which the
  // streams holding the most end with stream_overflow.
  it('event streams whose clients do not read hold a bounded amount of memory in all', async () => {
    const admin = client();
    await admin.query(fql`Collection.create({ name: "Big" })`);
    const { token } = (await admin.query<{ token: string }>(fql`Big.all().eventSource()`)).data;
    const streams: http.IncomingMessage[] = [];
    for (let i = 0; i < 100; i++) streams.push(await stalledStream(server.url, `127.0.0.${10 + (i % 2)}`, token));
    assert.ok(streams.every((r) => r.statusCode === 200));
    const before = rssMib(server.proc.pid!);
    // A document of 1 MiB, whose event fills each stalled client's socket, then one of 3.5 MiB,
    // whose event each stream queues: under a stream's own bound, 350 MiB in all.
    await admin.query(fql`
      let s = "0123456789abcdef"
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      Big.create({ s: s }).id`);
    await new Promise((r) => setTimeout(r, 2000));
    await admin.query(fql`
      let s = "0123456789abcdef"
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      let half = s + s + s + s + s + s + s + s
      let s = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
      Big.create({ s: s + s + s + half }).id`);
    // Let every stream's job run and queue its event.
    let open = 100;
    for (let waited = 0; waited < 30_000; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
      open = Number(/^fql_event_streams (\d+)/m.exec(metrics)![1]);
      if (open <= 75) break;
    }
    const grown = rssMib(server.proc.pid!) - before;
    for (const r of streams) r.destroy();
    console.log(`streams still open: ${open}; server memory grew by ${grown.toFixed(0)} MiB`);
    // 256 MiB hold the queues of 73 streams; the others were ended.
    assert.ok(open <= 75, `${open} stalled streams are still open`);
  });
});
