// The open event streams of this process (coordinator side of /stream/1, spec §6). Each stream
// is a cursor plus a queue of ready batches. Commits are heard from the engine (the change-log
// keys they wrote, src/model/keys.ts) and only the streams watching the written collection (or
// document) are woken, so a write costs in proportion to the streams it concerns. A woken
// stream runs one job (events-service.ts, in a query worker) that reads its events from history
// after its cursor up to the engine's stable point, so the live path, replay and feeds share
// one code path: same events, same cursors, no gaps, no duplicates (spec §9.3).
import { clientKey } from '../server/client-key';
import { PerClientCounts } from '../server/per-client-counts';
import type { Bytes, CommitNotice, WatchedEngine } from '../storage/kv';
import { decodeKey } from '../storage/tuple';
import { CHANGE_LOG_PREFIX } from '../model/keys';
import type { ServerRequest, ServerResponse } from '../server/http-types';
import { JSON_CONTENT_TYPE } from '../server/http-types';
import { jsonResponse, protocolError } from '../server/responses';
import { codedErrorEvent } from './events';
import { statusEvent, type EventsJob } from './events-service';
import { decodeCursor, type EventCursor } from './cursor';
import { failureError, failureResponse, type JobAnswer, type RunJob } from './job-runner';

export interface StreamHubOptions {
  readonly engine: WatchedEngine;
  readonly runJob: RunJob;
  /** A stream with nothing to send re-checks its secret and sends a status event this often (core: 5 minutes). */
  readonly statusIntervalMs?: number;
  /** Bytes of events a stream may hold for a client that does not read before it ends with stream_overflow. */
  readonly maxBufferedBytes?: number;
  /** Events one live job reads at most (more follow in the next job). */
  readonly batchLimit?: number;
  /** Streams open at once, in all (each holds memory until its client closes it). */
  readonly maxStreams?: number;
  /** Streams open at once from one client address. */
  readonly maxStreamsPerAddress?: number;
}

export const DEFAULT_MAX_STREAMS = 20_000;
export const DEFAULT_MAX_STREAMS_PER_ADDRESS = 1_000;

/** The 429 message for each bound on open streams. */
const REFUSALS = {
  total: 'Too many event streams are open. Retry later.',
  address: 'Too many event streams are open from this address. Close some and retry.',
} as const;

export const DEFAULT_STATUS_INTERVAL_MS = 5 * 60_000;
const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEFAULT_BATCH_LIMIT = 512;
/** A client that stopped reading has this long to take the overflow error before it is dropped. */
const OVERFLOW_GRACE_MS = 5_000;

const line = (events: readonly string[]): string => events.map((e) => `${e}\r\n`).join('');


/**
 * How a stream's protocol writes what the hub itself says: error events and the status event
 * of an idle stream (v10 /stream/1 by default; v4 /stream has its own, src/v4/streams).
 */
export interface StreamDialect {
  /** An error event; `code` in v10 spelling (`time_out`). */
  error(code: string, message: string): string;
  /** Where an idle stream is; absent when the protocol has no such event. */
  status?(at: EventCursor): string;
}

const V10_DIALECT: StreamDialect = { error: codedErrorEvent, status: (at) => statusEvent(at) };


