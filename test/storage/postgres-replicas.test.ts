// The read-replica set (src/storage/postgres/replicas.ts) against a real streaming standby of
// the test cluster (scripts/pg-test-cluster.sh replica): which reads it takes, the ts it gives
// them, and how it fails (never by failing the read outright). End to end: test/e2e/read-replicas.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'pg';
import { KvConflictError, KvReadOnlyError, type WatchedEngine } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { ReplicaSet } from '../../src/storage/postgres/replicas';
import { encodeKey } from '../../src/storage/tuple';
import { freePort, freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const CLUSTER = process.env.FQL_PG_CLUSTER_DIR;
const SCRIPT = resolve(__dirname, '..', '..', '..', 'scripts', 'pg-test-cluster.sh');

if (!PG || !CLUSTER) {
  test('postgres read replicas', { skip: 'FQL_TEST_PG / FQL_PG_CLUSTER_DIR not set (eval "$(bash scripts/pg-test-cluster.sh start)")' }, () => {});
} else {
  registerTests(PG, CLUSTER);
}


function registerTests(pgUrl: string, clusterDir: string): void {
  describe('postgres read replicas', () => {
    let replicaDir: string | undefined;
    let primaryUrl: string;
    let replicaUrl: string;
    let engine: WatchedEngine;
    let primary: Pool;
    const sets: ReplicaSet[] = [];
    const key = encodeKey(['replica-test']);

    /** A replica set that polls once at creation (and then rarely: the tests decide). */
    const replicaSet = (urls: string[]): ReplicaSet => {
      const s = new ReplicaSet(primary, { urls, pollMs: 60_000 });
      sets.push(s);
      return s;
    };

    /** Waits until the standby has replayed all the primary has written. */
    const caughtUp = async (): Promise<void> => {
      const [{ lsn }] = await pgRows<{ lsn: string }>(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
      for (let i = 0; ; i++) {
        const ok = await pgRows<{ ok: boolean }>(replicaUrl, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`).then((r) => r[0].ok, () => false);
        if (ok) return;
        if (i > 500) throw new Error('the standby did not catch up');
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    /** A set whose first poll has answered (primary and standby positions known). */
    const polledSet = async (urls: string[]): Promise<ReplicaSet> => {
      const s = replicaSet(urls);
      await new Promise((r) => setTimeout(r, 300));
      return s;
    };

    before(async () => {
      const out = execFileSync('bash', [SCRIPT, 'replica'], { env: { ...process.env, FQL_PG_CLUSTER_DIR: clusterDir }, encoding: 'utf8' });
      const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      replicaDir = env.FQL_PG_REPLICA_DIR;
      primaryUrl = await freshPgDatabase(pgUrl);
      const u = new URL(env.FQL_TEST_PG_REPLICA);
      u.pathname = new URL(primaryUrl).pathname;
      replicaUrl = u.toString();
      engine = await openPostgres(primaryUrl, { poolSize: 4 });
      primary = new Pool({ connectionString: primaryUrl, max: 2 });
      const w = await engine.begin();
      w.put(key, Buffer.from('one'));
      await w.commit();
      // A read moves the clock past the write.
      await (await engine.begin({ readOnly: true })).commit();
      await caughtUp();
    });

    after(async () => {
      await Promise.all(sets.map((s) => s.close()));
      await primary?.end();
      await engine?.close();
      if (replicaDir) execFileSync('bash', [SCRIPT, 'replica-stop'], { env: { ...process.env, FQL_PG_REPLICA_DIR: replicaDir }, stdio: 'ignore' });
    });

    test('a read the standby covers runs there, at the ts of its snapshot; writes are refused', async () => {
      const set = await polledSet([replicaUrl]);
      const [{ ts: clock }] = await pgRows<{ ts: string }>(replicaUrl, 'SELECT ts FROM kv_clock WHERE id = 1');
      const txn = await set.begin(0n);
      assert.ok(txn !== undefined);
      // The snapshot's ts is its stable point; the primary's heartbeat may have moved it on since.
      assert.ok(txn.ts >= BigInt(clock), `${txn.ts} >= ${clock}`);
      assert.equal(Buffer.from((await txn.get(key))!).toString(), 'one');
      assert.throws(() => txn.put(key, Buffer.from('two')), KvReadOnlyError);
      await txn.commit();
      assert.deepEqual(set.stats, { served: 1, fellBack: 0 });
    });

    test('a read the standby does not cover goes to the primary', async () => {
      const set = await polledSet([replicaUrl]);
      const [{ ts: clock }] = await pgRows<{ ts: string }>(replicaUrl, 'SELECT ts FROM kv_clock WHERE id = 1');
      assert.equal(await set.begin(BigInt(clock) + 3_600_000_000n), undefined);
      assert.deepEqual(set.stats, { served: 0, fellBack: 1 });
    });

    test('a standby that fails mid-transaction fails the read with a conflict (retried) and is skipped', async () => {
      const set = await polledSet([replicaUrl]);
      const txn = await set.begin(0n);
      assert.ok(txn !== undefined);
      await pgRows(replicaUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
      await assert.rejects(txn.get(key), (e: unknown) => e instanceof KvConflictError && e.detail.startsWith('read replica failed: '));
      await txn.rollback();
      // Marked down until its next poll: the next read goes to the primary.
      assert.equal(await set.begin(0n), undefined);
    });

    test('an unreachable standby sends reads to the primary', async () => {
      const u = new URL(replicaUrl);
      u.port = String(await freePort());
      const set = await polledSet([u.toString()]);
      assert.equal(await set.begin(0n), undefined);
      assert.deepEqual(set.stats, { served: 0, fellBack: 1 });
    });
  });
}
