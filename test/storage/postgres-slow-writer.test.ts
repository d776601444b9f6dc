// A writer registers in flight when it begins and newer commits wait for it (commits happen in ts
// order, postgres/engine.ts). A query that writes and then runs until its deadline (a slow
// regular expression, up to x-query-timeout-ms = 10 minutes) used to hold every newer commit of
// every process sharing the database for that long. A writer in flight past WRITER_HOLD_MS that
// a newer commit waits for is now evicted: the newer commit goes ahead and the evicted writer's
// own commit conflicts (the query layer retries it with a new ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KvConflictError, type KvEngine } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { WRITER_HOLD_MS } from '../../src/storage/postgres/sql';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());

describe('postgres: a slow writer holds newer commits for a bounded time', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let a: KvEngine;
  let b: KvEngine;
  before(async () => {
    const url = await freshPgDatabase(PG!);
    // Two engines: two server processes (or query workers) sharing the database.
    [a, b] = await Promise.all([openPostgres(url, { poolSize: 4 }), openPostgres(url, { poolSize: 4 })]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const key = () => encodeKey(['slow-writer', randomBytes(8).toString('hex')]);

  test('a newer commit waits for a slow writer only until it is WRITER_HOLD_MS old, then evicts it', async () => {
    const [k1, k2] = [key(), key()];
    const slow = await a.begin();
    slow.put(k1, Buffer.from('slow'));
    const newer = await b.begin();
    newer.put(k2, Buffer.from('newer'));
    const started = Date.now();
    const outcome = await Promise.race([newer.commit().then(() => 'committed'), sleep(WRITER_HOLD_MS + 4_000).then(() => 'stuck')]);
    const waited = Date.now() - started;
    if (outcome === 'stuck') {
      await slow.rollback(); // lets the stuck commit finish
      assert.fail(`a newer commit was still waiting for the slow writer after ${waited} ms`);
    }
    assert.ok(waited < WRITER_HOLD_MS + 2_000, `waited ${waited} ms`);
    // The evicted writer may not commit at its ts any more: it conflicts, and applies nothing.
    await assert.rejects(slow.commit(), KvConflictError);
    const r = await a.begin({ readOnly: true });
    assert.ok(r.ts > newer.ts);
    assert.equal(text(await r.get(k1)), undefined);
    assert.equal(text(await r.get(k2)), 'newer');
    await r.commit();
  });

  test('a writer past the hold that no commit waits for still commits', async () => {
    const k = key();
    const slow = await a.begin();
    slow.put(k, Buffer.from('slow'));
    await sleep(WRITER_HOLD_MS + 200);
    await slow.commit();
    const r = await b.begin({ readOnly: true });
    assert.equal(text(await r.get(k)), 'slow');
    await r.commit();
  });
});
