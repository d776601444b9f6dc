// x-last-txn-ts (v10) and X-Last-Seen-Txn (v4): a query never reads a state older than the
// transaction time the client has already seen (core RequestParams `lastSeenTxn`; fauna-js
// sends the last txn_ts it saw, faunadb-js the last X-Txn-Time). On the embedded engine one
// process serves everything; on PostgreSQL every process takes its ts from the database's one
// clock, so a write acknowledged by one process is seen by a read through another that carries
// its ts, and the read's own ts is not earlier. (Read replicas: test/e2e/read-replicas.test.ts.)
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { freshPgDatabase, rawQuery, readsMayShareTs, startServer, type TestServer } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

/** POST / (FQL v4) with the root secret; the response's body and X-Txn-Time. */
async function v4(server: TestServer, body: unknown, lastSeen?: bigint): Promise<{ resource: any; txnTime: bigint }> {
  const r = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: { authorization: 'Bearer secret', ...(lastSeen === undefined ? {} : { 'x-last-seen-txn': String(lastSeen) }) },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as { resource: unknown };
  assert.equal(r.status < 300, true, JSON.stringify(json));
  return { resource: json.resource, txnTime: BigInt(r.headers.get('x-txn-time')!) };
}

async function v10(server: TestServer, query: string, lastTxnTs?: bigint): Promise<{ data: any; ts: bigint }> {
  const r = await rawQuery(server.url, { query }, lastTxnTs === undefined ? {} : { 'x-last-txn-ts': String(lastTxnTs) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { data: r.body.data, ts: BigInt(r.body.txn_ts) };
}

/** Writes through `writer`, then reads through `reader` with the write's ts, `rounds` times. */
function causalTests(servers: () => [writer: TestServer, reader: TestServer]): void {
  it('x-last-txn-ts: a read carrying a write\'s txn_ts sees that write, at no earlier ts', async () => {
    const [writer, reader] = servers();
    await v10(writer, 'Collection.create({ name: "Seen" })');
    for (let i = 1; i <= 20; i++) {
      const w = await v10(writer, `Seen.create({ i: ${i} }); Seen.all().count()`);
      assert.equal(w.data, i);
      const r = await v10(reader, 'Seen.all().count()', w.ts);
      assert.deepEqual([r.data, r.ts >= w.ts], [i, true], `round ${i}: read at ${r.ts} after write at ${w.ts}`);
    }
  });

  it('X-Last-Seen-Txn (v4): a read carrying a write\'s X-Txn-Time sees that write', async () => {
    const [writer, reader] = servers();
    await v4(writer, { create_collection: { object: { name: 'SeenV4' } } });
    for (let i = 1; i <= 10; i++) {
      const w = await v4(writer, { create: { collection: 'SeenV4' }, params: { object: { data: { object: { i } } } } });
      const r = await v4(reader, { count: { documents: { collection: 'SeenV4' } } }, w.txnTime);
      assert.deepEqual([r.resource, r.txnTime >= w.txnTime], [i, true], `round ${i}`);
    }
  });
}

describe('causal reads on one server (the engine of this pass)', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.dispose(); });
  causalTests(() => [server, server]);

  it('hostile values: any Long is taken and never waited for nor moves the clock; others get core\'s message', async () => {
    // Core RequestParams.scala: LastTxnTs and LastSeenTxn parse `str.toLongOption`, else
    // `Invalid timestamp '<value>'.` inside RequestParams.InvalidHeader's `Invalid header '<name>': `.
    const before = await v10(server, '1');
    for (const v of ['9223372036854775807', '-5', '+5']) {
      const t = performance.now();
      const r = await v10(server, 'Time.now().toMicros()', BigInt(v));
      assert.ok(performance.now() - t < 2000, `waited for ${v}`);
      // A read may share the ts of the one before it on PostgreSQL (readsMayShareTs), never go back.
      const later = readsMayShareTs() ? r.ts >= before.ts : r.ts > before.ts;
      assert.ok(later && r.ts < before.ts + 60_000_000n, `txn_ts ${r.ts} after ${v}`);
      const w = await v4(server, { add: [1, 1] }, BigInt(v));
      assert.equal(w.resource, 2);
      assert.ok(w.txnTime < before.ts + 60_000_000n, `X-Txn-Time ${w.txnTime} after ${v}`);
    }
    // The clock did not jump: the next write's ts is near now.
    const after = await v10(server, 'Collection.create({ name: "AfterHostileTs" }); 1');
    assert.ok(after.ts < before.ts + 60_000_000n, `txn_ts ${after.ts}`);
    for (const v of ['abc', '1e5', '99999999999999999999', '5.0']) {
      const r10 = await rawQuery(server.url, { query: '1' }, { 'x-last-txn-ts': v });
      assert.deepEqual([r10.status, r10.body.error], [400, { code: 'invalid_request', message: `Invalid header 'x-last-txn-ts': Invalid timestamp '${v}'.` }]);
      const r4 = await fetch(`${server.url}/`, { method: 'POST', headers: { authorization: 'Bearer secret', 'x-last-seen-txn': v }, body: '1' });
      assert.deepEqual([r4.status, await r4.json()],
        [400, { errors: [{ code: 'bad request', description: `Invalid header 'x-last-seen-txn': Invalid timestamp '${v}'.` }] }]);
    }
    // X-Query-Timeout (v4) follows core's AbstractTimeout like x-query-timeout-ms.
    const timeout = async (v: string) => {
      const r = await fetch(`${server.url}/`, { method: 'POST', headers: { authorization: 'Bearer secret', 'x-query-timeout': v }, body: '1' });
      return [r.status, await r.json()];
    };
    assert.deepEqual(await timeout('-5'), [400, { errors: [{ code: 'bad request', description: "Invalid header 'x-query-timeout': Must be greater than 0." }] }]);
    assert.deepEqual(await timeout('x'), [400, { errors: [{ code: 'bad request', description: "Invalid header 'x-query-timeout': Invalid number 'x'." }] }]);
  });
});

if (PG === undefined || PG === '') {
  test('causal reads across two server processes on PostgreSQL', {
    skip: 'FQL_TEST_PG is not set (eval "$(bash scripts/pg-test-cluster.sh start)")',
  }, () => {});
} else if (process.env.FQL_TEST_STORAGE !== 'postgres') {
  describe('causal reads across two server processes on PostgreSQL', () => {
    let servers: TestServer[] = [];
    before(async () => {
      const storage = await freshPgDatabase(PG);
      servers = [await startServer({ storage }), await startServer({ storage })];
    });
    after(async () => { await Promise.all(servers.map((s) => s.dispose())); });
    causalTests(() => [servers[0], servers[1]]);
  });
}
