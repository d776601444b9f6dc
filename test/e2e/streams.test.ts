// Event streams (`POST /stream/1`) through the official fauna driver (`client.stream()`, over its
// HTTP/2 client and its fetch client) and raw HTTP where the driver hides details (status codes,
// error bodies, framing, headers). Spec: /work/shared/spec/streams-feeds.md. Each test names the
// Fauna test it ports: core `ext/api/src/test/scala/fql2/stream/FQL2StreamSpec.scala` (AT),
// `ext/model/src/test/scala/fql2/stream/{EventReplayerSpec,EventFilterSpec}.scala` (MT) and
// fauna-js `__tests__/integration/stream.test.ts`.
//
// Exactness: a stream never "ends" on its own, so a test that must show that nothing else was
// sent writes a last "fence" document and checks that the fence's event comes right after the
// expected ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortError, AuthenticationError, Client, DateStub, Document, TimeStub, InvalidRequestError, Page, QueryRuntimeError, StreamToken, fql,
} from 'fauna';
import type { TestServer } from '../helpers/server';
import { decodeEventSource, encodeEventSource } from '../../src/streams/token';
import {
  Drivers, ResumingConsumer, TRANSPORTS, UNAUTHORIZED, assertServiceError, assertStats, badRequest, collect,
  eventSource, freshCollections, plain, post, q, rawStream, tcpProxy, txn, useEventsServer } from './events-helpers';

const T = { timeout: 20_000 };
const types = (events: any[]) => events.map((e) => e.type);

