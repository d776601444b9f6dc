// Receiving one request body under the transport's limits: at most MAX_REQUEST_BYTES, within
// the body timeout, and only while the shared body budget has room. The body is read as soon
// as the headers are in (as core's Netty pipeline aggregates it before dispatch), so a
// request whose upload stalls, fails or exhausts the budget never reaches a handler.
import { MAX_REQUEST_BYTES } from './http-types';
import type { BodyBudget } from './body-budget';

export type BodyOutcome =
  | { readonly kind: 'body'; readonly body: Buffer; release(): void }
  /** Larger than MAX_REQUEST_BYTES: the handler answers 413 in its protocol's format. */
  | { readonly kind: 'tooLarge' }
  /** The client went away before sending all of it. */
  | { readonly kind: 'aborted' }
  /** Not complete within the body timeout. */
  | { readonly kind: 'timeout' }
  /** Taking its bytes would exceed the body budget. */
  | { readonly kind: 'overBudget' };

/** The parts of a Node request stream used here. */
export interface BodySource {
  readonly headers: { readonly [name: string]: string | string[] | undefined };
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close' | 'aborted', cb: () => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  removeAllListeners(event: 'data'): unknown;
  resume(): unknown;
  destroy(): unknown;
}

export interface BodyLimits {
  readonly timeoutMs: number;
  readonly budget: BodyBudget;
  /** Who is uploading (client-key.ts), for the budget's per-client share. */
  readonly client?: string;
}

export function receiveBody(req: BodySource, limits: BodyLimits): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let settled = false;
    let ended = false;
    const release = (): void => {
      limits.budget.give(held, limits.client);
      held = 0;
    };
    const finish = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome.kind !== 'body') {
        release();
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        // A client refused for its body's size is usually still sending it: discard the rest
        // so that it gets to read the answer (closing now would reset the connection under
        // it), but only for as long as a body may take.
        if (!ended && (outcome.kind === 'tooLarge' || outcome.kind === 'overBudget')) {
          const drain = setTimeout(() => req.destroy(), limits.timeoutMs);
          const stop = (): void => clearTimeout(drain);
          req.on('end', stop);
          req.on('close', stop);
        }
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), limits.timeoutMs);

    const declared = Number(req.headers['content-length']);
    if (declared > MAX_REQUEST_BYTES) {
      finish({ kind: 'tooLarge' });
      return;
    }
    // With a declared length the bytes are copied into one buffer as they arrive: joining
    // megabytes at the end would hold the event loop (and every other client) in one go, and
    // a buffer of its own can be moved to a query worker without another copy. The buffer
    // grows (doubling, up to the declared length) as bytes arrive, never ahead of them: a
    // declared length costs nothing by itself (found by probing, session 16: thousands of
    // HTTP/2 streams declaring 8 MiB and sending nothing allocated 33 GB of buffers, and the
    // collections they forced stalled every client for seconds).
    // Bytes past the declared length (a lying client) are kept as chunks after it.
    const sized = declared > 64 * 1024;
    let whole: Buffer | undefined;
    let filled = 0;
    req.on('data', (c: Buffer) => {
      if (settled) return;
      if (held + c.length > MAX_REQUEST_BYTES) return finish({ kind: 'tooLarge' });
      if (!limits.budget.take(c.length, limits.client)) return finish({ kind: 'overBudget' });
      const fits = sized && filled === held && held + c.length <= declared;
      if (fits && (whole === undefined || held + c.length > whole.length)) whole = grown(whole, filled, held + c.length, declared);
      if (fits) filled = held + c.copy(whole!, held);
      else chunks.push(c);
      held += c.length;
    });
    req.on('end', () => {
      ended = true;
      if (whole) chunks.unshift(whole.subarray(0, filled));
      finish({ kind: 'body', body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, held), release });
    });
    req.on('aborted', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
    req.on('error', () => finish({ kind: 'aborted' }));
  });
}

/** A buffer of at least `needed` bytes (at most `limit`) holding the first `filled` bytes of `from`. */
function grown(from: Buffer | undefined, filled: number, needed: number, limit: number): Buffer {
  const size = Math.min(limit, Math.max(64 * 1024, needed, 2 * (from?.length ?? 0)));
  const to = Buffer.allocUnsafeSlow(size);
  from?.copy(to, 0, 0, filled);
  return to;
}
