// Thread hops of the isolated path on PostgreSQL (issue 12): a query worker runs its read-only
// transactions on connections of its own (src/exec/pool/pg-read-kv.ts), so a read query costs
// the coordinator no begin, no read and no message; read-write transactions still go through
// the coordinator's engine. Driven through a real worker pool over a fresh database, with the
// coordinator's engine counting the transactions it begins. Needs FQL_TEST_PG.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it, test } from 'node:test';
import type { KvEngine } from '../../src/storage/kv';
import { SERVER_APPLICATION, WORKER_APPLICATION, openPostgres } from '../../src/storage/postgres/engine';
import { WorkerPool } from '../../src/exec/pool/worker-pool';
import { createPooledHandlers } from '../../src/exec/pool/pooled-handlers';
import type { QueryHandlers } from '../../src/exec/handlers';
import type { ServerRequest } from '../../src/server/http-types';
import { freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

function request(query: string): ServerRequest {
  const body = Buffer.from(JSON.stringify({ query }));
  return {
    method: 'POST', path: '/query/1', query: new URLSearchParams(), httpVersion: '1.1',
    headers: { authorization: 'Bearer secret' },
    receivedAt: performance.now(), body: async () => body, signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
  };
}

async function data(h: QueryHandlers, query: string): Promise<unknown> {
  const res = await h.query(request(query));
  const body = JSON.parse(String(res.body));
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data;
}

/** The coordinator's engine, counting the transactions it begins, read-only or not. */
function counting(engine: KvEngine): { engine: KvEngine; begun: { readOnly: number; readWrite: number } } {
  const begun = { readOnly: 0, readWrite: 0 };
  const wrapped: KvEngine = {
    kind: engine.kind,
    sharedReadUrl: engine.sharedReadUrl,
    begin: (opts) => {
      if (opts?.readOnly === true) begun.readOnly++;
      else begun.readWrite++;
      return engine.begin(opts);
    },
    close: () => engine.close(),
  };
  return { engine: wrapped, begun };
}

if (PG === undefined || PG === '') {
  test('query workers read PostgreSQL themselves', { skip: 'FQL_TEST_PG is not set (eval "$(scripts/pg-test-cluster.sh start)")' }, () => {});
} else {
  describe('query workers read PostgreSQL themselves', () => {
    let url: string;
    let engine: KvEngine;
    let begun: { readOnly: number; readWrite: number };
    let pool: WorkerPool;
    let h: QueryHandlers;

    before(async () => {
      url = await freshPgDatabase(PG);
      const opened = await openPostgres(url, { poolSize: 5 });
      ({ engine, begun } = counting(opened));
      pool = new WorkerPool({
        engine, worker: { rootSecrets: ['secret'], rootSecretHashes: [], bcryptCost: 4 },
        minWorkers: 1, maxWorkers: 1, reserveWorkers: 1, workerMemoryMb: 128, graceMs: 100,
      });
      h = createPooledHandlers(pool);
    });

    after(async () => {
      await pool.close();
      await engine.close();
    });

    it('offers the database to its workers only without read replicas', async () => {
      assert.equal(engine.sharedReadUrl, url);
      const withReplica = await openPostgres(url, { poolSize: 3, replicas: { urls: [url], maxLagMs: 1000 } });
      try {
        assert.equal(withReplica.sharedReadUrl, undefined);
      } finally {
        await withReplica.close();
      }
    });

    it('a read query begins nothing on the coordinator; a write does, and the next read sees it', async () => {
      await data(h, 'Collection.create({ name: "P" })');
      const id = await data(h, 'P.create({ n: 1 }).id');
      const before = { ...begun };
      for (let i = 0; i < 5; i++) assert.deepEqual(await data(h, `P.byId("${id}")!.n`), 1);
      assert.equal(await data(h, 'P.all().count()'), 1);
      assert.equal(await data(h, '1 + 1'), 2);
      assert.deepEqual(begun, before, 'read queries began transactions on the coordinator');
      // A write is acknowledged by the coordinator; a read begun after it (in the worker, on
      // another connection) sees it: the reader's ts comes from the database's clock.
      for (let n = 2; n <= 4; n++) {
        await data(h, `P.byId("${id}")!.update({ n: ${n} })`);
        assert.equal(await data(h, `P.byId("${id}")!.n`), n);
      }
      assert.ok(begun.readWrite > before.readWrite);
      assert.equal(begun.readOnly, before.readOnly);
    });

    it('a query guessed read-only that writes runs again through the coordinator', async () => {
      // A query text seen for the first time is taken as read-only (run-query.ts); this one
      // writes, fails in the worker's reader and runs again read-write, once.
      const before = { ...begun };
      assert.equal(await data(h, 'P.create({ n: 41 }); P.where(.n == 41).count()'), 1);
      assert.equal(begun.readWrite, before.readWrite + 1);
      assert.equal(begun.readOnly, before.readOnly);
    });

    it('the worker reads on connections of its own, at most two, named as such', async () => {
      const name = new URL(url).pathname.slice(1);
      await Promise.all(Array.from({ length: 8 }, () => data(h, 'P.all().count()')));
      const rows = await pgRows<{ app: string; n: number }>(PG,
        `SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE datname = '${name}' GROUP BY 1 ORDER BY 1`);
      const by = new Map(rows.map((r) => [r.app, r.n]));
      const workers = by.get(WORKER_APPLICATION) ?? 0;
      assert.ok(workers >= 1 && workers <= 2, JSON.stringify(rows));
      assert.ok((by.get(SERVER_APPLICATION) ?? 0) >= 1, JSON.stringify(rows));
    });
  });
}
