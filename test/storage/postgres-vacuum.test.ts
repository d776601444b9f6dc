// Each server vacuums the commit protocol's tables every second (src/storage/postgres/sql.ts
// VACUUM_PROTOCOL_TABLES): every transaction deletes or replaces rows of kv_running, kv_writes
// and kv_clock, and every begin and commit reads them from their low end, so dead versions
// autovacuum had not reached yet made engine creates fall from 895/s to 455/s within a minute
// on the test cluster (session 10).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { KvEngine } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('postgres: the protocol tables are vacuumed every second', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let url: string;
  let engine: KvEngine;
  before(async () => {
    url = await freshPgDatabase(PG!);
    engine = await openPostgres(url, { poolSize: 4 });
  });
  after(async () => {
    await engine?.close();
  });

  test('dead rows of kv_running, kv_writes and kv_clock are removed within a few seconds', async () => {
    for (let i = 0; i < 300; i++) {
      const w = await engine.begin();
      w.put(encodeKey(['vacuum', randomBytes(8).toString('hex')]), Buffer.from('x'));
      await w.commit();
    }
    type Row = { relname: string; vacuum_count: string; n_dead_tup: string };
    const stats = () => pgRows<Row>(url,
      `SELECT relname, vacuum_count, n_dead_tup FROM pg_stat_user_tables WHERE relname IN ('kv_running', 'kv_writes', 'kv_clock') ORDER BY relname`);
    let rows: Row[] = [];
    for (let waited = 0; waited < 10_000; waited += 250) {
      await sleep(250);
      rows = await stats();
      // Manual VACUUMs (not autovacuum, which counts apart) of all three, after the writes.
      if (rows.length === 3 && rows.every((r) => Number(r.vacuum_count) >= 2 && Number(r.n_dead_tup) < 50)) break;
    }
    assert.deepEqual(rows.map((r) => r.relname), ['kv_clock', 'kv_running', 'kv_writes']);
    for (const r of rows) {
      assert.ok(Number(r.vacuum_count) >= 2, `${r.relname} vacuumed ${r.vacuum_count} times`);
      assert.ok(Number(r.n_dead_tup) < 50, `${r.relname} holds ${r.n_dead_tup} dead rows`);
    }
  });
});
