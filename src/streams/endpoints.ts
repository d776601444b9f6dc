// The coordinator's handlers of /stream/1 and /feed/1: validate the request as core does
// (requests.ts; before authentication, spec §6.2), then hand the work to a job (a query worker
// authenticates, re-evaluates the token and reads events): streams through the StreamHub, feed
// pages directly.
import { performance } from 'node:perf_hooks';
import { parseAuthorization } from '../auth/secret-parse';
import type { WatchedEngine } from '../storage/kv';
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { jsonResponse, protocolError } from '../server/responses';
import { InvalidHeaderError, parseLastTxnTs, parseMaxContentionRetries, parseQueryTimeoutMs } from '../server/query-headers';
import { timeoutFailure } from '../exec/timeouts';
import { EventsRequestError, parseEventsRequest } from './requests';
import type { RunJob } from './job-runner';
import type { StreamHub } from './stream-hub';

const badRequest = (message: string): ServerResponse => protocolError(400, 'invalid_request', message);
const UNAUTHORIZED = (): ServerResponse => protocolError(401, 'unauthorized', 'Invalid token, unable to authenticate request');

/** The client's body fields as sent (tokens and cursors are passed on as text). */
function rawFields(body: Buffer): { token: string; cursor?: string } {
  const o = JSON.parse(body.toString('utf8')) as { token: string; cursor?: string | null };
  return { token: o.token, cursor: typeof o.cursor === 'string' ? o.cursor : undefined };
}

export function createStreamEndpoint(hub: StreamHub): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    // Any method (drivers POST; Fauna's docs show GET); headers other than Authorization are ignored.
    const body = await req.body();
    let parsed;
    try {
      parsed = parseEventsRequest('stream', body);
    } catch (e) {
      if (e instanceof EventsRequestError) return badRequest(e.message);
      throw e;
    }
    if (parseAuthorization(req.headers.authorization) === null) return UNAUTHORIZED();
    const { token, cursor } = rawFields(body);
    return hub.open(req, token, { cursor: parsed.cursor ? cursor : undefined, startTs: parsed.startTs });
  };
}

export interface FeedEndpointOptions {
  readonly engine: WatchedEngine;
  readonly runJob: RunJob;
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
    const body = await req.body();
    let parsed;
    try {
      parsed = parseEventsRequest('feed', body);
    } catch (e) {
      if (e instanceof EventsRequestError) return badRequest(e.message);
      throw e;
    }
    if (parseAuthorization(h.authorization) === null) return UNAUTHORIZED();
    const deadline = req.receivedAt + timeoutMs;
    const timedOut = (): ServerResponse => {
      const t = timeoutFailure(timeoutMs, performance.now() - req.receivedAt);
      return protocolError(t.status, t.code, t.message);
    };
    if (performance.now() >= deadline) return timedOut();
    const { token, cursor } = rawFields(body);
    const stable = await opts.engine.stableTs();
    const answer = await opts.runJob({
      kind: 'feed', stable: stable.toString(), token, cursor: parsed.cursor ? cursor : undefined,
      startTs: parsed.startTs?.toString(), limit: parsed.pageSize,
      deadlineEpoch: performance.timeOrigin + deadline, timeoutMs, receivedAtEpoch: performance.timeOrigin + req.receivedAt,
    }, h.authorization, req.remoteAddress ?? 'local', Math.max(1, deadline - performance.now()));
    switch (answer.kind) {
      case 'refused': return protocolError(answer.status, answer.code, answer.message);
      case 'failed':
        if (answer.failure === 'timeout') return timedOut();
        if (answer.failure === 'overloaded') return protocolError(429, 'limit_exceeded', 'Too many requests are waiting to run; try again later.');
        return protocolError(500, 'internal_error', `${answer.message ?? 'The feed could not be read'}. Please create a ticket at https://support.fauna.com`);
      case 'end': return jsonResponse(200, `{"events":[${answer.event}],"cursor":${JSON.stringify(cursor ?? '')},"has_next":false,"stats":{}}`);
      case 'events':
        return jsonResponse(200,
          `{"events":[${answer.events.join(',')}],"cursor":"${answer.next}","has_next":${answer.more},"stats":${JSON.stringify(answer.stats)}}`);
    }
  };
}
