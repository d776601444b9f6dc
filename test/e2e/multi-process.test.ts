// Two server processes on one PostgreSQL database (runs only when FQL_TEST_PG is set): they
// serve the same data with the serializable outcome for conflicting writes from both sides,
// schema changes made through one are seen by the next query on the other, txn_ts is strictly
// increasing across both, and killing one with SIGKILL under load loses no acknowledged write.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql, type Query, type QueryValue } from 'fauna';
import { freshPgDatabase, startServer, type TestServer } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

if (PG === undefined || PG === '') {
  test('two server processes on one PostgreSQL database', {
    skip: 'FQL_TEST_PG is not set (eval "$(bash scripts/pg-test-cluster.sh start)")',
  }, () => {});
} else if (process.env.FQL_TEST_STORAGE === 'postgres') {
  // scripts/run-tests.js repeats the e2e suites on PostgreSQL; this one already ran on it.
  test('two server processes on one PostgreSQL database', { skip: 'already run in the first pass' }, () => {});
} else {
  registerMultiProcessTests(PG);
}

function registerMultiProcessTests(pgUrl: string): void {
  describe('two server processes on one PostgreSQL database', () => {
    let storage: string;
    let servers: TestServer[] = [];
    const clients: Client[] = [];

    /** A driver client on `server` that retries contention as far as Fauna allows. */
    function clientOf(server: TestServer, secret = 'secret'): Client {
      const c = new Client({
        endpoint: new URL(server.url), secret, format: 'simple', query_timeout_ms: 30_000, max_contention_retries: 7,
      });
      clients.push(c);
      return c;
    }

    async function data<T>(client: Client, q: Query<QueryValue>): Promise<T> {
      return (await client.query(q)).data as T;
    }

    let a: Client;
    let b: Client;

    before(async () => {
      storage = await freshPgDatabase(pgUrl);
      // Started one after the other on purpose: the first migrates, the second finds it done.
      servers = [await startServer({ storage }), await startServer({ storage })];
      [a, b] = servers.map((s) => clientOf(s));
    });

    after(async () => {
      for (const c of clients.splice(0)) c.close();
      await Promise.all(servers.map((s) => s.dispose()));
    });

    it('serves the same data from both processes', async () => {
      await a.query(fql`Collection.create({ name: "Shared" })`);
      const doc = await data<{ id: string }>(a, fql`Shared.create({ v: "from a" })`);
      assert.equal(await data(b, fql`Shared.byId(${doc.id})!.v`), 'from a');
      await b.query(fql`Shared.byId(${doc.id})!.update({ v: "from b" })`);
      assert.equal(await data(a, fql`Shared.byId(${doc.id})!.v`), 'from b');
    });

    it('lets exactly one of many racing creates per email win, across both processes', async () => {
      await a.query(fql`Collection.create({
        name: "Account",
        indexes: { byEmail: { terms: [{ field: ".email" }] } },
        constraints: [{ unique: ["email"] }]
      })`);
      const emails = Array.from({ length: 15 }, (_, i) => `user${i}@example.com`);
      const racers = [a, b, clientOf(servers[0]), clientOf(servers[1])];
      const outcomes = await Promise.all(emails.flatMap((email) => racers.map(async (c) => {
        try {
          await c.query(fql`Account.create({ email: ${email} })`);
          return 'created';
        } catch (e) {
          assert.ok(e instanceof ServiceError, String(e));
          assert.equal(e.code, 'constraint_failure', e.message);
          return 'duplicate';
        }
      })));
      assert.equal(outcomes.filter((o) => o === 'created').length, emails.length);
      const counts = await data<number[]>(b, fql`${emails}.map(e => Account.byEmail(e).count())`);
      assert.deepEqual(counts, emails.map(() => 1));
      assert.equal(await data(a, fql`Account.all().count()`), emails.length);
    });

    it('counts every increment from both processes exactly once', async () => {
      await a.query(fql`Collection.create({ name: "Counter" })`);
      const id = (await data<{ id: string }>(a, fql`Counter.create({ n: 0 })`)).id;
      const perClient = 8;
      const incrementers = [a, b, clientOf(servers[0]), clientOf(servers[1]), clientOf(servers[0]), clientOf(servers[1])];
      await Promise.all(incrementers.map(async (c) => {
        for (let i = 0; i < perClient; i++) {
          await c.query(fql`Counter.byId(${id})!.update({ n: Counter.byId(${id})!.n + 1 })`);
        }
      }));
      assert.equal(await data(b, fql`Counter.byId(${id})!.n`), incrementers.length * perClient);
    });

    it('sees a schema change made through one process in the next query on the other', async () => {
      await a.query(fql`Collection.create({ name: "Fresh" })`);
      await b.query(fql`Fresh.create({ x: 1 }); Fresh.create({ x: 2 })`);
      await b.query(fql`Fresh.definition.update({ indexes: { byX: { terms: [{ field: ".x" }] } } })`);
      assert.equal(await data(a, fql`Fresh.byX(2).count()`), 1);
      await a.query(fql`Fresh.definition.update({ constraints: [{ unique: ["x"] }] })`);
      await assert.rejects(b.query(fql`Fresh.create({ x: 1 })`),
        (e: unknown) => e instanceof ServiceError && e.code === 'constraint_failure');
      await b.query(fql`Fresh.definition.delete()`);
      await assert.rejects(a.query(fql`Fresh.all().count()`),
        (e: unknown) => e instanceof ServiceError && e.message === 'Unbound variable `Fresh`');

      // Roles are cached per process by schema version: a change through one process must
      // reach the other's cache.
      await a.query(fql`Collection.create({ name: "Guarded" })`);
      await a.query(fql`Role.create({ name: "reader", privileges: [{ resource: "Guarded", actions: { read: true } }] })`);
      const secret = (await data<{ secret: string }>(a, fql`Key.create({ role: "reader" })`)).secret;
      const keyOnB = clientOf(servers[1], secret);
      assert.equal(await data(keyOnB, fql`Guarded.all().count()`), 0);
      await assert.rejects(keyOnB.query(fql`Guarded.create({})`),
        (e: unknown) => e instanceof ServiceError && e.code === 'permission_denied');
      await a.query(fql`Role.byName("reader")!.update({ privileges: [{ resource: "Guarded", actions: { read: true, create: true } }] })`);
      await keyOnB.query(fql`Guarded.create({})`);
      assert.equal(await data(keyOnB, fql`Guarded.all().count()`), 1);
    });

    // Writes get strictly increasing ts; a read may share the ts of the query before it (readers
    // take the clock without advancing it: src/storage/postgres/sql.ts CLOCK_FRESH_MS), never go back.
    it('gives strictly increasing txn_ts to writes across both processes, reads never older, interleaved', async () => {
      await a.query(fql`Collection.create({ name: "Tick" })`);
      const id = (await data<{ id: string }>(a, fql`Tick.create({ n: 0 })`)).id;
      let last = 0n;
      let lastWritten = 0;
      for (let i = 1; i <= 40; i++) {
        const c = i % 2 === 0 ? a : b;
        const write = i % 4 < 2;
        const r = write
          ? await c.query(fql`Tick.byId(${id})!.update({ n: ${i} }).n`)
          : await c.query(fql`Tick.byId(${id})!.n`);
        const ts = BigInt(r.txn_ts!);
        assert.ok(write ? ts > last : ts >= last, `${write ? 'write' : 'read'} txn_ts ${ts} after ${last} (query ${i})`);
        // Either process sees the last acknowledged write, whichever process made it.
        if (write) lastWritten = i;
        assert.equal(r.data, lastWritten);
        last = ts;
      }
    });

    it('loses no acknowledged write when one process is killed with SIGKILL under load', async () => {
      await a.query(fql`Collection.create({ name: "Durable" })`);
      // A process of its own, reached only through clients that kill() closes: the driver shares
      // one HTTP/2 session per endpoint, and a session still held by another client would keep
      // the victim's requests in flight waiting.
      const victim = await startServer({ storage });
      const survivor = servers[1];
      const acked: { id: string; n: number }[] = [];
      let stop = false;
      const load = (server: TestServer, base: number) => Array.from({ length: 4 }, async (_, w) => {
        const c = server === victim ? victim.client({ format: 'simple' }) : clientOf(server);
        for (let i = 0; !stop; i++) {
          const n = base + w * 100_000 + i;
          try {
            const id = await data<string>(c, fql`Durable.create({ n: ${n} }).id`);
            acked.push({ id, n });
          } catch (e) {
            if (server === victim) return; // the victim went away
            // Stop every writer: left looping, they would keep the test process alive after
            // this failure, and the run would hang until the suite's timeout.
            stop = true;
            throw e;
          }
        }
      });
      const writers = [...load(victim, 0), ...load(survivor, 1_000_000)];
      // Kill at a random moment once the victim has acknowledged some writes (a fresh server
      // first starts its query workers; a loaded machine may take a while).
      const victimAcks = () => acked.filter((x) => x.n < 1_000_000).length;
      const waitUntil = Date.now() + 15_000;
      while (victimAcks() < 20 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      await victim.kill();
      await new Promise((r) => setTimeout(r, 300));
      stop = true;
      await Promise.all(writers);
      await victim.dispose();
      assert.ok(acked.filter((x) => x.n < 1_000_000).length > 10, 'the victim acknowledged too few writes');
      // Both the surviving process and a new one see everything that was acknowledged.
      servers.push(await startServer({ storage }));
      for (const check of [b, clientOf(servers[servers.length - 1])]) {
        for (let i = 0; i < acked.length; i += 200) {
          const batch = acked.slice(i, i + 200);
          const ns = await data<(number | null)[]>(check, fql`${batch.map((x) => x.id)}.map(id => Durable.byId(id)?.n)`);
          assert.deepEqual(ns, batch.map((x) => x.n));
        }
      }
      assert.ok(await data<number>(b, fql`Durable.all().count()`) >= acked.length);
    });
  });
}
