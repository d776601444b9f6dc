// FQL v4 indexes whose source is a native collection (`Ref("collections")`, `Indexes()`,
// `Functions()`, `Keys()`, ...) and what deleting a source collection does to its indexes,
// through the `faunadb@4.8` driver.
// Semantics: core ext/model/src/main/scala/Index.scala (`SourceFieldType`: any collection id is
// a source, "Disallow sources over the `Database` collection" → InvalidReference; other values →
// InvalidType(path, "SourceClass", vtype)), storage/index/IndexSources.scala (`_` covers user
// collections only), ast RenderError `encodeErrors` ("Cannot read reference.", "Invalid type X,
// expected type Y."), ast WriteConfig.scala CollectionWriteConfig.delete (`indexesWithSoleSource`
// are deleted with their collection); faunadb-js test/query.test.js "recursive refs".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q, values } from 'faunadb';
import { fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { errorsOf, useV4Server, v4Fails } from './v4-helpers';

const coll = (name: string) => new values.Ref(name, values.Native.COLLECTIONS);
const index = (name: string) => new values.Ref(name, values.Native.INDEXES);
const fn = (name: string) => new values.Ref(name, values.Native.FUNCTIONS);

describe('v4 indexes over native collections', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);

  useV4Server((s) => ({ server, root } = s));

  it('indexes collection definitions, built at once and kept in step by v4 and v10 schema writes', async () => {
    await root.query(q.CreateCollection({ name: 'a' }));
    const created = await root.query<{ active: boolean; source: unknown }>(q.CreateIndex({ name: 'all_collections', active: true, source: q.Ref('collections') }));
    assert.deepEqual([created.active, created.source], [true, values.Native.COLLECTIONS]);
    await root.query(q.CreateIndex({
      name: 'collections_by_days', source: q.Collections(), terms: [{ field: ['history_days'] }], values: [{ field: ['name'], reverse: true }, { field: ['ref'] }],
    }));
    await is(q.Paginate(q.Match(q.Index('all_collections'))), { data: [coll('a')] });
    // The same transaction reads its own schema writes through the index.
    await is(q.Do(q.CreateCollection({ name: 'b', history_days: 3 }), q.Paginate(q.Match(q.Index('all_collections')))), { data: [coll('a'), coll('b')] });
    await server.client().query(fql`Collection.create({ name: "c", history_days: 3 })`);
    await is(q.Paginate(q.Match(q.Index('collections_by_days'), 3)), { data: [['c', coll('c')], ['b', coll('b')]] });
    // A v4 collection keeps 30 days of history unless told otherwise.
    await is(q.Paginate(q.Match(q.Index('collections_by_days'), 30)), { data: [['a', coll('a')]] });
    // Updates move entries, deletions (from either language) remove them.
    await root.query(q.Update(q.Collection('a'), { history_days: 3 }));
    await server.client().query(fql`Collection.byName("b")!.delete()`);
    await is(q.Paginate(q.Match(q.Index('collections_by_days'), 3)), { data: [['c', coll('c')], ['a', coll('a')]] });
    await root.query(q.Delete(q.Collection('c')));
    await is(q.Paginate(q.Match(q.Index('all_collections'))), { data: [coll('a')] });
  });

  it('indexes indexes (itself included), functions, roles and keys', async () => {
    await root.query(q.CreateIndex({ name: 'indexes_by_name', source: q.Indexes(), terms: [{ field: ['name'] }] }));
    await is(q.Paginate(q.Match(q.Index('indexes_by_name'), 'indexes_by_name')), { data: [index('indexes_by_name')] });
    await is(q.Paginate(q.Match(q.Index('indexes_by_name'), 'all_collections')), { data: [index('all_collections')] });
    await root.query(q.CreateIndex({ name: 'functions_by_tier', source: q.Functions(), terms: [{ field: ['data', 'tier'] }] }));
    await root.query(q.CreateFunction({ name: 'f1', body: q.Query(q.Lambda('x', q.Var('x'))), data: { tier: 'gold' } }));
    await root.query(q.CreateFunction({ name: 'f2', body: q.Query(q.Lambda('x', q.Var('x'))), data: { tier: 'gold' } }));
    await is(q.Paginate(q.Match(q.Index('functions_by_tier'), 'gold')), { data: [fn('f1'), fn('f2')] });
    await root.query(q.Update(q.Function('f1'), { data: { tier: 'silver' } }));
    await is(q.Paginate(q.Match(q.Index('functions_by_tier'), 'gold')), { data: [fn('f2')] });
    await is(q.Paginate(q.Match(q.Index('functions_by_tier'), 'silver')), { data: [fn('f1')] });
    await root.query(q.CreateIndex({ name: 'role_names', source: q.Roles(), values: [{ field: ['name'], reverse: true }] }));
    await root.query(q.CreateRole({ name: 'r1', privileges: [] }));
    await root.query(q.CreateRole({ name: 'r2', privileges: [] }));
    await is(q.Paginate(q.Match(q.Index('role_names'))), { data: ['r2', 'r1'] });
    await root.query(q.Update(q.Role('r1'), { name: 'r3' }));
    await is(q.Paginate(q.Match(q.Index('role_names'))), { data: ['r3', 'r2'] });
    // Keys are documents of a native collection: their entries follow each key write.
    await root.query(q.CreateIndex({ name: 'keys_by_role', source: q.Keys(), terms: [{ field: ['role'] }], values: [{ field: ['data', 'n'] }] }));
    await root.query(q.CreateKey({ role: 'server', data: { n: 1 } }));
    const key = await root.query<{ ref: values.Ref }>(q.CreateKey({ role: 'server', data: { n: 2 } }));
    await root.query(q.CreateKey({ role: 'admin', data: { n: 3 } }));
    await is(q.Paginate(q.Match(q.Index('keys_by_role'), 'server')), { data: [1, 2] });
    await root.query(q.Delete(key.ref));
    await is(q.Paginate(q.Match(q.Index('keys_by_role'), 'server')), { data: [1] });
    await is(q.Paginate(q.Match(q.Index('keys_by_role'), 'admin')), { data: [3] });
  });

  it('refuses databases and values that name no collection as sources, with core failures', async () => {
    const refused = async (source: unknown, failure: object) => {
      const e = await v4Fails(root, q.CreateIndex({ name: 'refused', source: source as never }), 'validation failed', 400, 'document data is not valid.');
      assert.deepEqual(errorsOf(e)[0].failures, [failure]);
    };
    await refused(q.Databases(), { field: ['source'], code: 'invalid reference', description: 'Cannot read reference.' });
    await refused(q.Ref('databases'), { field: ['source'], code: 'invalid reference', description: 'Cannot read reference.' });
    await refused(q.Index('all_collections'), { field: ['source'], code: 'invalid type', description: 'Invalid type Ref, expected type SourceClass.' });
    await refused(5, { field: ['source'], code: 'invalid type', description: 'Invalid type Long, expected type SourceClass.' });
    await refused('users', { field: ['source'], code: 'invalid type', description: 'Invalid type String, expected type SourceClass.' });
    await refused(null, { field: ['source'], code: 'value required', description: 'Required value not found.' });
    await is(q.Exists(q.Index('refused')), false);
  });
});

