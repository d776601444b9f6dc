// Bounds on open event streams (src/streams/stream-hub.ts): each open stream holds memory until
// its client closes it, so one client address may hold at most --max-streams-per-address and the
// server at most --max-streams; past either, opening one more is refused with 429
// limit_exceeded (which the drivers retry with backoff: spec streams-feeds.md §8.3 and
// wire-protocol.md, 429 `limit_exceeded`), and a closed stream gives its place back. The
// refusal comes before any work: no worker job, no token evaluation. /metrics shows open
// streams (`fql_event_streams`) and refusals by bound (`fql_event_streams_refused_total`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { decodeEventSource, encodeEventSource } from '../../src/streams/token';

interface OpenStream { readonly status: number; readonly first: string; close(): void }

/** POST /stream/1 from local address `from`; resolves with the status and the first chunk. */
function openStream(port: number, from: string, token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/stream/1',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
    }, (res) => {
      res.once('data', (chunk: Buffer) => resolve({ status: res.statusCode ?? 0, first: chunk.toString(), close: () => req.destroy() }));
      res.once('error', () => undefined);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ token }));
  });
}

/**
 * `attempt` every 50 ms, at most 50 times, until `done` holds for its result (the last result
 * either way): a closed stream's place comes back once the server has noticed the close.
 */
async function retried<T>(attempt: () => Promise<T>, done: (r: T) => boolean): Promise<T | undefined> {
  let last: T | undefined;
  for (let i = 0; i < 50 && (last === undefined || !done(last)); i++) {
    await new Promise((r) => setTimeout(r, 50));
    last = await attempt();
  }
  return last;
}

describe('event stream limits', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startServer({ args: ['--max-streams', '3', '--max-streams-per-address', '2'] });
    const client = new Client({ endpoint: new URL(server.url), secret: 'secret' });
    await client.query(fql`Collection.create({ name: "Things" })`);
    token = (await client.query<{ token: string }>(fql`Things.all().eventSource()`)).data.token;
    client.close();
  });

  after(async () => {
    await server?.dispose();
  });

  it('refuses streams past the per-address and the total bound, and frees a place when one closes', async () => {
    const a1 = await openStream(server.port, '127.0.0.1', token);
    const a2 = await openStream(server.port, '127.0.0.1', token);
    assert.deepEqual([a1.status, a2.status], [200, 200]);
    assert.match(a1.first, /"type":"status"/);
    const a3 = await openStream(server.port, '127.0.0.1', token);
    assert.equal(a3.status, 429);
    assert.deepEqual(JSON.parse(a3.first).error, {
      code: 'limit_exceeded', message: 'Too many event streams are open from this address. Close some and retry.',
    });
    // Another address has its own share, up to the server's total of 3.
    const b1 = await openStream(server.port, '127.0.0.2', token);
    assert.equal(b1.status, 200);
    const c1 = await openStream(server.port, '127.0.0.3', token);
    assert.equal(c1.status, 429);
    assert.deepEqual(JSON.parse(c1.first).error, { code: 'limit_exceeded', message: 'Too many event streams are open. Retry later.' });
    // Closing one gives its place back (the server notices the reset).
    a1.close();
    const again = await retried(() => openStream(server.port, '127.0.0.1', token), (o) => o.status === 200);
    assert.equal(again?.status, 200);
    // /metrics counts them: three open, one refusal at each bound (more at the per-address one
    // if the retry loop above found the closed stream's place not yet given back).
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
    assert.match(metrics, /^fql_event_streams 3$/m);
    assert.match(metrics, /^fql_event_streams_refused_total\{bound="total"\} 1$/m);
    const byAddress = Number(/^fql_event_streams_refused_total\{bound="address"\} (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(byAddress >= 1, metrics);
    for (const s of [a2, b1, again!]) s.close();
  });
});

// An ended stream holds its place until its response closes, not only until it ends: a client
// that reads nothing (here an HTTP/2 session whose stream windows are shut, so not one byte of a
// body reaches it) could otherwise open stream after stream that ended at once, each holding its
// last events, past --max-streams-per-address (session 15; found by reading stream-hub.ts).
describe('event stream limits: streams that end at once', () => {
  let server: TestServer;
  let live: string;
  let ended: string;

  before(async () => {
    server = await startServer({ args: ['--max-streams-per-address', '2'] });
    const client = new Client({ endpoint: new URL(server.url), secret: 'secret' });
    await client.query(fql`Collection.create({ name: "Brief", history_days: 0 })`);
    const made = await client.query<{ token: string }>(fql`Brief.all().eventSource()`);
    live = made.data.token;
    // As the history-window test of streams.test.ts: a token 20 minutes old asked to start 16
    // minutes back, before a 15-minute window, ends at once with invalid_stream_start_time.
    const minute = 60_000_000n;
    const txnTs = BigInt(made.txn_ts!);
    ended = JSON.stringify({
      token: encodeEventSource({ ...decodeEventSource(live)!, start: txnTs - 20n * minute }),
      start_ts: Number(txnTs - 16n * minute),
    });
    client.close();
  });

  after(async () => {
    await server?.dispose();
  });

  /** POST /stream/1 on `session`; resolves with the status once the headers arrive. */
  function open(session: http2.ClientHttp2Session, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = session.request({
        ':method': 'POST', ':path': '/stream/1', authorization: 'Bearer secret', 'content-type': 'application/json',
      });
      req.on('response', (headers) => resolve(Number(headers[':status'])));
      req.on('error', reject);
      req.end(body);
    });
  }

  it('keeps the places of ended streams whose events are unread until their client leaves', async () => {
    const unread = http2.connect(server.url, { settings: { initialWindowSize: 0 } });
    const reader = http2.connect(server.url);
    try {
      assert.deepEqual([await open(unread, ended), await open(unread, ended)], [200, 200]);
      // Both ended at once, their events unread: the address holds its two places still.
      assert.equal(await open(reader, JSON.stringify({ token: live })), 429);
      unread.destroy();
      assert.equal(await retried(() => open(reader, JSON.stringify({ token: live })), (status) => status === 200), 200);
    } finally {
      unread.destroy();
      reader.destroy();
    }
  });
});
