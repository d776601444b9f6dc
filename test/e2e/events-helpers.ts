// Shared by the event stream and event feed end-to-end suites (streams.test.ts, feeds.test.ts,
// streams-restart.test.ts): driver clients over both fauna-js transports, a consumer that
// collects a driver stream's events without ever awaiting inside its loop (fauna-js' h2 adapter
// drops chunks that arrive while the consumer is busy, spec streams-feeds.md §8.2), raw
// /stream/1 connections over HTTP/1.1 and h2 that check the framing of every line (§6.3), and a
// TCP proxy that can cut every connection to the server (to force reconnects).
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createServer, connect, type Socket } from 'node:net';
import { Client, FetchClient, ServiceError, StreamToken, fql, type Query, type QueryValue, type StreamClient } from 'fauna';
import { after, before } from 'node:test';
import { startServer, type StartOptions, type TestServer } from '../helpers/server';

export type Transport = 'h2' | 'fetch';
export const TRANSPORTS: readonly Transport[] = ['h2', 'fetch'];

/** A query from text (collection names differ per test; `fql` interpolates values only). */
export function q(text: string): Query<any> {
  const parts = Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray;
  return fql(parts);
}

/** Driver clients of one server, closed together. */
export class Drivers {
  private readonly open: Client[] = [];
  constructor(private readonly server: TestServer) {}

  /** A client over fauna-js' Node HTTP/2 client (its default) or its fetch client (HTTP/1.1). */
  client(transport: Transport = 'h2', secret = 'secret', extra: Record<string, unknown> = {}, url = this.server.url): Client {
    const config = { endpoint: new URL(url), secret, query_timeout_ms: 10_000, ...extra };
    const c = transport === 'h2' ? new Client(config) : new Client(config, new FetchClient({ url, fetch_keepalive: false } as never));
    this.open.push(c);
    return c;
  }

  close(): void {
    for (const c of this.open.splice(0)) {
      try { c.close(); } catch { /* already closed */ }
    }
  }
}

/** Runs `query` and returns its event source and the transaction time that is its start. */
/** Creates collections named `<prefix>1`, `<prefix>2`, … through `admin()`; `extra` is more of the definition. */
export function freshCollections(prefix: string, admin: () => Client): (extra?: string) => Promise<string> {
  let count = 0;
  return async (extra = '') => {
    const name = `${prefix}${++count}`;
    await admin().query(q(`Collection.create({ name: "${name}"${extra} })`));
    return name;
  };
}

export async function eventSource(client: Client, query: Query<any>): Promise<{ token: StreamToken; txnTs: number }> {
  const res = await client.query<StreamToken>(query);
  assert.ok(res.data instanceof StreamToken, `expected a StreamToken, got ${JSON.stringify(res.data)}`);
  return { token: res.data, txnTs: res.txn_ts! };
}

/** Transaction time of a query (a write's commit time). */
export async function txn(client: Client, query: Query<any>): Promise<number> {
  return (await client.query(query)).txn_ts!;
}

/** Resolves when `cond()` holds, re-checked whenever `wake` fires; rejects after `ms`. */
class Waiters {
  private readonly fns = new Set<() => void>();
  wake(): void { for (const f of [...this.fns]) f(); }
  until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((res, rej) => {
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        this.fns.delete(check);
        res();
      };
      const timer = setTimeout(() => {
        this.fns.delete(check);
        rej(new Error(`timed out after ${ms} ms waiting for ${what()}`));
      }, ms);
      this.fns.add(check);
    });
  }
}

/** Collects a driver stream's events in the background (the loop body never awaits). */
export class Collector {
  readonly events: any[] = [];
  error: unknown;
  done = false;
  private readonly waiters = new Waiters();

  constructor(readonly stream: StreamClient<any>) {
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      for await (const e of this.stream) {
        this.events.push(e);
        this.waiters.wake();
      }
    } catch (e) {
      this.error = e;
    }
    this.done = true;
    this.waiters.wake();
  }

  private describe(): string {
    return `${this.events.length} events ${JSON.stringify(this.events.map((e) => e.type))}, error ${String(this.error)}`;
  }

  /** The first `n` events; fails if the stream ends or times out first. */
  async take(n: number, ms = 10_000): Promise<any[]> {
    await this.waiters.until(() => this.events.length >= n || this.done, ms, () => `${n} events (have ${this.describe()})`);
    assert.ok(this.events.length >= n, `stream ended before ${n} events: ${this.describe()}`);
    return this.events.slice(0, n);
  }

  /** Waits until `cond(events)` holds; fails if the stream ends or times out first. */
  async until(cond: (events: any[]) => boolean, what: string, ms = 10_000): Promise<any[]> {
    await this.waiters.until(() => cond(this.events) || this.done, ms, () => `${what} (have ${this.describe()})`);
    assert.ok(cond(this.events), `stream ended before ${what}: ${this.describe()}`);
    return this.events;
  }

  /** The error that ended the stream (fails if it does not end within `ms`). */
  async failure(ms = 10_000): Promise<unknown> {
    await this.waiters.until(() => this.done, ms, () => `the stream to end (have ${this.describe()})`);
    return this.error;
  }

  close(): void {
    this.stream.close();
  }
}