describe('v4 index terms by type', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);

  useV4Server((s) => ({ server, root } = s));

  // Core keys index rows by their terms as IRValues (ast Literal.toIndexTerm: `IndexTerm(lit.irValue)`),
  // where LongV(1) and DoubleV(1.0) differ (storage/ir/IRValue.scala: CBOR writeInt vs writeDouble),
  // although `Equals` compares top-level numbers by value (core EqualsFunction).
  it('does not match a Long term with a Double one, nor the other way round', async () => {
    await root.query(q.CreateCollection({ name: 'nums' }));
    await root.query(q.CreateIndex({ name: 'nums_by_n', source: q.Collection('nums'), terms: [{ field: ['data', 'n'] }], values: [{ field: ['data', 'k'] }] }));
    await root.query(q.Create(q.Ref(q.Collection('nums'), '1'), { data: { n: 1, k: 'long' } }));
    await root.query(q.Create(q.Ref(q.Collection('nums'), '2'), { data: { n: q.ToDouble(1), k: 'double' } }));
    await server.client().query(fql`nums.create({ id: "3", n: 1.0, k: "v10 double" })`);
    await root.query(q.Create(q.Ref(q.Collection('nums'), '4'), { data: { n: { a: q.ToDouble(2) }, k: 'object with a double' } }));
    await is(q.Equals(1, q.ToDouble(1)), true);
    await is(q.Paginate(q.Match(q.Index('nums_by_n'), 1)), { data: ['long'] });
    await is(q.Paginate(q.Match(q.Index('nums_by_n'), q.ToDouble(1))), { data: ['double', 'v10 double'] });
    await is(q.Paginate(q.Match(q.Index('nums_by_n'), { a: 2 })), { data: [] });
    await is(q.Paginate(q.Match(q.Index('nums_by_n'), { a: q.ToDouble(2) })), { data: ['object with a double'] });
    // A unique index tells them apart too.
    await root.query(q.CreateIndex({ name: 'nums_unique', source: q.Collection('nums'), terms: [{ field: ['data', 'u'] }], unique: true }));
    await root.query(q.Create(q.Ref(q.Collection('nums'), '5'), { data: { u: 7 } }));
    await root.query(q.Create(q.Ref(q.Collection('nums'), '6'), { data: { u: q.ToDouble(7) } }));
    await is(q.Count(q.Match(q.Index('nums_unique'), 7)), 1);
  });
});

