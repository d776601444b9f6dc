// Runs the engine suite on PostgreSQL when FQL_TEST_PG holds a connection URL
// (eval "$(scripts/pg-test-cluster.sh start)" provides one), plus multi-process behaviour.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { KvConflictError, type KvEngine, type KvTxn } from '../../src/storage/kv';
import { openStorage } from '../../src/storage/open';
import { openPostgres } from '../../src/storage/postgres/engine';
import { CLOCK_FRESH_MS } from '../../src/storage/postgres/sql';
import { encodeKey } from '../../src/storage/tuple';
import { registerEngineSuite } from './engine-suite';

const url = process.env.FQL_TEST_PG;

if (url === undefined || url === '') {
  test('postgres engine', { skip: 'FQL_TEST_PG is not set (eval "$(scripts/pg-test-cluster.sh start)")' }, () => {});
} else {
  registerEngineSuite({
    name: 'postgres',
    open: () => openPostgres(url, { poolSize: 5 }),
    commitsInTsOrder: true,
    readersShareTs: { clockFreshMs: CLOCK_FRESH_MS },
  });
  registerMultiProcessTests(url);
}

/** Terminates the backend of the writer with timestamp `ts` (it holds the advisory lock keyed by it). */
async function terminateWriterOf(url: string, ts: bigint): Promise<void> {
  const killer = new Client({ connectionString: url });
  await killer.connect();
  try {
    const { rows } = await killer.query<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND mode = 'ExclusiveLock' " +
      'AND ((classid::bigint << 32) | objid::bigint) = $1::bigint',
      [ts.toString()],
    );
    assert.equal(rows[0].n, 1);
  } finally {
    await killer.end();
  }
}

