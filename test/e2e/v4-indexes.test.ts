// FQL v4 indexes with stored entries through the `faunadb@4.8` driver: terms, values with
// `reverse`, bindings, unique, covered values, Range, builds over existing documents, entries
// kept by writes from v10 as well, and Paginate reading the entries of its terms only.
// Semantics: core ext/model/src/main/scala/doc/Index.scala (source/terms/values/unique,
// bindings as source `fields`), ast/functions/SetFunctions.scala (Match, Range: prefix bounds,
// Parser.scala CursorParser), faunadb-js test/query.test.js ("match", "range", "paginate");
// unique failures as faunadb-js "unique" tests: `instance not unique` / `document is not unique.`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, type Expr, query as q, values } from 'faunadb';
import { fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { v4Fails, useV4Server } from './v4-helpers';

type Page = { data: unknown[]; before?: unknown[]; after?: unknown[] };

describe('v4 indexes', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const ref = (coll: string, id: number | string) => new values.Ref(String(id), new values.Ref(coll, values.Native.COLLECTIONS));
  const page = (set: Expr, opts: object = {}) => root.query<Page>(q.Paginate(set, opts));

  useV4Server((s) => ({ server, root } = s));

  it('orders covered values, reversed ones descending, and fans out arrays', async () => {
    await root.query(q.CreateCollection({ name: 'items' }));
    const docs: [number, object][] = [
      [1, { kind: 'a', price: 30, tags: ['x', 'y'] }], [2, { kind: 'a', price: 10, tags: ['y'] }],
      [3, { kind: 'b', price: 20, tags: [] }], [4, { kind: 'a', price: 20, tags: 'x' }], [5, { price: 5 }],
    ];
    for (const [id, data] of docs) await root.query(q.Create(ref('items', id), { data }));
    await root.query(q.CreateIndex({
      name: 'items_by_kind', source: q.Collection('items'), terms: [{ field: ['data', 'kind'] }],
      values: [{ field: ['data', 'price'], reverse: true }, { field: ['ref'] }],
    }));
    await root.query(q.CreateIndex({ name: 'items_by_tag', source: q.Collection('items'), terms: [{ field: ['data', 'tags'] }] }));
    await root.query(q.CreateIndex({ name: 'items_prices', source: q.Collection('items'), values: [{ field: ['data', 'price'] }] }));
    await is(q.Paginate(q.Match(q.Index('items_by_kind'), 'a')), { data: [[30, ref('items', 1)], [20, ref('items', 4)], [10, ref('items', 2)]] });
    await is(q.Paginate(q.Match(q.Index('items_by_tag'), 'x')), { data: [ref('items', 1), ref('items', 4)] });
    await is(q.Paginate(q.Match(q.Index('items_by_tag'), 'y')), { data: [ref('items', 1), ref('items', 2)] });
    // Documents whose terms are all missing are not in an index with terms.
    await is(q.Paginate(q.Match(q.Index('items_by_kind'), null as never)), { data: [] });
    await is(q.Paginate(q.Match(q.Index('items_prices'))), { data: [5, 10, 20, 20, 30] });
    // Pages and cursors walk the entries in index order both ways.
    const first = await page(q.Match(q.Index('items_by_kind'), 'a'), { size: 2 });
    assert.deepEqual(first, { data: [[30, ref('items', 1)], [20, ref('items', 4)]], after: [10, ref('items', 2), ref('items', 2)] });
    const second = await page(q.Match(q.Index('items_by_kind'), 'a'), { size: 2, after: first.after });
    assert.deepEqual(second, { before: [10, ref('items', 2), ref('items', 2)], data: [[10, ref('items', 2)]] });
    const back = await page(q.Match(q.Index('items_by_kind'), 'a'), { size: 2, before: second.before });
    assert.deepEqual(back, { data: [[30, ref('items', 1)], [20, ref('items', 4)]], after: [10, ref('items', 2), ref('items', 2)] });
    assert.deepEqual(await page(q.Match(q.Index('items_prices')), { size: 2, before: null }), { before: [20, ref('items', 4)], data: [20, 30] });
    // Range reads the entries between prefix bounds (reversed values: from the higher price down).
    await is(q.Paginate(q.Range(q.Match(q.Index('items_prices')), 10, 20)), { data: [10, 20, 20] });
    await is(q.Paginate(q.Range(q.Match(q.Index('items_by_kind'), 'a'), 25, [10, ref('items', 2)])), { data: [[20, ref('items', 4)], [10, ref('items', 2)]] });
    await is(q.Paginate(q.Range(q.Match(q.Index('items_prices')), 10, 20), { size: 2 }), { data: [10, 20], after: [20, ref('items', 4)] });
    await is(q.Select(['ref'], q.Get(q.Match(q.Index('items_by_tag'), 'y'))), ref('items', 1));
    // Writes move entries: a new price reorders, a deletion removes.
    await root.query(q.Update(ref('items', 2), { data: { price: 40 } }));
    await root.query(q.Delete(ref('items', 1)));
    await is(q.Paginate(q.Match(q.Index('items_by_kind'), 'a')), { data: [[40, ref('items', 2)], [20, ref('items', 4)]] });
    await is(q.Paginate(q.Match(q.Index('items_by_tag'), 'x')), { data: [ref('items', 4)] });
    await is(q.Count(q.Match(q.Index('items_prices'))), 4);
  });

  it('computes bindings over each document, over several sources', async () => {
    await root.query(q.CreateCollection({ name: 'cats' }));
    await root.query(q.CreateCollection({ name: 'dogs' }));
    await root.query(q.Create(ref('cats', 1), { data: { name: 'Tom' } }));
    await root.query(q.Create(ref('dogs', 1), { data: { name: 'tom' } }));
    const fields = { lower: q.Query(q.Lambda('doc', q.LowerCase(q.Select(['data', 'name'], q.Var('doc'))))) };
    await root.query(q.CreateIndex({
      name: 'pets_by_lower', source: [{ collection: q.Collection('cats'), fields }, { collection: q.Collection('dogs'), fields }],
      terms: [{ binding: 'lower' }], values: [{ field: ['data', 'name'] }, { field: ['ref'] }],
    }));
    await is(q.Paginate(q.Match(q.Index('pets_by_lower'), 'tom')), { data: [['Tom', ref('cats', 1)], ['tom', ref('dogs', 1)]] });
    await root.query(q.Create(ref('cats', 2), { data: { name: 'TOM' } }));
    await root.query(q.Update(ref('dogs', 1), { data: { name: 'Rex' } }));
    await is(q.Paginate(q.Match(q.Index('pets_by_lower'), 'tom')), { data: [['TOM', ref('cats', 2)], ['Tom', ref('cats', 1)]] });
    await is(q.Paginate(q.Match(q.Index('pets_by_lower'), 'rex')), { data: [['Rex', ref('dogs', 1)]] });
  });

  it('builds over existing documents and rebuilds a recreated index', async () => {
    await root.query(q.CreateCollection({ name: 'books' }));
    await root.query(q.Foreach([3, 1, 2], q.Lambda('i', q.Create(q.Ref(q.Collection('books'), q.Var('i')), { data: { n: q.Var('i'), even: q.Equals(q.Modulo(q.Var('i'), 2), 0) } }))));
    const idx = await root.query<{ active: boolean; serialized: boolean }>(q.CreateIndex({
      name: 'books_by_even', source: q.Collection('books'), terms: [{ field: ['data', 'even'] }], values: [{ field: ['data', 'n'] }], serialized: false,
    }));
    assert.deepEqual([idx.active, idx.serialized], [true, false]);
    await is(q.Paginate(q.Match(q.Index('books_by_even'), false)), { data: [1, 3] });
    await root.query(q.Delete(q.Index('books_by_even')));
    await root.query(q.CreateIndex({ name: 'books_by_even', source: q.Collection('books'), terms: [{ field: ['data', 'n'] }] }));
    await is(q.Paginate(q.Match(q.Index('books_by_even'), false)), { data: [] });
    await is(q.Paginate(q.Match(q.Index('books_by_even'), 2)), { data: [ref('books', 2)] });
  });

  it('renames an index with its entries and refuses changes to its source, terms and values', async () => {
    // Fauna (index docs, as quoted by terraform-provider-fauna): "It is possible to rename an index
    // by updating its name field ... An index's terms and values fields may not be changed."
    await root.query(q.CreateCollection({ name: 'notes' }));
    await root.query(q.Create(ref('notes', 1), { data: { topic: 'a' } }));
    await root.query(q.CreateIndex({ name: 'notes_by_topic', source: q.Collection('notes'), terms: [{ field: ['data', 'topic'] }] }));
    const renamed = await root.query<{ name: string; data: object }>(q.Update(q.Index('notes_by_topic'), { name: 'notes_topics', data: { v: 2 } }));
    assert.deepEqual([renamed.name, renamed.data], ['notes_topics', { v: 2 }]);
    await is(q.Paginate(q.Match(q.Index('notes_topics'), 'a')), { data: [ref('notes', 1)] });
    await is(q.Exists(q.Index('notes_by_topic')), false);
    await root.query(q.Create(ref('notes', 2), { data: { topic: 'a' } }));
    await is(q.Paginate(q.Match(q.Index('notes_topics'), 'a')), { data: [ref('notes', 1), ref('notes', 2)] });
    const e = await v4Fails(root, q.Update(q.Index('notes_topics'), { terms: [{ field: ['data', 'other'] }] }), 'validation failed', 400, 'document data is not valid.');
    assert.deepEqual((e.requestResult.responseContent as unknown as { errors: { failures: unknown[] }[] }).errors[0].failures,
      [{ field: ['terms'], code: 'invalid value', description: 'Index terms may not be changed.' }]);
    // Restating the same terms is no change.
    await root.query(q.Update(q.Index('notes_topics'), { terms: [{ field: ['data', 'topic'] }], unique: true }));
    await v4Fails(root, q.Create(ref('notes', 3), { data: { topic: 'a' } }), 'instance not unique', 400, 'document is not unique.');
  });

  it('enforces unique terms and values on writes from v4 and v10', async () => {
    await root.query(q.CreateCollection({ name: 'accounts' }));
    await root.query(q.CreateIndex({
      name: 'accounts_by_email', source: q.Collection('accounts'), terms: [{ field: ['data', 'email'] }], values: [{ field: ['data', 'org'] }], unique: true,
    }));
    await root.query(q.Create(ref('accounts', 1), { data: { email: 'a@x.io', org: 1 } }));
    // Same terms, other values: allowed (uniqueness is over terms and values together).
    await root.query(q.Create(ref('accounts', 2), { data: { email: 'a@x.io', org: 2 } }));
    await v4Fails(root, q.Create(ref('accounts', 3), { data: { email: 'a@x.io', org: 1 } }), 'instance not unique', 400, 'document is not unique.');
    await v4Fails(root, q.Update(ref('accounts', 2), { data: { org: 1 } }), 'instance not unique', 400, 'document is not unique.');
    // Rewriting a document with its own values is no clash.
    await root.query(q.Update(ref('accounts', 1), { data: { name: 'A' } }));
    const v10 = server.client();
    await assert.rejects(v10.query(fql`accounts.create({ email: "a@x.io", org: 2 })`), (e: { code?: string; message?: string }) => {
      assert.equal(e.code, 'constraint_failure');
      assert.equal(e.message, 'Failed unique constraint.');
      return true;
    });
    await root.query(q.Delete(ref('accounts', 2)));
    await root.query(q.Create(ref('accounts', 3), { data: { email: 'a@x.io', org: 2 } }));
    await is(q.Paginate(q.Match(q.Index('accounts_by_email'), 'a@x.io')), { data: [1, 2] });
  });

  it('drops expired documents from matches and from unique checks', async () => {
    await root.query(q.CreateCollection({ name: 'sessions' }));
    await root.query(q.CreateIndex({ name: 'sessions_by_token', source: q.Collection('sessions'), terms: [{ field: ['data', 'token'] }], unique: true }));
    await root.query(q.Create(ref('sessions', 1), { data: { token: 't' }, ttl: q.TimeAdd(q.Now(), 1, 'second') }));
    await v4Fails(root, q.Create(ref('sessions', 2), { data: { token: 't' } }), 'instance not unique', 400, 'document is not unique.');
    await new Promise((r) => setTimeout(r, 1200));
    await is(q.Paginate(q.Match(q.Index('sessions_by_token'), 't')), { data: [] });
    await root.query(q.Create(ref('sessions', 2), { data: { token: 't' } }));
    await is(q.Paginate(q.Match(q.Index('sessions_by_token'), 't')), { data: [ref('sessions', 2)] });
  });

  it('keeps v4 and v10 indexes over one collection in step under writes from either language', async () => {
    const v10 = server.client();
    await v10.query(fql`Collection.create({ name: "users", indexes: { byCity: { terms: [{ field: ".city" }], values: [{ field: ".name" }] } } })`);
    await root.query(q.CreateIndex({ name: 'users_by_city', source: q.Collection('users'), terms: [{ field: ['data', 'city'] }], values: [{ field: ['data', 'name'] }] }));
    const v10Names = async (city: string) => (await v10.query<{ name: string }[]>(fql`users.byCity(${city}).toArray()`)).data.map((u) => u.name);
    await v10.query(fql`users.create({ id: "1", name: "Ann", city: "Oslo" })`);
    await root.query(q.Create(ref('users', 2), { data: { name: 'Bob', city: 'Oslo' } }));
    await is(q.Paginate(q.Match(q.Index('users_by_city'), 'Oslo')), { data: ['Ann', 'Bob'] });
    assert.deepEqual(await v10Names('Oslo'), ['Ann', 'Bob']);
    await v10.query(fql`users.byId("2")!.update({ city: "Rome" })`);
    await root.query(q.Update(ref('users', 1), { data: { name: 'Anna' } }));
    await is(q.Paginate(q.Match(q.Index('users_by_city'), 'Oslo')), { data: ['Anna'] });
    await is(q.Paginate(q.Match(q.Index('users_by_city'), 'Rome')), { data: ['Bob'] });
    assert.deepEqual(await v10Names('Oslo'), ['Anna']);
    assert.deepEqual(await v10Names('Rome'), ['Bob']);
    await v10.query(fql`users.byId("1")!.delete()`);
    await root.query(q.Delete(ref('users', 2)));
    await is(q.Paginate(q.Match(q.Index('users_by_city'), 'Oslo')), { data: [] });
    await is(q.Paginate(q.Match(q.Index('users_by_city'), 'Rome')), { data: [] });
    assert.deepEqual(await v10Names('Rome'), []);
  });

  it('reads a page of a match without reading the rest of the collection', async () => {
    const bytesRead: number[] = [];
    const metered = new Client({
      secret: 'secret', domain: '127.0.0.1', port: server.port, scheme: 'http',
      observer: (res) => { bytesRead.push(Number((res.responseHeaders as Record<string, string>)['x-storage-bytes-read'])); },
    });
    try {
      await root.query(q.CreateCollection({ name: 'logs' }));
      await root.query(q.CreateIndex({ name: 'logs_by_kind', source: q.Collection('logs'), terms: [{ field: ['data', 'kind'] }], values: [{ field: ['data', 'n'] }] }));
      const add = (from: number, to: number) => root.query(q.Foreach(
        Array.from({ length: to - from }, (_, i) => from + i),
        q.Lambda('i', q.Create(q.Ref(q.Collection('logs'), q.Var('i')), { data: { kind: q.Concat(['k', q.ToString(q.Modulo(q.Var('i'), 50))]), n: q.Var('i'), pad: 'x'.repeat(200) } })),
      ));
      const read = async () => {
        assert.deepEqual(await metered.query(q.Paginate(q.Match(q.Index('logs_by_kind'), 'k7'), { size: 2 })), { data: [7, 57], after: [107, ref('logs', 107)] });
        return bytesRead[bytesRead.length - 1];
      };
      await add(1, 200);
      const small = await read();
      await add(200, 2000);
      const large = await read();
      // Ten times the documents, the same bytes read: the page comes from the entries of its terms.
      assert.ok(large > 0 && large === small, `bytes read ${small} with 200 documents, ${large} with 2000`);
    } finally {
      await metered.close({ force: true });
    }
  });
});
