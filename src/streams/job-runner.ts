// Running stream and feed jobs (events-service.ts) from the coordinator: as requests of the
// internal `events` route, in a query worker (or in this thread with --workers 0), so that the
// user code a token carries runs isolated and bounded like any query.
import { performance } from 'node:perf_hooks';
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { protocolError } from '../server/responses';
import { OVERLOADED } from '../exec/pool/pooled-handlers';
import type { EventsJob, EventsResult } from './events-service';
import { decodeJobResult } from './job-wire';

/** A job's answer, or why the worker could not answer it. */
export type JobAnswer =
  | EventsResult
  | {
    readonly kind: 'failed'; readonly failure: 'timeout' | 'crashed' | 'overloaded' | 'internal'; readonly elapsedMs: number; readonly message?: string;
    /** The job never ran (the worker queue was full, or it waited there past its deadline): asking again may succeed. */
    readonly queued?: true;
  };

export type JobFailure = Extract<JobAnswer, { kind: 'failed' }>;

const withTicket = (message: string): string => `${message}. Please create a ticket at https://support.fauna.com`;

/** The error (code, message) of a stream whose job the worker could not answer. */
export function failureError(f: JobFailure): [string, string] {
  switch (f.failure) {
    case 'timeout': return ['time_out', 'Processing the stream timed out.'];
    case 'overloaded': return ['limit_exceeded', OVERLOADED];
    case 'crashed': return ['internal_error', withTicket('The stream was stopped: it exceeded the memory available to one query')];
    case 'internal': return ['internal_error', withTicket(f.message ?? 'Unexpected error')];
  }
}

/** The HTTP answer for a job that failed before anything was sent; `fallback` says what could not be done. */
export function failureResponse(f: JobFailure, fallback: string): ServerResponse {
  return f.failure === 'overloaded'
    ? protocolError(429, 'limit_exceeded', OVERLOADED)
    : protocolError(500, 'internal_error', withTicket(f.message ?? fallback));
}

export type RunJob = (job: EventsJob, authorization: string | undefined, client: string, timeoutMs?: number) => Promise<JobAnswer>;

export function createJobRunner(events: Handler): RunJob {
  return async (job, authorization, client, timeoutMs) => {
    const body = Buffer.from(JSON.stringify(job));
    const headers: Record<string, string | undefined> = { authorization };
    if (timeoutMs !== undefined) headers['x-job-timeout-ms'] = String(timeoutMs);
    const receivedAt = performance.now();
    const req: ServerRequest = {
      method: 'POST', path: '/events', query: new URLSearchParams(), headers, httpVersion: '1.1', receivedAt,
      body: () => Promise.resolve(body), signal: new AbortController().signal, remoteAddress: client,
    };
    const res = await events(req);
    const answer = typeof res.body === 'string' || Buffer.isBuffer(res.body) ? res.body : '';
    if (res.status !== 200) {
      let message: string | undefined;
      try { message = (JSON.parse(answer.toString()) as { error?: { message?: string } }).error?.message; } catch { /* not JSON */ }
      return { kind: 'failed', failure: 'internal', elapsedMs: performance.now() - receivedAt, message };
    }
    return decodeJobResult(answer);
  };
}
