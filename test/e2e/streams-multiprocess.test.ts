// Event streams and feeds across two server processes on one PostgreSQL database (runs only
// when FQL_TEST_PG is set), through the official driver: a stream held by process A receives
// the events of writes made through process B (commits travel between processes by
// LISTEN/NOTIFY, src/storage/postgres/engine.ts), in order, with cursors that resume on either
// process; a feed read through B sees writes made through A. Expected events follow
// ../shared/spec/streams-feeds.md §4-§7 (core R/stream/EventFilter.scala, Subscription.scala,
// Feed.scala; AT/FQL2StreamSpec.scala "remove carries the state before the delete").
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Document, StreamToken, fql, type FeedPage, type QueryValue, type StreamEventData, type StreamEventStatus } from 'fauna';

type StreamEvent<T extends QueryValue> = StreamEventData<T> | StreamEventStatus;
import { freshPgDatabase, startServer, type TestServer } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

if (PG === undefined || PG === '') {
  test('event streams and feeds across two server processes on one PostgreSQL database', {
    skip: 'FQL_TEST_PG is not set (eval "$(bash scripts/pg-test-cluster.sh start)")',
  }, () => {});
} else if (process.env.FQL_TEST_STORAGE === 'postgres') {
  // scripts/run-tests.js repeats the e2e suites on PostgreSQL; this one already ran on it.
  test('event streams and feeds across two server processes on one PostgreSQL database', { skip: 'already run in the first pass' }, () => {});
} else {
  registerTests(PG);
}

/** What a test compares of an event: its type, the document's id and `n`, and its txn_ts. */
interface Seen { type: string; id: string; n: unknown; txnTs: number }

function seen(e: StreamEvent<QueryValue>): Seen {
  assert.ok(e.type === 'add' || e.type === 'update' || e.type === 'remove', `unexpected event ${JSON.stringify(e)}`);
  const doc = e.data as Document;
  assert.ok(doc instanceof Document, `event data is not a document: ${JSON.stringify(e.data)}`);
  return { type: e.type, id: doc.id, n: (doc as unknown as { n: unknown }).n, txnTs: e.txn_ts };
}

