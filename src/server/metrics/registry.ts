// The server's own metrics, owned by the coordinator (the main thread): query workers send each
// response's report (error code, stats) back with the response, so one registry sees every
// request. `observe` runs once per request on the hot path and only increments counters;
// gauges (workers, queue, connections, storage) are read when scraped.
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerRequest, ServerResponse } from '../http-types';
import { BUCKET_MS, MetricsHistory } from './history';

/** The routes measured, labelled by path (`/` is FQL v4, `/linearized` included). */
export type MeteredRoute = '/query/1' | '/' | '/schema/1' | '/stream/1' | '/feed/1';
const ROUTES: readonly MeteredRoute[] = ['/query/1', '/', '/schema/1', '/stream/1', '/feed/1'];

export function meteredRoute(path: string): MeteredRoute | undefined {
  if (path === '/query/1' || path === '/stream/1' || path === '/feed/1') return path;
  if (path === '/' || path === '/linearized') return '/';
  if (path === '/schema/1' || path.startsWith('/schema/1/')) return '/schema/1';
  return undefined;
}

/**
 * Routes whose requests are "queries" in the history: each runs one query and answers once.
 * Not the schema API (no query) nor /stream/1 (its answer lasts as long as the stream).
 */
const QUERY_ROUTES: ReadonlySet<MeteredRoute> = new Set(['/query/1', '/', '/feed/1']);

/** Seconds; from a fast read to the longest query timeout. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Distinct error-code labels at most; codes come from the server, so this is a safety net. */
const MAX_CODES = 100;

/** What the worker pool shows (src/exec/pool/worker-pool.ts). */
export interface PoolGauges {
  readonly busy: number;
  readonly idle: number;
  readonly waiting: number;
  readonly counters: {
    readonly terminatedOnDeadline: number; readonly crashed: number; readonly handedOff: number; readonly rerunAfterHandOff: number;
    readonly handedOffOverran: number; readonly overloaded: number; readonly refusedUnread: number;
    readonly preempted: number; readonly refusedAfterKills: number;
  };
}

export interface MetricsSources {
  /** Absent when queries run in the main thread (--workers 0). */
  readonly pool?: PoolGauges;
  readonly connections: () => number;
  readonly storageBytes: () => Promise<number>;
  /** Read-replica totals (src/storage/postgres/replicas.ts), when the server has replicas. */
  readonly readReplicas?: { readonly served: number; readonly fellBack: number };
  /** On PostgreSQL: snapshot renewals so far, by outcome (src/storage/postgres/process-shared.ts). */
  readonly snapshotRenewals?: { readonly renewals: Record<string, number> };
  /** Event streams (src/streams/stream-hub.ts): open now, and refused at a bound so far. */
  readonly streams?: { readonly size: number; readonly refused: { readonly address: number; readonly total: number } };
  /** Bytes of whole responses not yet read by their clients (src/server/response-backlog.ts). */
  readonly responses?: { held(): number };
  /** Unix ms clock of the history (tests). */
  readonly now?: () => number;
}

export interface ServerMetrics {
  readonly registry: Registry;
  readonly history: MetricsHistory;
  /** Count one answered request (the app calls it for every response). */
  observe(req: ServerRequest, res: ServerResponse): void;
  /** Reads the storage size (cached) into the history; the JSON endpoint calls it first. */
  sampleStorage(): Promise<void>;
  /** Stops the history's storage sampling. */
  close(): void;
}

/**
 * A counter of totals kept elsewhere (the worker pool, the replica set), one per `label` value:
 * it catches up with them when scraped.
 */
function totalsCounter(registers: Registry[], name: string, help: string, label: string, read: () => Record<string, number>): void {
  const counted = new Map<string, number>();
  new Counter({
    name, help, labelNames: [label], registers,
    collect() {
      for (const [value, total] of Object.entries(read())) {
        this.inc({ [label]: value }, total - (counted.get(value) ?? 0));
        counted.set(value, total);
      }
    },
  });
}

