// The metrics history behind GET /metrics?format=json (src/server/metrics/history.ts): a ring of
// 360 ten-second buckets with per-bucket latency percentiles from a fixed log-scale histogram.
// The JSON shape is the dashboard's contract (issue 14), not Fauna behaviour.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKETS, LATENCY_BINS, MetricsHistory, latencyBin, percentile } from '../../src/server/metrics/history';
import { Registry } from 'prom-client';
import { createServerMetrics, meteredRoute } from '../../src/server/metrics/registry';
import type { ServerRequest } from '../../src/server/http-types';
import { performance } from 'node:perf_hooks';

/** A clock the test moves; starts at 1,000,000 s (a bucket boundary). */
function clock(): { now: () => number; set: (ms: number) => void } {
  let t = 1_000_000_000;
  return { now: () => t, set: (ms) => { t = ms; } };
}

/** Nearest-rank percentile of a sorted array. */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

describe('latency bins and percentiles', () => {
  it('bins by a factor 2^(1/4), with under- and overflow bins', () => {
    assert.equal(latencyBin(0), 0);
    assert.equal(latencyBin(0.05), 0);
    assert.equal(latencyBin(0.0501), 1);
    assert.equal(latencyBin(0.1), 4);
    assert.equal(latencyBin(0.1001), 5);
    assert.equal(latencyBin(1), Math.ceil(4 * Math.log2(20)));
    assert.equal(latencyBin(1e9), LATENCY_BINS - 1);
    assert.equal(latencyBin(Number.NaN), 0);
  });

  it('is exact for one sample and stays within 10% of the true nearest rank', () => {
    const bins = new Uint32Array(LATENCY_BINS);
    bins[latencyBin(3.7)]++;
    for (const p of [0.5, 0.95, 0.99]) assert.equal(percentile(bins, 1, 3.7, 3.7, p), 3.7);
    assert.equal(percentile(new Uint32Array(LATENCY_BINS), 0, Infinity, 0, 0.5), 0);

    // 1,000 latencies spread over 0.2 ms … 2 s.
    const xs = Array.from({ length: 1000 }, (_, i) => 0.2 * 10_000 ** (((i * 7919) % 1000) / 1000)).sort((a, b) => a - b);
    const b = new Uint32Array(LATENCY_BINS);
    for (const x of xs) b[latencyBin(x)]++;
    for (const p of [0.5, 0.9, 0.95, 0.99, 1]) {
      const est = percentile(b, xs.length, xs[0], xs.at(-1)!, p);
      const truth = exact(xs, p);
      assert.ok(Math.abs(est - truth) / truth <= 0.1, `p${p}: ${est} vs ${truth}`);
    }
    // Never outside the observed range.
    assert.equal(percentile(b, xs.length, xs[0], xs.at(-1)!, 1), xs.at(-1));
  });
});

describe('MetricsHistory', () => {
  it('keeps one point per 10 s since start, oldest first, the partial bucket last', () => {
    const c = clock();
    const h = new MetricsHistory(c.now);
    h.recordStorageBytes(4096);
    h.recordQuery(2, undefined, { compute: 1, read: 2, write: 3 });
    h.recordQuery(4, 'abort', { compute: 5, read: 0, write: 0 });
    c.set(1_000_025_000); // bucket +2, 5 s in; bucket +1 stays empty
    h.recordQuery(8, 'abort', undefined);
    h.recordQuery(8, 'unauthorized', undefined);
    assert.deepEqual(h.toJSON(), {
      interval_s: 10,
      points: [
        // p50: the middle of 2's bin (0.05·2^5.25, 0.05·2^5.5] = (1.903, 2.263] is 2.075;
        // p95: the middle of 4's bin is 4.149, clamped to the slowest query, 4.
        { t: 1_000_000_000, queries: 2, qps: 0.2, p50_ms: 2.075, p95_ms: 4, p99_ms: 4, errors: { abort: 1 }, compute_ops: 6, read_ops: 2, write_ops: 3, storage_bytes: 4096 },
        { t: 1_000_010_000, queries: 0, qps: 0, p50_ms: 0, p95_ms: 0, p99_ms: 0, errors: {}, compute_ops: 0, read_ops: 0, write_ops: 0, storage_bytes: 4096 },
        // 2 queries in the 5 s elapsed of the current bucket.
        { t: 1_000_020_000, queries: 2, qps: 0.4, p50_ms: 8, p95_ms: 8, p99_ms: 8, errors: { abort: 1, unauthorized: 1 }, compute_ops: 0, read_ops: 0, write_ops: 0, storage_bytes: 4096 },
      ],
    });
  });

  it('covers the last hour only, reusing slots without leaking old counts', () => {
    const c = clock();
    const h = new MetricsHistory(c.now);
    const start = 1_000_000_000;
    for (let i = 0; i < BUCKETS + 5; i++) {
      c.set(start + i * 10_000);
      h.recordQuery(1, 'abort', { compute: 1, read: 0, write: 0 });
      h.recordStorageBytes(i);
    }
    const { points } = h.toJSON();
    assert.equal(points.length, BUCKETS);
    assert.equal(points[0].t, start + 5 * 10_000);
    assert.equal(points.at(-1)!.t, start + (BUCKETS + 4) * 10_000);
    for (const [i, p] of points.entries()) {
      assert.equal(p.queries, 1);
      assert.deepEqual(p.errors, { abort: 1 });
      assert.equal(p.compute_ops, 1);
      assert.equal(p.storage_bytes, i + 5);
    }
    // An hour of silence later: only empty points, storage carried from the last sample.
    c.set(start + (2 * BUCKETS + 10) * 10_000);
    const quiet = h.toJSON().points;
    assert.equal(quiet.length, BUCKETS);
    assert.ok(quiet.every((p) => p.queries === 0 && p.compute_ops === 0 && p.storage_bytes === BUCKETS + 4));
  });

  it('keeps at most 64 error codes per bucket, the rest as "other"', () => {
    const h = new MetricsHistory(clock().now);
    for (let i = 0; i < 70; i++) h.recordQuery(1, `code_${i}`, undefined);
    h.recordQuery(1, 'code_0', undefined);
    const errors = h.toJSON().points[0].errors;
    assert.equal(Object.keys(errors).length, 65);
    assert.equal(errors.code_0, 2);
    assert.equal(errors.other, 6);
  });
});

