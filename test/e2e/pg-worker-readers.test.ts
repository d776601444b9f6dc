// Issue 12 (PostgreSQL throughput): query workers run read-only queries on PostgreSQL
// connections of their own (src/exec/pool/local-pg-kv.ts) instead of sending every read to the
// main thread; writers still go through the main thread's pool. The readers are the engine's
// (src/storage/postgres/engine.ts): a read through a worker sees every acknowledged write, at a
// later txn_ts.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPgDatabase, pgRows, rawQuery, startServer, type TestServer } from '../helpers/server';
import { READERS_APPLICATION_NAME } from '../../src/storage/postgres/engine';

const PG = process.env.FQL_TEST_PG;

async function v10(server: TestServer, query: string): Promise<{ data: any; ts: bigint }> {
  const r = await rawQuery(server.url, { query });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { data: r.body.data, ts: BigInt(r.body.txn_ts) };
}

if (PG === undefined || PG === '') {
  test('query workers read PostgreSQL themselves', { skip: 'FQL_TEST_PG is not set' }, () => {});
} else {
  describe('query workers read PostgreSQL themselves', () => {
    let server: TestServer;
    let storage: string;
    before(async () => {
      storage = await freshPgDatabase(PG);
      server = await startServer({ storage });
    });
    after(async () => {
      await server?.dispose();
    });

    it('runs read-only queries on worker connections, and they see every acknowledged write', async () => {
      await v10(server, 'Collection.create({ name: "Note" })');
      for (let i = 1; i <= 10; i++) {
        const w = await v10(server, `Note.create({ i: ${i} }).id`);
        const r = await v10(server, `Note.byId("${w.data}")!.i`);
        assert.deepEqual([r.data, r.ts > w.ts], [i, true], `read at ${r.ts} after write at ${w.ts}`);
      }
      const db = new URL(storage).pathname.slice(1);
      const sessions = await pgRows<{ n: number }>(PG,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${db}' AND application_name = '${READERS_APPLICATION_NAME}'`);
      assert.ok(sessions[0].n >= 1, `worker reader sessions: ${sessions[0].n}`);
    });
  });
}