describe('event streams (/stream/1)', () => {
  let server: TestServer;
  let drivers: Drivers;
  let admin: Client;
  /** A fresh collection (`extra` is more of its definition). */
  const coll = freshCollections('S', () => admin);
  const BY_N = `, indexes: { byN: { terms: [{ field: ".n" }], values: [{ field: ".m" }] } }`;

  /** A key's secret for `role`. */
  async function keySecret(role: string): Promise<string> {
    return (await admin.query<{ secret: string }>(fql`Key.create({ role: ${role} })`)).data.secret;
  }

  useEventsServer((s) => ({ server, drivers, admin } = s));

  for (const transport of TRANSPORTS) {
    describe(`through the driver's ${transport === 'h2' ? 'HTTP/2' : 'fetch'} client`, () => {
      let client: Client;
      before(() => { client = drivers.client(transport); });

      // AT ".all().eventSource()" stream create/update/remove events; fauna-js "can initiate a stream".
      it('sends status first, then add, update and remove of Coll.all() as they commit', T, async () => {
        const C = await coll();
        const { token, txnTs } = await eventSource(client, q(`${C}.all().eventSource()`));
        const s = collect(client, token, { status_events: true });
        try {
          const [status] = await s.take(1);
          assert.equal(status.type, 'status');
          assert.equal(status.txn_ts, txnTs, 'the status event is at the token start');
          assert.equal(typeof status.cursor, 'string');

          const created = await admin.query<any>(q(`${C}.create({ foo: "bar" })`));
          const t2 = await txn(admin, q(`${C}.byId("${created.data.id}")!.update({ foo: "baz" })`));
          const t3 = await txn(admin, q(`${C}.byId("${created.data.id}")!.delete()`));
          const [, add, update, remove] = await s.take(4);
          assert.deepEqual(types([add, update, remove]), ['add', 'update', 'remove']);
          for (const e of [add, update, remove]) {
            assert.ok(e.data instanceof Document, 'data is a document');
            assert.equal(e.data.id, created.data.id);
            assert.equal(e.data.coll.name, C);
          }
          assert.equal(add.data.foo, 'bar');
          assert.equal(add.txn_ts, created.txn_ts);
          assert.equal(update.data.foo, 'baz');
          assert.equal(update.txn_ts, t2);
          assert.equal(remove.data.foo, 'baz', 'remove carries the document as it was before the delete');
          assert.equal(remove.txn_ts, t3);
          assert.equal(new Set([status, add, update, remove].map((e) => e.cursor)).size, 4, 'every event has its own cursor');
        } finally {
          s.close();
        }
      });

      // AT ".all().eventSource()" "replay past events".
      it('replays the history after the token start, then goes live', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const id = (await admin.query<any>(q(`${C}.create({ n: 1 })`))).data.id;
        await admin.query(q(`${C}.byId("${id}")!.update({})`));
        await admin.query(q(`${C}.byId("${id}")!.delete()`));
        const s = collect(client, token, { status_events: true });
        try {
          await s.take(4);
          await admin.query(q(`${C}.create({ n: 2 })`));
          const events = await s.take(5);
          assert.deepEqual(types(events), ['status', 'add', 'update', 'remove', 'add']);
          assert.deepEqual(events.slice(1).map((e) => e.data.n), [1, 1, 1, 2]);
        } finally {
          s.close();
        }
      });

      // fauna-js "can initiate a stream from a Client, providing a query" (with the older name toStream()).
      it('streams from a query (the driver fetches the token first)', T, async () => {
        const C = await coll();
        const s = collect(client, q(`${C}.all().toStream()`), { status_events: true });
        try {
          assert.deepEqual(types(await s.take(1)), ['status']);
          await admin.query(q(`${C}.create({ n: 7 })`));
          const [, add] = await s.take(2);
          assert.equal(add.type, 'add');
          assert.equal(add.data.n, 7);
        } finally {
          s.close();
        }
      });

      // AT "providing a cursor" "replays events"; MT EventReplayerSpec "cursor based".
      it('resumes after any cursor, also one inside a transaction', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const first = collect(client, token, { status_events: true });
        let writeTs: number;
        let events: any[];
        try {
          await first.take(1);
          writeTs = await txn(admin, q(`Set.sequence(0, 3).forEach(n => ${C}.create({ n: n }))`));
          events = await first.take(4);
        } finally {
          first.close();
        }
        assert.deepEqual(events.slice(1).map((e) => [e.type, e.data.n, e.txn_ts]), [['add', 0, writeTs], ['add', 1, writeTs], ['add', 2, writeTs]]);

        const fromEvent = collect(client, token, { status_events: true, cursor: events[1].cursor });
        const fromStatus = collect(client, token, { cursor: events[0].cursor });
        try {
          const [status] = await fromEvent.take(3);
          assert.equal(status.type, 'status');
          assert.equal(status.txn_ts, writeTs, 'the status event is at the cursor');
          await admin.query(q(`${C}.create({ n: 3 })`));
          assert.deepEqual((await fromEvent.take(4)).slice(1).map((e) => e.data.n), [1, 2, 3]);
          assert.deepEqual((await fromStatus.take(4)).map((e) => e.data.n), [0, 1, 2, 3]);
        } finally {
          fromEvent.close();
          fromStatus.close();
        }
      });

      // fauna-js "catches InvalidRequestError when establishing a stream" (StreamToken("2")); AT "errors"
      // "returns correct 401 unauthorized error with invalid auth provided".
      it('fails before streaming: a bad token is InvalidRequestError, a bad secret AuthenticationError', T, async () => {
        const bad = await collect(client, new StreamToken('2')).failure();
        assert.ok(bad instanceof InvalidRequestError, String(bad));
        assert.equal(bad.message, 'Invalid request body: invalid event source provided');
        assert.equal(bad.httpStatus, 400);

        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const unauth = await collect(drivers.client(transport, 'not-a-secret'), token).failure();
        assert.ok(unauth instanceof AuthenticationError, String(unauth));
        assert.equal(unauth.message, 'Invalid token, unable to authenticate request');
        assert.equal(unauth.httpStatus, 401);
      });

      // fauna-js "catches an AbortError if abort is called when processing an event"; AT "aborting a
      // stream shares the same error structure as a query abort".
      it('an abort() while mapping an event ends the stream with AbortError', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().map((doc) => abort("oops")).eventSource()`));
        await admin.query(q(`${C}.create({ value: 0 })`));
        const s = collect(client, token);
        const e = await s.failure();
        assert.ok(e instanceof AbortError, String(e));
        assert.equal(e.abort, 'oops');
        let queryAbort: unknown;
        try { await admin.query(fql`abort("oops")`); } catch (x) { queryAbort = x; }
        assert.ok(queryAbort instanceof AbortError);
        assert.equal(e.code, queryAbort.code);
        assert.equal(e.message, queryAbort.message);
        assert.equal(s.events.length, 0);
      });

      // fauna-js "yields all events when Fauna sends them as a single chunk".
      it('yields every event of a transaction that writes several documents', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const s = collect(client, token);
        try {
          for (let v = 0; v < 3; v++) await admin.query(q(`${C}.create({ value: ${v} })`));
          await admin.query(q(`${C}.all().forEach(.delete())`));
          const events = await s.take(6);
          assert.deepEqual(events.map((e) => [e.type, e.data.value]), [
            ['add', 0], ['add', 1], ['add', 2], ['remove', 0], ['remove', 1], ['remove', 2],
          ]);
        } finally {
          s.close();
        }
      });

      // fauna-js "decodes values from streams correctly".
      it('event data decodes like query results (times, dates, documents, longs)', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().map((doc) => { time: Time.now(), date: Date.today(), doc: doc, bigInt: 922337036854775808 }).eventSource()`));
        await admin.query(q(`${C}.create({ value: 0 })`));
        const asNumber = collect(client, token);
        const asBigint = collect(client, token, { long_type: 'bigint' });
        try {
          const [{ data }] = await asNumber.take(1);
          assert.ok(data.time instanceof TimeStub);
          assert.ok(data.date instanceof DateStub);
          assert.ok(data.doc instanceof Document);
          assert.equal(data.doc.value, 0);
          assert.equal(typeof data.bigInt, 'number');
          const [big] = await asBigint.take(1);
          assert.equal(big.data.bigInt, 922337036854775808n);
        } finally {
          asNumber.close();
          asBigint.close();
        }
      });

      // Issue 11: "reconnect with cursor after a dropped connection" (spec §8.1: the driver retries
      // every failure but service errors, from the last cursor it received).
      it('resumes through dropped connections from its last cursor: no gap, no duplicate', T, async () => {
        const C = await coll();
        const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
        const proxy = await tcpProxy(server.port);
        const viaProxy = drivers.client(transport, 'secret', { max_attempts: 20, max_backoff: 0.2 }, proxy.url);
        // The fetch client treats a dropped connection as final (NetworkError); an application
        // reopens the stream from its last cursor. The h2 client retries by itself.
        const consumer = transport === 'fetch'
          ? new ResumingConsumer((cursor) => viaProxy.stream(token, { status_events: true, ...(cursor ? { cursor } : {}) }))
          : undefined;
        const driver = transport === 'h2' ? collect(viaProxy, token) : undefined;
        const take = (n: number) => (consumer ? consumer.take(n) : driver!.take(n));
        try {
          let i = 0;
          const write = async (count: number) => {
            for (const end = i + count; i < end; i++) await admin.query(q(`${C}.create({ i: ${i} })`));
          };
          await write(5);
          await take(5);
          proxy.cut();
          await write(5);
          await take(8);
          proxy.cut();
          await write(5);
          const events = await take(15);
          assert.deepEqual(events.map((e) => e.data.i), Array.from({ length: 15 }, (_, k) => k));
          await write(1);
          assert.deepEqual((await take(16)).map((e) => e.data.i).slice(15), [15]);
          if (consumer) assert.ok(consumer.reconnects >= 2, `${consumer.reconnects} reconnects`);
        } finally {
          consumer?.stop();
          driver?.close();
          await proxy.close();
        }
      });

      // fauna-js StreamClient.close(); spec §6.7 "on client close drop the subscription".
      it('close() stops a stream; the server keeps serving others', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const closed = collect(client, token, { status_events: true });
        await closed.take(1);
        closed.close();
        await admin.query(q(`${C}.create({ n: 1 })`));
        const again = collect(client, token);
        try {
          await admin.query(q(`${C}.create({ n: 2 })`));
          assert.deepEqual((await again.take(2)).map((e) => e.data.n), [1, 2]);
          assert.equal(closed.events.length, 1, 'a closed stream yields nothing more');
        } finally {
          again.close();
        }
      });
    });
  }

  // Spec §6.3 (framing, headers) and §5 (event objects); fauna-js readLines / node-http2-client split on
  // "\n" and JSON.parse every trimmed line, so a blank line would break them.
  for (const transport of ['h1', 'h2'] as const) {
    it(`frames events as one JSON object + "\\r\\n" each, tagged, over ${transport === 'h1' ? 'HTTP/1.1' : 'HTTP/2'}`, T, async () => {
      const C = await coll();
      const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
      const s = await rawStream(transport, server.url, { token: token.token }, { headers: { 'x-format': 'simple' } });
      const other = await rawStream(transport, server.url, { token: token.token });
      try {
        assert.equal(s.status, 200);
        assert.equal(s.headers['content-type'], 'application/json;charset=utf-8');
        assert.match(s.headers['x-fauna-stream-id'], /^[0-9]+$/);
        assert.notEqual(other.headers['x-fauna-stream-id'], s.headers['x-fauna-stream-id'], 'every stream has its own id');
        const [status] = await s.take(1);
        assert.deepEqual(Object.keys(status), ['type', 'txn_ts', 'cursor', 'stats']);
        assert.equal(status.type, 'status');
        assert.equal(status.txn_ts, txnTs);
        assertStats(status.stats);

        const created = await admin.query<any>(q(`${C}.create({ n: 1 })`));
        await admin.query(q(`Set.sequence(2, 4).forEach(n => ${C}.create({ n: n }))`));
        const events = await s.take(4);
        const add = events[1];
        assert.deepEqual(Object.keys(add), ['type', 'data', 'txn_ts', 'cursor', 'stats']);
        assert.equal(add.type, 'add');
        assert.equal(add.txn_ts, created.txn_ts);
        assert.equal(typeof add.cursor, 'string');
        assertStats(add.stats);
        // Always the tagged format, whatever x-format says (spec §5).
        assert.deepEqual(add.data['@doc'].n, { '@int': '1' });
        assert.equal(add.data['@doc'].id, created.data.id);
        assert.deepEqual(add.data['@doc'].coll, { '@mod': C });
        assert.deepEqual(events.slice(2).map((e) => e.data['@doc'].n['@int']), ['2', '3']);
        assert.ok(s.text().endsWith('\r\n'));
        assert.ok(!s.ended, 'a stream stays open');
      } finally {
        s.close();
        other.close();
      }
    });
  }

  // AT "aborting a stream shares the same error structure as a query abort"; spec §5, §6.7: the
  // server ends the response right after an error event, and only then.
  it('an error event is {type, error, stats} with the /query/1 error object, and ends the response', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().map(doc => abort("test abort")).eventSource()`));
    const s = await rawStream('h1', server.url, { token: token.token });
    await s.take(1);
    await admin.query(q(`${C}.create({})`));
    const events = await s.end();
    assert.equal(events.length, 2);
    const error = events[1];
    assert.deepEqual(Object.keys(error), ['type', 'error', 'stats']);
    assert.equal(error.type, 'error');
    assertStats(error.stats);
    const queryAbort = await post(server.url, '/query/1', { query: 'abort("test abort")' }, { headers: { 'x-format': 'tagged' } });
    assert.equal(queryAbort.status, 400);
    assert.deepEqual(error.error, queryAbort.body.error);
    assert.deepEqual(error.error, { code: 'abort', message: queryAbort.body.error.message, abort: 'test abort' });
  });

  // AT "Set.single(..).eventSource()" stream update/remove events and "replay past events".
  it('Set.single(doc): updates and the remove of that document only, replayed then live', T, async () => {
    const C = await coll();
    const id = (await admin.query<any>(q(`${C}.create({ v: 0 })`))).data.id;
    const other = (await admin.query<any>(q(`${C}.create({ v: 100 })`))).data.id;
    const { token } = await eventSource(admin, q(`Set.single(${C}.byId("${id}")!).eventSource()`));
    await admin.query(q(`${C}.byId("${id}")!.update({ v: 1 })`));
    await admin.query(q(`${C}.byId("${other}")!.update({ v: 101 })`));
    const s = collect(admin, token, { status_events: true });
    try {
      await s.take(2);
      await admin.query(q(`${C}.create({ v: 200 })`));
      await admin.query(q(`${C}.byId("${id}")!.update({ v: 2 })`));
      await admin.query(q(`${C}.byId("${other}")!.delete()`));
      await admin.query(q(`${C}.byId("${id}")!.delete()`));
      const events = await s.take(4);
      assert.deepEqual(events.map((e) => [e.type, e.data?.v]), [['status', undefined], ['update', 1], ['update', 2], ['remove', 2]]);
      assert.equal(events[3].data.id, id);
    } finally {
      s.close();
    }
  });

  // AT "<user-index>().eventSource()" "stream from user defined indexes" and "replay past events":
  // only changes of the document's entry (terms or values) count.
  const indexWrites = (C: string, id: string) => [
    `${C}.byId("${id}")!.update({ n: 42, m: 1 })`, // update
    `${C}.byId("${id}")!.update({ n: 44, m: 1 })`, // remove
    `${C}.byId("${id}")!.update({ n: 44, m: 2 })`, // discarded
    `${C}.byId("${id}")!.update({ n: 42, m: 2 })`, // add
    `${C}.byId("${id}")!.update({ n: 42, x: 0 })`, // discarded: entry unchanged
    `${C}.byId("${id}")!.delete()`, // remove
  ];
  for (const mode of ['live', 'replayed'] as const) {
    it(`index sources see entry changes only (${mode})`, T, async () => {
      const C = await coll(BY_N);
      const { token } = await eventSource(admin, q(`${C}.byN(42).eventSource()`));
      const s = mode === 'live' ? collect(admin, token, { status_events: true }) : undefined;
      try {
        await s?.take(1);
        const id = (await admin.query<any>(q(`${C}.create({ n: 42, m: 0 })`))).data.id;
        for (const w of indexWrites(C, id)) await admin.query(q(w));
        await admin.query(q(`${C}.create({ n: 43, m: 0 })`)); // other term: nothing
        const stream = s ?? collect(admin, token, { status_events: true });
        await stream.take(6);
        await admin.query(q(`${C}.create({ n: 42, m: 9 })`)); // fence
        const events = await stream.take(7);
        assert.deepEqual(events.map((e) => [e.type, e.data?.m]), [
          ['status', undefined], ['add', 0], ['update', 1], ['remove', 1], ['add', 2], ['remove', 2], ['add', 9],
        ]);
        stream.close();
      } finally {
        s?.close();
      }
    });

    // AT ".where(..).eventSource()" "filter live events" / "filter replayed events".
    it(`where() chains filter each side of an event (${mode})`, T, async () => {
      const C = await coll();
      const { token } = await eventSource(admin, q(`${C}.where(.n >= 1).where(.n <= 3).eventSource()`));
      const live = mode === 'live' ? collect(admin, token, { status_events: true }) : undefined;
      try {
        await live?.take(1);
        await admin.query(q(`${C}.create({ n: 0 })`)); // omitted
        for (let k = 0; k < 5; k++) await admin.query(q(`let doc = ${C}.all().first()!\ndoc.update({ n: doc.n + 1 })`));
        await admin.query(q(`${C}.all().first()!.delete()`)); // omitted
        const s = live ?? collect(admin, token, { status_events: true });
        await s.take(5);
        await admin.query(q(`${C}.create({ n: 2 })`)); // fence
        const events = await s.take(6);
        assert.deepEqual(events.map((e) => [e.type, e.data?.n]), [
          ['status', undefined], ['add', 1], ['update', 2], ['update', 3], ['remove', 3], ['add', 2],
        ]);
        s.close();
      } finally {
        live?.close();
      }
    });
  }

  // AT "projected set streams": projection, map, projection of a filtered set, filter of a mapped set.
  it('projections, map() and their combinations with where() shape every event', T, async () => {
    const C = await coll();
    const source = async (text: string) => (await eventSource(admin, q(text))).token;
    const streams = {
      projection: collect(admin, await source(`${C}.all().eventSource() { first }`)),
      map: collect(admin, await source(`${C}.all().map(.first).eventSource()`)),
      filteredProjection: collect(admin, await source(`(${C}.where(.n >= 1).where(.n <= 3) { first }).eventSource()`)),
      filteredMap: collect(admin, await source(`${C}.all().map(.n).where(n => n >= 1).where(n => n <= 3).eventSource()`)),
    };
    try {
      await admin.query(q(`${C}.create({ n: 0, first: 0, last: "foo" })`));
      const doc = `${C}.all().first()!`;
      await admin.query(q(`${doc}.update({ first: 1 })`));
      for (let k = 0; k < 5; k++) await admin.query(q(`let doc = ${doc}\ndoc.update({ n: doc.n + 1 })`));
      await admin.query(q(`${doc}.delete()`));
      const pick = (events: any[]) => events.map((e) => [e.type, plain(e.data)]);
      assert.deepEqual(pick(await streams.projection.take(2)), [['add', { first: 0 }], ['update', { first: 1 }]]);
      assert.deepEqual(pick(await streams.map.take(2)), [['add', 0], ['update', 1]]);
      assert.deepEqual(pick(await streams.filteredProjection.take(4)), [
        ['add', { first: 1 }], ['update', { first: 1 }], ['update', { first: 1 }], ['remove', { first: 1 }],
      ]);
      // A remove carries the transformed state before the transaction (spec §4): n = 3.
      assert.deepEqual(pick(await streams.filteredMap.take(4)), [['add', 1], ['update', 2], ['update', 3], ['remove', 3]]);
    } finally {
      for (const s of Object.values(streams)) s.close();
    }
  });

  // AT "can read through to foreign keys in stream projection".
  it('a map() may read other documents, as of the event', T, async () => {
    const C = await coll();
    const C2 = await coll();
    const s = collect(admin, q(`${C}.all().map(c => c.fk.n).eventSource()`), { status_events: true });
    try {
      await s.take(1);
      await admin.query(q(`let fk = ${C2}.create({ n: 0 })\n${C}.create({ name: "foo", fk: fk })`));
      await admin.query(q(`${C}.all().first()!.update({ name: "boo" })`));
      await admin.query(q(`${C2}.all().first()!.update({ n: "hiya" })`)); // no event
      await admin.query(q(`${C}.all().first()!.update({ name: "who" })`));
      const events = await s.take(4);
      assert.deepEqual(events.slice(1).map((e) => [e.type, e.data]), [['add', 0], ['update', 0], ['update', 'hiya']]);
    } finally {
      s.close();
    }
  });

  // AT "can read sets in stream projection"; MT EventReplayerSpec "snapshots reads at the event
  // transaction time": replayed events see the database as of their own transaction.
  it('sets read inside a map() are evaluated as of each event, replayed or live', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().map(c => ${C}.all().map(.name)).eventSource()`));
    await admin.query(q(`${C}.create({ name: "foo" })`));
    await admin.query(q(`${C}.all().first()!.update({ name: "boo" })`));
    const s = collect(admin, token);
    try {
      await s.take(2);
      await admin.query(q(`${C}.create({ name: "zoo" })`));
      await admin.query(q(`${C}.create({ name: "too" })`));
      const events = await s.take(4);
      for (const e of events) assert.ok(e.data instanceof Page, `a set renders as a page: ${JSON.stringify(e.data)}`);
      assert.deepEqual(events.map((e) => [e.type, e.data.data]), [
        ['add', ['foo']], ['update', ['boo']], ['add', ['boo', 'zoo']], ['add', ['boo', 'zoo', 'too']],
      ]);
    } finally {
      s.close();
    }
  });

  // AT ".eventsOn(..)" "tracks watched fields"; MT EventFilterSpec (all three cases).
  it('eventsOn() keeps creates with a watched field, updates that change one, deletes with all of them', T, async () => {
    const C1 = await coll();
    const C2 = await coll();
    const C3 = await coll();
    const one = collect(admin, q(`${C1}.all().eventsOn(.foo)`), { status_events: true });
    const absent = collect(admin, q(`${C2}.all().eventsOn(.foo)`), { status_events: true });
    const two = collect(admin, q(`${C3}.all().eventsOn(.foo, .bar)`), { status_events: true });
    const run = async (C: string, writes: string[], fence: string) => {
      for (const w of writes) await admin.query(q(w.replace('$', `${C}.all().first()!`)));
      await admin.query(q(`${C}.create(${fence})`));
    };
    try {
      await Promise.all([one.take(1), absent.take(1), two.take(1)]);
      await run(C1, [`${C1}.create({ foo: 1 })`, '$.update({ foo: 1 })', '$.update({ foo: 2 })', '$.delete()'], '{ foo: 9 }');
      await run(C2, [`${C2}.create({})`, '$.update({ foo: 1 })', '$.update({ foo: null })', '$.delete()'], '{ foo: 9 }');
      await run(C3, [
        `${C3}.create({ foo: 1, bar: 1 })`, '$.update({ foo: 1, bar: 2 })', '$.update({ foo: 2, bar: 2 })',
        '$.update({ foo: 2, bar: 2 })', '$.delete()',
      ], '{ bar: 9 }');
      const pick = (events: any[]) => events.slice(1).map((e) => [e.type, e.data.foo ?? null, e.data.bar ?? null]);
      assert.deepEqual(pick(await one.take(5)), [['add', 1, null], ['update', 2, null], ['remove', 2, null], ['add', 9, null]]);
      assert.deepEqual(pick(await absent.take(4)), [['update', 1, null], ['update', null, null], ['add', 9, null]]);
      assert.deepEqual(pick(await two.take(6)), [['add', 1, 1], ['update', 1, 2], ['update', 2, 2], ['remove', 2, 2], ['add', null, 9]]);
    } finally {
      for (const s of [one, absent, two]) s.close();
    }
  });

  // AT "ABAC" "filter live stream based on ABAC" / "filter replayed stream based on ABAC".
  it('events only for documents the role predicate lets the secret read (live and replayed)', T, async () => {
    const C = await coll();
    await admin.query(q(`Role.create({ name: "${C}Reader", privileges: [{ resource: "${C}", actions: { read: "doc => doc.foo <= 42" } }] })`));
    const secret = await keySecret(`${C}Reader`);
    const reader = drivers.client('h2', secret);
    const replayToken = (await eventSource(reader, q(`${C}.all().eventSource()`))).token;
    const live = collect(reader, q(`${C}.all().eventSource()`), { status_events: true });
    try {
      await live.take(1);
      for (const foo of [42, 55, 32]) await admin.query(q(`${C}.create({ foo: ${foo} })`));
      const replayed = collect(reader, replayToken);
      try {
        await admin.query(q(`${C}.create({ foo: 1 })`)); // fence
        assert.deepEqual((await live.take(4)).slice(1).map((e) => [e.type, e.data.foo]), [['add', 42], ['add', 32], ['add', 1]]);
        assert.deepEqual((await replayed.take(3)).map((e) => [e.type, e.data.foo]), [['add', 42], ['add', 32], ['add', 1]]);
      } finally {
        replayed.close();
      }
    } finally {
      live.close();
    }
  });

  // AT "ABAC": "removes caused by deletes with a read predicate permitting read of removed data are
  // visible", "an update granting permission ... is visible", "updates that result in permission loss
  // show up as removes".
  it('a role predicate turns updates into adds and removes; removes carry the readable prior data', T, async () => {
    const C = await coll();
    await admin.query(q(`Role.create({ name: "${C}Hi", privileges: [{ resource: "${C}", actions: { read: 'doc => doc?.name == "hi"' } }] })`));
    const reader = drivers.client('h2', await keySecret(`${C}Hi`));
    const ids: string[] = [];
    for (const name of ['hi', 'hi', 'bye']) ids.push((await admin.query<any>(q(`${C}.create({ name: "${name}", level: 1 })`))).data.id);
    const s = collect(reader, q(`${C}.all().where(.level == 1).eventSource()`), { status_events: true });
    try {
      await s.take(1);
      await admin.query(q(`${C}.byId("${ids[0]}")!.delete()`)); // readable before: remove
      await admin.query(q(`${C}.byId("${ids[1]}")!.update({ name: "bye" })`)); // loses read: remove
      await admin.query(q(`${C}.byId("${ids[2]}")!.update({ name: "hi" })`)); // gains read: add
      await admin.query(q(`${C}.create({ name: "bye", level: 1 })`)); // unreadable: nothing
      await admin.query(q(`${C}.create({ name: "hi", level: 1 })`)); // fence
      const events = await s.take(5);
      assert.deepEqual(events.slice(1).map((e) => [e.type, e.data.id === ids[0] ? 0 : e.data.id === ids[1] ? 1 : e.data.id === ids[2] ? 2 : 3, e.data.name]), [
        ['remove', 0, 'hi'], ['remove', 1, 'hi'], ['add', 2, 'hi'], ['add', 3, 'hi'],
      ]);
    } finally {
      s.close();
    }
  });

  // AT "providing a start time" "replays events, but not before the provided start time" (the
  // driver never sends start_ts: raw HTTP).
  it('start_ts replays only what committed after it; the status event is at start_ts', T, async () => {
    for (const transport of ['h1', 'h2'] as const) {
      const C = await coll();
      const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
      const id = (await admin.query<any>(q(`${C}.create({})`))).data.id;
      await admin.query(q(`${C}.byId("${id}")!.update({})`));
      const startTs = await txn(admin, q(`${C}.byId("${id}")!.update({ at: "start" })`));
      await admin.query(q(`${C}.byId("${id}")!.update({ after: 1 })`));
      await admin.query(q(`${C}.byId("${id}")!.delete()`));
      const s = await rawStream(transport, server.url, { token: token.token, start_ts: startTs });
      try {
        assert.equal(s.status, 200);
        await s.take(3);
        await admin.query(q(`${C}.create({ live: true })`));
        const events = await s.take(4);
        assert.deepEqual(types(events), ['status', 'update', 'remove', 'add'], transport);
        assert.equal(events[0].txn_ts, startTs);
        assert.equal(events[1].data['@doc'].after['@int'], '1');
      } finally {
        s.close();
      }
    }
  });

  // AT "errors" "starting a stream that would replay over 128 events fails with an error event".
  it('a replay of more than 128 events sends the status, 128 events, then stream_replay_volume_exceeded', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    await admin.query(q(`Set.sequence(0, 129).forEach(n => ${C}.create({ n: n }))`));
    const raw = await rawStream('h1', server.url, { token: token.token });
    const events = await raw.end();
    assert.equal(events.length, 130);
    assert.equal(events[0].type, 'status');
    assert.deepEqual(events.slice(1, 129).map((e) => [e.type, e.data['@doc'].n['@int']]), Array.from({ length: 128 }, (_, k) => ['add', String(k)]));
    assert.deepEqual(events[129].error, { code: 'stream_replay_volume_exceeded', message: 'Too many events to replay. Recreate the stream and try again.' });

    const viaDriver = collect(admin, token);
    const e = await viaDriver.failure();
    assertServiceError(e, 'stream_replay_volume_exceeded', 'Too many events to replay. Recreate the stream and try again.');
    assert.ok(e instanceof QueryRuntimeError);
    assert.equal(viaDriver.events.length, 128);
  });

  // AT "errors" (129 docs → error; so 127 replay fine, spec §6.5).
  it('a replay of 127 events is fine and the stream goes live', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    await admin.query(q(`Set.sequence(0, 127).forEach(n => ${C}.create({ n: n }))`));
    const s = collect(admin, token);
    try {
      await s.take(127);
      await admin.query(q(`${C}.create({ n: 127 })`));
      assert.deepEqual((await s.take(128)).map((e) => e.data.n), Array.from({ length: 128 }, (_, k) => k));
    } finally {
      s.close();
    }
  });

  // AT "correctly merges multiple same transaction document events" (replay and live, all() and a
  // projected user index).
  it('one event per document per transaction: update then delete is one remove with the state before', T, async () => {
    const C = await coll(BY_N);
    const ids: string[] = [];
    for (let k = 0; k < 2; k++) ids.push((await admin.query<any>(q(`${C}.create({ n: 42, m: 0 })`))).data.id);
    const all = (await eventSource(admin, q(`${C}.all().eventSource()`))).token;
    const idx = (await eventSource(admin, q(`${C}.byN(42).eventSource() { m }`))).token;
    const mergeQuery = (id: string) => q(`let doc = ${C}.byId("${id}")!\ndoc.update({ m: 43 })\ndoc.delete()`);
    await admin.query(mergeQuery(ids[0])); // replayed
    const live = [collect(admin, all), collect(admin, idx)];
    try {
      await Promise.all(live.map((s) => s.take(1)));
      await admin.query(mergeQuery(ids[1])); // live
      await admin.query(q(`${C}.create({ n: 42, m: 5 })`)); // fence
      const [a, i] = await Promise.all(live.map((s) => s.take(3)));
      assert.deepEqual(a.map((e) => [e.type, e.data.id, e.data.m]), [['remove', ids[0], 0], ['remove', ids[1], 0], ['add', a[2].data.id, 5]]);
      assert.deepEqual(i.map((e) => [e.type, plain(e.data)]), [['remove', { m: 0 }], ['remove', { m: 0 }], ['add', { m: 5 }]]);
    } finally {
      for (const s of live) s.close();
    }
  });

  // AT "handles multiple updates events live .all()" / "... user index" / "... replay"; MT
  // EventReplayerSpec "merges multiple updates for mva values", "handles same ts across page
  // boundary" (d4 deleted first, still last); spec §3 ordinals: by document id.
  it('events of one transaction come out in document id order, live and replayed', T, async () => {
    const C = await coll(BY_N);
    const ids: string[] = [];
    for (const m of [0, 1, 2, 12]) ids.push((await admin.query<any>(q(`${C}.create({ n: 42, m: ${m} })`))).data.id);
    assert.deepEqual([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)), ids, 'ids increase');
    const allToken = (await eventSource(admin, q(`${C}.all().eventSource()`))).token;
    const idxToken = (await eventSource(admin, q(`${C}.byN(42).eventSource()`))).token;
    const d = (k: number) => `${C}.byId("${ids[k]}")!`;
    // Written in reverse id order, and the index case deletes d4 first.
    await admin.query(q(`${d(2)}.update({ m: 45 })\n${d(1)}.update({ m: 44 })\n${d(0)}.update({ m: 43 })`));
    await admin.query(q(`${d(3)}.delete()\n${d(0)}.update({ m: 53 })\n${d(1)}.update({ m: 54 })\n${d(2)}.update({ m: 55 })`));
    const replay = [collect(admin, allToken), collect(admin, idxToken)];
    const liveAll = collect(admin, q(`${C}.all().eventSource()`), { status_events: true });
    try {
      await liveAll.take(1);
      await admin.query(q(`${d(2)}.update({ m: 65 })\n${d(1)}.update({ m: 64 })\n${d(0)}.update({ m: 63 })`));
      await admin.query(q(`Set.sequence(0, 4).forEach(k => ${C}.create({ n: 7, m: 70 + k }))`));
      const expected = [['update', 43], ['update', 44], ['update', 45], ['update', 53], ['update', 54], ['update', 55], ['remove', 12]];
      const pick = (events: any[]) => events.map((e) => [e.type, e.data.m]);
      assert.deepEqual(pick(await replay[0].take(7)), expected);
      assert.deepEqual(pick(await replay[1].take(7)), expected);
      const live = await liveAll.take(8);
      assert.deepEqual(pick(live.slice(1)), [['update', 63], ['update', 64], ['update', 65], ['add', 70], ['add', 71], ['add', 72], ['add', 73]]);
      assert.equal(new Set(live.map((e) => e.cursor)).size, 8, 'events of one transaction have distinct cursors');
    } finally {
      for (const s of [...replay, liveAll]) s.close();
    }
  });

  // AT "errors" and "providing a start time"/"providing a cursor"; spec §6.2 (no trailing periods).
  it('answers bad requests before streaming with 400/401 and core messages', T, async () => {
    const C = await coll();
    const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const page = await admin.query<any>(fql`[1, 2].toSet().paginate(1)`);
    const cases: [string, unknown, { secret?: string | null }, number, unknown][] = [
      ['no body', undefined, {}, 400, badRequest('No request body provided')],
      ['no token', { streamz: token.token }, {}, 400, badRequest('Invalid request body: Value for key token not found.')],
      ['start_ts of the wrong type', { token: token.token, start_ts: '1' }, {}, 400, badRequest("Invalid request body: Unexpected string value '1'.")],
      ['both start_ts and cursor', { token: token.token, start_ts: txnTs, cursor: 'abc' }, {}, 400,
        badRequest('Invalid request body: can not provide both `start_ts` and `cursor`')],
      ['a number as token', { token: '2' }, {}, 400, badRequest('Invalid request body: invalid event source provided')],
      ['a set cursor as token', { token: page.data.after }, {}, 400, badRequest('Invalid request body: invalid event source provided')],
      ['a bad cursor', { token: token.token, cursor: 'INVALID!' }, {}, 400, badRequest('Invalid request body: invalid event cursor provided')],
      ['a bad token with a bad secret', { token: '2' }, { secret: 'nope' }, 400, badRequest('Invalid request body: invalid event source provided')],
      ['no secret', { token: token.token }, { secret: null }, 401, UNAUTHORIZED],
      ['a bad secret', { token: token.token }, { secret: 'secretinvalidkey' }, 401, UNAUTHORIZED],
      ['start_ts before the token', { token: token.token, start_ts: txnTs - 1 }, {}, 400,
        badRequest('Invalid stream start time: Stream start time can not be before the stream create time.')],
    ];
    for (const [name, body, opts, status, expected] of cases) {
      const r = await post(server.url, '/stream/1', body, opts);
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, expected, name);
    }
    const notJson = await post(server.url, '/stream/1', '{"token":');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, 'invalid_request');
    assert.match(notJson.body.error.message, /^Invalid request body: ./);
  });

  // AT "providing a start time prior to the stream token time fails with an error", with a cursor
  // taken from an older token's stream (a cursor is independent of the token, spec §3).
  it('a cursor before the token start is refused', T, async () => {
    const C = await coll();
    const older = (await eventSource(admin, q(`${C}.all().eventSource()`))).token;
    await admin.query(q(`${C}.create({})`));
    const s = collect(admin, older);
    const [add] = await s.take(1);
    s.close();
    // Taken by a query that writes, so that its start is strictly after the create: a read-only
    // query may share the ts of the last commit (on PostgreSQL a reader's ts is the stable point,
    // which the create may still be), and a cursor at the start itself is not before it.
    const newer = (await eventSource(admin, q(`${C}.create({}); ${C}.all().eventSource()`))).token;
    const r = await post(server.url, '/stream/1', { token: newer.token, cursor: add.cursor });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, badRequest('Invalid stream start time: Stream start time can not be before the stream create time.'));
  });

  // AT "errors" "returns 400 when a valid auth but different auth from stream create fails"; spec §6.7
  // (re-evaluated by name on every connect).
  it('a token is re-evaluated on every connect: other database or deleted collection fail with 400', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const child = `${C}child`;
    await admin.query(q(`Database.create({ name: "${child}" })`));
    const childSecret = (await admin.query<any>(q(`Key.create({ role: "admin", database: "${child}" })`))).data.secret;
    const other = await post(server.url, '/stream/1', { token: token.token }, { secret: childSecret });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'invalid_request');
    assert.ok(other.body.error.message.startsWith('Error evaluating provided stream, '), other.body.error.message);

    await admin.query(q(`${C}.definition.delete()`));
    const gone = await post(server.url, '/stream/1', { token: token.token });
    assert.equal(gone.status, 400);
    assert.equal(gone.body.error.code, 'invalid_request');
    assert.ok(gone.body.error.message.startsWith('Error evaluating provided stream, '), gone.body.error.message);
  });

  // AT "ABAC" "close stream on permission loss": delete the key, then write until the error arrives.
  it('deleting the key ends its streams with permission_loss', T, async () => {
    const C = await coll();
    const key = (await admin.query<any>(fql`Key.create({ role: "admin" })`)).data;
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const s = collect(drivers.client('h2', key.secret), token, { status_events: true });
    await s.take(1);
    await admin.query(fql`Key.byId(${key.id})!.delete()`);
    const deadline = Date.now() + 10_000;
    while (!s.done && Date.now() < deadline) await admin.query(q(`${C}.create({})`));
    const e = await s.failure(1_000);
    assertServiceError(e, 'permission_loss', 'Stream authentication is no longer valid.');
    assert.deepEqual(types(s.events), ['status'], 'no event after the key was deleted');
  });

  // Spec §6.6 (core Auth.revalidate): a key document that changed, not only one deleted.
  it('changing the key document ends its streams with permission_loss', T, async () => {
    const C = await coll();
    const key = (await admin.query<any>(fql`Key.create({ role: "admin" })`)).data;
    const s = collect(drivers.client('h2', key.secret), q(`${C}.all().eventSource()`), { status_events: true });
    await s.take(1);
    await admin.query(fql`Key.byId(${key.id})!.update({ data: { note: "changed" } })`);
    const deadline = Date.now() + 10_000;
    while (!s.done && Date.now() < deadline) await admin.query(q(`${C}.create({})`));
    assertServiceError(await s.failure(1_000), 'permission_loss', 'Stream authentication is no longer valid.');
    assert.deepEqual(types(s.events), ['status']);
  });

  // Spec §6.6 (core Auth.revalidate): any change to a role the secret uses.
  it('changing the role of the key ends its streams with permission_loss', T, async () => {
    const C = await coll();
    const role = `${C}Role`;
    await admin.query(q(`Role.create({ name: "${role}", privileges: [{ resource: "${C}", actions: { read: true } }] })`));
    const reader = drivers.client('h2', await keySecret(role));
    const s = collect(reader, q(`${C}.all().eventSource()`), { status_events: true });
    await s.take(1);
    await admin.query(q(`Role.byName("${role}")!.update({ privileges: [{ resource: "${C}", actions: { read: true, create: true } }] })`));
    const deadline = Date.now() + 10_000;
    while (!s.done && Date.now() < deadline) await admin.query(q(`${C}.create({ n: 2 })`));
    assertServiceError(await s.failure(1_000), 'permission_loss', 'Stream authentication is no longer valid.');
    assert.deepEqual(types(s.events), ['status'], 'no event after the role changed');
  });

  // AT "errors" "attempting to write in a stream projection fails with an error event" and "error
  // during stream execution sends error event".
  it('a failing event is an error event with the query error code', T, async () => {
    const C = await coll();
    const writes = collect(admin, q(`${C}.all().map(d => {\n  ${C}.create({})\n  d\n}).eventSource()`), { status_events: true });
    const nulls = collect(admin, q(`${C}.all().map(d => {\n  d.first.second\n}).eventSource()`), { status_events: true });
    await Promise.all([writes.take(1), nulls.take(1)]);
    await admin.query(q(`${C}.create({ first: { second: "hi" } })`));
    await admin.query(q(`${C}.create({})`));
    assertServiceError(await writes.failure(), 'invalid_effect');
    assert.deepEqual(types(writes.events), ['status']);
    assertServiceError(await nulls.failure(), 'invalid_null_access');
    assert.deepEqual(nulls.events.map((e) => [e.type, e.data]), [['status', undefined], ['add', 'hi']]);
  });

  // AT "providing a start time prior to collection mvt fails with an error" (token start moved 20
  // minutes back, start_ts 16 minutes back, history_days 0 ⇒ 15-minute window); spec §6.5.
  it('a start before the history window is a status then invalid_stream_start_time', T, async () => {
    const C = await coll(', history_days: 0');
    const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const decoded = decodeEventSource(token.token)!;
    const minute = 60_000_000;
    const old = encodeEventSource({ ...decoded, start: BigInt(txnTs - 20 * minute) });
    const s = await rawStream('h1', server.url, { token: old, start_ts: txnTs - 16 * minute });
    assert.equal(s.status, 200);
    const events = await s.end();
    assert.deepEqual(types(events), ['status', 'error']);
    assert.equal(events[0].txn_ts, txnTs - 16 * minute);
    assert.equal(events[1].error.code, 'invalid_stream_start_time');
    assert.match(events[1].error.message, /^Stream start time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z is too far in the past\. Recreate the stream and try again\.$/);
  });

  // AT "event feeds + stream" "start stream after event feeds": a feed page's cursor starts a stream.
  it('a stream starts from a feed page cursor', T, async () => {
    const C = await coll();
    await admin.query(q(`${C}.create({ n: 0 })`));
    const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const page = await post(server.url, '/feed/1', { token: token.token, start_ts: txnTs - 5 * 60_000_000 });
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.events.map((e: any) => e.type), ['add']);
    const s = collect(admin, token, { cursor: page.body.cursor, status_events: true });
    try {
      await s.take(1);
      await admin.query(q(`${C}.create({ n: 1 })`));
      assert.deepEqual((await s.take(2)).map((e) => [e.type, e.data?.n]), [['status', undefined], ['add', 1]]);
    } finally {
      s.close();
    }
  });
});