/** Opens a driver stream and collects it. */
export function collect(client: Client, token: StreamToken | Query<any>, options: Record<string, unknown> = {}): Collector {
  return new Collector(client.stream(token as never, options));
}

/** Asserts the error is a ServiceError with `code` and `message` (a regexp or exact text). */
export function assertServiceError(e: unknown, code: string, message?: string | RegExp): ServiceError {
  assert.ok(e instanceof ServiceError, `expected a ServiceError ${code}, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Raw /stream/1 connections

export type RawTransport = 'h1' | 'h2';

export interface RawStream {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Parsed body of a non-200 answer. */
  readonly errorBody?: any;
  /** Events received so far (framing checked: JSON + "\r\n" each, never a blank line). */
  events(): any[];
  /** Raw text received so far. */
  text(): string;
  /** The first `n` events. */
  take(n: number, ms?: number): Promise<any[]>;
  /** Resolves when the server ended the response; returns every event. */
  end(ms?: number): Promise<any[]>;
  readonly ended: boolean;
  close(): void;
}

/** Splits what was received into event lines, checking the framing of each complete one. */
function parseLines(text: string): any[] {
  const pieces = text.split('\r\n');
  pieces.pop(); // incomplete remainder (or '' after the last "\r\n")
  return pieces.map((p, i) => {
    assert.ok(p.length > 0, `blank line at ${i} in ${JSON.stringify(text)}`);
    assert.ok(!p.includes('\n') && !p.includes('\r'), `line ${i} is not one JSON object + "\\r\\n": ${JSON.stringify(p)}`);
    return JSON.parse(p);
  });
}

/** POST /stream/1 with `body` (an object, or a string sent as is; undefined = no body). */
export async function rawStream(
  transport: RawTransport, url: string, body: unknown, opts: { secret?: string | null; headers?: Record<string, string> } = {},
): Promise<RawStream> {
  const secret = opts.secret === undefined ? 'secret' : opts.secret;
  const headers: Record<string, string> = { ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...opts.headers };
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  let text = '';
  let ended = false;
  const waiters = new Waiters();
  const received = (chunk: string) => { text += chunk; waiters.wake(); };
  const finished = () => { ended = true; waiters.wake(); };

  let status: number;
  let resHeaders: Record<string, string> = {};
  let close: () => void;
  if (transport === 'h1') {
    const abort = new AbortController();
    const res = await fetch(`${url}/stream/1`, { method: 'POST', headers, body: payload, signal: abort.signal });
    status = res.status;
    res.headers.forEach((v, k) => { resHeaders[k] = v; });
    close = () => abort.abort();
    if (res.body) {
      void (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received(decoder.decode(chunk, { stream: true }));
        } catch { /* closed */ }
        finished();
      })();
    } else finished();
  } else {
    const session = http2.connect(url);
    session.on('error', () => { /* reported through the request */ });
    const req = session.request({ ':method': 'POST', ':path': '/stream/1', ...headers });
    if (payload !== undefined) req.write(payload);
    req.end();
    req.setEncoding('utf8');
    const h = await new Promise<http2.IncomingHttpHeaders>((res, rej) => { req.once('response', res); req.once('error', rej); });
    status = Number(h[':status']);
    resHeaders = Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(':')).map(([k, v]) => [k, String(v)]));
    req.on('data', received);
    req.on('end', () => { finished(); session.close(); });
    req.on('close', finished);
    req.on('error', finished);
    close = () => { req.close(); session.close(); };
  }

  const stream: RawStream = {
    status,
    headers: resHeaders,
    events: () => parseLines(text),
    text: () => text,
    get ended() { return ended; },
    async take(n, ms = 10_000) {
      await waiters.until(() => ended || parseLines(text).length >= n, ms, () => `${n} events, have ${JSON.stringify(text)}`);
      const evs = parseLines(text);
      assert.ok(evs.length >= n, `response ended before ${n} events: ${JSON.stringify(text)}`);
      return evs.slice(0, n);
    },
    async end(ms = 10_000) {
      await waiters.until(() => ended, ms, () => `the response to end, have ${JSON.stringify(text)}`);
      assert.ok(text === '' || text.endsWith('\r\n'), `response ends inside a line: ${JSON.stringify(text)}`);
      return parseLines(text);
    },
    close,
  };
  if (status !== 200) {
    await waiters.until(() => ended, 10_000, () => 'the error body');
    return Object.assign(stream, { errorBody: JSON.parse(text) });
  }
  return stream;
}

/** POST to `path` (HTTP/1.1) and parse the answer. */
export async function post(
  url: string, path: string, body: unknown, opts: { secret?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const secret = opts.secret === undefined ? 'secret' : opts.secret;
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...opts.headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* keep the text */ }
  return { status: r.status, headers: r.headers, body: parsed };
}

/** The error body of an invalid request, exactly. */
export function badRequest(message: string): unknown {
  return { error: { code: 'invalid_request', message } };
}

export const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Invalid token, unable to authenticate request' } };

/** Stats carried by every event and page (spec §5). */
export function assertStats(stats: unknown): void {
  assert.ok(stats && typeof stats === 'object', `no stats: ${JSON.stringify(stats)}`);
  const s = stats as Record<string, unknown>;
  assert.deepEqual(Object.keys(s), ['read_ops', 'storage_bytes_read', 'compute_ops', 'processing_time_ms', 'rate_limits_hit']);
  for (const k of ['read_ops', 'storage_bytes_read', 'compute_ops', 'processing_time_ms']) {
    assert.ok(Number.isInteger(s[k]) && (s[k] as number) >= 0, `${k} = ${JSON.stringify(s[k])}`);
  }
  assert.ok(Array.isArray(s.rate_limits_hit));
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy in front of the server, to drop connections on purpose.

export interface Proxy {
  readonly url: string;
  /** Destroys every open connection (both sides). */
  cut(): void;
  close(): Promise<void>;
}

export async function tcpProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() { for (const s of [...sockets]) s.destroy(); },
    close() {
      for (const s of [...sockets]) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}

/**
 * Follows a source across dropped connections the way an application would with the fetch
 * client (which treats a dropped connection as final, NetworkError): on any failure that is not
 * a service error, reopen the stream from the last cursor received (status events included).
 */
export class ResumingConsumer {
  readonly events: any[] = [];
  cursor: string | undefined;
  reconnects = 0;
  error: unknown;
  private stopped = false;
  private current: StreamClient<any> | undefined;
  private readonly waiters = new Waiters();

  constructor(private readonly open: (cursor: string | undefined) => StreamClient<any>) {
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.current = this.open(this.cursor);
        for await (const e of this.current) {
          this.cursor = e.cursor;
          if (e.type !== 'status') this.events.push(e);
          this.waiters.wake();
        }
      } catch (e) {
        if (e instanceof ServiceError) {
          this.error = e;
          this.waiters.wake();
          return;
        }
      }
      if (this.stopped) return;
      this.reconnects++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async take(n: number, ms = 15_000): Promise<any[]> {
    await this.waiters.until(() => this.events.length >= n || this.error !== undefined, ms,
      () => `${n} events (have ${this.events.length}, ${this.reconnects} reconnects)`);
    assert.equal(this.error, undefined, String(this.error));
    return this.events.slice(0, n);
  }

  stop(): void {
    this.stopped = true;
    this.current?.close();
  }
}

/** Values of a driver's query result as plain data (for `deepEqual`). */
export function plain<T = QueryValue>(v: T): unknown {
  return JSON.parse(JSON.stringify(v));
}

/**
 * A suite's server: started before its tests with driver clients over both transports, stopped
 * after them. `use` receives them once started (the suite keeps them in its own variables).
 */
export function useEventsServer(use: (s: { server: TestServer; drivers: Drivers; admin: Client }) => void, opts?: StartOptions): void {
  let server: TestServer | undefined;
  let drivers: Drivers | undefined;
  before(async () => {
    server = await startServer(opts);
    drivers = new Drivers(server);
    use({ server, drivers, admin: drivers.client() });
  });
  after(async () => {
    drivers?.close();
    await server?.dispose();
  });
}
