// Running stream and feed jobs (events-service.ts) from the coordinator: as requests of the
// internal `events` route, in a query worker (or in this thread with --workers 0), so that the
// user code a token carries runs isolated and bounded like any query.
import { performance } from 'node:perf_hooks';
import type { Handler, ServerRequest } from '../server/http-types';
import type { EventsJob, EventsResult } from './events-service';

/** A job's answer, or why the worker could not answer it. */
export type JobAnswer =
  | EventsResult
  | { readonly kind: 'failed'; readonly failure: 'timeout' | 'crashed' | 'overloaded' | 'internal'; readonly elapsedMs: number; readonly message?: string };

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
    const text = typeof res.body === 'string' ? res.body : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '';
    if (res.status !== 200) {
      let message: string | undefined;
      try { message = (JSON.parse(text) as { error?: { message?: string } }).error?.message; } catch { /* not JSON */ }
      return { kind: 'failed', failure: 'internal', elapsedMs: performance.now() - receivedAt, message };
    }
    return JSON.parse(text) as JobAnswer;
  };
}
