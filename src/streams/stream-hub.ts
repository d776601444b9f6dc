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
  /**
   * Bytes of events all streams may hold at once: past it, the stream holding the most ends
   * with stream_overflow. Without it, streams whose clients do not read could hold
   * maxStreams × maxBufferedBytes (80 GiB by default) of the coordinator's memory.
   */
  readonly maxBufferedBytesTotal?: number;
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
const DEFAULT_MAX_BUFFERED_BYTES_TOTAL = 256 * 1024 * 1024;
const DEFAULT_BATCH_LIMIT = 512;
/** A poll that never ran is asked again after this, doubling up to MAX_DEFER_MS while it keeps not running. */
const DEFER_MS = 100;
const MAX_DEFER_MS = 5_000;
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

/** Events of one write, and how many of their bytes the budget counts (0 once given back). */
interface QueuedBatch { readonly text: string; bytes: number }

/** The bytes of events all streams hold, against their common bound. */
interface BufferBudget {
  held: number;
  readonly max: number;
  /** Called when a push took `held` past `max`. */
  readonly over: () => void;
}


class Stream {
  /** Batches ready to write, each one write (spec §8.2), with the bytes of each counted in the budget. */
  private readonly queue: QueuedBatch[] = [];
  /**
   * The batch the transport is writing: it stays counted until the transport asks for the next
   * one, which it does once the socket took it (a client that does not read leaves it in the
   * socket's buffer).
   */
  private sending: QueuedBatch | undefined;
  /** Bytes of `queue` and `sending` counted in the budget. */
  private queuedBytes = 0;
  private wake: (() => void) | undefined;
  /** The transport started taking the body (then the body's end gives its bytes back). */
  reading = false;
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
  /** Polls in a row that never ran (the worker queue was full or too slow): the next one waits longer. */
  deferred = 0;
  /** Polls in a row that found a heard commit not yet stable (their backoff). */
  unstablePolls = 0;
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
    private readonly budget: BufferBudget,
  ) {}

  /** Bytes of events waiting for the client. */
  get buffered(): number {
    return this.queuedBytes;
  }

  /** Queue one batch; past this stream's or all streams' buffer bound it ends with stream_overflow. */
  push(events: readonly string[]): void {
    if (this.ended || events.length === 0) return;
    const text = line(events);
    if (this.queuedBytes + text.length > this.maxBytes) {
      this.overflow();
      return;
    }
    this.queue.push({ text, bytes: text.length });
    this.queuedBytes += text.length;
    this.budget.held += text.length;
    this.wake?.();
    if (this.budget.held > this.budget.max) this.budget.over();
  }

  /** Drops what the client has not read and ends the stream with stream_overflow. */
  overflow(): void {
    this.uncount();
    this.queue.length = 0;
    this.queue.push({ text: line([this.dialect.error('stream_overflow', 'Too many events to process.')]), bytes: 0 });
    this.end();
    // A client that does not read will not read the error either: drop it after a grace.
    setTimeout(() => this.cancel.abort(), OVERFLOW_GRACE_MS).unref();
  }

  /** Gives the budget back the bytes still queued (the body ended, or will never be read). */
  uncount(): void {
    this.budget.held -= this.queuedBytes;
    this.queuedBytes = 0;
    for (const e of this.queue) e.bytes = 0;
    if (this.sending) this.sending.bytes = 0;
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *body(): AsyncIterable<string> {
    this.reading = true;
    try {
      for (;;) {
        while (this.queue.length > 0) {
          const next = this.queue.shift()!;
          this.sending = next;
          yield next.text;
          this.sending = undefined;
          this.queuedBytes -= next.bytes;
          this.budget.held -= next.bytes;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = undefined;
      }
    } finally {
      this.uncount();
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
  private readonly budget: BufferBudget;

  constructor(private readonly opts: StreamHubOptions) {
    this.statusIntervalMs = opts.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS;
    this.maxBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.batchLimit = opts.batchLimit ?? DEFAULT_BATCH_LIMIT;
    this.maxStreams = opts.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.held = new PerClientCounts(opts.maxStreamsPerAddress ?? DEFAULT_MAX_STREAMS_PER_ADDRESS);
    this.budget = { held: 0, max: opts.maxBufferedBytesTotal ?? DEFAULT_MAX_BUFFERED_BYTES_TOTAL, over: () => this.shedBuffers() };
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
    const s = new Stream(this.nextId++, token, req.headers.authorization, client, this.maxBytes, start.dialect ?? V10_DIALECT, this.budget);
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
    // Ended as it connected: it holds its place all the same until its response closes.
    if (s.ended && s.release === undefined) this.keepUntilClosed(s, req, release);
    return {
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-fauna-stream-id': String(s.id) },
      body: s.body(),
      cancel: s.cancel.signal,
    };
  }

  /** A live stream: kept (keepUntilClosed), woken by the commits it watches, polled when idle. */
  private register(s: Stream, req: ServerRequest, release: () => void): void {
    this.keepUntilClosed(s, req, release);
    let set = this.byCollection.get(s.watch!.key);
    if (!set) this.byCollection.set(s.watch!.key, (set = new Set()));
    set.add(s);
    this.armIdle(s);
  }

  /**
   * Keeps the stream's place among those held, and its bytes counted, until its response closes:
   * its client has read the last events or left. An ended stream too. Were its place given back
   * when it ended, a client that reads nothing (an HTTP/2 window kept shut) could open stream after
   * stream that ends at once or soon (a start before the history window, a deleted collection),
   * each holding its last events, past --max-streams-per-address. Nor when its body ends: the
   * transport may still hold what it took (an HTTP/2 stream buffers 16 KiB past a shut window).
   */
  private keepUntilClosed(s: Stream, req: ServerRequest, release: () => void): void {
    s.release = release;
    this.all.add(s);
    const drop = () => this.drop(s);
    req.signal.addEventListener('abort', drop, { once: true });
    s.cancel.signal.addEventListener('abort', drop, { once: true });
  }

  /** The stream's response closed (or was cancelled): its place and bytes are given back. */
  private drop(s: Stream): void {
    this.finish(s);
    // A body the transport never took (its client left first) will not give its bytes back.
    if (!s.reading) s.uncount();
    s.release?.();
    this.all.delete(s);
  }

  /** No more events: no more jobs or wake-ups. The stream stays held until its response closes (drop). */
  private finish(s: Stream): void {
    s.end();
    if (s.idleTimer) clearTimeout(s.idleTimer);
    const set = s.watch ? this.byCollection.get(s.watch.key) : undefined;
    set?.delete(s);
    if (set?.size === 0) this.byCollection.delete(s.watch!.key);
  }

  /**
   * All streams hold more than their common bound: end the ones holding the most (clients that
   * stopped reading, not the ones keeping up) until they are back under it.
   */
  private shedBuffers(): void {
    while (this.budget.held > this.budget.max) {
      let largest: Stream | undefined;
      // Ended streams too: their last events wait for a client that may never read them.
      for (const s of this.all) if (s.buffered > (largest?.buffered ?? 0)) largest = s;
      if (largest === undefined) return;
      largest.overflow();
      this.drop(largest);
    }
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
    if (answer.kind === 'failed' && answer.queued) {
      // The job never ran: the query workers are saturated, not this stream's query too slow.
      // Its cursor has not moved, so nothing is lost by asking again later; ending the stream
      // would only make every client reconnect into the same queue. A job that ran and timed
      // out still ends it (asking again would hold a worker for a whole deadline each time).
      s.deferred++;
      this.schedule(s, Math.min(MAX_DEFER_MS, DEFER_MS * 2 ** Math.min(s.deferred - 1, 10)));
      return;
    }
    s.deferred = 0;
    switch (answer.kind) {
      case 'refused': s.push([s.dialect.error(answer.code, answer.message)]); this.finish(s); return;
      case 'failed': s.push([s.dialect.error(...failureError(answer))]); this.finish(s); return;
      case 'end': s.push([answer.event]); this.finish(s); return;
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
    if (answer.ended) { this.finish(s); return; }
    this.armIdle(s);
    // More events than one job reads, a commit heard meanwhile, or one not yet stable (a
    // writer with an older ts still running): another job, after a breath in the last case.
    if (answer.more || s.again) this.schedule(s);
    else if (s.heardTs > stable) {
      // Backing off (2, 4, … 64 ms): while an older writer holds the stable point (up to
      // WRITER_HOLD_MS), a fixed 2 ms made every stream with a commit pending poll 500 times a
      // second (found by probing, session 16).
      this.schedule(s, Math.min(64, 2 * 2 ** Math.min(s.unstablePolls++, 5)));
      return;
    }
    s.unstablePolls = 0;
  }

  close(): void {
    this.unwatch();
    for (const s of [...this.all]) this.drop(s);
  }
}
