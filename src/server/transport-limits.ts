// Limits that keep one client from pinning the server's connections and memory: how long a
// connection may take to say which protocol it speaks, to send its headers and its body, how
// long an idle connection or HTTP/2 session is kept, and caps on streams per HTTP/2
// connection, on connections per client address, on request bodies buffered at once and on
// response bytes waiting for clients to read them.
// Defaults are generous enough for every legitimate driver (the fauna driver keeps one h2
// session open between queries; browsers and the CLI keep HTTP/1.1 connections alive).

export interface TransportLimits {
  /** Time from accepting a connection to its first bytes (protocol sniff). */
  readonly sniffTimeoutMs: number;
  /** Time from a request's first byte to the end of its headers (HTTP/1.1). */
  readonly headersTimeoutMs: number;
  /** Time from a request's headers to the end of its body. */
  readonly bodyTimeoutMs: number;
  /** An HTTP/1.1 connection between requests, or an HTTP/2 session without open streams, is closed after this. */
  readonly idleTimeoutMs: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS of HTTP/2 connections. */
  readonly maxStreamsPerConnection: number;
  /** Open connections per client IP address; more are closed at once. */
  readonly maxConnectionsPerAddress: number;
  /** Open connections in all; at the cap the one idle longest is closed (connection-limits.ts ConnectionCap). */
  readonly maxConnections: number;
  /** Bytes of request bodies held at once; requests past it are refused with 503. */
  readonly bodyBufferBytes: number;
  /**
   * Bytes of whole responses written and not yet read by their clients (response-backlog.ts): a
   * client holding more than a quarter of it, or any while all together hold more, gets 429s.
   */
  readonly responseBufferBytes: number;
}

import { defaultMaxConnections } from './connection-limits';

export const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: TransportLimits = {
  sniffTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 60_000,
  // Longer than the fauna driver's idle session (5 s by default) and common proxy keep-alives.
  idleTimeoutMs: 75_000,
  maxStreamsPerConnection: 100,
  maxConnectionsPerAddress: 256,
  maxConnections: defaultMaxConnections(),
  bodyBufferBytes: 128 * MIB,
  responseBufferBytes: 512 * MIB,
};
