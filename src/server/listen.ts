// One TCP port speaking HTTP/1.1 and cleartext HTTP/2 with prior knowledge (spec §0): Node's
// http2 server cannot accept HTTP/1.1 without TLS, so each connection's first bytes are
// sniffed for the HTTP/2 preface ("PRI * HTTP/2.0") and the socket is handed to the matching
// server. Closing is graceful: stop accepting, let in-flight requests finish.
//
// Transport limits (transport-limits.ts) are enforced here and in the adapter: connections per
// client address, the sniff timeout, HTTP/1.1 header and keep-alive timeouts, HTTP/2 stream
// caps and idle sessions; bodies (timeout, budget) are the adapter's. Idle timeouts are long
// (the fauna driver keeps sessions open 5 s between queries and races GOAWAY) and only apply
// while nothing is in flight, so long-lived responses are never cut by them.
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { Handler } from './http-types';
import { type NodeRequest, type NodeResponse, nodeListener } from './node-adapter';
import { DEFAULT_LIMITS, type TransportLimits } from './transport-limits';
import { AddressCounter, ConnectionCap, closeWhenIdle } from './connection-limits';
import type { ResponseBacklog } from './response-backlog';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** Bytes needed to tell the HTTP/2 preface apart from any HTTP/1.1 method. */
const SNIFF_BYTES = 4;
/** HTTP/1.1 requests one connection may have unanswered before the server stops reading it. */
export const MAX_PIPELINED = 16;
/** How long close() waits for in-flight requests before cutting connections. */
const DEFAULT_GRACE_MS = 10_000;

export interface ListenOptions {
  readonly port: number;
  readonly host?: string;
  /** Defaults to DEFAULT_LIMITS, field by field. */
  readonly limits?: Partial<TransportLimits>;
  /** Counts whole responses until delivered (the worker pool refuses clients that do not read them). */
  readonly responses?: ResponseBacklog;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** Open TCP connections (HTTP/1.1 and HTTP/2 alike), for the metrics. */
  connections(): number;
  /** Stop accepting connections, finish in-flight requests, then resolve. */
  close(graceMs?: number): Promise<void>;
}

/** Bodiless answers to HTTP/1.1 requests the parser rejects (Node's own codes). */
function clientErrorResponse(code: string | undefined): string {
  const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
    : code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

export function listen(handler: Handler, opts: ListenOptions): Promise<RunningServer> {
  const limits: TransportLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const onRequest = nodeListener(handler, limits, opts.responses);
  const perAddress = new AddressCounter(limits.maxConnectionsPerAddress);
  const cap = new ConnectionCap(limits.maxConnections);
  const sockets = new Set<net.Socket>();
  /** Connections whose first bytes have not arrived yet. */
  const unsniffed = new Set<net.Socket>();
  let closing = false;

  // Bodies have their own timeout (the adapter's); Node checks header deadlines every
  // connectionsCheckingInterval, which it only starts for servers that listen themselves.
  const h1 = http.createServer({
    keepAliveTimeout: limits.idleTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  h1.emit('listening');
  // In-flight requests per HTTP/1.1 connection, so that close() can end idle keep-alive
  // connections (Node only tracks them for servers that listen themselves), the connection cap
  // can tell idle ones, and pipelining is bounded.
  const h1Active = new Map<net.Socket, number>();
  h1.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    // Only sockets still open are tracked: a response may close after its socket did, and
    // putting the socket back then would keep it in the map for the life of the server.
    const count = h1Active.get(socket);
    if (count !== undefined) h1Active.set(socket, count + 1);
    // Node parses every request a client pipelines and emits them all at once (HTTP/2 caps
    // streams per connection; HTTP/1.1 had nothing: 20,000 pipelined requests in one write,
    // never read, held the event loop for seconds, found by probing in session 16).
    if (count === MAX_PIPELINED - 1) socket.pause();
    cap.busy(socket);
    res.once('close', () => {
      const left = h1Active.get(socket);
      if (left === undefined) return;
      h1Active.set(socket, left - 1);
      if (left === MAX_PIPELINED) socket.resume();
      if (left - 1 === 0) cap.idleAgain(socket);
      if (closing && left - 1 === 0) socket.end();
    });
    if (closing) res.setHeader('connection', 'close');
    onRequest(req, res);
  });
  h1.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
    if (socket.writable) socket.end(clientErrorResponse(err.code));
    else socket.destroy();
  });

  const h2 = http2.createServer({ settings: { maxConcurrentStreams: limits.maxStreamsPerConnection } });
  h2.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) =>
    onRequest(req as unknown as NodeRequest, res as unknown as NodeResponse));
  h2.on('sessionError', () => { /* the session is torn down; nothing else to do */ });
  const sessions = new Set<http2.ServerHttp2Session>();
  /** The socket h2 is being handed (its 'session' comes at once; the session's own socket is a proxy). */
  let handing: net.Socket | undefined;
  h2.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    const raw = handing;
    s.on('close', () => sessions.delete(s));
    s.on('error', () => s.destroy());
    closeWhenIdle(s, limits.idleTimeoutMs, DEFAULT_GRACE_MS, raw && { busy: () => cap.busy(raw), idle: () => cap.idleAgain(raw) });
    if (closing) s.close();
  });
  h2.setTimeout(0);

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    if (closing || !perAddress.admit(socket) || !cap.admit(socket)) {
      socket.destroy();
      return;
    }
    unsniffed.add(socket);
    // A connection that never says which protocol it speaks holds a socket for nothing.
    const sniffTimer = setTimeout(() => socket.destroy(), limits.sniffTimeoutMs).unref();
    socket.once('close', () => {
      unsniffed.delete(socket);
      clearTimeout(sniffTimer);
    });
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, SNIFF_BYTES);
      const isPrefix = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isPrefix && head.length < SNIFF_BYTES) return;
      socket.off('data', onData);
      unsniffed.delete(socket);
      clearTimeout(sniffTimer);
      socket.pause();
      socket.unshift(head);
      if (isPrefix) {
        // The HTTP/2 session takes over the native handle and replays the buffered bytes.
        handing = socket;
        try {
          h2.emit('connection', socket);
        } finally {
          handing = undefined;
        }
      } else {
        h1Active.set(socket, 0);
        socket.once('close', () => h1Active.delete(socket));
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  });

  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port, opts.host, () => {
      tcp.off('error', reject);
      const addr = tcp.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        host: addr.address,
        connections: () => sockets.size,
        close: (graceMs = DEFAULT_GRACE_MS) => {
          closing = true;
          // Stops Node's header-deadline checks and ends idle keep-alive connections.
          h1.close();
          const stopped = new Promise<void>((done) => tcp.close(() => done()));
          for (const [socket, active] of h1Active) if (active === 0) socket.end();
          for (const s of sessions) s.close();
          // Connections that never sent a byte have nothing in flight.
          for (const socket of unsniffed) socket.destroy();
          const timer = setTimeout(() => { for (const s of sockets) s.destroy(); }, graceMs);
          timer.unref();
          return stopped.then(() => clearTimeout(timer));
        },
      });
    });
  });
}
