// One TCP port speaking HTTP/1.1 and cleartext HTTP/2 with prior knowledge (spec §0): Node's
// http2 server cannot accept HTTP/1.1 without TLS, so each connection's first bytes are
// sniffed for the HTTP/2 preface ("PRI * HTTP/2.0") and the socket is handed to the matching
// server. Idle timeouts are long (the fauna driver keeps sessions open 5 s between queries and
// races GOAWAY), and closing is graceful: stop accepting, let in-flight requests finish.
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { Handler } from './http-types';
import { type NodeRequest, type NodeResponse, nodeListener } from './node-adapter';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** Bytes needed to tell the HTTP/2 preface apart from any HTTP/1.1 method. */
const SNIFF_BYTES = 4;
const KEEP_ALIVE_MS = 75_000;
/** How long close() waits for in-flight requests before cutting connections. */
const DEFAULT_GRACE_MS = 10_000;

export interface ListenOptions {
  readonly port: number;
  readonly host?: string;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** Stop accepting connections, finish in-flight requests, then resolve. */
  close(graceMs?: number): Promise<void>;
}

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

export function listen(handler: Handler, opts: ListenOptions): Promise<RunningServer> {
  const onRequest = nodeListener(handler);
  const sockets = new Set<net.Socket>();
  /** Connections whose first bytes have not arrived yet. */
  const unsniffed = new Set<net.Socket>();
  let closing = false;

  const h1 = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS, requestTimeout: 0, headersTimeout: KEEP_ALIVE_MS + 5_000 });
  // In-flight requests per HTTP/1.1 connection, so that close() can end idle keep-alive
  // connections (Node only tracks them for servers that listen themselves).
  const h1Active = new Map<net.Socket, number>();
  h1.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    h1Active.set(socket, (h1Active.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const n = (h1Active.get(socket) ?? 1) - 1;
      h1Active.set(socket, n);
      if (closing && n === 0) socket.end();
    });
    if (closing) res.setHeader('connection', 'close');
    onRequest(req, res);
  });
  h1.on('clientError', (_err, socket: net.Socket) => {
    if (socket.writable) socket.end(BAD_REQUEST);
    else socket.destroy();
  });

  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } });
  h2.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) =>
    onRequest(req as unknown as NodeRequest, res as unknown as NodeResponse));
  h2.on('sessionError', () => { /* the session is torn down; nothing else to do */ });
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => s.destroy());
    if (closing) s.close();
  });
  h2.setTimeout(0);

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    if (closing) {
      socket.destroy();
      return;
    }
    unsniffed.add(socket);
    socket.once('close', () => unsniffed.delete(socket));
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, SNIFF_BYTES);
      const isPrefix = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isPrefix && head.length < SNIFF_BYTES) return;
      socket.off('data', onData);
      unsniffed.delete(socket);
      socket.pause();
      socket.unshift(head);
      if (isPrefix) {
        // The HTTP/2 session takes over the native handle and replays the buffered bytes.
        h2.emit('connection', socket);
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
        close: (graceMs = DEFAULT_GRACE_MS) => {
          closing = true;
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
