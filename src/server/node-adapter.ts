// Bridges Node's HTTP/1.1 (`http`) and HTTP/2 compatibility (`http2`) request/response objects
// to the ServerRequest/ServerResponse model. Both expose the same surface used here. Bodies are
// received under the transport's limits (receive-body.ts) before the handler runs; requests
// the transport refuses (slow or over the body budget) are answered here.
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BodyBudget } from './body-budget';
import { clientKey } from './client-key';
import type { ResponseBacklog } from './response-backlog';
import { type Handler, RequestTooLargeError, type ServerRequest, type ServerResponse } from './http-types';
import { type BodyOutcome, receiveBody } from './receive-body';
import { protocolError } from './responses';

/** The parts of http.IncomingMessage / http2.Http2ServerRequest used here. */
export interface NodeRequest extends NodeJS.ReadableStream {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
  readonly socket?: {
    readonly remoteAddress?: string;
    once?(event: 'close', cb: () => void): unknown;
    off?(event: 'close', cb: () => void): unknown;
  } | null;
  /** The HTTP/2 stream (HTTP/2 requests only). */
  readonly stream?: { close(code?: number): void; once(event: 'finish', cb: () => void): unknown };
  destroy(): unknown;
}

/** The parts of http.ServerResponse / http2.Http2ServerResponse used here. */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  once(event: 'close' | 'drain' | 'finish', cb: () => void): unknown;
  readonly writableEnded: boolean;
  readonly headersSent: boolean;
  destroy?(): void;
}

function normaliseHeaders(raw: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k in raw) {
    if (k.charCodeAt(0) === 58 /* ':' HTTP/2 pseudo-header */) continue;
    const v = raw[k];
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * A ServerRequest over a Node request whose body has been received (`body` rejects for a
 * body too large), which arrived at `receivedAt` (performance.now() when its headers were in);
 * `onClose` registers what to do when the client goes away.
 */
export function toServerRequest(
  req: NodeRequest, body: Promise<Buffer>, receivedAt: number, onClose: (cb: () => void) => void,
): ServerRequest {
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  const headers = normaliseHeaders(req.headers);
  // Made only when asked for: aborting one (on every response's close) builds a DOMException
  // with a stack trace, a cost per request that only streaming handlers need.
  let controller: AbortController | undefined;
  let closed = false;
  let watchers: (() => void)[] = [];
  onClose(() => {
    if (closed) return;
    closed = true;
    controller?.abort();
    for (const cb of watchers) cb();
    watchers = [];
  });
  // Callers that never read the body must not see an unhandled rejection.
  body.catch(() => undefined);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: qi < 0 ? url : url.slice(0, qi),
    query: new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1)),
    headers,
    httpVersion: req.httpVersion,
    receivedAt,
    body: () => body,
    get signal(): AbortSignal {
      if (!controller) {
        controller = new AbortController();
        if (closed) controller.abort();
      }
      return controller.signal;
    },
    get closed(): boolean {
      return closed;
    },
    onClose(cb: () => void): void {
      if (closed) cb();
      else watchers.push(cb);
    },
    remoteAddress: req.socket?.remoteAddress,
  };
}

function waitDrainOrClose(res: NodeResponse, cancel: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
    cancel?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Write `out` to `res`; streaming bodies stop when the client disconnects. A whole body counts
 * in `backlog` for its client until the response closes (delivered, or the client gone); streaming
 * bodies (event streams, feeds) wait for the client to drain them and are bounded where they are made.
 */
export async function writeResponse(req: ServerRequest, res: NodeResponse, out: ServerResponse, backlog?: ResponseBacklog): Promise<void> {
  const headers: Record<string, string> = { ...out.headers };
  const body = out.body;
  const isHead = req.method === 'HEAD';
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    headers['content-length'] = String(buf?.length ?? 0);
    res.writeHead(out.status, headers);
    // Not once the response has closed: its 'close' would never come again to give the bytes back.
    if (backlog !== undefined && !isHead && buf !== undefined && buf.length > 0 && req.closed !== true) {
      const release = backlog.hold(clientKey(req.remoteAddress), buf.length);
      res.once('close', release);
      // A pipelined HTTP/1.1 response still queued behind an earlier one never closes when its
      // connection does (Node emits nothing for it): the request's own close gives the bytes back.
      req.onClose?.(release);
    }
    res.end(isHead ? undefined : buf);
    return;
  }
  res.writeHead(out.status, headers);
  if (isHead) {
    res.end();
    return;
  }
  const it = body[Symbol.asyncIterator]();
  const cancelled = () => out.cancel?.aborted === true;
  try {
    while (!req.signal.aborted && !cancelled()) {
      const next = await it.next();
      if (next.done || req.signal.aborted || cancelled()) break;
      if (!res.write(next.value)) await waitDrainOrClose(res, out.cancel);
    }
  } finally {
    if (req.signal.aborted || cancelled()) await it.return?.();
    if (cancelled() && res.destroy) res.destroy();
    else if (!res.writableEnded) res.end();
  }
}

