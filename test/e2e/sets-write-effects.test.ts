// Writes inside the lambdas of lazy set operations are refused while the set is read: `where`,
// `map`, `flatMap`, the accessors of `order`, and `firstWhere`/`lastWhere` (built on `where`).
// Eager set methods (forEach, fold, reduce, aggregate, any, every) and Array methods may write.
//
// Core: ValueSet.scala (`ValueSet.disallowWrites`, Effect.Limit(Effect.Read, "set functions"),
// used by WhereFilterSet, ProjectedSet, FlatMapSet and OrderedSet.sortElems; foreach, foldLeft,
// aggregate and anyImpl call with the caller's ctx), Effect.scala (the message), WriteBroker.scala
// (requireWriteEffect, before anything else of the write), SetPrototype (firstWhereImpl builds a
// WhereFilterSet); tests FQL2PureSpec.scala "writes within set functions make nice errors" and
// FQL2SetsSpec.scala ".map(.update()) is disallowed".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

const refused = (method: string) => (e: unknown) => {
  assert.ok(e instanceof ServiceError, String(e));
  assert.equal(e.httpStatus, 400);
  assert.equal(e.code, 'invalid_effect');
  assert.equal(e.message, `\`${method}\` performs a write, which is not allowed in set functions.`);
  return true;
};

describe('writes inside set functions', () => {
  let server: TestServer;
  let client: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;
  const count = () => q<number>(fql`Foo.all().count()`);

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await q(fql`Collection.create({ name: "Foo" })`);
    await q(fql`Foo.create({ id: "1", n: 1 }); Foo.create({ id: "2", n: 2 })`);
    await q(fql`Function.create({ name: "makeFoo", body: "() => Foo.create({})" })`);
  });
  after(async () => { await server?.dispose(); });

  it('refuses writes in map, where, flatMap and order lambdas, and writes nothing', async () => {
    // FQL2SetsSpec ".map(.update()) is disallowed"
    await assert.rejects(q(fql`Foo.all().map(.update({})).paginate()`), refused('update'));
    await assert.rejects(q(fql`Foo.all().map(d => d.update({ n: 0 })).toArray()`), refused('update'));
    await assert.rejects(q(fql`Foo.all().where(d => { d.delete(); true }).toArray()`), refused('delete'));
    await assert.rejects(q(fql`Foo.where(d => { d.replace({}); true }).count()`), refused('replace'));
    await assert.rejects(q(fql`Set.sequence(0, 2).flatMap(i => { Foo.create({}); Set.single(i) }).toArray()`), refused('create'));
    await assert.rejects(q(fql`Set.sequence(0, 2).order(i => { Foo.create({}); i }).toArray()`), refused('create'));
    await assert.rejects(q(fql`Set.sequence(0, 2).order(desc(i => Foo.create({}))).first()`), refused('create'));
    // SetPrototype firstWhereImpl / lastWhereImpl: a WhereFilterSet read for its first element.
    await assert.rejects(q(fql`Foo.all().firstWhere(d => { d.update({ n: 0 }); true })`), refused('update'));
    await assert.rejects(q(fql`Foo.firstWhere(d => { d.update({ n: 0 }); true })`), refused('update'));
    await assert.rejects(q(fql`Foo.all().lastWhere(d => { d.update({ n: 0 }); true })`), refused('update'));
    assert.equal(await count(), 2);
    assert.deepEqual(await q(fql`Foo.all().map(.n).toArray()`), [1, 2]);
  });

  it('refuses the write before looking at its arguments (WriteBroker.requireWriteEffect)', async () => {
    // A reserved field or a missing document would fail otherwise; the effect is checked first.
    await assert.rejects(q(fql`Set.single(0).map(_ => Foo.create({ ts: 1 })).toArray()`), refused('create'));
    await assert.rejects(q(fql`Set.single(0).map(_ => Foo.byId("404").update({})).toArray()`), refused('update'));
  });

  it('refuses writes of any kind: schema, keys, and writes in a UDF the lambda calls', async () => {
    await assert.rejects(q(fql`Set.single(0).map(_ => Collection.create({ name: "Bar" })).toArray()`), refused('create'));
    await assert.rejects(q(fql`Set.single(0).map(_ => Key.create({ role: "server" })).toArray()`), refused('create'));
    await assert.rejects(q(fql`Set.single(0).map(_ => makeFoo()).toArray()`), refused('create'));
    assert.equal(await q(fql`Collection.byName("Bar").exists()`), false);
    assert.equal(await q(fql`Key.all().count()`), 0);
    assert.equal(await count(), 2);
  });

  it('refuses the write when the set is the query result or read again through its cursor', async () => {
    // The first page of a returned set is read by the response: the map lambda runs there.
    await assert.rejects(q(fql`Foo.all().map(d => d.update({ n: 0 }))`), refused('update'));
    // A lambda that writes only for a later element: the first page is fine, the cursor's page
    // refuses (the effect is checked before the cursor's snapshot: invalid_effect, not invalid_write).
    const page = await q<{ data: number[]; after: string }>(
      fql`Set.sequence(0, 4).map(i => if (i == 3) { Foo.create({}); i } else i).paginate(2)`);
    assert.deepEqual(page.data, [0, 1]);
    await assert.rejects(q(fql`Set.paginate(${page.after})`), refused('create'));
    assert.equal(await count(), 2);
  });

  it('points the summary at the write call (FQL2PureSpec "writes within set functions make nice errors")', async () => {
    const e = await client.query(fql`[1].toSet().map(_ => Foo.create({})).toArray()`).catch((err: unknown) => err);
    assert.ok(e instanceof ServiceError);
    // Core's first block; core goes on with the `map(...)` and `toArray()` calls as trace frames.
    assert.ok(e.queryInfo?.summary?.startsWith([
      'error: `create` performs a write, which is not allowed in set functions.',
      'at *query*:1:32',
      '  |',
      '1 | [1].toSet().map(_ => Foo.create({})).toArray()',
      '  |                                ^^^^',
      '  |',
    ].join('\n')), e.queryInfo?.summary);
  });

  it('lets eager set methods and Array methods write', async () => {
    // ValueSet.scala foreach / foldLeft / reduceLeft / aggregate / anyImpl use the caller's ctx.
    await q(fql`Set.sequence(0, 2).forEach(i => Foo.create({ n: 10 + i }))`);
    assert.equal(await count(), 4);
    await q(fql`Set.sequence(0, 2).map(i => i).forEach(i => Foo.create({ n: 20 + i }))`);
    assert.equal(await count(), 6);
    assert.equal(await q(fql`Set.sequence(0, 2).fold(0, (acc, i) => { Foo.create({}); acc + i })`), 1);
    assert.equal(await q(fql`Set.sequence(0, 2).reduce((a, b) => { Foo.create({}); a + b })`), 1);
    assert.equal(await q(fql`Set.sequence(0, 2).any(i => { Foo.create({}); false })`), false);
    assert.equal(await count(), 11);
    // Array methods are eager: their lambdas may write.
    assert.equal(await q(fql`[1, 2].map(i => Foo.create({ n: i })).length`), 2);
    assert.equal(await q(fql`[1, 2].where(i => { Foo.create({}); true }).length`), 2);
    assert.equal(await count(), 15);
    // Reads are fine in set functions.
    assert.deepEqual(await q(fql`Set.single("1").map(id => Foo.byId(id)!.n).toArray()`), [1]);
  });
});