// Spec §6.4 item 4 (idle status events: latest committed time, "everything ≤ txn_ts delivered") and
// §6.6 (the secret is re-validated on idle ticks too), on a server with a short idle interval
// (--stream-status-interval-ms; core: 5 minutes).
describe('idle event streams', () => {
  let server: TestServer;
  let drivers: Drivers;
  let admin: Client;

  useEventsServer((s) => ({ server, drivers, admin } = s), { args: ['--stream-status-interval-ms', '250'] });
  before(async () => {
    await admin.query(fql`Collection.create({ name: "Idle" })`);
  });

  it('an idle stream sends status events at the latest commit; resuming from one replays nothing before it', T, async () => {
    const { token } = await eventSource(admin, fql`Idle.all().eventSource()`);
    const s = collect(admin, token, { status_events: true });
    try {
      await s.take(1);
      const added = await admin.query<any>(fql`Idle.create({ n: 1 })`);
      // Idle statuses may come before the add too (the machine may be slow); two must follow it.
      const addAt = (evs: any[]) => evs.findIndex((e) => e.type === 'add');
      const all = await s.until((evs) => addAt(evs) >= 0 && evs.length >= addAt(evs) + 3, 'two status events after the add');
      const events = all.slice(addAt(all));
      assert.deepEqual(types(events.slice(0, 3)), ['add', 'status', 'status']);
      assert.ok(all.slice(0, addAt(all)).every((e) => e.type === 'status'));
      assert.ok(events[1].txn_ts >= added.txn_ts!, `idle status at ${events[1].txn_ts}, before the last commit ${added.txn_ts}`);
      assert.ok(events[2].txn_ts >= events[1].txn_ts);
      const resumed = collect(admin, token, { cursor: events[2].cursor });
      try {
        await admin.query(fql`Idle.create({ n: 2 })`);
        assert.deepEqual((await resumed.take(1)).map((e) => [e.type, e.data.n]), [['add', 2]]);
      } finally {
        resumed.close();
      }
    } finally {
      s.close();
    }
  });

  it('a deleted key ends an idle stream with permission_loss at the next tick', T, async () => {
    const key = (await admin.query<any>(fql`Key.create({ role: "admin" })`)).data;
    const { token } = await eventSource(admin, fql`Idle.all().eventSource()`);
    const s = collect(drivers.client('h2', key.secret), token, { status_events: true });
    await s.take(1);
    await admin.query(fql`Key.byId(${key.id})!.delete()`);
    assertServiceError(await s.failure(5_000), 'permission_loss', 'Stream authentication is no longer valid.');
    assert.ok(s.events.every((e) => e.type === 'status'));
  });
});

