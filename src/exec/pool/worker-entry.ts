// A query worker: a thread that runs untrusted query code for the coordinator. It is the
// composition root of everything that evaluates queries (parser, evaluator, model, endpoints)
// over its storage engine: on the embedded engine begin and commit are messages to the
// coordinator and the worker reads the database file itself; on PostgreSQL the worker runs its
// transactions on connections of its own. It runs one request at a time; the coordinator
// terminates it (and rolls back or, on PostgreSQL, drops its transaction) when a request
// overruns its deadline or the thread runs out of memory, so nothing here can stall or crash
// the server.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { RootKeyChecker } from '../../auth/root-key';
import { setPasswordCost } from '../../auth/passwords';
import { providerKeys } from '../../auth/jwks';
import { ANSWERED_WITH_COMMIT, type ServerRequest, type ServerResponse } from '../../server/http-types';
import { createQueryHandlers } from '../handlers';
import { setIdNode } from '../../model/ids';
import type { FromWorker, RequestMessage, ResponseMessage, ToWorker } from './protocol';
import { RemoteKvEngine } from './remote-kv';
import { LocalReadKvEngine } from './local-read-kv';
import { openPostgresForWorker } from '../../storage/postgres/engine';
import type { WorkerConfig } from './worker-config';

/**
 * PostgreSQL connections per worker (opened on demand, closed after 10 s idle): it runs one
 * request at a time, whose transaction holds one, while the previous reader's may still be
 * parked (postgres/engine.ts PARK_MS); the engine lets writers hold all but two (at least one).
 */
const PG_CONNECTIONS = 3;

/** A worker's requests are never cancelled from inside it (the coordinator ends the thread). */
const NEVER_ABORTED = new AbortController().signal;

function toServerRequest(m: RequestMessage): ServerRequest {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  return {
    method: m.method,
    path: m.path,
    query: new URLSearchParams(m.query),
    headers: m.headers,
    httpVersion: m.httpVersion,
    receivedAt: m.receivedAtEpoch - performance.timeOrigin,
    body: () => Promise.resolve(body),
    signal: NEVER_ABORTED,
    ...(m.rerun !== undefined ? { rerun: m.rerun } : {}),
  };
}

async function bodyOf(res: ServerResponse): Promise<string | Uint8Array | undefined> {
  const b = res.body;
  if (b === undefined || typeof b === 'string' || b instanceof Uint8Array) return b;
  const parts: Buffer[] = [];
  for await (const chunk of b) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

function start(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-entry runs only as a worker thread');
  const config = workerData as WorkerConfig;
  setPasswordCost(config.bcryptCost);
  setIdNode(config.idNode, config.idNodeOffset);
  const remote = new RemoteKvEngine(config.engineKind, port);
  // On the embedded engine the worker reads the database file itself (no message per read); on
  // PostgreSQL it runs its transactions on connections of its own (no message at all).
  const engine = config.sqliteFile !== undefined ? new LocalReadKvEngine(remote, config.sqliteFile)
    : config.postgres !== undefined ? openPostgresForWorker(config.postgres.url, PG_CONNECTIONS, config.watchedPrefixes ?? [], config.postgres.shared)
    : remote;
  const rootKeys = new RootKeyChecker({ secrets: config.rootSecrets, hashes: config.rootSecretHashes });
  const handlers = createQueryHandlers({ engine, isRoot: (c) => rootKeys.isRoot(c.secret) });
  const send = (m: FromWorker): void => port.postMessage(m);
  // The bytes of an events job's answer (a view of a buffer made for that answer alone:
  // job-wire.ts) move to the coordinator instead of being cloned (a page of feed events is
  // hundreds of kilobytes; cloning a view would copy all of its buffer); other routes' bodies
  // may be shared buffers, which moving would empty here.
  const respond = (m: ResponseMessage, route: RequestMessage['route']): void => {
    const b = m.body;
    if (route !== 'events' || !(b instanceof Uint8Array)) return send(m);
    port.postMessage(m, [b.buffer as ArrayBuffer]);
  };

  // The request running now (the coordinator sends one at a time). This worker never fetches
  // access provider keys: a request that needs them is handed back to the coordinator, which
  // fetches them on the main thread without holding this worker and sends the request again
  // (protocol.ts NeedKeysMessage). The handed-back run is left waiting for ever (it holds no
  // transaction: beginAttempt rolled it back first) and is collected.
  let current: RequestMessage | undefined;
  providerKeys.delegateTo({
    need: (want) => {
      const m = current;
      // Obtained once already for this request: look once more, then refuse.
      if (!m || m.keys !== undefined) return Promise.resolve();
      current = undefined;
      send({ type: 'needKeys', id: m.id, want, body: m.body });
      return new Promise<void>(() => undefined);
    },
    stale: (uri) => send({ type: 'refreshKeys', uri }),
  });

  port.on('message', (m: ToWorker) => {
    if (m.type === 'kv') {
      remote.receive(m);
      return;
    }
    if (m.type === 'keys') {
      providerKeys.install(m.uri, m.state);
      return;
    }
    if (m.ack !== undefined) {
      // The previous request's answering commit succeeded: let its run finish first (its
      // continuations are queued by this resolve), then start this one.
      remote.receive({ type: 'kv', id: m.ack, ok: true });
      setImmediate(() => run(m));
      return;
    }
    run(m);
  });

  function run(m: RequestMessage): void {
    current = m;
    if (m.keys?.state) providerKeys.install(m.keys.uri, m.keys.state);
    remote.offer(m.pre, m.id, m.rerunnable === true);
    handlers[m.route](toServerRequest(m))
      .then(async (res) => res === ANSWERED_WITH_COMMIT ? undefined : respond({ type: 'response', id: m.id, status: res.status, headers: res.headers, body: await bodyOf(res), report: res.report }, m.route))
      .catch((e: unknown) => send({
        type: 'response', id: m.id, status: 500, headers: { 'content-type': 'application/json;charset=utf-8' }, report: { errorCode: 'internal_error' },
        body: JSON.stringify({ error: { code: 'internal_error', message: `Internal server error: ${e instanceof Error ? e.message : String(e)}` } }),
      }));
  }
  send({ type: 'ready' });
}

start();