describe('v4 index bindings that fail', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const doc = (id: string) => new values.Ref(id, coll('ratios'));

  useV4Server((s) => ({ server, root } = s));

  // core Index.mkBinders: a binding's result that is an error (or not a scalar or an array) gives
  // no terms (`case _ => Vector.empty`), so the document has no entries; the write succeeds.
  it('leave the document out of the index instead of failing the write, from v4 and v10', async () => {
    await root.query(q.CreateCollection({ name: 'ratios' }));
    const fields = { inverse: q.Query(q.Lambda('doc', q.Divide(12, q.Select(['data', 'n'], q.Var('doc'))))) };
    await root.query(q.CreateIndex({
      name: 'ratios_by_inverse', source: { collection: q.Collection('ratios'), fields }, terms: [{ binding: 'inverse' }], values: [{ field: ['data', 'n'] }],
    }));
    await root.query(q.Create(doc('1'), { data: { n: 4 } }));
    // Division by zero and a missing field fail in the binding: no entries, no failed write.
    await root.query(q.Create(doc('2'), { data: { n: 0 } }));
    await server.client().query(fql`ratios.create({ id: "3", n: 0 })`);
    await server.client().query(fql`ratios.create({ id: "4", other: 1 })`);
    await server.client().query(fql`ratios.create({ id: "5", n: 6 })`);
    await is(q.Paginate(q.Match(q.Index('ratios_by_inverse'), 3)), { data: [4] });
    await is(q.Paginate(q.Match(q.Index('ratios_by_inverse'), 2)), { data: [6] });
    await is(q.Count(q.Documents(q.Collection('ratios'))), 5);
    // A document that stops failing enters the index, one that starts failing leaves it.
    await server.client().query(fql`ratios.byId("3")!.update({ n: 12 })`);
    await root.query(q.Update(doc('1'), { data: { n: 0 } }));
    await is(q.Paginate(q.Match(q.Index('ratios_by_inverse'), 1)), { data: [12] });
    await is(q.Paginate(q.Match(q.Index('ratios_by_inverse'), 3)), { data: [] });
  });
});