// Issue 11 "Bad input and faults": a client that never reads gets bounded buffers, then the stream
// ends with stream_overflow (spec §6.5 "Too many events to process."); a token is re-evaluated by
// name (§6.7); a secret that may not read the collection cannot use someone else's token.
describe('event stream faults', () => {
  let server: TestServer;
  let drivers: Drivers;
  let admin: Client;

  useEventsServer((s) => ({ server, drivers, admin } = s));

  it('a client that stops reading gets stream_overflow once its buffer is full', T, async () => {
    await admin.query(fql`Collection.create({ name: "Flood" })`);
    // Every event carries 1 MiB captured by the map (small writes, big events).
    const pad = 'x'.repeat(1024 * 1024);
    const { token } = await eventSource(admin, fql`let pad = ${pad}\nFlood.all().map(d => { n: d.n, pad: pad }).eventSource()`);
    const { request } = await import('node:http');
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(`${server.url}/stream/1`, { method: 'POST', headers: { authorization: 'Bearer secret' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ token: token.token }));
    });
    assert.equal(res.statusCode, 200);
    res.pause(); // stop reading: TCP backpressure reaches the server
    // 40 MiB of events: more than the socket buffers and the server's per-stream bound hold.
    for (let n = 0; n < 40; n += 4) await admin.query(fql`Set.sequence(${n}, ${n + 4}).forEach(n => Flood.create({ n: n }))`);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => { text += chunk; });
    await new Promise<void>((resolve) => { res.on('close', resolve); res.resume(); });
    assert.ok(res.complete, 'the response was ended, not cut');
    const lines = text.split('\r\n');
    assert.equal(lines.pop(), '', 'the response ends after a complete line');
    const events = lines.map((l) => JSON.parse(l));
    assert.ok(events.length < 41, `${events.length} events: the flood was not cut short`);
    assert.deepEqual(events[events.length - 1].error, { code: 'stream_overflow', message: 'Too many events to process.' });
    assert.equal(events[0].type, 'status');
    assert.ok(events.slice(1, -1).every((e, k) => e.type === 'add' && e.data.n['@int'] === String(k)), 'the events before the error are the first ones, in order');
  });

  it('a token follows its collection by name: deleted fails, re-created streams the new one', T, async () => {
    await admin.query(fql`Collection.create({ name: "Phoenix" })`);
    const { token } = await eventSource(admin, fql`Phoenix.all().eventSource()`);
    await admin.query(fql`Phoenix.definition.delete()`);
    const gone = await post(server.url, '/stream/1', { token: token.token });
    assert.equal(gone.status, 400);
    assert.ok(gone.body.error.message.startsWith('Error evaluating provided stream, '), gone.body.error.message);
    await admin.query(fql`Collection.create({ name: "Phoenix" })`);
    const s = collect(admin, token, { status_events: true });
    try {
      await s.take(1);
      await admin.query(fql`Phoenix.create({ reborn: true })`);
      const [, add] = await s.take(2);
      assert.equal(add.type, 'add');
      assert.equal(add.data.reborn, true);
    } finally {
      s.close();
    }
  });

  it('a secret without read access cannot use a token made by another', T, async () => {
    await admin.query(fql`Collection.create({ name: "Private" })`);
    await admin.query(fql`Role.create({ name: "Nothing" })`);
    const secret = (await admin.query<any>(fql`Key.create({ role: "Nothing" })`)).data.secret;
    const { token } = await eventSource(admin, fql`Private.all().eventSource()`);
    for (const path of ['/stream/1', '/feed/1']) {
      const r = await post(server.url, path, { token: token.token }, { secret });
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_request');
      const prefix = path === '/stream/1' ? 'Error evaluating provided stream, ' : 'Error evaluating provided event source, ';
      assert.equal(r.body.error.message, `${prefix}Insufficient privileges to read from collection Private.`);
    }
  });
});
