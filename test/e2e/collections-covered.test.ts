// Covered index reads through the driver: fields an index records (its terms and values, plus
// id/coll/ts) are served from the index entries for callers with plain read access; the answers
// must be exactly those of reading the documents (a role whose read needs a predicate reads
// them), including Int/Long/Double, the version's ts and writes earlier in the same query.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fql } from 'fauna';
import { rawQuery, startServer, TestServer } from '../helpers/server';

describe('covered index reads', () => {
  let server: TestServer;
  let root: Client;
  let readerSecret: string;
  let filteredSecret: string;

  before(async () => {
    server = await startServer();
    root = server.client();
    await root.query(fql`Collection.create({
      name: "Item",
      indexes: { byKind: { terms: [{ field: ".kind" }], values: [{ field: ".score" }, { field: ".label", order: "desc" }] } }
    })`);
    await root.query(fql`[
      Item.create({ kind: "num", score: 5, label: "int", other: 1 }),
      Item.create({ kind: "num", score: 5.0, label: "double", other: 2 }),
      Item.create({ kind: "num", score: 4294967296, label: "long", other: 3 }),
      Item.create({ kind: "num", score: 1, other: 4 })
    ]`);
    // Same privileges, but behind a predicate: every field read fetches the document.
    await root.query(fql`Role.create({ name: "ViaDocs", privileges: [{ resource: "Item", actions: { read: "_ => true" } }] })`);
    await root.query(fql`Role.create({ name: "Labelled", privileges: [{ resource: "Item", actions: { read: "x => x.label != null" } }] })`);
    readerSecret = (await root.query<{ secret: string }>(fql`Key.create({ role: "ViaDocs" })`)).data.secret;
    filteredSecret = (await root.query<{ secret: string }>(fql`Key.create({ role: "Labelled" })`)).data.secret;
  });
  after(async () => { await server?.dispose(); });

  async function tagged(query: string, secret = 'secret'): Promise<unknown> {
    const r = await rawQuery(server.url, { query }, { authorization: `Bearer ${secret}`, 'x-format': 'tagged' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data;
  }

  it('answers exactly as reading the documents does, numeric types included', async () => {
    const queries = [
      'Item.byKind("num").toArray().map(x => [x.score, x.label, x.id, x.ts, x.coll, x.ttl])',
      'Item.byKind("num") { score, label, id, ts }',
      'Item.byKind("num").map(.score).toArray()',
      'Item.byKind("num", { from: 5, to: 5 }).toArray().map(x => x.label)',
    ];
    for (const q of queries) {
      const covered = await tagged(q);
      const viaDocs = await tagged(q, readerSecret);
      assert.deepEqual(covered, viaDocs, q);
    }
    const types = await root.query(fql`Item.byKind("num").toArray().map(x => [x.label, x.score isa Int, x.score isa Long, x.score isa Double])`);
    assert.deepEqual(types.data, [
      [null, true, false, false],
      ['int', true, false, false],
      ['double', false, false, true],
      ['long', false, true, false],
    ]);
  });

  it('shows the version ts and the document as stored', async () => {
    const res = await tagged('Item.byKind("num").toArray().map(x => [x.score, x.ts, Item.byId(x.id)])') as any[];
    for (const [score, ts, doc] of res) {
      assert.deepEqual(score, doc['@doc'].score);
      assert.deepEqual(ts, doc['@doc'].ts);
    }
  });

  it('sees writes made earlier in the same query and later ones', async () => {
    await root.query(fql`Item.create({ kind: "w", score: 10, label: "a" })`);
    const res = await root.query<any>(fql`
      let items = Item.byKind("w").toArray()
      let before = items[0].ts
      items[0].update({ label: "b", score: 11.5 })
      [items.map(.label), items.map(x => x.score isa Double), Item.byKind("w").toArray().map(.label), items[0].ts != before]`);
    assert.deepEqual(res.data, [['b'], [true], ['b'], true]);
    // An update keeping the key (10 and 10.0 are one key) still records the new type and ts.
    const ts0 = await root.query<any>(fql`Item.byKind("w").first()!.ts`);
    await root.query(fql`Item.byKind("w").first()!.update({ score: 11 })`);
    const after = await root.query<any>(fql`Item.byKind("w").toArray().map(x => [x.score isa Int, x.ts != ${ts0.data}])`);
    assert.deepEqual(after.data, [[true, true]]);
    const deleted = await root.query<any>(fql`
      let items = Item.byKind("w").toArray()
      items[0].delete()
      items.map(.exists())`);
    assert.deepEqual(deleted.data, [false]);
  });

  it('still applies read predicates', async () => {
    const labels = await tagged('Item.byKind("num").toArray().map(.label)', filteredSecret);
    assert.deepEqual(labels, ['int', 'double', 'long']);
    const all = await tagged('Item.byKind("num").toArray().map(.label)');
    assert.deepEqual(all, [null, 'int', 'double', 'long']);
  });
});

describe('document_ttls', () => {
  let server: TestServer;
  let root: Client;
  const inADay = fql`Time.now().add(1, "day")`;

  before(async () => {
    server = await startServer();
    root = server.client();
    await root.query(fql`[
      Collection.create({ name: "Free" }),
      Collection.create({ name: "Typed", fields: { name: { signature: "String" } } }),
      Collection.create({ name: "TypedTtl", fields: { name: { signature: "String" } }, document_ttls: true }),
      Collection.create({ name: "NoTtl", document_ttls: false, ttl_days: 1 })
    ]`);
  });
  after(async () => { await server?.dispose(); });

  /** `id`: the document rewritten; core then says "update document with id", replace included. */
  async function refused(query: ReturnType<typeof fql>, action: string, coll: string, id?: string): Promise<void> {
    await assert.rejects(root.query(query), (e: any) => {
      assert.equal(e.code, 'constraint_failure');
      assert.equal(e.httpStatus, 400);
      const what = id === undefined ? `${action} document` : `update document with id ${id}`;
      assert.equal(e.message, `Failed to ${what} in collection \`${coll}\`.`);
      assert.deepEqual(e.constraint_failures, [{ paths: [['ttl']], message: 'Unexpected field provided' }]);
      return true;
    });
  }

  it('lets collections without defined fields set ttl by default', async () => {
    const res = await root.query<any>(fql`Free.create({ ttl: ${inADay} }).ttl != null`);
    assert.equal(res.data, true);
    const typed = await root.query<any>(fql`TypedTtl.create({ name: "a", ttl: ${inADay} }).ttl != null`);
    assert.equal(typed.data, true);
  });

  it('refuses ttl on create, update and replace when document_ttls is false', async () => {
    await refused(fql`Typed.create({ name: "a", ttl: ${inADay} })`, 'create', 'Typed');
    const doc = await root.query<any>(fql`Typed.create({ name: "a" })`);
    const id = doc.data.id;
    await refused(fql`Typed.byId(${id})!.update({ ttl: ${inADay} })`, 'update', 'Typed', id);
    await refused(fql`Typed.byId(${id})!.replace({ name: "b", ttl: ${inADay} })`, 'replace', 'Typed', id);
    await refused(fql`NoTtl.create({ ttl: ${inADay} })`, 'create', 'NoTtl');
    const cleared = await root.query<any>(fql`Typed.byId(${id})!.update({ ttl: null }).ttl`);
    assert.equal(cleared.data, null);
  });

  it('keeps ttl_days when document_ttls is false', async () => {
    const res = await root.query<any>(fql`NoTtl.create({ a: 1 }).ttl != null`);
    assert.equal(res.data, true);
  });
});
