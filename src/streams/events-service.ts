// The query-side half of /stream/1 and /feed/1 (runs where query code runs: in a worker, or in
// the main thread with --workers 0). The coordinator validates the client's request, picks the
// engine's stable point and sends one job: authenticate the caller, re-evaluate the token's set
// in the caller's database (spec §1), read events from history up to the stable point
// (events.ts) and answer with rendered events. A stream is a sequence of such jobs: the connect
// (status event and replay) and one poll per batch of commits that may concern it.
import { performance } from 'node:perf_hooks';
import type { Credentials } from '../auth/credentials';
import { parseAuthorization } from '../auth/secret-parse';
import { QueryError, QueryTimeout } from '../fql/errors';
import { formatTime } from '../fql/values/format';
import { beginAttempt, newStats, type Attempt } from '../exec/attempt';
import { COMMIT_BUDGET_MS, timeoutFailure } from '../exec/timeouts';
import type { KvEngine } from '../storage/kv';
import { allDefs } from '../model/identity/named-store';
import { schemaOf } from '../model/definitions/schema';
import { historyCutoff } from '../model/temporal/history';
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { jsonResponse } from '../server/responses';
import { afterAllAt, compareCursors, decodeCursor, encodeCursor, type EventCursor } from './cursor';
import { codedErrorEvent, emptyStats, errorEvent, readEvents, statsJson, type EventStats } from './events';
import { InvalidSourceError, parseSource, resolveSource, type ResolvedSource } from './source';
import { decodeEventSource } from './token';
import { FEED_BODY_OPEN, encodeJobResult, feedBodyClose } from './job-wire';
import { EventLines } from './event-lines';

/** A job from the coordinator (src/streams/hub.ts, feed-endpoint.ts). */
export interface EventsJob {
  readonly kind: 'feed' | 'connect' | 'poll';
  /** The engine's stable point (µs): events are read up to it. */
  readonly stable: string;
  readonly token: string;
  /** Where to read from: an encoded cursor. */
  readonly cursor?: string;
  /** µs; the client's `start_ts` (connect and feed only). */
  readonly startTs?: string;
  /** Events to read at most (feeds: page_size). */
  readonly limit: number;
  /** Polls: the caller's authorization stamp at connect (permission loss when it changes). */
  readonly stamp?: string;
  /**
   * Feeds: wall-clock ms (epoch) by which to answer (x-query-timeout-ms from receipt); epoch
   * because each thread's performance clock has its own origin…
   */
  readonly deadlineEpoch?: number;
  /** …the timeout the client asked for (ms), for the time_out message… */
  readonly timeoutMs?: number;
  /** …and when the request arrived (epoch ms). */
  readonly receivedAtEpoch?: number;
}

/** What a job answers. */
export type EventsResult =
  /**
   * Refused before any event: HTTP status and Fauna error (spec §6.2); `body`: the response's
   * whole JSON body when the protocol's errors have another shape (v4 streams).
   */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string; readonly body?: string }
  /** The stream must end with this error event (permission_loss). */
  | { readonly kind: 'end'; readonly event: string }
  | {
    readonly kind: 'events';
    /** Rendered events, each one line; for connects the status event first. */
    readonly events: string[];
    /** Where the next read starts. */
    readonly next: string;
    /** More events may follow right away (a limit or the time budget ended the read). */
    readonly more: boolean;
    /** The last event is an error event: the stream ends (feeds: the page ends). */
    readonly ended: boolean;
    readonly stats: EventStats;
    /** Connects: what the coordinator needs to route commits and check permissions. */
    readonly watch?: { readonly db: number; readonly collId: number; readonly docId?: string; readonly stamp: string };
  };

/** Replay on connect is bounded (core `stream_event_replay_limit`). */
export const REPLAY_LIMIT = 128;

const UNAUTHORIZED: EventsResult = { kind: 'refused', status: 401, code: 'unauthorized', message: 'Invalid token, unable to authenticate request' };

const refused = (message: string): EventsResult => ({ kind: 'refused', status: 400, code: 'invalid_request', message });

