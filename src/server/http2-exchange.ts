// HTTP/2 requests through Node's core stream API (`'stream'` events, `stream.respond`) rather than
// its compatibility API (`'request'` events with Http2ServerRequest/Http2ServerResponse): the
// compatibility objects cost ~25–30 µs of main-thread CPU per request (issue 12). One stream is
// presented as the adapter's NodeRequest and NodeResponse, so the request logic stays in one
// place (node-adapter.ts) for both transports.
//
// What the compatibility layer did on top of the core API is kept: CONNECT is answered 405,
// `Expect: 100-continue` gets an interim 100 and any other expectation a 417 (its
// onServerStream); stream errors are swallowed (a client's reset is seen through 'close');
// answers to streams already closed are dropped. It also ended every response with an empty
// trailers frame (waitForTrailers); without trailers to send, the last DATA frame ends the
// stream instead.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type * as http2 from 'node:http2';
import type { NodeRequest, NodeResponse } from './node-adapter';

const noop = (): void => undefined;

/** One HTTP/2 stream as a request (its readable side) and a response (its writable side). */
export class Http2Exchange implements NodeRequest, NodeResponse {
  readonly httpVersion = '2.0';
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly socket: { readonly remoteAddress?: string };

  constructor(readonly stream: http2.ServerHttp2Stream, readonly headers: IncomingHttpHeaders) {
    this.method = headers[':method'] as string | undefined;
    this.url = headers[':path'] as string | undefined;
    this.socket = { remoteAddress: stream.session?.socket?.remoteAddress };
    // An 'error' without a listener would throw; resets are seen through 'aborted'/'close'.
    stream.on('error', noop);
  }

  // The request body (receive-body.ts's BodySource).
  on(event: string, cb: (...args: never[]) => void): this {
    this.stream.on(event, cb as (...args: unknown[]) => void);
    return this;
  }
  removeAllListeners(event: 'data'): this {
    this.stream.removeAllListeners(event);
    return this;
  }
  resume(): this {
    this.stream.resume();
    return this;
  }
  destroy(): void {
    this.stream.destroy();
  }

  // The response.
  get writableEnded(): boolean {
    return this.stream.writableEnded;
  }
  get headersSent(): boolean {
    return this.stream.headersSent;
  }
  writeHead(status: number, headers: Record<string, string>): void {
    const stream = this.stream;
    // As the compatibility API: nobody to answer.
    if (stream.destroyed || stream.closed) return;
    const out: OutgoingHttpHeaders = { ...headers, ':status': status };
    stream.respond(out);
  }
  write(chunk: string | Buffer): boolean {
    return this.stream.write(chunk);
  }
  end(chunk?: string | Buffer): void {
    const stream = this.stream;
    if (stream.destroyed) return;
    // respond() has already ended the stream for HEAD, 204, 205 and 304.
    if (chunk === undefined || stream.writableEnded) stream.end();
    else stream.end(chunk);
  }
  once(event: 'close' | 'drain' | 'finish', cb: () => void): this {
    this.stream.once(event, cb);
    return this;
  }
}

/** Answer with a bare status and no body (what the compatibility API's `res.end()` sent). */
function bare(stream: http2.ServerHttp2Stream, status: number): void {
  stream.on('error', noop);
  if (!stream.destroyed && !stream.closed) stream.respond({ ':status': status }, { endStream: true });
}

/** A listener for the HTTP/2 server's 'stream' event handing requests to `onRequest`. */
export function http2StreamListener(
  onRequest: (req: NodeRequest, res: NodeResponse) => void,
): (stream: http2.ServerHttp2Stream, headers: IncomingHttpHeaders) => void {
  return (stream, headers) => {
    if (headers[':method'] === 'CONNECT') return bare(stream, 405);
    const expect = headers.expect;
    if (expect !== undefined) {
      if (expect !== '100-continue') return bare(stream, 417);
      if (!stream.headersSent && !stream.closed) stream.additionalHeaders({ ':status': 100 });
    }
    const exchange = new Http2Exchange(stream, headers);
    onRequest(exchange, exchange);
  };
}