export function createServerMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const history = new MetricsHistory(sources.now);

  const requests = new Counter({
    name: 'fql_requests_total', help: 'Requests answered, by route and HTTP status.', labelNames: ['route', 'status'], registers,
  });
  const errors = new Counter({
    name: 'fql_query_errors_total', help: 'Error responses, by route and Fauna error code.', labelNames: ['route', 'code'], registers,
  });
  const duration = new Histogram({
    name: 'fql_request_duration_seconds', help: 'Time from a request\'s arrival to its response (for /stream/1: to the start of the stream), by route.',
    labelNames: ['route'], buckets: DURATION_BUCKETS, registers,
  });
  const computeOps = new Counter({ name: 'fql_compute_ops_total', help: 'Compute ops of the queries answered.', registers });
  const readOps = new Counter({ name: 'fql_read_ops_total', help: 'Read ops of the queries answered.', registers });
  const writeOps = new Counter({ name: 'fql_write_ops_total', help: 'Write ops of the queries answered.', registers });
  new Gauge({
    name: 'fql_open_connections', help: 'Open client connections (HTTP/1.1 and HTTP/2).', registers,
    collect() { this.set(sources.connections()); },
  });
  new Gauge({
    name: 'fql_storage_bytes', help: 'Size of the stored data in bytes (SQLite: the data directory\'s files; PostgreSQL: the kv table).', registers,
    async collect() {
      const bytes = await sources.storageBytes();
      history.recordStorageBytes(bytes);
      this.set(bytes);
    },
  });
  const pool = sources.pool;
  if (pool) {
    new Gauge({
      name: 'fql_workers', help: 'Query worker threads, by state.', labelNames: ['state'], registers,
      collect() {
        this.set({ state: 'busy' }, pool.busy);
        this.set({ state: 'idle' }, pool.idle);
      },
    });
    new Gauge({
      name: 'fql_queued_requests', help: 'Requests waiting for a query worker.', registers,
      collect() { this.set(pool.waiting); },
    });
    totalsCounter(registers, 'fql_worker_restarts_total',
      'Query workers terminated and replaced, by reason (deadline overrun; crash or out of memory; preempted: a query past 5 s stopped for a client with nothing running).',
      'reason', () => ({ deadline: pool.counters.terminatedOnDeadline, crash: pool.counters.crashed, preempted: pool.counters.preempted }));
    totalsCounter(registers, 'fql_commit_hand_offs_total',
      'Answering commits a query worker handed off (it took the next request at once), requests run again because such a commit failed, and requests answered time_out because such a commit outlasted their deadline (src/exec/pool/worker-pool.ts), by event.',
      'event', () => ({ handed_off: pool.counters.handedOff, run_again: pool.counters.rerunAfterHandOff, overran: pool.counters.handedOffOverran }));
    totalsCounter(registers, 'fql_requests_refused_total',
      'Requests the worker pool refused with 429, by reason (queue_full: too many waiting; unread: their client held too many response bytes it had not read, --response-buffer-mib; restarts: their client made the pool terminate 3 workers in 30 s).',
      'reason', () => ({ queue_full: pool.counters.overloaded, unread: pool.counters.refusedUnread, restarts: pool.counters.refusedAfterKills }));
  }

  const responses = sources.responses;
  if (responses) {
    new Gauge({
      name: 'fql_unread_response_bytes', help: 'Bytes of responses written and not yet read by their clients (--response-buffer-mib).', registers,
      collect() { this.set(responses.held()); },
    });
  }

  const streams = sources.streams;
  if (streams) {
    new Gauge({
      name: 'fql_event_streams', help: 'Event streams (v10 and v4) open now.', registers,
      collect() { this.set(streams.size); },
    });
    totalsCounter(registers, 'fql_event_streams_refused_total',
      'Event streams refused with 429 at a bound, by bound (address: --max-streams-per-address; total: --max-streams).',
      'bound', () => streams.refused);
  }

  const replicas = sources.readReplicas;
  if (replicas) {
    totalsCounter(registers, 'fql_read_replica_transactions_total',
      'Read-only transactions that may use a read replica, by where they ran (primary: no replica was fresh enough, or up).',
      'served_by', () => ({ replica: replicas.served, primary: replicas.fellBack }));
  }

  const renewals = sources.snapshotRenewals;
  if (renewals) {
    totalsCounter(registers, 'fql_postgres_snapshot_renewals_total',
      'PostgreSQL transactions that outlived --max-snapshot-ms, by how their snapshot renewal ended (renewed: on their connection; reopened: on another, the database having ended theirs for idling; conflict: what they read had changed, the query is rerun).',
      'outcome', () => renewals.renewals);
  }

  // Label children are looked up once: the hot path then does no label hashing.
  const durationOf = new Map(ROUTES.map((r) => [r, duration.labels(r)]));
  const requestChildren = new Map<string, Counter.Internal>();
  const errorChildren = new Map<string, Counter.Internal>();
  const codes = new Set<string>();
  const codeLabel = (code: string): string => {
    if (codes.has(code)) return code;
    if (codes.size >= MAX_CODES) return 'other';
    codes.add(code);
    return code;
  };
  const child = (cache: Map<string, Counter.Internal>, counter: Counter, route: string, label: string): Counter.Internal => {
    const key = `${route} ${label}`;
    let c = cache.get(key);
    if (!c) cache.set(key, (c = counter.labels(route, label)));
    return c;
  };

  const observe = (req: ServerRequest, res: ServerResponse): void => {
    const route = meteredRoute(req.path);
    if (route === undefined) return;
    const seconds = (performance.now() - req.receivedAt) / 1000;
    child(requestChildren, requests, route, String(res.status)).inc();
    durationOf.get(route)!.observe(seconds);
    const report = res.report;
    const code = report?.errorCode === undefined ? undefined : codeLabel(report.errorCode);
    if (code !== undefined) child(errorChildren, errors, route, code).inc();
    const ops = report?.ops;
    if (ops !== undefined) {
      if (ops.compute > 0) computeOps.inc(ops.compute);
      if (ops.read > 0) readOps.inc(ops.read);
      if (ops.write > 0) writeOps.inc(ops.write);
    }
    if (QUERY_ROUTES.has(route)) history.recordQuery(seconds * 1000, code, ops);
  };

  const sampleStorage = async (): Promise<void> => history.recordStorageBytes(await sources.storageBytes());
  // Every history bucket gets a storage sample, whether or not anyone is looking.
  void sampleStorage();
  const sampler = setInterval(() => void sampleStorage(), BUCKET_MS);
  sampler.unref();

  return { registry, history, observe, sampleStorage, close: () => clearInterval(sampler) };
}
