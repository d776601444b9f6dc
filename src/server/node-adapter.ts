// Bridges Node's HTTP/1.1 (`http`) and HTTP/2 compatibility (`http2`) request/response objects
// to the ServerRequest/ServerResponse model. Both expose the same surface used here.
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  type Handler, MAX_REQUEST_BYTES, RequestTooLargeError, type ServerRequest, type ServerResponse,
} from './http-types';

/** The parts of http.IncomingMessage / http2.Http2ServerRequest used here. */
export interface NodeRequest extends NodeJS.ReadableStream {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
  readonly socket?: { readonly remoteAddress?: string } | null;
}

/** The parts of http.ServerResponse / http2.Http2ServerResponse used here. */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  once(event: 'close' | 'drain', cb: () => void): unknown;
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

function readBody(req: NodeRequest, headers: Record<string, string | undefined>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(headers['content-length']);
    if (declared > MAX_REQUEST_BYTES) {
      req.resume(); // drain without buffering
      reject(new RequestTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        reject(new RequestTooLargeError());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

export function toServerRequest(req: NodeRequest, onClose: (cb: () => void) => void): ServerRequest {
  const receivedAt = performance.now();
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  const headers = normaliseHeaders(req.headers);
  const controller = new AbortController();
  onClose(() => controller.abort());
  let body: Promise<Buffer> | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: qi < 0 ? url : url.slice(0, qi),
    query: new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1)),
    headers,
    httpVersion: req.httpVersion,
    receivedAt,
    body: () => (body ??= readBody(req, headers)),
    signal: controller.signal,
    remoteAddress: req.socket?.remoteAddress,
  };
}

function waitDrainOrClose(res: NodeResponse): Promise<void> {
  return new Promise((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
  });
}

/** Write `out` to `res`; streaming bodies stop when the client disconnects. */
export async function writeResponse(req: ServerRequest, res: NodeResponse, out: ServerResponse): Promise<void> {
  const headers: Record<string, string> = { ...out.headers };
  const body = out.body;
  const isHead = req.method === 'HEAD';
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    headers['content-length'] = String(buf?.length ?? 0);
    res.writeHead(out.status, headers);
    res.end(isHead ? undefined : buf);
    return;
  }
  res.writeHead(out.status, headers);
  if (isHead) {
    res.end();
    return;
  }
  const it = body[Symbol.asyncIterator]();
  try {
    while (!req.signal.aborted) {
      const next = await it.next();
      if (next.done || req.signal.aborted) break;
      if (!res.write(next.value)) await waitDrainOrClose(res);
    }
  } finally {
    if (req.signal.aborted) await it.return?.();
    if (!res.writableEnded) res.end();
  }
}

/** Adapt a Handler to Node's ('request', req, res) event. */
export function nodeListener(handler: Handler): (req: NodeRequest, res: NodeResponse) => void {
  return (nreq, nres) => {
    const req = toServerRequest(nreq, (cb) => nres.once('close', cb));
    handler(req)
      .then((out) => writeResponse(req, nres, out))
      .catch((err: unknown) => {
        // The app already turns handler failures into 500s; this only guards the writer.
        console.error('response write failed:', err);
        if (!nres.headersSent) {
          nres.writeHead(500, { 'content-type': 'application/json;charset=utf-8' });
          nres.end('{"error":{"code":"internal_error","message":"Internal server error."}}');
        } else if (!nres.writableEnded) {
          nres.destroy?.();
        }
      });
  };
}
