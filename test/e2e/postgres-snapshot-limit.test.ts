// On PostgreSQL a long-running query no longer holds one snapshot for as long as it runs
// (--max-snapshot-ms, src/storage/postgres/sql.ts SNAPSHOT_MAX_MS): an open snapshot keeps the
// commit protocol's replaced rows from VACUUM and slowed every process's transactions (issue 12:
// creates 395/s → 127/s under one 70-second snapshot). The query still reads one consistent
// state: it moves to a newer snapshot only if everything it read reads the same there, and is
// otherwise rerun like any conflict (Fauna's OCC retry; the driver sees one answer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fql, type Client } from 'fauna';
import { pgRows, startServer, type TestServer } from '../helpers/server';

const ON_PG = process.env.FQL_TEST_STORAGE === 'postgres' && !!process.env.FQL_TEST_PG;
const LIMIT_MS = 200;

describe('PostgreSQL: --max-snapshot-ms bounds a long query\'s snapshot', { skip: ON_PG ? false : 'servers of this run are not on PostgreSQL' }, () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer({ args: ['--max-snapshot-ms', String(LIMIT_MS)] });
    client = server.client();
    await client.query(fql`Collection.create({ name: "Counter" })`);
    await client.query(fql`Collection.create({ name: "Other" })`);
    await client.query(fql`Counter.create({ id: "1", n: 1 }); Counter.create({ id: "2", n: 1 })`);
  });
  after(async () => {
    await server?.dispose();
  });

  /** The oldest transaction open on the server's database (ms), sampled every 50 ms while `run` runs. */
  async function oldestTransactionWhile<T>(run: Promise<T>): Promise<{ result: T; oldestMs: number }> {
    let oldestMs = 0;
    let done = false;
    const sampling = (async () => {
      while (!done) {
        const [row] = await pgRows<{ ms: number | null }>(server.storage!,
          `SELECT (extract(epoch FROM max(clock_timestamp() - xact_start)) * 1000)::float8 AS ms
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`);
        oldestMs = Math.max(oldestMs, row.ms ?? 0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      return { result: await run, oldestMs };
    } finally {
      done = true;
      await sampling;
    }
  }

  // Reads one document, computes without reading (8,000 of the 12,000 compute ops a query may
  // use: about 0.5 s here, more on a loaded machine; always past LIMIT_MS), then reads another.
  // (A document read twice is read from storage once: the second read is the first's.)
  const readComputeRead = fql`
    let before = Counter.byId("1")!.n
    let sum = Set.sequence(0, 200000).reduce((a, b) => a + b)
    { before: before, after: Counter.byId("2")!.n, sum: sum }`;
  const SUM = 199999 * 200000 / 2;
  type Result = { before: number; after: number; sum: number };
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a query computing past the limit between its reads moves to a newer snapshot; no transaction stays open much longer', async () => {
    const started = Date.now();
    const running = oldestTransactionWhile(client.query<Result>(readComputeRead));
    await later(LIMIT_MS / 2);
    // Written while the query computes, into nothing it reads.
    const unrelated = await client.query(fql`Other.create({ x: 1 })`);
    const { result, oldestMs } = await running;
    const took = Date.now() - started;
    assert.deepEqual(result.data, { before: 1, after: 1, sum: SUM });
    assert.ok(took > LIMIT_MS * 1.5, `the query took only ${took} ms: it tests nothing`);
    // Its reads were unchanged in the newer snapshot: it went on there, at a later ts.
    assert.ok(result.txn_ts! > unrelated.txn_ts!, `query ts ${result.txn_ts} is not past ${unrelated.txn_ts}`);
    assert.ok(oldestMs < LIMIT_MS * 3, `a transaction stayed open ${Math.round(oldestMs)} ms of the query's ${took} (limit ${LIMIT_MS})`);
  });

  it('documents changed while a query computes: the query is rerun and reads the newer state', async () => {
    const running = client.query<Result>(readComputeRead, { max_contention_retries: 5 });
    await later(LIMIT_MS / 2);
    const update = await client.query(fql`Counter.byId("1")!.update({ n: 2 }); Counter.byId("2")!.update({ n: 2 })`);
    const result = await running;
    // Not before = 1 and after = 2 (two states), nor 1 and 1 (a snapshot kept for the whole query).
    assert.deepEqual({ before: result.data.before, after: result.data.after }, { before: 2, after: 2 });
    assert.ok(result.txn_ts! >= update.txn_ts!, `query ts ${result.txn_ts} is before the update's ${update.txn_ts}`);
  });

  it('/metrics counts the renewals by outcome', async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
    const count = (outcome: string) => Number(new RegExp(`^fql_postgres_snapshot_renewals_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    // The queries above computed past the limit without reading: the database ended their
    // connections, and they renewed on others (reopened), or found their reads changed (conflict).
    assert.ok(count('reopened') >= 1, `reopened: ${count('reopened')}`);
    assert.ok(count('conflict') >= 1, `conflict: ${count('conflict')}`);
    // Present (a missing line reads NaN, which fails), whatever its count.
    assert.ok(count('renewed') >= 0);
  });
});
