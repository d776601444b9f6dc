// The coordinator's handlers of /stream/1 and /feed/1: validate the request as core does
// (requests.ts; before authentication, spec §6.2), then hand the work to a job (a query worker
// authenticates, re-evaluates the token and reads events): streams through the StreamHub, feed
// pages directly.
import { performance } from 'node:perf_hooks';
import { parseAuthorization } from '../auth/secret-parse';
import type { WatchedEngine } from '../storage/kv';
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { jsonResponse, protocolError } from '../server/responses';
import { clientKey } from '../server/client-key';
import { UNREAD } from '../server/response-backlog';
import { InvalidHeaderError, parseLastTxnTs, parseMaxContentionRetries, parseQueryTimeoutMs } from '../server/query-headers';
import { timeoutFailure } from '../exec/timeouts';
import { EventsRequestError, parseEventsRequest, type EventsEndpoint, type EventsRequest } from './requests';
import { failureResponse, type RunJob } from './job-runner';
import { feedBody, feedBodyOf } from './job-wire';
import type { StreamHub } from './stream-hub';

const badRequest = (message: string): ServerResponse => protocolError(400, 'invalid_request', message);
const UNAUTHORIZED = (): ServerResponse => protocolError(401, 'unauthorized', 'Invalid token, unable to authenticate request');

/** The validated body, or the 400 that answers it (core's messages, before authentication). */
async function validBody(endpoint: EventsEndpoint, req: ServerRequest): Promise<{ ok: true; body: EventsRequest } | { ok: false; response: ServerResponse }> {
  try {
    return { ok: true, body: parseEventsRequest(endpoint, await req.body()) };
  } catch (e) {
    if (e instanceof EventsRequestError) return { ok: false, response: badRequest(e.message) };
    throw e;
  }
}

export function createStreamEndpoint(hub: StreamHub): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    // Any method (drivers POST; Fauna's docs show GET); headers other than Authorization are ignored.
    const valid = await validBody('stream', req);
    if (!valid.ok) return valid.response;
    if (parseAuthorization(req.headers.authorization) === null) return UNAUTHORIZED();
    const { tokenText, cursorText, startTs } = valid.body;
    return hub.open(req, tokenText, { cursor: cursorText, startTs });
  };
}

/** How long a feed page waits at most for transactions older than the newest commit to settle. */
const FEED_SETTLE_MAX_MS = 2_000;
const FEED_SETTLE_POLL_MS = 2;

/**
 * The stable point a feed page reads up to, once it covers every commit made before the page
 * was asked for. A page ends at the stable point, below the oldest transaction that may still
 * write; on the embedded engine that includes every query still running (its transaction is
 * read-write until it commits), so an unrelated slow read would end the page short of writes
 * the client saw acknowledged — with has_next false, as if there were none (fauna-js
 * "can return a flattened array of events"). So the page waits, briefly (those transactions
 * normally end within milliseconds; at most half the time left to its deadline, and 2 s), for
 * the stable point to reach the newest commit; past that it reads what is stable, and the
 * next page continues from its cursor.
 */
async function settledStableTs(engine: WatchedEngine, deadline: number): Promise<bigint> {
  const target = engine.committedTs?.();
  let stable = await engine.stableTs();
  if (target === undefined) return stable;
  const until = performance.now() + Math.min(FEED_SETTLE_MAX_MS, (deadline - performance.now()) / 2);
  while (stable < target && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, FEED_SETTLE_POLL_MS));
    stable = await engine.stableTs();
  }
  return stable;
}

export interface FeedEndpointOptions {
  readonly engine: WatchedEngine;
  readonly runJob: RunJob;
  /** Response bytes clients have not read yet (src/server/response-backlog.ts): a page is a whole response. */
  readonly responses?: { refuses(client: string): boolean };
}

export function createFeedEndpoint(opts: FeedEndpointOptions): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    const h = req.headers;
    let timeoutMs: number;
    try {
      parseLastTxnTs(h['x-last-txn-ts']);
      timeoutMs = parseQueryTimeoutMs(h['x-query-timeout-ms']);
      parseMaxContentionRetries(h['x-max-contention-retries']);
    } catch (e) {
      if (e instanceof InvalidHeaderError) return badRequest(`Invalid headers: ${e.message}`);
      throw e;
    }
    // Before anything runs for a client that does not read its answers (as for queries: worker-pool.ts).
    if (opts.responses?.refuses(clientKey(req.remoteAddress)) === true) return protocolError(429, 'limit_exceeded', UNREAD);
    const valid = await validBody('feed', req);
    if (!valid.ok) return valid.response;
    const parsed = valid.body;
    if (parseAuthorization(h.authorization) === null) return UNAUTHORIZED();
    const deadline = req.receivedAt + timeoutMs;
    const timedOut = (): ServerResponse => {
      const t = timeoutFailure(timeoutMs, performance.now() - req.receivedAt);
      return protocolError(t.status, t.code, t.message);
    };
    if (performance.now() >= deadline) return timedOut();
    const stable = await settledStableTs(opts.engine, deadline);
    const answer = await opts.runJob({
      kind: 'feed', stable: stable.toString(), token: parsed.tokenText, cursor: parsed.cursorText,
      startTs: parsed.startTs?.toString(), limit: parsed.pageSize,
      deadlineEpoch: performance.timeOrigin + deadline, timeoutMs, receivedAtEpoch: performance.timeOrigin + req.receivedAt,
    }, h.authorization, req.remoteAddress ?? 'local', Math.max(1, deadline - performance.now()));
    switch (answer.kind) {
      case 'refused': return protocolError(answer.status, answer.code, answer.message);
      case 'failed':
        if (answer.failure === 'timeout') return timedOut();
        return failureResponse(answer, 'The feed could not be read');
      case 'end': return jsonResponse(200, `{"events":[${answer.event}],"cursor":${JSON.stringify(parsed.cursorText ?? '')},"has_next":false,"stats":{}}`);
      case 'events': return jsonResponse(200, feedBody(answer) ?? feedBodyOf(answer));
    }
  };
}
