// Read replicas (README "Read replicas"): a real streaming standby of the test cluster, built
// with pg_basebackup -R (scripts/pg-test-cluster.sh replica). Read-only queries are served by
// the standby when its snapshot is at least as new as the client's x-last-txn-ts (Fauna's
// causal guarantee: fauna-js sends the last txn_ts it saw, see its client's `lastTxnTs`), else
// by the primary; writes always reach the primary; a standby that is down never fails a query.
// Proof that the standby served a read: with its replay paused, a read whose x-last-txn-ts the
// standby covers sees the state from before a later write, which only the standby still has.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Client, fql } from 'fauna';
import { freshPgDatabase, pgRows, rawQuery, startServer, type TestServer } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const CLUSTER = process.env.FQL_PG_CLUSTER_DIR;
const SCRIPT = resolve(__dirname, '..', '..', '..', 'scripts', 'pg-test-cluster.sh');
const NAME = 'read replicas (a streaming standby of the test cluster)';

if (!PG || !CLUSTER) {
  test(NAME, { skip: 'FQL_TEST_PG / FQL_PG_CLUSTER_DIR not set (eval "$(bash scripts/pg-test-cluster.sh start)")' }, () => {});
} else if (process.env.FQL_TEST_STORAGE === 'postgres') {
  test(NAME, { skip: 'already run in the first pass' }, () => {});
} else {
  registerReplicaTests(PG, CLUSTER);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function registerReplicaTests(pgUrl: string, clusterDir: string): void {
  describe(NAME, () => {
    let replicaEnv: Record<string, string> = {};
    let primaryDb: string;
    let replicaDb: string;
    /** Reads may come from the standby: lag bound large enough for a paused standby. */
    let viaReplica: TestServer;
    /** Same standby, but reads without x-last-txn-ts may not lag the primary at all. */
    let strict: TestServer;
    const clients: Client[] = [];

    const query = async (server: TestServer, q: string, lastTxnTs?: bigint) => {
      const r = await rawQuery(server.url, { query: q }, lastTxnTs === undefined ? {} : { 'x-last-txn-ts': String(lastTxnTs) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { data: r.body.data, ts: BigInt(r.body.txn_ts) };
    };

    /** GET /metrics: read-only transactions by where they ran. */
    const servedBy = async (server: TestServer): Promise<{ replica: number; primary: number }> => {
      const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
      const count = (by: string) => Number(new RegExp(`^fql_read_replica_transactions_total\\{served_by="${by}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
      return { replica: count('replica'), primary: count('primary') };
    };

    /** Waits until the standby has replayed everything the primary has written so far. */
    const caughtUp = async () => {
      const [{ lsn }] = await pgRows<{ lsn: string }>(primaryDb, 'SELECT pg_current_wal_lsn()::text AS lsn');
      await until('the standby to catch up', async () =>
        (await pgRows<{ ok: boolean }>(replicaDb, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`))[0].ok);
    };

    before(async () => {
      const out = execFileSync('bash', [SCRIPT, 'replica'], { env: { ...process.env, FQL_PG_CLUSTER_DIR: clusterDir }, encoding: 'utf8' });
      for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) replicaEnv[m[1]] = m[2];
      primaryDb = await freshPgDatabase(pgUrl);
      const u = new URL(replicaEnv.FQL_TEST_PG_REPLICA);
      u.pathname = new URL(primaryDb).pathname;
      replicaDb = u.toString();
      viaReplica = await startServer({ storage: primaryDb, args: ['--read-replica', replicaDb, '--read-replica-max-lag-ms', '600000'] });
      strict = await startServer({ storage: primaryDb, args: ['--read-replica', replicaDb, '--read-replica-max-lag-ms', '0'] });
    });

    after(async () => {
      for (const c of clients.splice(0)) c.close();
      await Promise.all([viaReplica, strict].filter((s) => s !== undefined).map((s) => s.dispose()));
      if (replicaEnv.FQL_PG_REPLICA_DIR) {
        execFileSync('bash', [SCRIPT, 'replica-stop'], { env: { ...process.env, FQL_PG_REPLICA_DIR: replicaEnv.FQL_PG_REPLICA_DIR }, stdio: 'ignore' });
      }
    });

    it('serves reads from the standby only when it covers x-last-txn-ts; writes reach the primary', async () => {
      // Writes: through a server with a standby, on the primary (the standby refuses writes).
      await query(viaReplica, 'Collection.create({ name: "Item" })');
      const created = await query(viaReplica, 'Item.create({ v: 1 }) { id, v }');
      assert.deepEqual(created.data.v, 1);
      const id: string = created.data.id;
      const t1 = created.ts;
      // A read on the primary moves the clock past t1 (the standby's snapshot ts is its clock
      // minus one while writers take their ts before writing: see replicas.ts).
      await query(strict, `Item.byId("${id}")!.v`);
      await caughtUp();
      await pgRows(replicaDb, 'SELECT pg_wal_replay_pause()');
      await until('replay to pause', async () =>
        (await pgRows<{ s: string }>(replicaDb, 'SELECT pg_get_wal_replay_pause_state() AS s'))[0].s === 'paused');

      const updated = await query(viaReplica, `Item.byId("${id}")!.update({ v: 2 }).v`);
      assert.equal(updated.data, 2);
      const t2 = updated.ts;
      assert.ok(t2 > t1);
      await sleep(200); // a few of the servers' polls of the standby's position

      // Covered by the paused standby: served there, so it still sees v = 1, at a ts in [t1, t2).
      const before = await servedBy(viaReplica);
      const old = await query(viaReplica, `Item.byId("${id}")!.v`, t1);
      assert.equal(old.data, 1);
      assert.ok(old.ts >= t1 && old.ts < t2, `replica snapshot ts ${old.ts} in [${t1}, ${t2})`);
      assert.deepEqual(await servedBy(viaReplica), { replica: before.replica + 1, primary: before.primary });
      // Without x-last-txn-ts, within the allowed lag: the standby too.
      assert.equal((await query(viaReplica, `Item.byId("${id}")!.v`)).data, 1);

      // The client has seen t2: the standby is too old, the primary answers.
      const fresh = await query(viaReplica, `Item.byId("${id}")!.v`, t2);
      // At or after t2: a read right after a write may share its ts (src/storage/postgres/sql.ts CLOCK_FRESH_MS).
      assert.deepEqual([fresh.data, fresh.ts >= t2], [2, true]);
      assert.deepEqual(await servedBy(viaReplica), { replica: before.replica + 2, primary: before.primary + 1 });
      // The driver sends the last txn_ts it saw by itself.
      const driver = new Client({ endpoint: new URL(viaReplica.url), secret: 'secret', format: 'simple' });
      clients.push(driver);
      await driver.query(fql`Item.byId(${id})!.update({ w: 1 })`);
      assert.equal((await driver.query(fql`Item.byId(${id})!.v`)).data, 2);
      // No lag allowed: a read without x-last-txn-ts goes to the primary too.
      assert.equal((await query(strict, `Item.byId("${id}")!.v`)).data, 2);

      // A query that writes begins read-only on the standby, then reruns on the primary: it
      // computes from the primary's state (2 + 1), not the standby's (1 + 1).
      const bumped = await query(viaReplica, `let d = Item.byId("${id}")!; d.update({ v: d.v + 1 }).v`);
      assert.equal(bumped.data, 3);

      await pgRows(replicaDb, 'SELECT pg_wal_replay_resume()');
      await caughtUp();
      await sleep(200);
      assert.equal((await query(viaReplica, `Item.byId("${id}")!.v`, t1)).data, 3);
    });

    it('never serves a read older than x-last-txn-ts while the standby streams (writes through another process)', async (t) => {
      await query(strict, 'Collection.create({ name: "Racing" })');
      const before = await servedBy(viaReplica);
      for (let i = 1; i <= 20; i++) {
        const w = await query(strict, `Racing.create({ i: ${i} }); Racing.all().count()`);
        // At once (the standby has not replayed the write yet: the primary answers), then a
        // little later (the standby may have caught up) and later still.
        for (const wait of [0, 20, 60]) {
          await sleep(wait);
          const r = await query(viaReplica, 'Racing.all().count()', w.ts);
          assert.deepEqual([r.data, r.ts >= w.ts], [i, true], `round ${i} +${wait} ms: read at ${r.ts}, write at ${w.ts}`);
        }
      }
      const now = await servedBy(viaReplica);
      t.diagnostic(`60 reads: ${now.replica - before.replica} on the standby, ${now.primary - before.primary} on the primary`);
      assert.ok(now.replica > before.replica, 'the standby served some');
    });

    it('falls back to the primary when the standby is down', async () => {
      const created = await query(viaReplica, 'Item.create({ v: 10 }) { id, ts }');
      const id: string = created.data.id;
      execFileSync('bash', [SCRIPT, 'replica-stop'], { env: { ...process.env, FQL_PG_REPLICA_DIR: replicaEnv.FQL_PG_REPLICA_DIR }, stdio: 'ignore' });
      delete replicaEnv.FQL_PG_REPLICA_DIR;
      // Right away (the servers may still think it is up) and after they noticed.
      let v = 10;
      for (const pause of [0, 300]) {
        await sleep(pause);
        assert.equal((await query(viaReplica, `Item.byId("${id}")!.v`)).data, v);
        assert.equal((await query(viaReplica, `Item.byId("${id}")!.v`, created.ts)).data, v);
        v++;
        assert.equal((await query(viaReplica, `Item.byId("${id}")!.update({ v: ${v} }).v`)).data, v);
      }
    });
  });
}