/** A driver stream whose events are collected as they arrive (status events included). */
function collect(client: Client, token: StreamToken, cursor?: string) {
  const events: StreamEvent<QueryValue>[] = [];
  const errors: Error[] = [];
  const stream = client.stream(token, { status_events: true, ...(cursor ? { cursor } : {}) });
  stream.start((e) => events.push(e), (e) => errors.push(e));
  /** The first `count` events that are not status events, once they arrived. */
  async function data(count: number): Promise<StreamEvent<QueryValue>[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      assert.deepEqual(errors, []);
      const got = events.filter((e) => e.type !== 'status');
      if (got.length >= count) return got;
      if (Date.now() > deadline) assert.fail(`${got.length} of ${count} events after 15 s: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Resolves once the stream is connected (its first event, a status event, arrived). */
  async function started(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (events.length === 0) {
      assert.deepEqual(errors, []);
      if (Date.now() > deadline) assert.fail('the stream did not start within 15 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(events[0].type, 'status');
  }
  return { events, data, started, close: () => stream.close() };
}

function registerTests(pgUrl: string): void {
  describe('event streams and feeds across two server processes on one PostgreSQL database', () => {
    let servers: TestServer[] = [];
    const clients: Client[] = [];
    let a: Client;
    let b: Client;

    const clientOf = (server: TestServer): Client => {
      const c = new Client({ endpoint: new URL(server.url), secret: 'secret', query_timeout_ms: 30_000, max_contention_retries: 7 });
      clients.push(c);
      return c;
    };

    before(async () => {
      const storage = await freshPgDatabase(pgUrl);
      // One after the other: the first migrates, the second finds it done.
      servers = [await startServer({ storage }), await startServer({ storage })];
      [a, b] = servers.map(clientOf);
      await a.query(fql`Collection.create({ name: "Msg" })`);
    });

    after(async () => {
      for (const c of clients.splice(0)) c.close();
      await Promise.all(servers.map((s) => s.dispose()));
    });

    it('a stream held by process A receives add, update and remove made through process B, in order', async () => {
      const token = (await a.query<StreamToken>(fql`Msg.all().eventSource()`)).data;
      const onA = collect(a, token);
      try {
        // Connected before the writes: the events come by the live path, not by replay.
        await onA.started();
        const created = await b.query<{ id: string }>(fql`Msg.create({ n: 1 })`);
        const id = created.data.id;
        const other = await b.query<{ id: string }>(fql`Msg.create({ n: 10 })`);
        const updated = await b.query(fql`Msg.byId(${id})!.update({ n: 2 })`);
        const removed = await b.query(fql`Msg.byId(${id})!.delete()`);
        const events = await onA.data(4);
        assert.deepEqual(events.map(seen), [
          { type: 'add', id, n: 1, txnTs: created.txn_ts },
          { type: 'add', id: other.data.id, n: 10, txnTs: other.txn_ts },
          { type: 'update', id, n: 2, txnTs: updated.txn_ts },
          // A remove carries the document as it was before the delete.
          { type: 'remove', id, n: 2, txnTs: removed.txn_ts },
        ]);
        const cursors = events.map((e) => (e as { cursor: string }).cursor);
        assert.equal(new Set(cursors).size, 4, 'each event has its own cursor');
        // Nothing else arrives: one event per document per transaction.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(onA.events.filter((e) => e.type !== 'status').length, 4);

        // A cursor handed out by process A resumes the stream on process B right after it.
        const onB = collect(b, token, cursors[1]);
        try {
          assert.deepEqual((await onB.data(2)).map(seen), events.slice(2).map(seen));
          // …and both processes keep delivering what either process writes next.
          const again = await a.query<{ id: string }>(fql`Msg.create({ n: 3 })`);
          const next = { type: 'add', id: again.data.id, n: 3, txnTs: again.txn_ts };
          assert.deepEqual(seen((await onB.data(3))[2]), next);
          assert.deepEqual(seen((await onA.data(5))[4]), next);
        } finally {
          onB.close();
        }
      } finally {
        onA.close();
      }
    });

    it('a feed read through process B sees the writes made through process A, page by page', async () => {
      await a.query(fql`Collection.create({ name: "Log" })`);
      const token = (await b.query<StreamToken>(fql`Log.all().eventSource()`)).data;
      const writes = [
        await a.query<{ id: string }>(fql`Log.create({ n: 1 })`),
        await a.query<{ id: string }>(fql`Log.create({ n: 2 })`),
        await a.query<{ id: string }>(fql`Log.create({ n: 3 })`),
      ];
      const ids = writes.map((w) => w.data.id);
      const updated = await a.query(fql`Log.byId(${ids[0]})!.update({ n: 4 })`);
      const removed = await a.query(fql`Log.byId(${ids[1]})!.delete()`);

      const pages: FeedPage<QueryValue>[] = [];
      for await (const page of b.feed(token, { page_size: 2 })) pages.push(page);
      // 5 events in pages of 2: 2 + 2 + 1, has_next on all but the last (spec §7).
      assert.deepEqual(pages.map((p) => p.hasNext), [true, true, false]);
      const events = pages.flatMap((p) => [...p.events]);
      assert.deepEqual(events.map(seen), [
        { type: 'add', id: ids[0], n: 1, txnTs: writes[0].txn_ts },
        { type: 'add', id: ids[1], n: 2, txnTs: writes[1].txn_ts },
        { type: 'add', id: ids[2], n: 3, txnTs: writes[2].txn_ts },
        { type: 'update', id: ids[0], n: 4, txnTs: updated.txn_ts },
        { type: 'remove', id: ids[1], n: 2, txnTs: removed.txn_ts },
      ]);

      // A write through A after the last page is on the next poll through B, from that cursor.
      const later = await a.query<{ id: string }>(fql`Log.create({ n: 5 })`);
      const rest: FeedPage<QueryValue>[] = [];
      for await (const page of b.feed(token, { cursor: pages[pages.length - 1].cursor })) rest.push(page);
      assert.deepEqual(rest.flatMap((p) => [...p.events]).map(seen), [{ type: 'add', id: later.data.id, n: 5, txnTs: later.txn_ts }]);
    });
  });
}
