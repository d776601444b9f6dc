// FQL v4 set algebra and pagination over it through the `faunadb@4.8` driver. Fixtures and
// expected values: faunadb-js test/query.test.js ("union", "intersection", "difference",
// "distinct", "join", "range", "paginate"); semantics and error texts: core
// ext/model/src/main/scala/ast/functions/SetFunctions.scala (AssociativeSetFunction, Join,
// Distinct, Reverse, Range), Parser.scala CursorParser (prefix bounds), Casts.scala
// (Set, SetOrArray, Iterable), RenderError (InvalidSetArgument, MixedArguments).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, type Expr, query as q, values } from 'faunadb';
import { startServer, type TestServer } from '../helpers/server';
import { V4Clients, v4FailsAt } from './v4-helpers';

describe('v4 sets', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const widget = (id: number) => new values.Ref(String(id), new values.Ref('widgets', values.Native.COLLECTIONS));
  const num = (id: number) => new values.Ref(String(id), new values.Ref('nums', values.Native.COLLECTIONS));
  const nSet = (n: number) => q.Match(q.Index('widgets_by_n'), n);
  const mSet = (m: number) => q.Match(q.Index('widgets_by_m'), m);
  const nums = q.Match(q.Index('nums_by_value'));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const page = async (set: Expr, opts: object = {}) => root.query(q.Paginate(set, opts));

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    root = clients.as('secret');
    await root.query(q.CreateCollection({ name: 'widgets' }));
    for (const [name, terms, vals] of [['widgets_by_n', 'n', undefined], ['widgets_by_m', 'm', undefined], ['widgets_cover_by_n', 'n', 'cost']] as const) {
      await root.query(q.CreateIndex({
        name, source: q.Collection('widgets'), active: true, terms: [{ field: ['data', terms] }],
        ...(vals ? { values: [{ field: ['data', vals] }] } : {}),
      }));
    }
    // faunadb-js: refN1 {n: 1}, refM1 {m: 1}, refN1M1 {n: 1, m: 1}.
    const docs: [number, object][] = [[1, { n: 1, cost: 10 }], [2, { m: 1 }], [3, { n: 1, m: 1, cost: 10 }], [4, { n: 1, cost: 15 }],
      [20, { n: 12 }], [21, { n: 12 }], [30, { m: widget(20) }], [31, { m: widget(21) }]];
    for (const [id, data] of docs) await root.query(q.Create(q.Ref(q.Collection('widgets'), id), { data }));
    await root.query(q.CreateCollection({ name: 'nums' }));
    await root.query(q.CreateIndex({ name: 'nums_by_value', source: q.Collection('nums'), active: true, values: [{ field: ['data', 'value'] }] }));
    await root.query(q.Foreach(range(1, 20), q.Lambda('i', q.Create(q.Ref(q.Collection('nums'), q.Var('i')), { data: { value: q.Var('i') } }))));
  });
  after(async () => {
    await clients.close();
    await server.dispose();
  });

  it('unites, intersects and subtracts sets (faunadb-js "union", "intersection", "difference")', async () => {
    await is(q.Paginate(q.Union(nSet(1), mSet(1))), { data: [widget(1), widget(2), widget(3), widget(4)] });
    await is(q.Paginate(q.Intersection(nSet(1), mSet(1))), { data: [widget(3)] });
    await is(q.Paginate(q.Difference(nSet(1), mSet(1))), { data: [widget(1), widget(4)] });
    await is(q.Count(q.Union(nSet(1), mSet(1), nSet(12))), 6);
    // Arrays are multisets (core UnionFunction.mkArray, Scala intersect/diff).
    await is([q.Union([1, 2, 2], [2, 3]), q.Intersection([1, 2, 2], [2, 3]), q.Difference([1, 2, 2], [2])], [[1, 2, 2, 3], [2], [1, 2]]);
    await v4FailsAt(root, q.Union(nSet(1), [1]), 'invalid argument', 'Arguments cannot be of different types, expected Set or Array.', ['union']);
    await v4FailsAt(root, q.Union(nums, nSet(1)), 'invalid argument', 'Sets are not compatible.', ['union']);
    await v4FailsAt(root, q.Difference(q.Documents(q.Collection('nums')), nums), 'invalid argument', 'Sets are not compatible.', ['difference']);
    await is(q.Count(q.Union(q.Documents(q.Collection('nums')), q.Singleton(widget(1)))), 21);
    await v4FailsAt(root, q.Union(q.Paginate(nums)), 'invalid argument', 'Set or Array expected, Page provided.', ['union']);
    await v4FailsAt(root, q.Intersection(nSet(1), 1), 'invalid argument', 'Array, Set, or Page expected, Integer provided.', ['intersection', 1]);
  });

  it('counts values with multiplicity (core UnionFunctionSpec, IntersectionFunctionSpec, DistinctFunctionSpec)', async () => {
    for (const [coll, ns] of [['left', [1, 2, 2, 3, 3, 3]], ['right', [1, 2, 2, 2, 3, 3]]] as const) {
      await root.query(q.CreateCollection({ name: coll }));
      await root.query(q.CreateIndex({ name: `${coll}_n`, source: q.Collection(coll), active: true, values: [{ field: ['data', 'n'] }] }));
      await root.query(q.Foreach([...ns], q.Lambda('n', q.Create(q.Collection(coll), { data: { n: q.Var('n') } }))));
    }
    const [left, right] = [q.Match(q.Index('left_n')), q.Match(q.Index('right_n'))];
    const dataOf = async (set: Expr) => ((await page(set)) as { data: unknown[] }).data;
    assert.deepEqual(await dataOf(q.Union(left, right)), [1, 2, 2, 2, 3, 3, 3]);
    assert.deepEqual(await dataOf(q.Intersection(left, right)), [1, 2, 2, 3, 3]);
    assert.deepEqual(await dataOf(q.Distinct(q.Union(left, right))), [1, 2, 3]);
    assert.deepEqual(await dataOf(q.Union(q.Distinct(left), left)), [1, 2, 2, 3, 3, 3]);
    // Index order across types: numbers by value (3 < 3.14 < 4), then strings.
    await root.query(q.CreateCollection({ name: 'mixed' }));
    await root.query(q.CreateIndex({ name: 'mixed_asc', source: q.Collection('mixed'), active: true, values: [{ field: ['data', 'value'] }] }));
    await root.query(q.CreateIndex({ name: 'mixed_desc', source: q.Collection('mixed'), active: true, values: [{ field: ['data', 'value'], reverse: true }] }));
    await root.query(q.Foreach([1, 1, 3, 3, 6, 2, 2, 4, 4, 'str', 'str', 3.14, 3.14], q.Lambda('v', q.Create(q.Collection('mixed'), { data: { value: q.Var('v') } }))));
    await is(q.Distinct(q.Paginate(q.Match(q.Index('mixed_asc')))), { data: [1, 2, 3, 3.14, 4, 6, 'str'] });
    await is(q.Distinct(q.Paginate(q.Match(q.Index('mixed_desc')))), { data: ['str', 6, 4, 3.14, 3, 2, 1] });
  });

  it('unites sets whose values all repeat in one pass (core UnionFunctionSpec)', async () => {
    // 5000 elements with one value: matching each kept element against every copy of its value
    // made Union quadratic (5·10⁷ key comparisons, past the query's deadline).
    const n = 5000;
    await root.query(q.CreateCollection({ name: 'repeats' }));
    await root.query(q.CreateIndex({ name: 'repeats_v', source: q.Collection('repeats'), active: true, values: [{ field: ['data', 'v'] }] }));
    for (let i = 0; i < n; i += 1000) await root.query(q.Foreach(range(i + 1, i + 1000), q.Lambda('i', q.Create(q.Ref(q.Collection('repeats'), q.Var('i')), { data: { v: 7 } }))));
    const all = q.Match(q.Index('repeats_v'));
    await is([q.Count(q.Union(all, all)), q.Count(q.Intersection(all, all)), q.Count(q.Difference(all, all))], [n, n, 0]);
    const top = await root.query(q.Paginate(q.Union(all, q.Match(q.Index('repeats_v'))), { size: 2, after: [7, q.Ref(q.Collection('repeats'), '4999')] }));
    assert.deepEqual(top, { data: [7, 7], before: [7, new values.Ref('4999', new values.Ref('repeats', values.Native.COLLECTIONS))] });
  });

  it('removes duplicate values and joins (faunadb-js "distinct", "join")', async () => {
    await is(q.Paginate(q.Match(q.Index('widgets_cover_by_n'), 1)), { data: [10, 10, 15] });
    await is(q.Paginate(q.Distinct(q.Match(q.Index('widgets_cover_by_n'), 1))), { data: [10, 15] });
    await is(q.Paginate(nSet(12)), { data: [widget(20), widget(21)] });
    await is(q.Paginate(q.Join(nSet(12), q.Lambda('a', q.Match(q.Index('widgets_by_m'), q.Var('a'))))), { data: [widget(30), widget(31)] });
    await is(q.Paginate(q.Join(nSet(12), q.Index('widgets_by_m'))), { data: [widget(30), widget(31)] });
    await v4FailsAt(root, q.Join(nSet(12), 1), 'invalid argument', 'Lambda or Index Ref expected, Integer provided.', ['with']);
    await v4FailsAt(root, q.Join(widget(20), q.Index('widgets_by_m')), 'invalid argument', 'Set expected, Ref provided.', ['join']);
    await v4FailsAt(root, q.Distinct(1), 'invalid argument', 'Array, Set, or Page expected, Integer provided.', ['distinct']);
  });

  it('ranges over index values, with prefix bounds (faunadb-js "range")', async () => {
    await is(q.Paginate(q.Range(nums, 3, 7)), { data: range(3, 7) });
    await is(q.Paginate(q.Union(q.Range(nums, 1, 10), q.Range(nums, 11, 20))), { data: range(1, 20) });
    await is(q.Paginate(q.Difference(q.Range(nums, 1, 20), q.Range(nums, 11, 20))), { data: range(1, 10) });
    await is(q.Paginate(q.Intersection(q.Range(nums, 1, 20), q.Range(nums, 5, 15))), { data: range(5, 15) });
    // An empty bound is open; a full cursor (value and ref) is exact.
    await is(q.Paginate(q.Range(nums, [], 3)), { data: [1, 2, 3] });
    await is(q.Paginate(q.Range(nums, [18, num(18)], [])), { data: [18, 19, 20] });
    await is(q.Paginate(q.Range(q.Documents(q.Collection('nums')), num(2), num(4))), { data: [num(2), num(3), num(4)] });
    await v4FailsAt(root, q.Range(1, 2, 3), 'invalid argument', 'Set expected, Integer provided.', ['range']);
  });

  it('paginates reversed, filtered and single sets with before, after and size', async () => {
    const rev = q.Reverse(nums);
    assert.deepEqual(await page(rev, { size: 5 }), { data: [20, 19, 18, 17, 16], after: [15, num(15)] });
    assert.deepEqual(await page(rev, { size: 5, after: [15, num(15)] }), { data: [15, 14, 13, 12, 11], before: [15, num(15)], after: [10, num(10)] });
    assert.deepEqual(await page(rev, { size: 3, before: [15, num(15)] }), { data: [18, 17, 16], before: [18, num(18)], after: [15, num(15)] });
    assert.deepEqual(await page(nums, { size: 3, before: null }), { data: [18, 19, 20], before: [18, num(18)] });
    // A scalar cursor is a prefix: it starts at the first element with that value.
    assert.deepEqual(await page(nums, { size: 2, after: 5 }), { data: [5, 6], before: [5, num(5)], after: [7, num(7)] });
    const big = q.Filter(nums, q.Lambda('v', q.GT(q.Var('v'), 17)));
    assert.deepEqual(await page(big), { data: [18, 19, 20] });
    await is([q.Count(big), q.IsNonEmpty(big), q.Sum(q.Reverse(big))], [3, true, 57]);
    assert.deepEqual(await page(q.Singleton(widget(1))), { data: [widget(1)] });
    await v4FailsAt(root, q.Reverse('x'), 'invalid argument', 'Array, Set, or Page expected, String provided.', ['reverse']);
  });

  it('renders sets as @set values', async () => {
    const r = await fetch(server.url, {
      method: 'POST',
      body: JSON.stringify(q.Union(nSet(1), q.Reverse(mSet(1)))),
      headers: { authorization: 'Bearer secret', 'x-faunadb-api-version': '4' },
    });
    const idx = (name: string) => ({ '@ref': { id: name, collection: { '@ref': { id: 'indexes' } } } });
    assert.deepEqual(await r.json(), { resource: { '@set': { union: [
      { '@set': { match: idx('widgets_by_n'), terms: 1 } },
      { '@set': { reverse: { '@set': { match: idx('widgets_by_m'), terms: 1 } } } },
    ] } } });
    assert.ok((await root.query(q.Distinct(nums))) instanceof values.SetRef);
  });

  it('names the sets each element came from (faunadb-js "paginate" with sources)', async () => {
    const raw = async (expr: Expr) => (await (await fetch(server.url, {
      method: 'POST', body: JSON.stringify(expr), headers: { authorization: 'Bearer secret', 'x-faunadb-api-version': '4' },
    })).json() as { resource: unknown }).resource;
    const ref = (id: number) => JSON.parse(JSON.stringify(widget(id)));
    const setOf = (index: string, term: number) => ({ '@set': { match: { '@ref': { id: index, collection: { '@ref': { id: 'indexes' } } } }, terms: term } });
    assert.deepEqual(await raw(q.Paginate(nSet(1), { size: 2, sources: true })), {
      after: [ref(4)],
      data: [{ value: ref(1), sources: [setOf('widgets_by_n', 1)] }, { value: ref(3), sources: [setOf('widgets_by_n', 1)] }],
    });
    // An element of a union comes from every set that holds it.
    const union = await raw(q.Paginate(q.Union(nSet(1), mSet(1)), { sources: true })) as { data: { value: unknown; sources: unknown[] }[] };
    assert.deepEqual(union.data[2], { value: ref(3), sources: [setOf('widgets_by_n', 1), setOf('widgets_by_m', 1)] });
    assert.deepEqual(union.data[1], { value: ref(2), sources: [setOf('widgets_by_m', 1)] });
  });
});