export interface EventsServiceOptions {
  readonly engine: KvEngine;
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
  /** Runs the jobs of another protocol's streams (v4 `/stream`): undefined when the token is not its. */
  readonly other?: (job: EventsJob, credentials: Credentials | null) => Promise<EventsResult | undefined>;
}

function eventLine(type: string, fields: string, stats: EventStats): string {
  return `{"type":"${type}",${fields}"stats":${statsJson(stats)}}`;
}

export function statusEvent(at: EventCursor, stats: EventStats = emptyStats()): string {
  return eventLine('status', `"txn_ts":${at.ts},"cursor":"${encodeCursor(at)}",`, stats);
}

/**
 * What the caller's authorization rests on: the key or token document's version and the
 * roles it may use. A change to any of them ends a stream with permission_loss (spec §6.6).
 * Root secrets are no documents and never lose permission.
 */
export async function authStamp(a: Attempt, isRoot: boolean): Promise<string> {
  if (isRoot) return 'root';
  const doc = a.principal.secretDoc;
  let stamp = `${doc?.db}/${doc?.coll}/${doc?.id}@${doc?.ts}`;
  const access = a.principal.access;
  if (access.kind === 'roles' || access.kind === 'identity') {
    const roles = await allDefs(a.kv, a.principal.db, 'Role');
    const used = access.kind === 'roles' ? roles.filter((r) => access.names.includes(r.name)) : roles;
    stamp += `|${used.map((r) => `${r.name}@${r.ts}`).join(',')}`;
  }
  return stamp;
}

function windowError(start: EventCursor): string {
  return codedErrorEvent('invalid_stream_start_time',
    `Stream start time ${formatTime(start.ts * 1000n)} is too far in the past. Recreate the stream and try again.`);
}

type EventsAnswer = Extract<EventsResult, { kind: 'events' }>;

/**
 * A result as a job makes it: its events may be written as lines already (EventLines), which
 * job-wire.ts sends as they are; the coordinator receives an EventsResult.
 */
export type MadeResult = Exclude<EventsResult, EventsAnswer> | (Omit<EventsAnswer, 'events'> & { readonly events: EventLines | readonly string[] });

/** Bytes to reserve for a feed page of `limit` events (only what is written is touched). */
const feedCapacity = (limit: number): number => Math.min(4 << 20, 1024 + limit * 512);

type WrittenAnswer = Omit<EventsAnswer, 'events'> & { readonly events: EventLines };

/** A result whose events were written: a feed body gets its end. */
function closed(r: WrittenAnswer): WrittenAnswer {
  if (r.events.layout === 'feedBody') r.events.write(feedBodyClose(r));
  return r;
}