describe('v4 indexes of a deleted collection', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const doc = (c: string, id: string) => new values.Ref(id, coll(c));

  useV4Server((s) => ({ server, root } = s));

  it('deletes the indexes whose only source it was and drops its entries from the others', async () => {
    for (const name of ['pets', 'toys', 'cars']) await root.query(q.CreateCollection({ name }));
    await root.query(q.Create(doc('pets', '1'), { data: { kind: 'x' } }));
    await root.query(q.Create(doc('toys', '1'), { data: { kind: 'x' } }));
    await root.query(q.CreateIndex({ name: 'pets_by_kind', source: q.Collection('pets'), terms: [{ field: ['data', 'kind'] }] }));
    await root.query(q.CreateIndex({ name: 'things_by_kind', source: [q.Collection('pets'), q.Collection('toys')], terms: [{ field: ['data', 'kind'] }] }));
    await root.query(q.CreateIndex({ name: 'all_by_kind', source: '_', terms: [{ field: ['data', 'kind'] }] }));
    await is(q.Paginate(q.Match(q.Index('things_by_kind'), 'x')), { data: [doc('pets', '1'), doc('toys', '1')] });
    // In the deleting transaction already, the sole-source index is gone.
    await is(q.Do(q.Delete(q.Collection('pets')), q.Exists(q.Index('pets_by_kind'))), false);
    await is(q.Paginate(q.Indexes()), { data: [index('all_by_kind'), index('things_by_kind')] });
    await is(q.Paginate(q.Match(q.Index('things_by_kind'), 'x')), { data: [doc('toys', '1')] });
    await is(q.Paginate(q.Match(q.Index('all_by_kind'), 'x')), { data: [doc('toys', '1')] });
    // From v10 as well.
    await root.query(q.CreateIndex({ name: 'cars_by_kind', source: q.Collection('cars'), terms: [{ field: ['data', 'kind'] }] }));
    await server.client().query(fql`Collection.byName("cars")!.delete()`);
    await is(q.Exists(q.Index('cars_by_kind')), false);
  });
});

describe('v4 indexes of a renamed collection', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const doc = (c: string, id: string) => new values.Ref(id, coll(c));

  useV4Server((s) => ({ server, root } = s));

  // Core keeps an index's sources by collection id: a rename changes neither its entries nor
  // what it reads, and `source` shows the new name.
  it('keep their entries and follow the new name, renamed from v4 or v10', async () => {
    await root.query(q.CreateCollection({ name: 'old' }));
    await root.query(q.Create(doc('old', '1'), { data: { k: 'a' } }));
    await root.query(q.CreateIndex({ name: 'by_k', source: q.Collection('old'), terms: [{ field: ['data', 'k'] }] }));
    await root.query(q.CreateIndex({ name: 'any_by_k', source: '_', terms: [{ field: ['data', 'k'] }] }));
    // The renaming transaction reads the index under the new name already.
    await is(q.Do(q.Update(q.Collection('old'), { name: 'mid' }), q.Paginate(q.Match(q.Index('by_k'), 'a'))), { data: [doc('mid', '1')] });
    await is(q.Select('source', q.Get(q.Index('by_k'))), coll('mid'));
    await server.client().query(fql`Collection.byName("mid")!.update({ name: "new" })`);
    await root.query(q.Create(doc('new', '2'), { data: { k: 'a' } }));
    await is(q.Paginate(q.Match(q.Index('by_k'), 'a')), { data: [doc('new', '1'), doc('new', '2')] });
    await is(q.Paginate(q.Match(q.Index('any_by_k'), 'a')), { data: [doc('new', '1'), doc('new', '2')] });
    await is(q.Select('source', q.Get(q.Index('by_k'))), coll('new'));
  });
});