export interface AdapterLimits {
  readonly bodyTimeoutMs: number;
  readonly bodyBufferBytes: number;
}

const isHttp2 = (req: NodeRequest): boolean => req.httpVersion.startsWith('2');

/**
 * Answer a request the transport refuses before any handler sees it. HTTP/2 streams are reset
 * once answered (the client stops sending); HTTP/1.1 connections are closed if `close`
 * (a client too slow to send its body), else the rest of the body is discarded (receiveBody).
 */
function refuse(nreq: NodeRequest, nres: NodeResponse, close: boolean, status: number, code: string, message: string): void {
  const out = protocolError(status, code, message);
  const body = Buffer.from(out.body as string, 'utf8');
  const headers: Record<string, string> = { ...out.headers, 'content-length': String(body.length) };
  if (isHttp2(nreq)) stopStreamWhenAnswered(nreq);
  else if (close) headers.connection = 'close';
  nres.writeHead(status, headers);
  nres.end(body);
}

/** Reset an HTTP/2 stream (NO_ERROR) once its answer is out, so that the client stops sending its body. */
function stopStreamWhenAnswered(nreq: NodeRequest): void {
  // The stream's own 'finish' (the response's waits for the stream to close, which a client
  // still sending never lets happen).
  const stream = nreq.stream;
  stream?.once('finish', () => stream.close());
}

/** The handler's view of a received body: the bytes, or the 413 it must answer. */
function bodyOf(outcome: BodyOutcome): Promise<Buffer> {
  return outcome.kind === 'body' ? Promise.resolve(outcome.body) : Promise.reject(new RequestTooLargeError());
}

/** Adapt a Handler to Node's ('request', req, res) event; whole responses count in `backlog` until delivered. */
export function nodeListener(handler: Handler, limits: AdapterLimits, backlog?: ResponseBacklog): (req: NodeRequest, res: NodeResponse) => void {
  const budget = new BodyBudget(limits.bodyBufferBytes);
  return (nreq, nres) => {
    // Query deadlines run from the request's arrival, not from the end of its upload.
    const receivedAt = performance.now();
    receiveBody(nreq, { timeoutMs: limits.bodyTimeoutMs, budget, client: clientKey(nreq.socket?.remoteAddress) }).then((outcome) => {
      switch (outcome.kind) {
        case 'aborted': return; // nobody to answer, nothing worth logging
        case 'timeout':
          return refuse(nreq, nres, true, 408, 'request_timeout', `The request body was not received within ${limits.bodyTimeoutMs} ms.`);
        case 'overBudget':
          return refuse(nreq, nres, false, 503, 'limit_exceeded', 'Too many request bodies are being received at once. Retry later.');
        case 'tooLarge':
        case 'body':
          return dispatch(handler, nreq, nres, outcome, receivedAt, backlog);
      }
    });
  };
}

/**
 * Calls `cb` when the client is gone: the response closes, or, over HTTP/1.1, the connection
 * does first. Node emits no 'close' for pipelined responses still queued behind an earlier one
 * when the connection ends (found by probing, session 16: their unread bytes stayed counted
 * against the address for good, and their queued queries still ran). The connection listener
 * is removed when the response closes, so a keep-alive connection does not collect them.
 */
function onClientGone(nreq: NodeRequest, nres: NodeResponse, cb: () => void): void {
  nres.once('close', cb);
  const socket = nreq.socket;
  if (isHttp2(nreq) || !socket?.once || !socket.off) return;
  socket.once('close', cb);
  nres.once('close', () => socket.off!('close', cb));
}

function dispatch(handler: Handler, nreq: NodeRequest, nres: NodeResponse, outcome: BodyOutcome, receivedAt: number, backlog: ResponseBacklog | undefined): void {
  const req = toServerRequest(nreq, bodyOf(outcome), receivedAt, (cb) => onClientGone(nreq, nres, cb));
  // The rest of an oversized body is discarded (HTTP/1.1) or not wanted (HTTP/2).
  if (outcome.kind === 'tooLarge' && isHttp2(nreq)) stopStreamWhenAnswered(nreq);
  handler(req)
    .finally(() => { if (outcome.kind === 'body') outcome.release(); })
    .then((out) => writeResponse(req, nres, out, backlog))
    .catch((err: unknown) => {
      // The app already turns handler failures into 500s; this only guards the writer. A
      // client that went away is not an error worth a line.
      if (req.signal.aborted) return;
      console.error(`response write failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!nres.headersSent) {
        nres.writeHead(500, { 'content-type': 'application/json;charset=utf-8' });
        nres.end('{"error":{"code":"internal_error","message":"Internal server error."}}');
      } else if (!nres.writableEnded) {
        nres.destroy?.();
      }
    });
}
