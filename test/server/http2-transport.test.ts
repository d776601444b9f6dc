// What HTTP/2 clients get from the listener (Node's compatibility API today: lib/internal/http2/
// compat.js, onServerStream and Http2ServerResponse), pinned so that a move to the core stream
// API (issue 12; tried in commit d5f395f) must keep it: CONNECT 405, Expect handling, HEAD,
// the request as handlers see it, lowercase response headers with a date, and clients
// resetting streaming responses with any code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import type { Handler, ServerRequest, ServerResponse } from '../../src/server/http-types';
import { type RunningServer, listen } from '../../src/server/listen';

const seen: ServerRequest[] = [];
let streamEnded: (() => void) | undefined;
let openWhenHandled = false;

const handler: Handler = async (req): Promise<ServerResponse> => {
  seen.push(req);
  openWhenHandled = !req.closed;
  if (req.path === '/stream') {
    const signal = req.signal;
    async function* events(): AsyncGenerator<string> {
      try {
        for (let i = 0; !signal.aborted; i++) {
          yield `event ${i}\n`;
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        streamEnded?.();
      }
    }
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: events() };
  }
  const body = await req.body();
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'X-Echo': req.method }, body: `${req.method} ${req.path} ${req.query.get('a')} ${body.toString()}` };
};

let server: RunningServer;
let base: string;
let session: http2.ClientHttp2Session;

before(async () => {
  server = await listen(handler, { port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
  session = http2.connect(base);
});

after(async () => {
  session.close();
  await server.close(1000);
});

interface Answer { status: number; headers: http2.IncomingHttpHeaders; body: string; continued: boolean }

function request(headers: http2.OutgoingHttpHeaders, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    let continued = false;
    let got: http2.IncomingHttpHeaders = {};
    req.on('continue', () => { continued = true; });
    req.on('response', (h) => { got = h; });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ status: Number(got[':status']), headers: got, body: Buffer.concat(chunks).toString(), continued }));
    req.on('error', reject);
    req.end(body);
  });
}

test('a request as handlers see it, and its answer', async () => {
  seen.length = 0;
  const r = await request({ ':method': 'POST', ':path': '/echo?a=1', 'x-two': ['a', 'b'] }, 'hi');
  assert.equal(r.status, 200);
  assert.equal(r.body, 'POST /echo 1 hi');
  assert.equal(r.headers['content-type'], 'text/plain');
  assert.equal(r.headers['x-echo'], 'POST');
  assert.equal(r.headers['content-length'], '15');
  assert.equal(typeof r.headers.date, 'string');
  const req = seen[0];
  assert.equal(req.httpVersion, '2.0');
  assert.equal(req.remoteAddress, '127.0.0.1');
  assert.equal(req.headers['x-two'], 'a, b');
  assert.equal(req.headers[':path'], undefined);
  assert.equal(openWhenHandled, true);
  assert.equal(req.closed, true); // answered: the stream is over
});

test('HEAD gets the headers of GET and no body', async () => {
  const r = await request({ ':method': 'HEAD', ':path': '/echo' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-length'], '16'); // 'HEAD /echo null '
  assert.equal(r.body, '');
});

test('Expect: 100-continue gets an interim 100, then the answer', async () => {
  const r = await request({ ':method': 'POST', ':path': '/echo', expect: '100-continue' }, 'body');
  assert.equal(r.continued, true);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'POST /echo null body');
});

test('other expectations get 417 and CONNECT 405, without reaching the handler', async () => {
  seen.length = 0;
  const e = await request({ ':method': 'POST', ':path': '/echo', expect: 'something-else' }, 'body');
  assert.equal(e.status, 417);
  assert.equal(e.body, '');
  const c = await request({ ':method': 'CONNECT', ':authority': 'example.com:443' });
  assert.equal(c.status, 405);
  assert.equal(c.body, '');
  assert.equal(seen.length, 0);
});

test('a client resetting a streaming response (any code) stops it; the server keeps serving', async () => {
  for (const code of [http2.constants.NGHTTP2_CANCEL, http2.constants.NGHTTP2_INTERNAL_ERROR]) {
    seen.length = 0;
    const ended = new Promise<void>((r) => { streamEnded = r; });
    const req = session.request({ ':method': 'GET', ':path': '/stream' });
    req.on('error', () => undefined);
    await new Promise<void>((r) => req.once('data', () => r()));
    req.close(code);
    await ended;
    assert.equal(seen[0].closed, true);
    assert.equal(seen[0].signal.aborted, true);
  }
  const r = await request({ ':method': 'GET', ':path': '/echo' });
  assert.equal(r.status, 200);
});