class Stream {
  /** Batches ready to write, each one write (spec §8.2). */
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private wake: (() => void) | undefined;
  ended = false;
  readonly cancel = new AbortController();
  /** Where the next job reads from (encoded cursor). */
  cursor = '';
  stamp = '';
  /** What it watches once connected: commits elsewhere do not wake it. */
  watch: { readonly key: string; readonly docId?: bigint } | undefined;
  /** Newest commit heard that may concern it, and the stable point its last job read up to. */
  heardTs = 0n;
  readTs = 0n;
  running = false;
  /** A job is wanted after the running one (commits heard meanwhile). */
  again = false;
  idleTimer: NodeJS.Timeout | undefined;
  /** Gives back its place among the streams held (StreamHub.hold); set once it is live. */
  release: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly token: string,
    readonly authorization: string | undefined,
    readonly client: string,
    private readonly maxBytes: number,
    readonly dialect: StreamDialect,
  ) {}

  /** Queue one batch; past the buffer bound the stream ends with stream_overflow. */
  push(events: readonly string[]): void {
    if (this.ended || events.length === 0) return;
    const text = line(events);
    this.queuedBytes += text.length;
    if (this.queuedBytes > this.maxBytes) {
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.queue.push(line([this.dialect.error('stream_overflow', 'Too many events to process.')]));
      this.end();
      // A client that does not read will not read the error either: drop it after a grace.
      setTimeout(() => this.cancel.abort(), OVERFLOW_GRACE_MS).unref();
      return;
    }
    this.queue.push(text);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *body(): AsyncIterable<string> {
    for (;;) {
      while (this.queue.length > 0) {
        const next = this.queue.shift()!;
        this.queuedBytes -= next.length;
        yield next;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = undefined;
    }
  }
}

/** (db, collection) of a change-log key ['ev', db, collId, ts, docId], and its document id. */
function changeOf(key: Bytes): { key: string; docId: bigint } | undefined {
  try {
    const parts = decodeKey(key);
    if (parts.length !== 5) return undefined;
    return { key: `${parts[1]}:${parts[2]}`, docId: BigInt(parts[4] as bigint) };
  } catch {
    return undefined;
  }
}

export class StreamHub {
  private nextId = 1;
  /** Streams by `db:collId`. */
  private readonly byCollection = new Map<string, Set<Stream>>();
  /** Streams whose connect job has not answered yet: they hear every commit. */
  private readonly connecting = new Set<Stream>();
  private readonly all = new Set<Stream>();
  private readonly unwatch: () => void;
  private readonly statusIntervalMs: number;
  private readonly maxBytes: number;
  private readonly batchLimit: number;
  /**
   * Streams held (connecting or open) by client address, and in all. Without a bound, one
   * client could open streams until the server runs out of memory (each holds its state, a
   * buffer of up to maxBytes and a place in the commit fan-out).
   */
  private readonly held: PerClientCounts;
  private readonly maxStreams: number;

  constructor(private readonly opts: StreamHubOptions) {
    this.statusIntervalMs = opts.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS;
    this.maxBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.batchLimit = opts.batchLimit ?? DEFAULT_BATCH_LIMIT;
    this.maxStreams = opts.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.held = new PerClientCounts(opts.maxStreamsPerAddress ?? DEFAULT_MAX_STREAMS_PER_ADDRESS);
    this.unwatch = opts.engine.watchCommits(CHANGE_LOG_PREFIX, (n) => this.heard(n));
  }

  get size(): number {
    return this.all.size;
  }

  /** Streams refused at each bound so far (for /metrics). */
  readonly refused: Record<keyof typeof REFUSALS, number> = { address: 0, total: 0 };

  /** Open a stream for a validated request (token and start already checked by the endpoint). */
  async open(req: ServerRequest, token: string, start: { cursor?: string; startTs?: bigint; dialect?: StreamDialect }): Promise<ServerResponse> {
    const client = clientKey(req.remoteAddress);
    const release = this.hold(client);
    if (typeof release === 'string') {
      this.refused[release]++;
      return protocolError(429, 'limit_exceeded', REFUSALS[release]);
    }
    const s = new Stream(this.nextId++, token, req.headers.authorization, client, this.maxBytes, start.dialect ?? V10_DIALECT);
    try {
      return await this.connect(s, req, start, release);
    } finally {
      // A stream that did not become live (refused, failed, or ended at once) holds no place.
      if (s.release === undefined) release();
    }
  }

  /** Takes a place for a stream from `client`: its release (once), or the bound it is past. */
  private hold(client: string): (() => void) | keyof typeof REFUSALS {
    if (this.held.total >= this.maxStreams) return 'total';
    return this.held.take(client) ?? 'address';
  }

  private async connect(s: Stream, req: ServerRequest, start: { cursor?: string; startTs?: bigint }, release: () => void): Promise<ServerResponse> {
    // Listen before the stable point is read: a commit after it wakes the stream again.
    this.connecting.add(s);
    let answer: JobAnswer;
    let stable: bigint;
    try {
      stable = await this.opts.engine.stableTs();
      answer = await this.opts.runJob(
        { kind: 'connect', stable: stable.toString(), token: s.token, cursor: start.cursor, startTs: start.startTs?.toString(), limit: 0 },
        s.authorization, s.client,
      );
    } finally {
      this.connecting.delete(s);
    }
    if (answer.kind === 'refused') {
      return answer.body !== undefined ? jsonResponse(answer.status, answer.body) : protocolError(answer.status, answer.code, answer.message);
    }
    if (answer.kind === 'failed') {
      return failureResponse(answer, 'The stream could not be started');
    }
    if (answer.kind === 'end') {
      s.push([answer.event]);
      s.end();
    } else {
      s.push(answer.events);
      s.cursor = answer.next;
      s.readTs = stable;
      if (answer.ended) s.end();
      else if (answer.watch) {
        s.stamp = answer.watch.stamp;
        s.watch = { key: `${answer.watch.db}:${answer.watch.collId}`, docId: answer.watch.docId === undefined ? undefined : BigInt(answer.watch.docId) };
        this.register(s, req, release);
        if (answer.more || s.heardTs > stable) this.schedule(s);
      }
    }
    return {
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-fauna-stream-id': String(s.id) },
      body: s.body(),
      cancel: s.cancel.signal,
    };
  }

  private register(s: Stream, req: ServerRequest, release: () => void): void {
    s.release = release;
    this.all.add(s);
    let set = this.byCollection.get(s.watch!.key);
    if (!set) this.byCollection.set(s.watch!.key, (set = new Set()));
    set.add(s);
    const drop = () => this.drop(s);
    req.signal.addEventListener('abort', drop, { once: true });
    s.cancel.signal.addEventListener('abort', drop, { once: true });
    this.armIdle(s);
  }

  private drop(s: Stream): void {
    s.end();
    s.release?.();
    this.all.delete(s);
    if (s.idleTimer) clearTimeout(s.idleTimer);
    const set = s.watch ? this.byCollection.get(s.watch.key) : undefined;
    set?.delete(s);
    if (set?.size === 0) this.byCollection.delete(s.watch!.key);
  }

  /** A commit: wake the streams it may concern. */
  private heard(n: CommitNotice): void {
    if (this.all.size === 0 && this.connecting.size === 0) return;
    for (const s of this.connecting) if (n.ts > s.heardTs) s.heardTs = n.ts;
    if (n.keys === undefined) {
      for (const s of this.all) this.wakeFor(s, n.ts);
      return;
    }
    for (const key of n.keys) {
      const c = changeOf(key);
      if (!c) continue;
      const set = this.byCollection.get(c.key);
      if (!set) continue;
      for (const s of set) if (s.watch!.docId === undefined || s.watch!.docId === c.docId) this.wakeFor(s, n.ts);
    }
  }

  private wakeFor(s: Stream, ts: bigint): void {
    if (ts > s.heardTs) s.heardTs = ts;
    this.schedule(s);
  }

  private schedule(s: Stream, delayMs = 0): void {
    if (s.ended) return;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    // Coalesce a burst of commits into one job.
    const run = () => void this.poll(s, false);
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  private armIdle(s: Stream): void {
    if (s.idleTimer) clearTimeout(s.idleTimer);
    s.idleTimer = setTimeout(() => {
      if (s.ended) return;
      if (s.running) { this.armIdle(s); return; }
      s.running = true;
      void this.poll(s, true);
    }, this.statusIntervalMs);
    s.idleTimer.unref();
  }

  /** One job: events after the stream's cursor up to the stable point. */
  private async poll(s: Stream, idle: boolean): Promise<void> {
    s.again = false;
    let answer: JobAnswer;
    let stable: bigint;
    try {
      stable = await this.opts.engine.stableTs();
      const job: EventsJob = { kind: 'poll', stable: stable.toString(), token: s.token, cursor: s.cursor, limit: this.batchLimit, stamp: s.stamp };
      answer = await this.opts.runJob(job, s.authorization, s.client);
    } catch (e) {
      answer = { kind: 'failed', failure: 'internal', elapsedMs: 0, message: (e as Error).message };
      stable = s.readTs;
    }
    s.running = false;
    if (s.ended) return;
    switch (answer.kind) {
      case 'refused': s.push([s.dialect.error(answer.code, answer.message)]); this.drop(s); return;
      case 'failed': s.push([s.dialect.error(...failureError(answer))]); this.drop(s); return;
      case 'end': s.push([answer.event]); this.drop(s); return;
      case 'events': break;
    }
    const moved = answer.next !== s.cursor;
    s.cursor = answer.next;
    s.readTs = stable;
    if (answer.events.length > 0) s.push(answer.events);
    else if (idle && moved) {
      // Nothing happened: tell the client how far it is, so a reconnect starts there (spec §6.4).
      const at = decodeCursor(answer.next);
      if (at && s.dialect.status) s.push([s.dialect.status(at)]);
    }
    if (answer.ended) { this.drop(s); return; }
    this.armIdle(s);
    // More events than one job reads, a commit heard meanwhile, or one not yet stable (a
    // writer with an older ts still running): another job, after a breath in the last case.
    if (answer.more || s.again) this.schedule(s);
    else if (s.heardTs > stable) this.schedule(s, 2);
  }

  close(): void {
    this.unwatch();
    for (const s of [...this.all]) this.drop(s);
  }
}
