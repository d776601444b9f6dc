// A PostgreSQL connection runs one statement at a time. A transaction's concurrent reads are sent
// one after another, and a transaction that ends while some are still in flight (a query failed
// while other reads of it were pending) gives its connection back only once they are answered,
// so the next transaction on it never queues behind them (postgres/txn.ts). `pg` warns when a
// query is sent on a connection still executing one (it queues it, and says pg@9 will not): no
// warning may appear.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPostgres } from '../../src/storage/postgres/engine';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

test('a transaction ended with reads in flight does not hand its connection on before they are answered', { skip: PG ? false : 'FQL_TEST_PG is not set' }, async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  // One connection (and so one writer at most): every transaction reuses it.
  const engine = await openPostgres(await freshPgDatabase(PG!), { poolSize: 1 });
  try {
    const k = (n: number) => encodeKey(['in-flight', n]);
    const w = await engine.begin();
    for (let i = 0; i < 20; i++) w.put(k(i), new Uint8Array([i]));
    await w.commit();
    for (const readOnly of [true, false]) {
      const t = await engine.begin({ readOnly });
      const pending = Array.from({ length: 20 }, (_, i) => t.get(k(i)));
      await t.rollback();
      const next = await engine.begin({ readOnly: true });
      assert.equal((await next.get(k(7)))?.[0], 7);
      await next.commit();
      // The abandoned reads were answered (or failed) on their own.
      await Promise.allSettled(pending);
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((m) => m.includes('already executing')), []);
  } finally {
    process.off('warning', onWarning);
    await engine.close();
  }
});
