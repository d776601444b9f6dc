// A server killed with SIGKILL in the middle of a stream, then restarted on the same data (and
// port): stream consumers resume from their last cursor and see exactly the committed writes, in
// commit order, without a gap or a duplicate (issue 11 "Acceptance": "a test that kills the
// server mid-stream and checks the resumed event sequence is gapless and duplicate-free"; spec
// streams-feeds.md §3 cursors, §8.1 driver reconnects). Two consumers: the driver's HTTP/2
// client, which retries by itself from its last cursor, and the fetch client, which treats a
// dropped connection as final, so the application reopens the stream from its last cursor.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, FetchClient, type StreamToken } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Collector, ResumingConsumer, q } from './events-helpers';

describe('event streams across a server crash', () => {
  // 30 s, not 20: two server starts (on PostgreSQL with a fresh database) take up to half of it on
  // a loaded 2-core machine; the stream work itself takes a few seconds.
  it('kill -9 mid-stream, restart: both consumers see exactly the committed writes', { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fql-stream-crash-'));
    let s: TestServer | undefined;
    const clients: Client[] = [];
    const client = (url: string, transport: 'h2' | 'fetch', extra: Record<string, unknown> = {}) => {
      const config = { endpoint: new URL(url), secret: 'secret', query_timeout_ms: 5_000, ...extra };
      const c = transport === 'h2' ? new Client(config) : new Client(config, new FetchClient({ url, fetch_keepalive: false } as never));
      clients.push(c);
      return c;
    };
    let h2: Collector | undefined;
    let fetchConsumer: ResumingConsumer | undefined;
    try {
      // Two query workers: the two server starts dominate this test's time on a loaded machine.
      s = await startServer({ dataDir, args: ['--workers', '2'] });
      const { port, storage, url } = s;
      const admin = client(url, 'h2');
      await admin.query(q('Collection.create({ name: "Log" })'));
      const token = (await admin.query<StreamToken>(q('Log.all().eventSource()'))).data;

      // The h2 driver retries every failure but service errors; give it enough attempts to outlast
      // the restart (attempts are never reset, spec §8.1).
      h2 = new Collector(client(url, 'h2', { max_attempts: 100, max_backoff: 0.2 }).stream(token, { status_events: true }));
      const fetchClient = client(url, 'fetch');
      fetchConsumer = new ResumingConsumer((cursor) => fetchClient.stream(token, { status_events: true, ...(cursor ? { cursor } : {}) }));
      const h2Data = () => h2!.events.filter((e) => e.type !== 'status');
      await h2.take(1);

      // Writes in a loop; the server is killed while they run (one may be in flight).
      const acked: number[] = [];
      let next = 0;
      let killed = false;
      // Over the fetch client: an h2 request in flight when the server dies is cancelled without an
      // error, and fauna-js then waits for its client timeout.
      const writerClient = client(url, 'fetch');
      const writer = (async () => {
        while (!killed) {
          const i = next++;
          try {
            await writerClient.query(q(`Log.create({ i: ${i} })`));
            acked.push(i);
          } catch {
            return;
          }
        }
      })();
      const waitUntil = async (cond: () => boolean, what: string, ms = 10_000) => {
        const deadline = Date.now() + ms;
        while (!cond()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await waitUntil(() => acked.length >= 8 && h2Data().length >= 3 && fetchConsumer!.events.length >= 3, 'writes and events before the kill');
      killed = true;
      await s.kill();
      await writer;

      s = await startServer({ dataDir, storage, port, args: ['--workers', '2'] });
      const writer2 = client(url, 'h2');
      // A few more after the restart (few: a cold PostgreSQL server on a loaded machine is slow).
      for (let k = 0; k < 4; k++) {
        const i = next++;
        await writer2.query(q(`Log.create({ i: ${i} })`));
        acked.push(i);
      }

      // What committed (the write in flight at the kill may or may not have), in commit order.
      const docs = (await writer2.query<{ i: number; ts: number }[]>(q('Log.all().map(d => { i: d.i, ts: d.ts.toMicros() }).toArray()'))).data;
      const committed = [...docs].sort((a, b) => a.ts - b.ts || a.i - b.i).map((d) => d.i);
      for (const i of acked) assert.ok(committed.includes(i), `acknowledged write ${i} is missing`);

      await waitUntil(() => h2Data().length >= committed.length, `${committed.length} events over h2 (have ${h2Data().length})`);
      await fetchConsumer.take(committed.length);
      assert.deepEqual(h2Data().slice(0, committed.length).map((e) => e.data.i), committed, 'h2 driver: gapless, duplicate-free');
      assert.deepEqual(fetchConsumer.events.slice(0, committed.length).map((e) => e.data.i), committed, 'fetch client: gapless, duplicate-free');
      assert.ok(fetchConsumer.reconnects >= 1, 'the fetch consumer reconnected');

      // Nothing more than that: the next event of each is the fence.
      await writer2.query(q('Log.create({ i: -1 })'));
      await waitUntil(() => h2Data().length > committed.length, 'the fence over h2');
      assert.deepEqual(h2Data().slice(committed.length).map((e) => e.data.i), [-1]);
      assert.deepEqual((await fetchConsumer.take(committed.length + 1)).slice(committed.length).map((e) => e.data.i), [-1]);
    } finally {
      h2?.close();
      fetchConsumer?.stop();
      for (const c of clients) {
        try { c.close(); } catch { /* closed */ }
      }
      await s?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
