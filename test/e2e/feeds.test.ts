// Event feeds (`POST /feed/1`) through the official fauna driver (`client.feed()`, over its HTTP/2
// client and its fetch client) and raw HTTP for status codes and exact bodies. Spec:
// /work/shared/spec/streams-feeds.md §7. Each test names the Fauna test it ports: core
// `ext/api/src/test/scala/fql2/stream/FeedSpec.scala` (AT FeedSpec), fauna-js
// `__tests__/integration/feed.test.ts`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, Client, QueryTimeoutError, type FeedPage } from 'fauna';
import type { TestServer } from '../helpers/server';
import { decodeCursor, encodeCursor } from '../../src/streams/cursor';
import { Drivers, TRANSPORTS, UNAUTHORIZED, assertStats, badRequest, eventSource, freshCollections, post, q, txn, useEventsServer } from './events-helpers';

const T = { timeout: 20_000 };

/** Every page of a feed, events read out (an error event throws when its page's events are read). */
async function allPages(feed: AsyncIterable<FeedPage<any>>): Promise<{ events: any[]; cursor: string; hasNext: boolean }[]> {
  const out = [];
  for await (const page of feed) out.push({ events: [...page.events], cursor: page.cursor, hasNext: page.hasNext });
  return out;
}

describe('event feeds (/feed/1)', () => {
  let server: TestServer;
  let drivers: Drivers;
  let admin: Client;
  /** A fresh collection (`extra` is more of its definition). */
  const coll = freshCollections('F', () => admin);

  /** One raw poll (HTTP/1.1); fails unless the answer is 200. */
  async function poll(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
    const r = await post(server.url, '/feed/1', body, { headers });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  useEventsServer((s) => ({ server, drivers, admin } = s));

  // AT FeedSpec "poll from an empty stream"; spec §7 response shape.
  it('polls an empty source: no events, has_next false, a cursor and stats', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const page = await poll({ token: token.token });
    assert.deepEqual(Object.keys(page), ['events', 'cursor', 'has_next', 'stats']);
    assert.deepEqual(page.events, []);
    assert.equal(page.has_next, false);
    assert.equal(typeof page.cursor, 'string');
    assertStats(page.stats);
  });

  for (const transport of TRANSPORTS) {
    describe(`through the driver's ${transport === 'h2' ? 'HTTP/2' : 'fetch'} client`, () => {
      let client: Client;
      before(() => { client = drivers.client(transport); });

      // fauna-js "should return a iterable feed from a stream token".
      it('a feed from a token: one page with the events after it', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        await client.query(q(`Set.sequence(0, 3).forEach(v => ${C}.create({ value: v + 1 }))`));
        const pages = await allPages(client.feed(token));
        assert.equal(pages.length, 1);
        assert.deepEqual(pages[0].events.map((e) => [e.type, e.data.value]), [['add', 1], ['add', 2], ['add', 3]]);
        assert.equal(pages[0].hasNext, false);
      });

      // fauna-js "should return an iterable feed with a lambda" (the token is made at the first poll).
      it('a feed from a query starts when it is first polled', T, async () => {
        const C = await coll();
        const feed = client.feed(q(`${C}.all().eventSource()`));
        await client.query(q(`${C}.create({ value: 1 })`));
        const pages = await allPages(feed);
        assert.equal(pages.length, 1);
        assert.deepEqual(pages[0].events, []);
      });

      // fauna-js "should pass configuration to the feed client": start_ts older than the token,
      // page_size 1 ⇒ 3 pages of 1 event.
      it('start_ts before the token and page_size 1: one page per event', T, async () => {
        const C = await coll();
        const startAt = await txn(client, q(`${C}.create({ value: 0 })`));
        await client.query(q(`Set.sequence(0, 3).forEach(v => ${C}.create({ value: v + 1 }))`));
        const pages = await allPages(client.feed(q(`${C}.all().eventSource()`), { page_size: 1, start_ts: startAt }));
        assert.deepEqual(pages.map((p) => [p.events.map((e) => e.data.value), p.hasNext]), [[[1], true], [[2], true], [[3], false]]);
      });

      // fauna-js "can resume from a cursor using a query" / "can pass an existing cursor": a cursor is
      // independent of the token (spec §3).
      it('resumes from a page cursor with a newer token', T, async () => {
        const C = await coll();
        const query = q(`${C}.all().eventSource()`);
        const startAt = await txn(client, q(`${C}.create({ value: 0 })`));
        await client.query(q(`Set.sequence(0, 3).forEach(v => ${C}.create({ value: v + 1 }))`));
        const first = await client.feed(query, { page_size: 1, start_ts: startAt }).nextPage();
        assert.deepEqual([...first.events].map((e: any) => e.data.value), [1]);
        const pages = await allPages(client.feed(query, { cursor: first.cursor }));
        assert.equal(pages.length, 1);
        assert.deepEqual(pages[0].events.map((e) => e.data.value), [2, 3]);
      });

      // Spec §7 has_next: 9 events, page_size 5 ⇒ 5 + 4.
      it('has_next is true exactly when another event follows', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        await client.query(q(`Set.sequence(0, 9).forEach(n => ${C}.create({ n: n }))`));
        const pages = await allPages(client.feed(token, { page_size: 5 }));
        assert.deepEqual(pages.map((p) => [p.events.map((e) => e.data.n), p.hasNext]), [[[0, 1, 2, 3, 4], true], [[5, 6, 7, 8], false]]);
      });

      // fauna-js "throws an error on an error event within a page of events"; AT FeedSpec "stop at first
      // error, then resume the feed".
      it('an error event throws when read; the page cursor resumes after it', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().map(doc => if (doc.n == 1) abort("oops") else doc.n).eventSource()`));
        for (let n = 0; n < 3; n++) await client.query(q(`${C}.create({ n: ${n} })`));
        const page = await client.feed(token).nextPage();
        const seen: unknown[] = [];
        let error: unknown;
        try {
          for (const e of page.events) seen.push(e.data);
        } catch (e) {
          error = e;
        }
        assert.deepEqual(seen, [0]);
        assert.ok(error instanceof AbortError, String(error));
        assert.equal(error.abort, 'oops');
        const rest = await allPages(client.feed(token, { cursor: page.cursor }));
        assert.deepEqual(rest.map((p) => p.events.map((e) => e.data)), [[2]]);
      });

      // fauna-js "throws a QueryTimeoutError if the query times out" (query_timeout_ms: 1).
      it('query_timeout_ms 1 is a QueryTimeoutError (440 time_out)', T, async () => {
        const C = await coll();
        const { token } = await eventSource(client, q(`${C}.all().eventSource()`));
        const hurried = drivers.client(transport, 'secret', { query_timeout_ms: 1 });
        let error: unknown;
        try {
          await allPages(hurried.feed(token));
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof QueryTimeoutError, String(error));
        assert.equal(error.code, 'time_out');
        assert.equal(error.httpStatus, 440);
      });
    });
  }

  // AT FeedSpec "poll pages of events": any page size returns every event once, in order.
  it('pages of any size cover every event once, in order', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const ids: string[] = [];
    for (let k = 0; k < 13; k++) ids.push((await admin.query<any>(q(`${C}.create({ k: ${k} })`))).data.id);
    for (let pageSize = 1; pageSize <= 5; pageSize++) {
      let body: Record<string, unknown> = { token: token.token, page_size: pageSize };
      const seen: string[] = [];
      let pages = 0;
      for (;;) {
        const page = await poll(body);
        pages++;
        assert.ok(page.events.length <= pageSize);
        for (const e of page.events) {
          assert.equal(e.type, 'add');
          seen.push(e.data['@doc'].id);
        }
        body = { token: token.token, page_size: pageSize, cursor: page.cursor };
        if (!page.has_next) break;
      }
      assert.deepEqual(seen, ids, `page_size ${pageSize}`);
      assert.equal(pages, Math.ceil(13 / pageSize), `page_size ${pageSize}`);
    }
  });

  // AT FeedSpec "start from a txn time" (everything at start_ts excluded, spec §3).
  it('start_ts excludes its own transaction', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const doc1Ts = await txn(admin, q(`${C}.create({})`));
    const doc2 = (await admin.query<any>(q(`${C}.create({})`))).data.id;
    const page = await poll({ token: token.token, start_ts: doc1Ts });
    assert.equal(page.has_next, false);
    assert.deepEqual(page.events.map((e: any) => [e.type, e.data['@doc'].id]), [['add', doc2]]);
  });

  // AT FeedSpec "stop at first error, then resume the feed" (raw: the error event and the cursor).
  it('an error event ends the page; its cursor resumes after the failed event', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().map(doc => if (doc.n == 1) abort("oops") else doc.n).eventSource()`));
    for (let n = 0; n < 3; n++) await admin.query(q(`${C}.create({ n: ${n} })`));
    const page0 = await poll({ token: token.token });
    assert.equal(page0.events.length, 2);
    assert.deepEqual([page0.events[0].type, page0.events[0].data], ['add', { '@int': '0' }]);
    assert.deepEqual(Object.keys(page0.events[1]), ['type', 'error', 'stats']);
    assert.deepEqual(page0.events[1].error, { code: 'abort', message: page0.events[1].error.message, abort: 'oops' });
    const page1 = await poll({ token: token.token, cursor: page0.cursor });
    assert.deepEqual(page1.events.map((e: any) => [e.type, e.data]), [['add', { '@int': '2' }]]);
    assert.equal(page1.has_next, false);
  });

  // Spec §7: the cursor of a page without more events is "after everything visible at the read", so
  // polling an idle source moves it forward (and keeps it inside the history window).
  it('polling an idle source advances the cursor', T, async () => {
    const C = await coll();
    const Other = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const first = await poll({ token: token.token });
    const elsewhere = await txn(admin, q(`${Other}.create({})`));
    const second = await poll({ token: token.token, cursor: first.cursor });
    assert.deepEqual(second.events, []);
    assert.equal(second.has_next, false);
    const c1 = decodeCursor(first.cursor)!;
    const c2 = decodeCursor(second.cursor)!;
    assert.ok(c2.ts >= BigInt(elsewhere), `cursor ${c2.ts} is not past the last commit ${elsewhere}`);
    assert.ok(c2.ts > c1.ts);
    const id = (await admin.query<any>(q(`${C}.create({})`))).data.id;
    const third = await poll({ token: token.token, cursor: second.cursor });
    assert.deepEqual(third.events.map((e: any) => e.data['@doc'].id), [id]);
  });

  // AT FeedSpec "rejects large page size", "rejects invalid page size"; spec §7 (1..16000, default 16).
  it('page_size is 1..16000, 16 by default', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    for (const [size, message] of [[0, 'page size must be greater than zero.'], [-1, 'page size must be greater than zero.'],
      [16_001, 'page size can not be greater than 16000.']] as const) {
      const r = await post(server.url, '/feed/1', { token: token.token, page_size: size });
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, badRequest(`Invalid request body: ${message}`), String(size));
    }
    await admin.query(q(`Set.sequence(0, 17).forEach(n => ${C}.create({ n: n }))`));
    const byDefault = await poll({ token: token.token });
    assert.equal(byDefault.events.length, 16);
    assert.equal(byDefault.has_next, true);
    const rest = await poll({ token: token.token, cursor: byDefault.cursor });
    assert.deepEqual(rest.events.map((e: any) => e.data['@doc'].n['@int']), ['16']);
    for (const size of [1, 16_000]) assert.equal((await poll({ token: token.token, page_size: size })).events.length, size === 1 ? 1 : 17);
  });

  // (ours) Found by probing (session 16): pages were bounded by their count only (30 events of
  // 60 MiB made one page of 1.9 GB), and one compute budget served the whole page (a burst of
  // writes ended filtered feeds with a bogus time_out, on every retry).
  it('a page ends with has_next once its events pass 16 MiB; each event has a compute budget of its own', { timeout: 60_000 }, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    for (let i = 0; i < 5; i++) await admin.query(q(`${C}.create({ i: ${i}, big: Set.sequence(0, 22).fold("x", (a, _) => a + a) })`));
    const first = await poll({ token: token.token, page_size: 10 });
    assert.deepEqual(first.events.map((e: any) => e.data['@doc'].i['@int']), ['0', '1', '2', '3']);
    assert.equal(first.has_next, true);
    const rest = await poll({ token: token.token, page_size: 10, cursor: first.cursor });
    assert.deepEqual(rest.events.map((e: any) => e.data['@doc'].i['@int']), ['4']);
    assert.equal(rest.has_next, false);

    // Each event's filter costs about 3,000 compute ops (of 12,000 per query); six in one page.
    const D = await coll();
    const filtered = await eventSource(admin, q(`${D}.where(d => Set.sequence(0, 150000).fold(0, (a, x) => a + 1) > d.n).eventSource()`));
    await admin.query(q(`Set.sequence(0, 6).forEach(n => ${D}.create({ n: n }))`));
    const page = await poll({ token: filtered.token.token, page_size: 10 }, { 'x-query-timeout-ms': '60000' });
    assert.equal(page.events.length, 6);
    for (const e of page.events) assert.ok(e.stats.compute_ops >= 3000, JSON.stringify(e.stats));
  });

  // AT FeedSpec "errors" (requires stream token, rejects invalid event source / cursor / start time,
  // both cursor and start ts); spec §7 (trailing periods).
  it('answers bad requests with 400/401 and core messages', T, async () => {
    const C = await coll();
    const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const cases: [string, unknown, { secret?: string | null; headers?: Record<string, string> }, number, unknown][] = [
      ['no body', undefined, {}, 400, badRequest('No request body provided')],
      ['no token', {}, {}, 400, badRequest('Invalid request body: Value for key token not found.')],
      ['a bad token', { token: 'INVALID!' }, {}, 400, badRequest('Invalid request body: invalid event source provided.')],
      // Hand-made tokens whose values do not decode (found by probing, session 16: they got 500).
      ...[{ src: 'where', fn: { fn: 5 }, inner: { kind: 'collAll', coll: C } }, { src: 'where', fn: 5, inner: { kind: 'collAll', coll: C } },
        { src: 'single', item: { doc: 5 } }].map((set, i): [string, unknown, object, number, unknown] => [`a forged token ${i}`,
        { token: Buffer.from(JSON.stringify({ k: 'fqles1', set, start: String(txnTs) })).toString('base64url') }, {}, 400,
        badRequest('Invalid request body: invalid event source provided.')]),
      ['a bad cursor', { token: token.token, cursor: 'INVALID!' }, {}, 400, badRequest('Invalid request body: invalid event cursor provided.')],
      ['a bad start_ts', { token: token.token, start_ts: 'INVALID!' }, {}, 400, badRequest("Invalid request body: Unexpected string value 'INVALID!'.")],
      ['both start_ts and cursor', { token: token.token, start_ts: txnTs, cursor: 'INVALID!' }, {}, 400,
        badRequest('Invalid request body: can not provide both `start_ts` and `cursor`.')],
      ['no secret', { token: token.token }, { secret: null }, 401, UNAUTHORIZED],
      ['a bad secret', { token: token.token }, { secret: 'nope' }, 401, UNAUTHORIZED],
      ['a bad timeout header', { token: token.token }, { headers: { 'x-query-timeout-ms': 'abc' } }, 400,
        badRequest("Invalid headers: Invalid header 'x-query-timeout-ms': Invalid number 'abc'.")],
    ];
    for (const [name, body, opts, status, expected] of cases) {
      const r = await post(server.url, '/feed/1', body, opts);
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, expected, name);
    }
    await admin.query(q(`${C}.definition.delete()`));
    const gone = await post(server.url, '/feed/1', { token: token.token });
    assert.equal(gone.status, 400);
    assert.equal(gone.body.error.code, 'invalid_request');
    assert.ok(gone.body.error.message.startsWith('Error evaluating provided event source, '), gone.body.error.message);
  });

  // Spec §7 / wire-protocol §1.6: a deadline already passed is 440 time_out, deterministically.
  it('x-query-timeout-ms 1 answers 440 time_out', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const r = await post(server.url, '/feed/1', { token: token.token }, { headers: { 'x-query-timeout-ms': '1' } });
    assert.equal(r.status, 440);
    assert.equal(r.body.error.code, 'time_out');
    assert.equal(typeof r.body.error.message, 'string');
  });

  // AT FeedSpec "rejects writes".
  it('a write while evaluating an event is an invalid_effect error event', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().map(doc => doc.update({ foo: "bar" })).eventSource()`));
    await admin.query(q(`${C}.create({})`));
    const page = await poll({ token: token.token });
    assert.equal(page.has_next, false);
    assert.equal(page.events.length, 1);
    assert.deepEqual(page.events[0].error, { code: 'invalid_effect', message: 'Writes are disallowed in change feeds requests.' });
  });

  // Spec §7: x-format is ignored, events are always tagged; §5 event key order.
  it('events are tagged whatever x-format says', T, async () => {
    const C = await coll();
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const created = await admin.query<any>(q(`${C}.create({ n: 1 })`));
    const page = await poll({ token: token.token }, { 'x-format': 'simple' });
    const [add] = page.events;
    assert.deepEqual(Object.keys(add), ['type', 'data', 'txn_ts', 'cursor', 'stats']);
    assert.equal(add.txn_ts, created.txn_ts);
    assert.deepEqual(add.data['@doc'].n, { '@int': '1' });
    assert.deepEqual(add.data['@doc'].coll, { '@mod': C });
    assertStats(add.stats);
  });

  // Spec §7 (MT FeedSpec): a start before the history window is a 200 page with one
  // invalid_stream_start_time error event, has_next false and the request's cursor.
  it('a start before the history window is an invalid_stream_start_time error event', T, async () => {
    const C = await coll(', history_days: 0');
    const { token, txnTs } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const oldTs = txnTs - 20 * 60_000_000;
    const message = /^Stream start time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z is too far in the past\. Recreate the stream and try again\.$/;
    const byStart = await poll({ token: token.token, start_ts: oldTs });
    assert.equal(byStart.has_next, false);
    assert.deepEqual(byStart.events.map((e: any) => [e.type, e.error.code]), [['error', 'invalid_stream_start_time']]);
    assert.match(byStart.events[0].error.message, message);
    const cursor = encodeCursor({ ts: BigInt(oldTs), ord: 0n });
    const byCursor = await poll({ token: token.token, cursor });
    assert.deepEqual(byCursor.events.map((e: any) => e.error.code), ['invalid_stream_start_time']);
    assert.equal(byCursor.cursor, cursor, 'the cursor is unchanged');
    assert.equal(byCursor.has_next, false);
  });

  // AT FQL2StreamSpec "ABAC" (the same filtering applies to feeds, spec §4.3).
  it('events only for documents the role lets the secret read', T, async () => {
    const C = await coll();
    await admin.query(q(`Role.create({ name: "${C}Reader", privileges: [{ resource: "${C}", actions: { read: "doc => doc.foo <= 42" } }] })`));
    const secret = (await admin.query<any>(q(`Key.create({ role: "${C}Reader" })`))).data.secret;
    const reader = drivers.client('h2', secret);
    const { token } = await eventSource(reader, q(`${C}.all().eventSource()`));
    for (const foo of [42, 55, 32]) await admin.query(q(`${C}.create({ foo: ${foo} })`));
    const pages = await allPages(reader.feed(token));
    assert.deepEqual(pages.flatMap((p) => p.events.map((e) => [e.type, e.data.foo])), [['add', 42], ['add', 32]]);
  });

  // Spec §4-§5: a caller that reads the collection unconditionally (root, a role granting
  // `read: true`) gets events rendered straight from the versions read (src/streams/events.ts
  // directEvent); a role whose read is a predicate gets them evaluated per document. Both must
  // render every kind of value alike, as /query/1 renders the document (tagged format).
  it('events rendered from the stored versions equal the evaluated ones, for every kind of value', T, async () => {
    const C = await coll();
    const R = await coll();
    const ref = (await admin.query<any>(q(`${R}.create({ n: 1 }).id`))).data;
    await admin.query(q(`Role.create({ name: "${C}All", privileges: [{ resource: "${C}", actions: { read: true } }, { resource: "${R}", actions: { read: true } }] })`));
    await admin.query(q(`Role.create({ name: "${C}Pred", privileges: [{ resource: "${C}", actions: { read: "doc => true" } }, { resource: "${R}", actions: { read: true } }] })`));
    const keyAll = (await admin.query<any>(q(`Key.create({ role: "${C}All" }).secret`))).data;
    const keyPred = (await admin.query<any>(q(`Key.create({ role: "${C}Pred" }).secret`))).data;
    const { token } = await eventSource(admin, q(`${C}.all().eventSource()`));
    const created = await admin.query<any>(q(`[
      ${C}.create({
        s: "quote \\" é ☃ \\u0001", i: 42, neg: -7, long: 9007199254740993, double: 1.5, whole: 2.0, tiny: 1e-300,
        t: true, f: false, date: Date("2024-02-29"), time: Time("2024-03-01T12:34:56.123456789Z"),
        bytes: Bytes.fromBase64("AAEC/w=="), uuid: newId(), ref: ${R}.byId("${ref}"),
        nested: { a: [1, { b: "c", "@at": 1, "1": "one" }, []], "@key": { x: null } },
        arr: [Date("1970-01-01"), Time("1969-12-31T23:59:59Z"), -1.25, ${R}.byId("${ref}"), ${R}],
        ttl: Time.now().add(1, "day")
      }).id,
      ${C}.create({ inner: { deep: { deeper: [1, [2, [3]]] } }, ttl_like: "x" }).id,
      ${C}.create({ plain: "p" }).id
    ]`));
    const [a, b, c] = created.data as string[];
    await admin.query(q(`${C}.byId("${a}")!.update({ i: 43, nested: { a: "changed" } })`));
    await admin.query(q(`${C}.byId("${b}")!.replace({ only: Bytes.fromBase64("") })`));
    await admin.query(q(`${C}.byId("${c}")!.delete()`));
    const events = async (secret: string) => {
      const r = await post(server.url, '/feed/1', { token: token.token }, { secret });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.events.map((e: any) => ({ ...e, stats: undefined }));
    };
    const evaluated = await events(keyPred);
    assert.deepEqual(evaluated.map((e: any) => e.type), ['add', 'add', 'add', 'update', 'update', 'remove']);
    // The tagged rendering of the first version, checked once by hand (the evaluated path).
    const first = evaluated[0].data['@doc'];
    assert.deepEqual(Object.keys(first), [
      'id', 'coll', 'ts', 'ttl', 's', 'i', 'neg', 'long', 'double', 'whole', 'tiny', 't', 'f', 'date', 'time', 'bytes', 'uuid', 'ref', 'nested', 'arr',
    ]);
    assert.equal(first.s, 'quote " é ☃ \u0001');
    assert.deepEqual(first.long, { '@long': '9007199254740993' });
    assert.deepEqual(first.bytes, { '@bytes': 'AAEC/w==' });
    assert.deepEqual(first.ref, { '@ref': { id: ref, coll: { '@mod': R } } });
    assert.deepEqual(first.nested, { '@object': { a: [{ '@int': '1' }, { '@object': { b: 'c', '@at': { '@int': '1' }, 1: 'one' } }, []], '@key': {} } });
    assert.deepEqual(evaluated[1].data['@doc'].inner, { deep: { deeper: [{ '@int': '1' }, [{ '@int': '2' }, [{ '@int': '3' }]]] } });
    assert.equal(evaluated[5].data['@doc'].plain, 'p');
    assert.deepEqual(await events('secret'), evaluated);
    assert.deepEqual(await events(keyAll), evaluated);
  });
});
