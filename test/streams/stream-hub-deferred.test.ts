// A stream's poll job that never ran (the worker queue was full, or the job waited there past
// its deadline) is asked again later instead of ending the stream: under load, hundreds of
// streams on a busy collection otherwise all ended with time_out although none of their queries
// was slow. A poll that ran and overran its deadline still ends the stream with time_out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamHub } from '../../src/streams/stream-hub';
import type { JobAnswer, RunJob } from '../../src/streams/job-runner';
import type { EventsJob } from '../../src/streams/events-service';
import type { ServerRequest } from '../../src/server/http-types';
import type { CommitNotice } from '../../src/storage/kv';

const STATS = { read_ops: 0, storage_bytes_read: 0, compute_ops: 0, processing_time_ms: 0, rate_limits_hit: [] } as never;

function setUp(polls: JobAnswer[]) {
  let notify: (n: CommitNotice) => void = () => undefined;
  const engine = {
    stableTs: async () => 100n,
    watchCommits: (_prefix: Uint8Array, cb: (n: CommitNotice) => void) => { notify = cb; return () => undefined; },
  };
  const jobs: EventsJob['kind'][] = [];
  const runJob: RunJob = async (job) => {
    jobs.push(job.kind);
    if (job.kind === 'connect') {
      return { kind: 'events', events: ['{"type":"status","txn_ts":100}'], next: 'c0', more: false, ended: false, stats: STATS, watch: { db: 0, collId: 7, stamp: 's' } };
    }
    return polls.shift() ?? { kind: 'events', events: [], next: 'c0', more: false, ended: false, stats: STATS };
  };
  const hub = new StreamHub({ engine: engine as never, runJob });
  const closed = new AbortController();
  const req = { headers: { authorization: 'Bearer k' }, remoteAddress: '127.0.0.1', signal: closed.signal } as unknown as ServerRequest;
  return { hub, req, jobs, commit: () => notify({ ts: 101n }), close: () => closed.abort() };
}

async function lines(body: AsyncIterable<string>, n: number, ms: number): Promise<string[]> {
  const out: string[] = [];
  const it = body[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (out.length < n && Date.now() < deadline) {
    const next = await Promise.race([it.next(), new Promise<undefined>((r) => setTimeout(r, deadline - Date.now()))]);
    if (!next || next.done) break;
    out.push(...next.value.split(/\r?\n/).filter((l) => l !== ''));
  }
  return out;
}

test('stream hub: a poll that never ran is asked again; the stream stays open and gets its events', async () => {
  const queued: JobAnswer = { kind: 'failed', failure: 'timeout', elapsedMs: 30_000, queued: true };
  const overloaded: JobAnswer = { kind: 'failed', failure: 'overloaded', elapsedMs: 0, queued: true };
  const { hub, req, jobs, commit } = setUp([
    queued, overloaded,
    { kind: 'events', events: ['{"type":"add","txn_ts":101}'], next: 'c1', more: false, ended: false, stats: STATS },
  ]);
  const res = await hub.open(req, 'token', {});
  assert.equal(res.status, 200);
  commit();
  const got = await lines(res.body as AsyncIterable<string>, 2, 3000);
  assert.deepEqual(got, ['{"type":"status","txn_ts":100}', '{"type":"add","txn_ts":101}']);
  assert.deepEqual(jobs, ['connect', 'poll', 'poll', 'poll']);
  assert.equal(hub.size, 1);
  hub.close();
});

test('stream hub: a poll that ran past its deadline ends the stream with time_out', async () => {
  const { hub, req, commit, close } = setUp([{ kind: 'failed', failure: 'timeout', elapsedMs: 30_250 }]);
  const res = await hub.open(req, 'token', {});
  commit();
  const got = await lines(res.body as AsyncIterable<string>, 2, 3000);
  assert.equal(got.length, 2);
  assert.equal(JSON.parse(got[1]).type, 'error');
  assert.equal(JSON.parse(got[1]).error.code, 'time_out');
  // Ended, it holds its place until its response closes (stream-hub.ts keepUntilClosed: a client
  // that never reads would otherwise open ended streams past its bound).
  assert.equal(hub.size, 1);
  close();
  assert.equal(hub.size, 0);
  hub.close();
});
