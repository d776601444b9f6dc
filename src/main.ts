#!/usr/bin/env node
// Entry point and composition root: parse configuration, open storage, build the query
// runtime (a pool of isolated query workers, or the handlers in this thread with --workers 0),
// serve HTTP until SIGINT/SIGTERM, then shut down gracefully (stop accepting, finish in-flight
// requests, stop the workers, close storage).
import v8 from 'node:v8';
import { ConfigError, type ServerConfig, USAGE, parseConfig } from './config';
import { RootKeyChecker } from './auth/root-key';
import { createApp } from './server/app';
import { listen } from './server/listen';
import { createStaticFiles, defaultDashboardDir } from './server/static-files';
import { openStorage } from './storage/open';
import { startHistorySweeper } from './model/temporal/history';
import { ensureCursorKey } from './model/cursor-key';
import { wireRuntime } from './exec/wiring';
import { setPasswordCost } from './auth/passwords';
import { providerKeys } from './auth/jwks';
import { jwksFetcher } from './auth/jwks-fetch';
import type { QueryHandlers } from './exec/handlers';
import { WorkerPool } from './exec/pool/worker-pool';
import { createPooledHandlers } from './exec/pool/pooled-handlers';
import { withTimeoutCap } from './server/timeout-cap';
import type { KvEngine, WatchedEngine } from './storage/kv';
import { StreamHub } from './streams/stream-hub';
import { CHANGE_LOG_PREFIX } from './model/keys';
import { createJobRunner } from './streams/job-runner';
import { createFeedEndpoint, createStreamEndpoint } from './streams/endpoints';
import { createV4StreamEndpoint } from './v4/streams/endpoint';
import { createServerMetrics } from './server/metrics/registry';
import { createMetricsEndpoint } from './server/metrics/endpoint';
import { storageSize } from './server/metrics/storage-size';
import { ResponseBacklog } from './server/response-backlog';

// Regular expressions in queries are untrusted: past a bound on backtracking, V8 re-runs them
// on its linear-time engine (patterns it supports: no backreferences or lookaround), so
// catastrophic backtracking costs linear time; the rest is bounded by the worker deadline.
// Set before any worker starts: V8 flags are process-wide.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--regexp-backtracks-before-fallback=10000');
// V8 drops the bytecode of functions that have not run for a while, and with it their optimized
// code: after 45 s without queries, `1 + 1` under h2load restarted at 1,390 q/s (against 4,150
// before the pause) and needed about 10 s to recover, every worker compiling the runtime again.
// Kept, it restarted at 3,210 q/s and was back to full speed within 3 s (the bare HTTP/2 floor
// shows no such dip). The cost is the runtime's bytecode staying in memory in each worker.
v8.setFlagsFromString('--no-flush-bytecode');

interface QueryRuntime {
  readonly handlers: QueryHandlers;
  /** The worker pool, when queries run in workers. */
  readonly pool?: WorkerPool;
  close(): Promise<void>;
}

function queryRuntime(config: ServerConfig, engine: KvEngine, rootKeys: RootKeyChecker, responses: ResponseBacklog): QueryRuntime {
  if (config.workers === 0) {
    // Loaded only here: with workers, the coordinator never loads the query handlers (it wires
    // the model and standard library only for the expiry sweeper).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { createQueryHandlers } = require('./exec/handlers') as typeof import('./exec/handlers');
    return { handlers: createQueryHandlers({ engine, isRoot: (c) => rootKeys.isRoot(c.secret) }), close: async () => undefined };
  }
  const pool = new WorkerPool({
    engine,
    worker: {
      rootSecrets: config.rootSecrets, rootSecretHashes: config.rootSecretHashes, bcryptCost: config.bcryptCost,
      // What the event streams watch (stream-hub.ts): commits made in workers announce it.
      watchedPrefixes: [CHANGE_LOG_PREFIX],
    },
    maxWorkers: config.workers,
    workerMemoryMb: config.workerMemoryMb,
    idleMs: config.workerIdleMs,
    clientConcurrency: config.clientConcurrency,
    responses,
  });
  return { handlers: createPooledHandlers(pool), pool, close: () => pool.close() };
}

