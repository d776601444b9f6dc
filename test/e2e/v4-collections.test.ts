// FQL v4 functions over arrays, pages, sets and objects through the `faunadb@4.8` driver.
// Expected values: faunadb-js test/query.test.js ("map" … "is_nonempty", "reduce", "count, sum,
// mean", "any, all", "merge", "contains", "select"); semantics and error texts: core
// ext/model/src/main/scala/ast/functions/ArrayFunctions.scala (Take/Drop keep page cursors),
// FoldFunctions.scala (a page folds to a page), ObjectFunctions.scala (Merge),
// BasicFunctions.scala (Contains*), ReadAdaptor.scala (select, all), EvalContext.scala (SelectE).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, Expr, query as q, values } from 'faunadb';
import { startServer, type TestServer } from '../helpers/server';
import { V4Clients, v4FailsAt } from './v4-helpers';

describe('v4 collection and object functions', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const ref = (id: number) => new values.Ref(String(id), new values.Ref('nums', values.Native.COLLECTIONS));
  const byValue = q.Match(q.Index('nums_by_value'));
  const flags = (f: string) => q.Match(q.Index('flags_by_foo'), f);

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    root = clients.as('secret');
    await root.query(q.CreateCollection({ name: 'nums' }));
    await root.query(q.CreateIndex({ name: 'nums_by_value', source: q.Collection('nums'), values: [{ field: ['data', 'value'] }], active: true }));
    await root.query(q.Foreach(Array.from({ length: 10 }, (_, i) => i + 1),
      q.Lambda('i', q.Create(q.Ref(q.Collection('nums'), q.Var('i')), { data: { value: q.Var('i') } }))));
    await root.query(q.CreateCollection({ name: 'flags' }));
    await root.query(q.CreateIndex({
      name: 'flags_by_foo', source: q.Collection('flags'), active: true, terms: [{ field: ['data', 'foo'] }], values: [{ field: ['data', 'value'] }],
    }));
    await root.query(q.Foreach([['true', true], ['true', true], ['false', false], ['mixed', true], ['mixed', false]],
      q.Lambda(['foo', 'value'], q.Create(q.Collection('flags'), { data: { foo: q.Var('foo'), value: q.Var('value') } }))));
  });
  after(async () => {
    await clients.close();
    await server.dispose();
  });

  it('folds arrays, pages and sets (faunadb-js "count, sum, mean", "any, all", "max", "min")', async () => {
    const hundred = Array.from({ length: 100 }, (_, k) => k + 1);
    await is([q.Count(hundred), q.Sum(hundred), q.Mean(hundred)], [100, 5050, 50.5]);
    await is([q.Count(byValue), q.Sum(byValue), q.Mean(byValue), q.Max(byValue), q.Min(byValue)], [10, 55, 5.5, 10, 1]);
    // A page folds to a page of one value, keeping the page's cursors.
    await is(q.Select(['data'], q.Sum(q.Paginate(byValue, { size: 1000 }))), [55]);
    await is(q.Count(q.Paginate(byValue, { size: 2 })), { data: [2], after: [3, ref(3)] });
    await is([q.Any([false, false, false]), q.Any([true, false, true]), q.All([true, true, true]), q.All([true, false, true])], [false, true, true, false]);
    await is([q.Any(flags('true')), q.Any(flags('false')), q.Any(flags('mixed')), q.All(flags('true')), q.All(flags('false')), q.All(flags('mixed'))],
      [true, false, true, true, false, false]);
    await is([q.Select(['data', 0], q.Any(q.Paginate(flags('mixed')))), q.Select(['data', 0], q.All(q.Paginate(flags('mixed'))))], [true, false]);
    await is([q.Max(2, 3, 5, 4), q.Min(2, 3, 5, 4), q.Max([[1, 7, 3]]), q.Sum([1, 2.5])], [5, 2, 7, 3.5]);
    await v4FailsAt(root, q.Mean([]), 'invalid argument', 'Non-empty array expected.', ['mean']);
    await v4FailsAt(root, q.Max([]), 'invalid argument', 'Non-empty array expected.', ['max']);
    await v4FailsAt(root, q.Sum([1, 'x']), 'invalid argument', 'Number expected, String provided.', ['sum']);
    await v4FailsAt(root, q.All([true, 1]), 'invalid argument', 'Boolean expected, Integer provided.', ['all']);
    await v4FailsAt(root, q.Count(1), 'invalid argument', 'Array, Set, or Page expected, Integer provided.', ['count']);
  });

  it('reduces arrays, pages and sets (faunadb-js "reduce")', async () => {
    const add = q.Lambda(['acc', 'value'], q.Add(q.Var('acc'), q.Var('value')));
    await is(q.Reduce(add, 10, Array.from({ length: 100 }, (_, k) => k + 1)), 5060);
    await is(q.Reduce(add, 10, q.Paginate(byValue, { size: 100 })), { data: [65] });
    await is(q.Reduce(add, 10, byValue), 65);
    await is(q.Reduce(q.Lambda(['acc', 'v'], q.Concat([q.Var('acc'), q.ToString(q.Var('v'))])), '', [1, 2, 3]), '123');
  });

  it('takes, drops, prepends and appends (faunadb-js "take" … "is_nonempty")', async () => {
    await is([q.Take(1, [1, 2]), q.Take(3, [1, 2]), q.Take(-1, [1, 2])], [[1], [1, 2], []]);
    await is([q.Drop(1, [1, 2]), q.Drop(3, [1, 2]), q.Drop(-1, [1, 2])], [[2], [], [1, 2]]);
    // On a page, the elements not taken start the next page; the first kept starts this one.
    await is(q.Take(2, q.Paginate(byValue, { size: 4 })), { data: [1, 2], after: [3, ref(3)] });
    await is(q.Drop(2, q.Paginate(byValue, { size: 4 })), { data: [3, 4], before: [3, ref(3)], after: [5, ref(5)] });
    await is([q.Prepend([1, 2, 3], [4, 5, 6]), q.Append([4, 5, 6], [1, 2, 3])], [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]);
    await v4FailsAt(root, q.Prepend([1, 2], 'foo'), 'invalid argument', 'Array expected, String provided.', ['collection']);
    await v4FailsAt(root, q.Take(1, 'foo'), 'invalid argument', 'Array or Page expected, String provided.', ['collection']);
    await is([q.IsEmpty([]), q.IsEmpty([1, 2, 3]), q.IsNonEmpty([]), q.IsNonEmpty([1, 2, 3])], [true, false, false, true]);
    await is([q.IsEmpty(q.Paginate(flags('none'))), q.IsNonEmpty(q.Paginate(flags('true'))), q.IsEmpty(flags('none')), q.IsNonEmpty(flags('true'))],
      [true, true, true, true]);
    // FirstFunction/LastFunction (core ReadFunctions.scala): arrays and sets, not pages. The 4.8
    // driver has no helpers for them, so the forms are written out.
    const first = (x: unknown) => new Expr({ first: x as never });
    const last = (x: unknown) => new Expr({ last: x as never });
    await is([first([1, 2]), last([1, 2]), first(byValue), last(byValue)], [1, 2, 1, 10]);
    await v4FailsAt(root, first([]), 'invalid argument', 'Non-empty array expected.', ['first']);
    await v4FailsAt(root, last(flags('none')), 'invalid argument', 'Non-empty set expected.', ['last']);
    await v4FailsAt(root, first(q.Paginate(byValue)), 'invalid argument', 'Set or Array expected, Page provided.', ['first']);
    await is([q.Distinct([1, 1, 2, 1]), q.Reverse([1, 2, 3]), q.Reverse(q.Paginate(byValue, { size: 3 }))],
      [[1, 2], [3, 2, 1], { data: [3, 2, 1], after: [4, ref(4)] }]);
  });

  it('maps, filters and walks (faunadb-js "map", "filter", "foreach")', async () => {
    await is(q.Map([1, 2, 3], q.Lambda('a', q.Multiply([2, q.Var('a')]))), [2, 4, 6]);
    await is(q.Map(q.Paginate(byValue, { size: 2 }), q.Lambda('v', q.Multiply(q.Var('v'), 10))), { data: [10, 20], after: [3, ref(3)] });
    await is(q.Filter([1, 2, 3, 4], q.Lambda('a', q.Equals(q.Modulo(q.Var('a'), 2), 0))), [2, 4]);
    await is(q.Filter(q.Paginate(byValue, { size: 4 }), q.Lambda('v', q.GT(q.Var('v'), 2))), { data: [3, 4], after: [5, ref(5)] });
    await v4FailsAt(root, q.Map(byValue, q.Lambda('x', q.Var('x'))), 'invalid argument', 'Array or Page expected, Set provided.', ['collection']);
    // FilterFunction checks the lambda's results at their index under the form.
    await v4FailsAt(root, q.Filter([1, 2], q.Lambda('x', 1)), 'invalid argument', 'Boolean expected, Integer provided.', [0]);
  });

  it('merges objects (faunadb-js "merge")', async () => {
    await is(q.Merge({}, { x: 10, y: 20 }), { x: 10, y: 20 });
    await is(q.Merge({ one: 1 }, { two: 2 }), { one: 1, two: 2 });
    await is(q.Merge({ x: 'x', y: 'y', z: 'z' }, { z: 'Zzz' }), { x: 'x', y: 'y', z: 'Zzz' });
    await is(q.Merge({}, [{ x: 'x' }, { y: 'y' }, { z: 'z' }]), { x: 'x', y: 'y', z: 'z' });
    await is(q.Merge({ x: 'A' }, { x: 'x', y: 'y', z: 'z' }, q.Lambda(['key', 'left', 'right'], q.Var('left'))), { x: 'A' });
    await is(q.Merge({ a: 1, b: 2 }, { a: null }), { b: 2 });
    await is(q.Select(['data'], q.Merge(q.Get(ref(3)), { data: { value: 30 } })), { value: 30 });
    await v4FailsAt(root, q.Merge(1, {}), 'invalid argument', 'Object expected, Integer provided.', ['merge']);
    await v4FailsAt(root, q.Merge({}, [{}, 2]), 'invalid argument', 'Object expected, Integer provided.', ['with', 1]);
  });

  it('finds paths, fields and values (faunadb-js "contains", "select", "select for array")', async () => {
    const obj = { a: { b: 1 } };
    await is([q.ContainsPath(['a', 'b'], obj), q.ContainsPath('a', obj), q.ContainsPath(['a', 'c'], obj), q.ContainsPath(['data', 'value'], q.Get(ref(1)))],
      [true, true, false, true]);
    await is([q.ContainsField('a', obj), q.ContainsField('b', obj)], [true, false]);
    await is([q.ContainsValue(1, { a: 1 }), q.ContainsValue(2, [1, 2]), q.ContainsValue(3, [1, 2]), q.ContainsValue(5, byValue), q.ContainsValue('3', ref(3))],
      [true, true, false, true, true]);
    await v4FailsAt(root, q.ContainsValue(1, 2), 'invalid argument', 'Object, Array, Page, Set, or Ref expected, Scalar provided.', ['in']);
    await v4FailsAt(root, q.ContainsField('a', [1]), 'invalid argument', 'Object expected, Array provided.', ['in']);
    await v4FailsAt(root, q.ContainsPath([true], obj), 'invalid argument', 'String or Integer expected, Boolean provided.', ['contains_path', 0]);
    await is([q.Select('a', obj), q.Select(['a', 'b'], obj), q.Select('c', obj, null), q.Select('c', obj, 'default'), q.Select(2, [1, 2, 3])],
      [{ b: 1 }, 1, null, 'default', 3]);
    await v4FailsAt(root, q.Select(3, [1, 2, 3]), 'value not found', 'Value not found at path [3].', ['from']);
    // Select with `all` gathers a field across an array's elements (ReadAdaptor.select).
    await is([q.SelectAll('foo', [{ foo: 1 }, { foo: 2 }, { bar: 3 }]), q.SelectAll(['a', 'b'], { a: [{ b: 1 }, { b: [2, 3] }] }), q.SelectAll('x', {})],
      [[1, 2], [1, 2, 3], []]);
  });
});
