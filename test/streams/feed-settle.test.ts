// A feed page covers every write acknowledged before it was asked for (fauna-js "can return a
// flattened array of events"): on the embedded engine the stable point sits below every query
// still running, so an unrelated slow query ended pages short of acknowledged writes, empty and
// with has_next false. The feed endpoint now waits, briefly and bounded, for the stable point
// to reach the newest commit (src/streams/endpoints.ts settledStableTs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { createFeedEndpoint } from '../../src/streams/endpoints';
import { encodeEventSource } from '../../src/streams/token';
import type { EventsJob } from '../../src/streams/events-service';
import type { RunJob } from '../../src/streams/job-runner';
import type { ServerRequest } from '../../src/server/http-types';

const token = encodeEventSource({ set: { kind: 'collAll', coll: 'Foo' }, start: 1n });

function feedRequest(timeoutMs = 5000): ServerRequest {
  const body = Buffer.from(JSON.stringify({ token }));
  return {
    method: 'POST', path: '/feed/1', query: new URLSearchParams(), httpVersion: '1.1', receivedAt: performance.now(),
    headers: { authorization: 'Bearer secret', 'x-query-timeout-ms': String(timeoutMs) },
    body: () => Promise.resolve(body), signal: new AbortController().signal, remoteAddress: '127.0.0.1',
  };
}

/** An engine whose stable point reaches `committed` after `lagMs` (a query still running until then). */
function engine(committed: bigint, lagMs: number) {
  const since = performance.now();
  return {
    committedTs: () => committed,
    stableTs: async () => (performance.now() - since >= lagMs ? committed : committed - 50n),
    watchCommits: () => () => undefined,
  } as never;
}

function recorder(): { runJob: RunJob; stables: string[] } {
  const stables: string[] = [];
  const runJob: RunJob = async (job: EventsJob) => {
    stables.push(job.stable);
    return { kind: 'events', events: [], next: 'c', more: false, ended: false, stats: {} as never };
  };
  return { runJob, stables };
}

test('feed: a page waits for the stable point to reach the newest commit', async () => {
  const { runJob, stables } = recorder();
  const res = await createFeedEndpoint({ engine: engine(1000n, 40), runJob })(feedRequest());
  assert.equal(res.status, 200);
  assert.deepEqual(stables, ['1000']);
});

test('feed: the wait is bounded (half the time to the deadline, at most 2 s); the page then reads what is stable', async () => {
  const { runJob, stables } = recorder();
  const t = performance.now();
  const res = await createFeedEndpoint({ engine: engine(1000n, 60_000), runJob })(feedRequest(400));
  assert.equal(res.status, 200);
  assert.deepEqual(stables, ['950']);
  const waited = performance.now() - t;
  assert.ok(waited >= 150 && waited < 1500, `waited ${waited.toFixed(0)} ms`);
});

test('feed: an engine without committedTs reads its stable point at once', async () => {
  const { runJob, stables } = recorder();
  const e = { stableTs: async () => 7n, watchCommits: () => () => undefined } as never;
  await createFeedEndpoint({ engine: e, runJob })(feedRequest());
  assert.deepEqual(stables, ['7']);
});