/** /stream/1, /feed/1 and v4 /stream: their jobs run where queries run (the `events` route of the runtime). */
function eventRoutes(config: ServerConfig, engine: WatchedEngine, handlers: QueryHandlers, responses: ResponseBacklog) {
  const runJob = createJobRunner(handlers.events);
  const hub = new StreamHub({
    engine, runJob, statusIntervalMs: config.streamStatusIntervalMs,
    maxStreams: config.maxStreams, maxStreamsPerAddress: config.maxStreamsPerAddress,
    maxBufferedBytesTotal: config.maxStreamBufferMb * 1024 * 1024,
  });
  return { hub, stream: createStreamEndpoint(hub), feed: createFeedEndpoint({ engine, runJob, responses }), v4Stream: createV4StreamEndpoint(hub) };
}

async function start(config: ServerConfig): Promise<void> {
  setPasswordCost(config.bcryptCost);
  const engine = await openStorage(config.storageUrl !== undefined
    ? { url: config.storageUrl, maxSnapshotMs: config.maxSnapshotMs, replicas: { urls: config.readReplicas, maxLagMs: config.readReplicaMaxLagMs } }
    : { dataDir: config.dataDir });
  // Set cursors authenticate their snapshot times with the store's key (src/model/cursor-key.ts).
  await ensureCursorKey(engine);
  const rootKeys = new RootKeyChecker({ secrets: config.rootSecrets, hashes: config.rootSecretHashes });
  // The process's one JWKS fetcher (query workers never fetch: src/auth/jwks.ts).
  providerKeys.useFetcher(jwksFetcher({ allowPrivateAddresses: config.allowPrivateJwks }));
  // Responses clients have not read yet: counted by the transport, refused by the pool.
  const responses = new ResponseBacklog(config.limits.responseBufferBytes);
  const runtime = queryRuntime(config, engine, rootKeys, responses);
  // An operator's bound on query timeouts (src/server/timeout-cap.ts).
  const query = withTimeoutCap(runtime.handlers.query, 'x-query-timeout-ms', config.maxQueryTimeoutMs);
  const v4 = withTimeoutCap(runtime.handlers.v4, 'x-query-timeout', config.maxQueryTimeoutMs);
  const { schema } = runtime.handlers;
  const { stream, feed, v4Stream, hub } = eventRoutes(config, engine, runtime.handlers, responses);
  const storageBytes = storageSize(config.storageUrl !== undefined ? { url: config.storageUrl } : { dataDir: config.dataDir });
  // The server's connection count exists once it listens, after the app (and its metrics).
  let connections = (): number => 0;
  const metrics = createServerMetrics({
    pool: runtime.pool, responses: { held: () => responses.held() }, connections: () => connections(), storageBytes: storageBytes.read, readReplicas: engine.replicaStats, snapshotRenewals: engine.shared, streams: hub,
  });
  const metricsRoute = createMetricsEndpoint({ metrics, isRoot: (s) => rootKeys.isRoot(s), isPublic: config.publicMetrics });
  const app = createApp({ routes: { query, schema, v4, stream, feed, v4Stream, metrics: metricsRoute, dashboard: createStaticFiles(defaultDashboardDir()) }, onResponse: metrics.observe });
  const server = await listen(app, { port: config.port, host: config.host, limits: config.limits, responses });
  connections = server.connections;
  // The sweeper removes expired documents here, on the main thread, through the model (their
  // index entries, computed fields included): it needs the runtime wired as query workers have it.
  wireRuntime();
  const stopSweeper = startHistorySweeper(engine);
  const storage = config.storageUrl !== undefined ? `postgres ${redactUrl(config.storageUrl)}` : `sqlite ${config.dataDir}`;
  const isolation = config.workers === 0 ? 'in the main thread (no isolation)' : `in up to ${config.workers} worker threads`;
  console.log(`fql-server listening on http://${config.host}:${server.port} (storage: ${storage}; queries run ${isolation})`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    stopSweeper();
    hub.close();
    metrics.close();
    server.close()
      .then(() => runtime.close())
      .then(() => storageBytes.close())
      .then(() => engine.close())
      .then(() => process.exit(0), (err: unknown) => {
        console.error('shutdown failed:', err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Hide the password of a connection URL in logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function main(): void {
  let config: ServerConfig | 'help';
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  start(config).catch((err: unknown) => {
    console.error('failed to start:', err);
    process.exit(1);
  });
}

main();