describe('ServerMetrics', () => {
  const req = (path: string): ServerRequest => ({
    method: 'POST', path, query: new URLSearchParams(), headers: {}, httpVersion: '1.1',
    receivedAt: performance.now(), body: async () => Buffer.alloc(0), signal: new AbortController().signal,
  });

  it('names routes by path and ignores the others', () => {
    assert.deepEqual(['/query/1', '/', '/linearized', '/schema/1/files/a.fsl', '/stream/1', '/feed/1', '/ping', '/metrics', '/schema/10'].map(meteredRoute),
      ['/query/1', '/', '/', '/schema/1', '/stream/1', '/feed/1', undefined, undefined, undefined]);
  });

  it('counts per request and catches up with the pool\'s restart totals when scraped', async () => {
    const counters = { terminatedOnDeadline: 0, crashed: 0, handedOff: 5, rerunAfterHandOff: 1, handedOffOverran: 2, overloaded: 3, refusedUnread: 4, preempted: 6, refusedAfterKills: 8 };
    const m = createServerMetrics({
      pool: { busy: 1, idle: 3, waiting: 2, counters }, responses: { held: () => 4096 }, connections: () => 7, storageBytes: async () => 1234,
    });
    try {
      assert.ok(m.registry instanceof Registry);
      m.observe(req('/query/1'), { status: 400, report: { errorCode: 'abort', ops: { compute: 2, read: 1, write: 0 } } });
      m.observe(req('/ping'), { status: 200 });
      m.observe(req('/schema/1/files'), { status: 200 });
      counters.terminatedOnDeadline = 2;
      const lines = async (): Promise<string[]> => (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('fql_') && !l.includes('duration'));
      assert.deepEqual(await lines(), [
        'fql_requests_total{route="/query/1",status="400"} 1',
        'fql_requests_total{route="/schema/1",status="200"} 1',
        'fql_query_errors_total{route="/query/1",code="abort"} 1',
        'fql_compute_ops_total 2',
        'fql_read_ops_total 1',
        'fql_write_ops_total 0',
        'fql_open_connections 7',
        'fql_storage_bytes 1234',
        'fql_workers{state="busy"} 1',
        'fql_workers{state="idle"} 3',
        'fql_queued_requests 2',
        'fql_worker_restarts_total{reason="deadline"} 2',
        'fql_worker_restarts_total{reason="crash"} 0',
        'fql_worker_restarts_total{reason="preempted"} 6',
        'fql_commit_hand_offs_total{event="handed_off"} 5',
        'fql_commit_hand_offs_total{event="run_again"} 1',
        'fql_commit_hand_offs_total{event="overran"} 2',
        'fql_requests_refused_total{reason="queue_full"} 3',
        'fql_requests_refused_total{reason="unread"} 4',
        'fql_requests_refused_total{reason="restarts"} 8',
        'fql_unread_response_bytes 4096',
      ]);
      counters.crashed = 1;
      const again = await lines();
      assert.ok(again.includes('fql_worker_restarts_total{reason="deadline"} 2'));
      assert.ok(again.includes('fql_worker_restarts_total{reason="crash"} 1'));
      // The schema API is not a query in the history.
      assert.equal(m.history.toJSON().points.at(-1)!.queries, 1);
    } finally {
      m.close();
    }
  });
});
