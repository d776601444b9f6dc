// Thread hops of the isolated path on PostgreSQL (issue 12): a query worker runs its
// transactions on connections of its own (postgres/engine.ts openPostgresForWorker), so a query
// costs the coordinator no begin, read, commit or message. Driven through a real worker pool over
// a fresh database, with the coordinator's engine counting the transactions it begins (none) and
// watching commits (a worker's commits are announced to it). Needs FQL_TEST_PG.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it, test } from 'node:test';
import type { Bytes, KvEngine } from '../../src/storage/kv';
import { CHANGE_LOG_PREFIX } from '../../src/model/keys';
import { SERVER_APPLICATION, WORKER_APPLICATION, openPostgres, type PostgresEngineHandle } from '../../src/storage/postgres/engine';
import { WorkerPool } from '../../src/exec/pool/worker-pool';
import { createPooledHandlers } from '../../src/exec/pool/pooled-handlers';
import type { QueryHandlers } from '../../src/exec/handlers';
import type { ServerRequest } from '../../src/server/http-types';
import { freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

function request(query: string, timeoutMs?: number): ServerRequest {
  const body = Buffer.from(JSON.stringify({ query }));
  return {
    method: 'POST', path: '/query/1', query: new URLSearchParams(), httpVersion: '1.1',
    headers: { authorization: 'Bearer secret', ...(timeoutMs !== undefined ? { 'x-query-timeout-ms': String(timeoutMs) } : {}) },
    receivedAt: performance.now(), body: async () => body, signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
  };
}

async function data(h: QueryHandlers, query: string, timeoutMs?: number): Promise<unknown> {
  const res = await h.query(request(query, timeoutMs));
  const body = JSON.parse(String(res.body));
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data;
}

/** The coordinator's engine, counting the transactions it begins, read-only or not. */
function counting(engine: KvEngine): { engine: KvEngine; begun: { readOnly: number; readWrite: number } } {
  const begun = { readOnly: 0, readWrite: 0 };
  const wrapped: KvEngine = {
    kind: engine.kind,
    sharedUrl: engine.sharedUrl,
    shared: engine.shared,
    begin: (opts) => {
      if (opts?.readOnly === true) begun.readOnly++;
      else begun.readWrite++;
      return engine.begin(opts);
    },
    close: () => engine.close(),
  };
  return { engine: wrapped, begun };
}

/**
 * Catastrophic backtracking that V8's linear fallback does not take (worker-pool.test.ts): holds
 * the worker until the coordinator terminates it.
 */
const REGEX_BOMB = '"😀aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!".matches("(a+)+$")';

if (PG === undefined || PG === '') {
  test('query workers run their transactions on PostgreSQL themselves', { skip: 'FQL_TEST_PG is not set (eval "$(scripts/pg-test-cluster.sh start)")' }, () => {});
} else {
  describe('query workers run their transactions on PostgreSQL themselves', () => {
    let url: string;
    let opened: PostgresEngineHandle;
    let engine: KvEngine;
    let begun: { readOnly: number; readWrite: number };
    let pool: WorkerPool;
    let h: QueryHandlers;
    const announced: { ts: bigint; keys?: readonly Bytes[] }[] = [];

    before(async () => {
      url = await freshPgDatabase(PG);
      opened = await openPostgres(url, { poolSize: 5 });
      opened.watchCommits(CHANGE_LOG_PREFIX, (n) => announced.push(n));
      ({ engine, begun } = counting(opened));
      pool = new WorkerPool({
        engine, worker: { rootSecrets: ['secret'], rootSecretHashes: [], bcryptCost: 4, watchedPrefixes: [CHANGE_LOG_PREFIX] },
        minWorkers: 1, maxWorkers: 1, reserveWorkers: 1, workerMemoryMb: 128, graceMs: 100,
      });
      h = createPooledHandlers(pool);
    });

    after(async () => {
      await pool.close();
      await engine.close();
    });

    it('offers the database to its workers only without read replicas', async () => {
      assert.equal(engine.sharedUrl, url);
      const withReplica = await openPostgres(url, { poolSize: 3, replicas: { urls: [url], maxLagMs: 1000 } });
      try {
        assert.equal(withReplica.sharedUrl, undefined);
      } finally {
        await withReplica.close();
      }
    });

    it('reads and writes begin nothing on the coordinator; each read sees the writes acknowledged before it', async () => {
      await data(h, 'Collection.create({ name: "P" })');
      const id = await data(h, 'P.create({ n: 1 }).id');
      for (let i = 0; i < 3; i++) assert.deepEqual(await data(h, `P.byId("${id}")!.n`), 1);
      assert.equal(await data(h, 'P.all().count()'), 1);
      for (let n = 2; n <= 4; n++) {
        await data(h, `P.byId("${id}")!.update({ n: ${n} })`);
        assert.equal(await data(h, `P.byId("${id}")!.n`), n);
      }
      // A query guessed read-only that writes (a text seen for the first time, run-query.ts)
      // fails in its reader and runs again read-write, in the worker too.
      assert.equal(await data(h, 'P.create({ n: 41 }); P.where(.n == 41).count()'), 1);
      assert.deepEqual(begun, { readOnly: 0, readWrite: 0 });
    });

    it("a worker's commits are announced to the server's watchers (event streams)", async () => {
      const before = announced.length;
      await data(h, 'P.create({ n: 5 })');
      const deadline = Date.now() + 5_000;
      while (announced.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(announced.length > before, 'no commit notification heard');
      const n = announced[announced.length - 1];
      assert.ok(n.keys !== undefined && n.keys.length > 0);
      for (const k of n.keys!) assert.deepEqual(k.subarray(0, CHANGE_LOG_PREFIX.length), CHANGE_LOG_PREFIX);
    });

    it('a worker terminated mid-transaction leaves nothing behind and holds no later writer', async () => {
      const started = pool.counters.terminatedOnDeadline;
      const res = await h.query(request(`P.create({ n: 99 }); ${REGEX_BOMB}`, 300));
      assert.equal(res.status, 440, String(res.body));
      assert.equal(pool.counters.terminatedOnDeadline, started + 1);
      // Its connection closed with the thread: its transaction ended, its lock is free, so later
      // writers commit at once; its write is not there.
      const t0 = Date.now();
      assert.equal(await data(h, 'P.create({ n: 100 }); P.where(.n == 100).count()'), 1);
      assert.ok(Date.now() - t0 < 3_000, `the next write took ${Date.now() - t0} ms`);
      assert.equal(await data(h, 'P.where(.n == 99).count()'), 0);
    });

    it('the worker holds its own connections, named as a worker\'s, at most three', async () => {
      const name = new URL(url).pathname.slice(1);
      await Promise.all(Array.from({ length: 8 }, () => data(h, 'P.all().count()')));
      const rows = await pgRows<{ app: string; n: number }>(PG,
        `SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE datname = '${name}' GROUP BY 1 ORDER BY 1`);
      const by = new Map(rows.map((r) => [r.app, r.n]));
      const workers = by.get(WORKER_APPLICATION) ?? 0;
      assert.ok(workers >= 1 && workers <= 3, JSON.stringify(rows));
      assert.ok((by.get(SERVER_APPLICATION) ?? 0) >= 1, JSON.stringify(rows));
    });
  });
}