function registerMultiProcessTests(url: string): void {
  const terminateWriter = (ts: bigint) => terminateWriterOf(url, ts);
  describe('postgres: several engine instances on one database (simulated processes)', () => {
    let a: KvEngine;
    let b: KvEngine;
    before(async () => {
      [a, b] = await Promise.all([openPostgres(url, { poolSize: 4 }), openStorage({ url, poolSize: 4 })]);
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    test('openStorage picks PostgreSQL for postgres:// URLs', () => {
      assert.equal(b.kind, 'postgres');
    });

    test('racing increments from two instances give the exact count', async () => {
      const key = encodeKey(['race', randomBytes(8).toString('hex')]);
      const increment = async (engine: KvEngine): Promise<void> => {
        for (;;) {
          const t: KvTxn = await engine.begin();
          try {
            const v = Number(Buffer.from((await t.get(key)) ?? Buffer.from('0')).toString());
            await new Promise((resolve) => setImmediate(resolve));
            t.put(key, Buffer.from(String(v + 1)));
            await t.commit();
            return;
          } catch (err) {
            await t.rollback();
            if (!(err instanceof KvConflictError)) throw err;
          }
        }
      };
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) jobs.push(increment(i % 2 === 0 ? a : b));
      await Promise.all(jobs);
      const r = await a.begin({ readOnly: true });
      assert.equal(Buffer.from((await r.get(key)) as Uint8Array).toString(), '40');
      await r.commit();
    });

    // Readers take the clock as it is (sql.ts CLOCK_FRESH_MS): a reader right after a writer may
    // share its ts, reading that very state; writers' ts strictly increase.
    test('timestamps are strictly increasing across instances, and readers see acknowledged writes', async () => {
      const key = encodeKey(['ts', randomBytes(8).toString('hex')]);
      let last = 0n;
      for (let i = 0; i < 30; i++) {
        const writer = i % 2 === 0 ? a : b;
        const reader = i % 2 === 0 ? b : a;
        const w = await writer.begin();
        assert.ok(w.ts > last);
        w.put(key, Buffer.from(String(w.ts)));
        await w.commit();
        const r = await reader.begin({ readOnly: true });
        assert.ok(r.ts >= w.ts);
        assert.equal(Buffer.from((await r.get(key)) as Uint8Array).toString(), String(w.ts));
        await r.commit();
        last = r.ts;
      }
    });

    // Issue 12: no lock is held across a whole transaction. A reader never waits for a writer of
    // another process (it reads at a ts just below it: src/storage/postgres/sql.ts beginReadSql),
    // and a writer's commit waits only for older writers still in flight, wherever they run.
    test('across instances: readers do not wait for a writer; commits follow ts order', async () => {
      const key = encodeKey(['rw', randomBytes(8).toString('hex')]);
      const older = await a.begin();
      older.put(key, Buffer.from('older'));
      const r = await b.begin({ readOnly: true });
      assert.ok(r.ts < older.ts);
      assert.equal(await r.get(key), undefined);
      await r.commit();
      const newer = await b.begin();
      assert.equal(await newer.get(key), undefined);
      newer.put(key, Buffer.from('newer'));
      let settled = false;
      const newerCommit = newer.commit().then(() => 'committed', (e: unknown) => (e instanceof KvConflictError ? 'conflict' : String(e)))
        .finally(() => { settled = true; });
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(settled, false);
      await older.commit();
      // `newer` read the key `older` wrote, before `older` committed: it may not commit after it.
      assert.equal(await newerCommit, 'conflict');
      const after = await b.begin({ readOnly: true });
      assert.ok(after.ts > older.ts);
      assert.equal(Buffer.from((await after.get(key)) as Uint8Array).toString(), 'older');
      await after.commit();
    });

    test('under contention a new writer waits at begin for the older ones, and then cannot conflict', async () => {
      const key = encodeKey(['hot', randomBytes(8).toString('hex')]);
      const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());
      // A conflict puts engine `a` in contention mode (src/storage/postgres/engine.ts CONTENTION_MS).
      const older = await a.begin();
      const newer = await a.begin();
      older.put(key, Buffer.from('older'));
      assert.equal(await newer.get(key), undefined);
      newer.put(encodeKey(['hot-other', randomBytes(8).toString('hex')]), Buffer.from('x'));
      const lost = newer.commit().then(() => 'committed', (e: unknown) => (e instanceof KvConflictError ? 'conflict' : String(e)));
      await older.commit();
      assert.equal(await lost, 'conflict');
      const w1 = await a.begin();
      w1.put(key, Buffer.from('w1'));
      let begun = false;
      const w2Promise = a.begin().then((t) => { begun = true; return t; });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(begun, false);
      await w1.commit();
      const w2 = await w2Promise;
      assert.equal(text(await w2.get(key)), 'w1');
      w2.put(key, Buffer.from('w2'));
      await w2.commit();
    });

    test('a writer whose session died no longer holds newer commits', async () => {
      const key = encodeKey(['dead', randomBytes(8).toString('hex')]);
      const doomed = await a.begin();
      await doomed.get(key);
      await terminateWriter(doomed.ts);
      // An engine that opens now removes the dead writer's registration: readers' ts moves past it.
      const fresh = await openPostgres(url, { poolSize: 2 });
      try {
        const early = await fresh.begin({ readOnly: true });
        await early.commit();
        assert.ok(early.ts > doomed.ts, `reader ts ${early.ts}, dead writer ${doomed.ts}`);
      } finally {
        await fresh.close();
      }
      const w = await b.begin();
      w.put(key, Buffer.from('after'));
      await w.commit();
      await doomed.rollback();
      const r = await a.begin({ readOnly: true });
      assert.ok(r.ts > w.ts);
      assert.equal(Buffer.from((await r.get(key)) as Uint8Array).toString(), 'after');
      await r.commit();
    });

    // Noticed in issue 12: a crashed writer's registration held readers' ts below it until the
    // next commit or engine open; every server now removes such registrations each second.
    test('a writer whose session died stops holding readers back within seconds, with no commit', async () => {
      const doomed = await a.begin();
      await terminateWriter(doomed.ts);
      const deadline = Date.now() + 5_000;
      let ts: bigint;
      for (;;) {
        const r = await b.begin({ readOnly: true });
        await r.commit();
        ts = r.ts;
        if (ts > doomed.ts || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(ts > doomed.ts, `reader ts ${ts}, dead writer ${doomed.ts}`);
      await doomed.rollback();
    });

    test('concurrent first starts on a fresh database migrate exactly once', async () => {
      const dbName = `fql_mig_${randomBytes(6).toString('hex')}`;
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      try {
        const freshUrl = new URL(url);
        freshUrl.pathname = `/${dbName}`;
        const engines = await Promise.all([1, 2, 3].map(() => openPostgres(freshUrl.toString(), { poolSize: 2 })));
        const t = await engines[0].begin();
        t.put(encodeKey(['m']), Buffer.from('ok'));
        await t.commit();
        const r = await engines[2].begin({ readOnly: true });
        assert.equal(Buffer.from((await r.get(encodeKey(['m']))) as Uint8Array).toString(), 'ok');
        await r.commit();
        await Promise.all(engines.map((e) => e.close()));
        const check = new Client({ connectionString: freshUrl.toString() });
        await check.connect();
        try {
          const { rows } = await check.query('SELECT version FROM kv_migrations ORDER BY version');
          assert.deepEqual(rows, [1, 2, 3, 4, 5].map((version) => ({ version })));
        } finally {
          // Still connected, the database could not be dropped below, and the suite would hang.
          await check.end();
        }
      } finally {
        await admin.query(`DROP DATABASE ${dbName}`);
        await admin.end();
      }
    });
  });
}
