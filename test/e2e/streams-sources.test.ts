// Event sources created in FQL v10, through the official driver: what `eventSource()` and
// friends return (a StreamToken whose token carries the set, the watched fields and the
// creating transaction's time) and the permission failures at creation (core Sets.scala,
// ValueSet.scala toEventSourceImpl / changesOn, FQL2StreamsSpec.scala, FQL2StreamSpec.scala
// "ABAC"; docs.fauna.com reference/fql-api/set/eventsource and eventson).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamToken, fql, type Query, type QueryValue } from 'fauna';
import { readsMayShareTs, startServer, type TestServer } from '../helpers/server';
import { Clients, fails } from './identity-helpers';
import { decodeEventSource, type EventSourceToken } from '../../src/streams/token';

describe('event sources created in FQL', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;

  /** Runs `query`, checks it returned a StreamToken, and decodes it; `txnTs` is the response's. */
  async function source(client: Client, query: Query<QueryValue>): Promise<{ token: EventSourceToken; txnTs: bigint }> {
    const res = await client.query(query);
    assert.ok(res.data instanceof StreamToken, `expected a StreamToken, got ${JSON.stringify(res.data)}`);
    const token = decodeEventSource(res.data.token);
    assert.ok(token, `undecodable token ${res.data.token}`);
    return { token, txnTs: BigInt(res.txn_ts!) };
  }

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    admin = clients.as('secret');
    await admin.query(fql`Collection.create({
      name: "Foo",
      indexes: { byBar: { terms: [{ field: ".bar" }], values: [{ field: ".n" }] } }
    })`);
    await admin.query(fql`Foo.create({ id: "1", bar: "x", n: 1 })`);
    await admin.query(fql`Role.create({ name: "NoPriv" })`);
    await admin.query(fql`Role.create({ name: "Reader", privileges: { resource: "Foo", actions: { read: "doc => doc.n == 2" } } })`);
  });
  after(async () => {
    clients?.close();
    await server?.dispose();
  });

  it('Coll.all().eventSource() is a StreamToken of the collection, starting at the txn time', async () => {
    const { token, txnTs } = await source(admin, fql`Foo.all().eventSource()`);
    assert.deepEqual(token.set, { kind: 'collAll', coll: 'Foo', reverse: false });
    assert.equal(token.fields, undefined);
    assert.equal(token.start, txnTs);
  });

  it('a writing query starts its source at its own (commit) transaction time', async () => {
    const { token, txnTs } = await source(admin, fql`Foo.create({ n: 9 }); Foo.all().toStream()`);
    assert.equal(token.start, txnTs);
    const again = await source(admin, fql`Foo.all().eventSource()`);
    // A read right after may share the writer's ts on PostgreSQL (readsMayShareTs): it reads
    // that very state, so its source starts there too.
    if (readsMayShareTs()) assert.ok(again.token.start >= token.start);
    else assert.ok(again.token.start > token.start, 'each query has its own start');
  });

  it('index and Set.single sources, with watched fields', async () => {
    const idx = await source(admin, fql`Foo.byBar("x").eventsOn(.n, .id)`);
    const { fp, ...rest } = idx.token.set as Record<string, unknown>;
    assert.equal(typeof fp, 'string');
    assert.deepEqual(rest, { kind: 'index', coll: 'Foo', index: 'byBar', terms: ['x'] });
    assert.deepEqual(idx.token.fields, [['n'], ['id']]);
    assert.equal(idx.token.start, idx.txnTs);

    const single = await source(admin, fql`Set.single(Foo.byId("1")).changesOn(.a.b, .list[0])`);
    assert.deepEqual(single.token.set, { src: 'single', item: { doc: ['Foo', '1'] } });
    assert.deepEqual(single.token.fields, [['a', 'b'], ['list', 0]]);

    const all = await source(admin, fql`Foo.all().eventsOn()`);
    assert.equal(all.token.fields, undefined, 'no fields: every change');
  });

  it('where, map and projections become layers over the source; pageSize is dropped', async () => {
    const { token } = await source(admin, fql`Foo.where(.n > 1).pageSize(5).map(.n).eventSource()`);
    assert.deepEqual(token.set, {
      src: 'map', fn: { fn: { src: '(__it) => __it.n', vars: [] } },
      inner: {
        src: 'where', fn: { fn: { src: '(__it) => __it.n > 1', vars: [] } },
        inner: { kind: 'collAll', coll: 'Foo', reverse: false },
      },
    });
    // On the source value: the same layers, captured variables included.
    const later = await source(admin, fql`let min = 1\nFoo.all().eventSource().where(x => x.n > min) { n }`);
    assert.deepEqual(later.token.set, {
      src: 'map', fn: { fn: { src: '(__projected) => __projected { n }', vars: [] } },
      inner: {
        src: 'where', fn: { fn: { src: 'x => x.n > min', vars: [['min', { i: 1 }]] } },
        inner: { kind: 'collAll', coll: 'Foo', reverse: false },
      },
    });
  });

  it('rejections are invalid_receiver with core messages', async () => {
    const e = await fails(admin, fql`Foo.all().take(2).eventSource()`, 'invalid_receiver');
    assert.equal(e.message, "can't call `.eventSource()` because streaming is not supported on sets returned from `.take()`.");
    const f = await fails(admin, fql`Foo.byBar("x").eventsOn(.other)`, 'invalid_argument');
    assert.equal(f.message, 'invalid argument `fields`: `other` not covered by the `byBar` index.');
  });

  it('creation needs a read privilege on the collection, or read permission on the document', async () => {
    const key = async (role: string) => clients.as((await admin.query<{ secret: string }>(fql`Key.create({ role: ${role} })`)).data.secret);
    const none = await key('NoPriv');
    const reader = await key('Reader');

    for (const q of [fql`Foo.all().eventSource()`, fql`Foo.byBar("x").eventSource()`, fql`Foo.where(.n == 2).toStream()`]) {
      const e = await fails(none, q, 'permission_denied');
      assert.equal(e.message, 'Insufficient privileges to read from collection Foo.');
    }
    const doc = await fails(none, fql`Set.single(Foo.byId("1")).eventSource()`, 'permission_denied');
    assert.equal(doc.message, 'Insufficient privileges to create a stream on the source document.');

    // Some read privilege is enough for a collection; the document predicate is evaluated.
    const ok = await source(reader, fql`Foo.all().eventSource()`);
    assert.equal(ok.token.start, ok.txnTs);
    const denied = await fails(reader, fql`Set.single(Foo.byId("1")).eventSource()`, 'permission_denied');
    assert.equal(denied.message, 'Insufficient privileges to create a stream on the source document.');
  });

  it('Set.single survives a cursor round trip as Set.single', async () => {
    const page = await admin.query<{ data: number[]; after: string }>(fql`let s = Set.single(7)\nSet.sequence(0, 3).map(x => s.first()! + x).paginate(1)`);
    assert.deepEqual(page.data.data, [7]);
    const next = await admin.query<{ data: number[] }>(fql`Set.paginate(${page.data.after})`);
    assert.deepEqual(next.data.data, [8]);
  });
});
