// Event streams with two server processes on one PostgreSQL database (issue 11: "with several
// server processes on one PostgreSQL database, a write through any process reaches the streams
// held by every process"; spec streams-feeds.md §9.3 LISTEN/NOTIFY). Runs when servers run on
// PostgreSQL (FQL_TEST_STORAGE=postgres, the second pass of scripts/run-tests.js).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Drivers, collect, eventSource, post } from './events-helpers';

if (process.env.FQL_TEST_STORAGE !== 'postgres' || !process.env.FQL_TEST_PG) {
  test('event streams across two server processes', { skip: 'PostgreSQL only (FQL_TEST_STORAGE=postgres and FQL_TEST_PG)' }, () => {});
} else {
  describe('event streams across two server processes on one PostgreSQL database', () => {
    let a: TestServer;
    let b: TestServer;
    let onA: Drivers;
    let onB: Drivers;
    let adminA: Client;
    let adminB: Client;

    before(async () => {
      a = await startServer();
      b = await startServer({ storage: a.storage });
      onA = new Drivers(a);
      onB = new Drivers(b);
      adminA = onA.client();
      adminB = onB.client('fetch');
      await adminA.query(fql`Collection.create({ name: "Shared" })`);
    });
    after(async () => {
      onA?.close();
      onB?.close();
      await b?.stop();
      await a?.dispose();
    });

    it('writes through either process reach the streams of both, in commit order', { timeout: 20_000 }, async () => {
      const { token } = await eventSource(adminA, fql`Shared.all().eventSource()`);
      const streamA = collect(adminA, token, { status_events: true });
      const streamB = collect(adminB, token, { status_events: true });
      try {
        await Promise.all([streamA.take(1), streamB.take(1)]);
        const expected: number[] = [];
        for (let i = 0; i < 6; i++) {
          await (i % 2 === 0 ? adminA : adminB).query(fql`Shared.create({ i: ${i} })`);
          expected.push(i);
        }
        for (const s of [streamA, streamB]) {
          const events = await s.take(7);
          assert.deepEqual(events.slice(1).map((e) => [e.type, e.data.i]), expected.map((i) => ['add', i]));
        }
      } finally {
        streamA.close();
        streamB.close();
      }
    });

    it('a token made on one process streams and feeds on the other', { timeout: 20_000 }, async () => {
      const { token } = await eventSource(adminB, fql`Shared.where(.i >= 100).eventSource()`);
      await adminB.query(fql`Shared.create({ i: 100 })`);
      const page = await post(a.url, '/feed/1', { token: token.token });
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.events.map((e: any) => e.data['@doc'].i['@int']), ['100']);
      const s = collect(adminA, token);
      try {
        await s.take(1);
        await adminB.query(fql`Shared.create({ i: 101 })`);
        assert.deepEqual((await s.take(2)).map((e) => e.data.i), [100, 101]);
      } finally {
        s.close();
      }
    });
  });
}
