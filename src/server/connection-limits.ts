// Per-connection limits of the listener: open connections per client address, and closing
// HTTP/2 sessions that have had no open stream for a while (GOAWAY, then destroy if the peer
// does not let go).
import { readFileSync } from 'node:fs';
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

/** What else wants to know when a session starts and stops having open streams. */
export interface SessionActivity {
  busy(): void;
  idle(): void;
}

/**
 * Closes `s` once it has had no open stream for `idleMs`; tells `activity` (the connection cap)
 * when it has open streams and when it has none again.
 */
export function closeWhenIdle(s: http2.ServerHttp2Session, idleMs: number, graceMs: number, activity?: SessionActivity): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => { timer = setTimeout(() => closeSession(s, graceMs), idleMs).unref(); };
  arm();
  s.on('stream', (stream: http2.ServerHttp2Stream) => {
    if (open++ === 0) activity?.busy();
    clearTimeout(timer);
    stream.once('close', () => {
      if (--open !== 0) return;
      activity?.idle();
      if (!s.closed) arm();
    });
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

/**
 * Open connections in all. At the cap, the connection idle longest (no request in flight: an
 * HTTP/1.1 connection between requests, an HTTP/2 session without streams, or a connection
 * that has not said which protocol it speaks) is closed to admit the new one; with none idle,
 * the new one is refused. Without a cap, idle HTTP/2 connections from many addresses (an IPv6
 * attacker has many /64s) used every file descriptor and every new client was refused for the
 * idle timeout (found by probing, session 16).
 */
export class ConnectionCap {
  private open = 0;
  /** Idle connections, idle longest first (a Set iterates in insertion order). */
  private readonly idle = new Set<net.Socket>();

  constructor(readonly max: number) {}

  /** Counts `socket` (idle until `busy`) until it closes; false if it must be refused. */
  admit(socket: net.Socket): boolean {
    if (this.open >= this.max) {
      const victim = this.idle.values().next().value as net.Socket | undefined;
      if (victim === undefined) return false;
      this.idle.delete(victim);
      victim.destroy();
    }
    this.open++;
    this.idle.add(socket);
    socket.once('close', () => {
      this.open--;
      this.idle.delete(socket);
    });
    return true;
  }

  /** A request started on `socket`: it cannot be evicted. */
  busy(socket: net.Socket): void {
    this.idle.delete(socket);
  }

  /** `socket` has nothing in flight again: it is now the most recently idle. */
  idleAgain(socket: net.Socket): void {
    if (socket.destroyed) return;
    this.idle.delete(socket);
    this.idle.add(socket);
  }
}

/**
 * The default cap on open connections: four fifths of the process's file descriptor limit
 * (RLIMIT_NOFILE, read from /proc/self/limits), the rest left for the database, the workers and
 * the files the server opens; 10,000 where the limit cannot be read.
 */
export function defaultMaxConnections(limitsFile = '/proc/self/limits'): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(limitsFile, 'utf8'));
    if (m === null || m[1] === 'unlimited') return 10_000;
    return Math.max(64, Math.floor(Number(m[1]) * 0.8));
  } catch {
    return 10_000;
  }
}