export function createEventsService(opts: EventsServiceOptions): (job: EventsJob, credentials: Credentials | null) => Promise<MadeResult> {
  return async function run(job, credentials) {
    const other = await opts.other?.(job, credentials);
    if (other) return other;
    const feed = job.kind === 'feed';
    // Decoded here, not by the coordinator (requests.ts): still before authentication, as core.
    const token = decodeEventSource(job.token);
    if (!token) return refused(`Invalid request body: invalid event source provided${feed ? '.' : ''}`);
    const lost: EventsResult = { kind: 'end', event: codedErrorEvent('permission_loss', 'Stream authentication is no longer valid.') };
    if (!credentials) return job.kind === 'poll' ? lost : UNAUTHORIZED;
    const isRoot = await opts.isRoot(credentials);
    const stats = newStats();
    const deadline = job.deadlineEpoch === undefined ? undefined : job.deadlineEpoch - performance.timeOrigin;
    const attempt = await beginAttempt(opts.engine, {
      credentials, isRoot, readOnly: true, deadline: deadline ?? performance.now() + 60_000, stats,
    });
    if (!attempt) return job.kind === 'poll' ? lost : UNAUTHORIZED;
    try {
      const stamp = await authStamp(attempt, isRoot);
      if (job.kind === 'poll' && stamp !== job.stamp) return lost;
      // Event code may read but never write (core: invalid_effect).
      (attempt.ctx as { writesForbiddenIn?: string }).writesForbiddenIn = 'event sources';
      let src: ResolvedSource;
      try {
        src = await resolveSource(attempt.model, parseSource(token.set), token.fields);
      } catch (e) {
        if (e instanceof InvalidSourceError) return refused(`Invalid request body: invalid event source provided${feed ? '.' : ''}`);
        if (e instanceof QueryError) {
          if (job.kind === 'poll') return { kind: 'end', event: errorEvent(JSON.stringify({ code: e.code, message: e.message }), emptyStats()) };
          return refused(`Error evaluating provided ${feed ? 'event source' : 'stream'}, ${e.message}`);
        }
        throw e;
      }
      const cursor = job.cursor === undefined ? undefined : decodeCursor(job.cursor);
      if (job.cursor !== undefined && !cursor) return refused(`Invalid request body: invalid event cursor provided${feed ? '.' : ''}`);
      const start = cursor ?? afterAllAt(job.startTs !== undefined ? BigInt(job.startTs) : token.start);
      // Streams may not start before their token (feeds may: fauna-js makes the token lazily).
      if (job.kind === 'connect' && start.ts < token.start) {
        return refused('Invalid stream start time: Stream start time can not be before the stream create time.');
      }
      const stable = BigInt(job.stable);
      const events = feed ? new EventLines('feedBody', feedCapacity(job.limit)) : new EventLines();
      if (feed) events.write(FEED_BODY_OPEN);
      if (job.kind === 'connect') events.push(statusEvent(start));
      const watch = { db: attempt.model.db, collId: src.def.id, docId: src.docId?.toString(), stamp };
      // History is kept for history_days plus 15 minutes (model/temporal/history.ts).
      const cutoff = historyCutoff(attempt.kv.ts, schemaOf(src.def).historyDays);
      if (start.ts < cutoff) {
        events.push(windowError(start));
        return closed({ kind: 'events', events, next: encodeCursor(start), more: false, ended: true, stats: emptyStats(), watch });
      }
      const limit = job.kind === 'connect' ? REPLAY_LIMIT : job.limit;
      const softDeadline = deadline === undefined ? undefined : performance.now() + (deadline - performance.now()) * 0.95;
      const page = await readEvents(attempt.ctx, src, { after: start, until: stable, limit, softDeadline }, events);
      if (deadline !== undefined && performance.now() + COMMIT_BUDGET_MS > deadline) return timedOut(job);
      let ended = page.failed;
      if (job.kind === 'connect' && page.more) {
        events.push(codedErrorEvent('stream_replay_volume_exceeded', 'Too many events to replay. Recreate the stream and try again.'));
        ended = true;
      }
      // Past the page: the last event (or the failed one); after a complete read, everything up
      // to the stable point (never behind where the read started).
      const idle = afterAllAt(stable);
      const next = page.last !== undefined && (page.more || page.failed)
        ? page.last
        : compareCursors(idle, start) > 0 ? idle : (page.last ?? start);
      return closed({ kind: 'events', events, next: encodeCursor(next), more: page.more, ended, stats: page.stats, watch });
    } finally {
      await attempt.kv.rollback();
    }
  };
}

/** A feed that ran out of time answers as a query would (spec §7: 440 `time_out`). */
function timedOut(job: EventsJob): EventsResult {
  const elapsed = job.receivedAtEpoch === undefined ? 0 : performance.timeOrigin + performance.now() - job.receivedAtEpoch;
  const t = timeoutFailure(job.timeoutMs ?? 0, elapsed);
  return { kind: 'refused', status: t.status, code: t.code, message: t.message };
}

/**
 * The worker route: a job in the body (JSON), the caller's secret in Authorization. Not
 * reachable from clients: only the coordinator dispatches the `events` route.
 */
export function createEventsHandler(opts: EventsServiceOptions): Handler {
  const run = createEventsService(opts);
  return async (req: ServerRequest): Promise<ServerResponse> => {
    const job = JSON.parse((await req.body()).toString('utf8')) as EventsJob;
    let result: MadeResult;
    try {
      result = await run(job, parseAuthorization(req.headers.authorization));
    } catch (e) {
      if (!(e instanceof QueryTimeout)) throw e;
      result = timedOut(job);
    }
    return jsonResponse(200, encodeJobResult(result));
  };
}
