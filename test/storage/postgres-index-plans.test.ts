// PostgreSQL caches a statement's plan per connection: a named statement's (the engine's point
// reads and scans), and each statement of the commit functions, after their first five runs. A
// plan cached while `kv` held a few rows (a server started on a new database) was a sequential
// scan, and stayed one as the table grew, until the connection ended or something made
// PostgreSQL plan again (autovacuum's ANALYZE): every create's check of its new key (fql_commit's
// `absent`) read the whole table meanwhile, inside the ordered part of the commit. In the bench
// (session 15), 7,380 creates read 57 million rows; with 300,000 rows in kv, a server made 37
// creates/s. The engine's connections now price sequential scans out (src/storage/postgres/sql.ts
// INDEX_PLANS).
//
// Here the plans are made on a table of a few rows, then the table grows by 50,000 rows without
// anything that would make PostgreSQL plan again (no ANALYZE: autovacuum is off for `kv`), and
// the same connections run the same statements: none of them may scan `kv` whole.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { KvEngine } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('postgres: plans use the primary key however small the table was when they were made', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let url: string;
  let engine: KvEngine | undefined;
  before(async () => {
    url = await freshPgDatabase(PG!);
    // Migrate and create the tables, then stop autovacuum's ANALYZE from re-planning (an ALTER
    // TABLE does, so it comes before any plan is cached).
    await (await openPostgres(url, { poolSize: 2 })).close();
    await pgRows(url, 'ALTER TABLE kv SET (autovacuum_enabled = false)');
  });
  after(async () => {
    await engine?.close();
  });

  /** Keys the workloads wrote so far (the scans' expected row count follows from it). */
  let written = 0;
  /** A create's transaction (requires its new key absent), a point read and a range scan. */
  async function workload(e: KvEngine, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const k = encodeKey(['plans', 'docs', randomBytes(8).toString('hex')]);
      const w = await e.begin();
      w.requireAbsent!(k);
      w.put(k, Buffer.from('doc'));
      await w.commit();
      written++;
      const r = await e.begin({ readOnly: true });
      assert.equal(Buffer.from((await r.get(k))!).toString(), 'doc');
      const rows = await r.scan({ start: encodeKey(['plans', 'docs']), end: encodeKey(['plans', 'docs', 'z']), limit: 2 });
      assert.equal(rows.length, Math.min(written, 2));
      await r.commit();
    }
  }

  /** Sequential scans of kv so far and the rows they read, once idle backends have reported theirs (at most a second after their last transaction). */
  async function kvScans(): Promise<{ scans: number; rows: number }> {
    await sleep(2_000);
    const [row] = await pgRows<{ s: string; r: string }>(url, "SELECT seq_scan::text AS s, seq_tup_read::text AS r FROM pg_stat_user_tables WHERE relname = 'kv'");
    return { scans: Number(row.s), rows: Number(row.r) };
  }

  test('creates, point reads and scans on connections whose plans were made on a tiny kv do not scan it whole', async () => {
    engine = await openPostgres(url, { poolSize: 2 });
    await workload(engine, 40);
    // 50,000 rows under another prefix: inserts make PostgreSQL plan nothing again.
    await pgRows(url, "INSERT INTO kv SELECT '\\xfffe'::bytea || int8send(g), '\\x00'::bytea FROM generate_series(1, 50000) g");
    const before = await kvScans();
    await workload(engine, 40);
    await engine.close();
    engine = undefined;
    const afterwards = await kvScans();
    assert.deepEqual(
      { scans: afterwards.scans - before.scans, rows: afterwards.rows - before.rows }, { scans: 0, rows: 0 },
      'sequential scans of kv (and the rows they read) by the second workload',
    );
  });
});
