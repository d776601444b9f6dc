// Per-connection limits of the listener: open connections per client address, and closing
// HTTP/2 sessions that have had no open stream for a while (GOAWAY, then destroy if the peer
// does not let go).
import type * as http2 from 'node:http2';
import type * as net from 'node:net';
import { clientKey } from './client-key';
import { PerClientCounts } from './per-client-counts';

/** Close an HTTP/2 session with GOAWAY; destroy it if it has not closed after `graceMs`. */
function closeSession(s: http2.ServerHttp2Session, graceMs: number): void {
  if (s.closed || s.destroyed) return;
  s.close();
  setTimeout(() => s.destroy(), graceMs).unref();
}

/** Closes `s` once it has had no open stream for `idleMs`. */
export function closeWhenIdle(s: http2.ServerHttp2Session, idleMs: number, graceMs: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => { timer = setTimeout(() => closeSession(s, graceMs), idleMs).unref(); };
  arm();
  s.on('stream', (stream: http2.ServerHttp2Stream) => {
    open++;
    clearTimeout(timer);
    stream.once('close', () => { if (--open === 0 && !s.closed) arm(); });
  });
  s.once('close', () => clearTimeout(timer));
}

/** Open connections per client address (an IPv6 /64 counts as one: client-key.ts), refusing those past `max`. */
export class AddressCounter {
  private readonly counts: PerClientCounts;
  constructor(max: number) {
    this.counts = new PerClientCounts(max);
  }

  /** Count `socket` until it closes; false if its address already has `max` connections. */
  admit(socket: net.Socket): boolean {
    const release = this.counts.take(clientKey(socket.remoteAddress));
    if (!release) return false;
    socket.once('close', release);
    return true;
  }
}
