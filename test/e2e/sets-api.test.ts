// The Set API method by method through the fauna driver, with the results and errors of
// Fauna's SetPrototype/SetCompanion (core Sets.scala, ValueSet.scala) and its documentation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, EmbeddedSet, Page, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

function failsWith(code: string, message?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  };
}

describe('Set API', () => {
  let server: TestServer;
  let client: Client;
  let tagged: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    tagged = server.client();
    await q(fql`Collection.create({
      name: "P",
      indexes: { byFirst: { terms: [{ field: "first" }], values: [{ field: "last" }] } }
    })`);
    await q(fql`Set.sequence(0, 20).forEach(i => P.create({ first: "x", last: "l" + (100 + i).toString(), n: i }))`);
  });
  after(async () => { await server?.dispose(); });

  it('builds sets: Set.single, Set.sequence, toSet, toArray', async () => {
    assert.deepEqual(await q(fql`Set.single(1).toArray()`), [1]);
    assert.deepEqual(await q(fql`Set.sequence(1, 5).toArray()`), [1, 2, 3, 4]);
    assert.deepEqual(await q(fql`Set.sequence(3, 3).toArray()`), []);
    assert.deepEqual(await q(fql`[1, 2].toSet().toSet().toArray()`), [1, 2]);
    assert.equal(await q(fql`Set.sequence(0, 3).toString()`), '[set]');
    await assert.rejects(q(fql`Set.sequence(0, 16001).toArray()`),
      failsWith('value_too_large', 'Value too large: exceeded maximum number of elements (limit=16000).'));
  });

  it('filters, maps and flattens lazily: where, map, flatMap', async () => {
    assert.deepEqual(await q(fql`Set.sequence(0, 6).where(x => x % 2 == 0).toArray()`), [0, 2, 4]);
    assert.deepEqual(await q(fql`Set.sequence(1, 4).map(x => x * 10).toArray()`), [10, 20, 30]);
    assert.deepEqual(await q(fql`Set.sequence(1, 4).flatMap(x => Set.sequence(0, x)).toArray()`), [0, 0, 1, 0, 1, 2]);
    await assert.rejects(q(fql`Set.sequence(0, 2).where(x => x).toArray()`),
      failsWith('type_mismatch', 'expected type: Boolean, received Int'));
    await assert.rejects(q(fql`Set.sequence(0, 2).flatMap(x => [x]).toArray()`),
      failsWith('type_mismatch', 'expected type: Set<Any>, received Array<Any>'));
    await assert.rejects(q(fql`Set.sequence(0, 2).map((a, b) => a)`), failsWith('invalid_argument'));
    // `where` treats null as false.
    assert.deepEqual(await q(fql`[{ a: true }, {}].toSet().where(.a).toArray()`), [{ a: true }]);
  });

  it('orders with asc() and desc() accessors', async () => {
    assert.deepEqual(await q(fql`[3, 1, 2].toSet().order().toArray()`), [1, 2, 3]);
    assert.deepEqual(await q(fql`[3, 1, 2].toSet().order(desc(x => x)).toArray()`), [3, 2, 1]);
    assert.deepEqual(await q(fql`[{ a: 1, b: 1 }, { a: 0, b: 2 }, { a: 1, b: 3 }].toSet().order(desc(.a), asc(.b)).map(.b).toArray()`), [1, 3, 2]);
    assert.deepEqual(await q(fql`P.all().order(desc(.n)).take(3).map(.n).toArray()`), [19, 18, 17]);
  });

  it('slices: take, drop, first, last, firstWhere, lastWhere', async () => {
    assert.deepEqual(await q(fql`Set.sequence(0, 10).take(3).toArray()`), [0, 1, 2]);
    assert.deepEqual(await q(fql`Set.sequence(0, 10).take(0).toArray()`), []);
    await assert.rejects(q(fql`Set.sequence(0, 10).take(-1)`),
      failsWith('invalid_bounds', 'expected `limit` to be greater than 0, received -1'));
    assert.deepEqual(await q(fql`Set.sequence(0, 10).drop(8).toArray()`), [8, 9]);
    assert.equal(await q(fql`Set.sequence(4, 10).first()`), 4);
    assert.equal(await q(fql`Set.sequence(4, 10).last()`), 9);
    assert.equal(await q(fql`Set.sequence(0, 0).first()`), null);
    assert.equal(await q(fql`Set.sequence(0, 10).firstWhere(x => x > 4)`), 5);
    assert.equal(await q(fql`Set.sequence(0, 10).lastWhere(x => x < 4)`), 3);
    assert.equal(await q(fql`Set.sequence(0, 10).firstWhere(x => x > 40)`), null);
    assert.equal(await q(fql`P.byFirst("x").last()!.last`), 'l119');
  });

  it('tests membership: count, isEmpty, nonEmpty, includes, any, every', async () => {
    assert.equal(await q(fql`Set.sequence(0, 7).count()`), 7);
    assert.equal(await q(fql`P.all().count()`), 20);
    assert.equal(await q(fql`Set.sequence(0, 0).isEmpty()`), true);
    assert.equal(await q(fql`Set.sequence(0, 1).nonEmpty()`), true);
    assert.equal(await q(fql`Set.sequence(0, 5).includes(3)`), true);
    assert.equal(await q(fql`Set.sequence(0, 5).includes(7)`), false);
    assert.equal(await q(fql`Set.sequence(0, 5).any(x => x > 3)`), true);
    assert.equal(await q(fql`Set.sequence(0, 5).every(x => x > 3)`), false);
    assert.equal(await q(fql`Set.sequence(0, 0).every(x => false)`), true);
    await assert.rejects(q(fql`Set.sequence(0, 5).any(x => 1)`), failsWith('type_mismatch', 'expected type: Boolean, received Int'));
  });

  it('rearranges: distinct (sorted, as Fauna), reverse, concat', async () => {
    assert.deepEqual(await q(fql`[3, 1, 3, 2, 1].toSet().distinct().toArray()`), [1, 2, 3]);
    assert.deepEqual(await q(fql`Set.sequence(0, 4).reverse().toArray()`), [3, 2, 1, 0]);
    assert.deepEqual(await q(fql`Set.sequence(0, 2).concat(Set.single("a")).toArray()`), [0, 1, 'a']);
    assert.deepEqual(await q(fql`P.all().reverse().take(2).map(.n).toArray()`), [19, 18]);
    assert.deepEqual(await q(fql`P.byFirst("x").reverse().take(2).map(.last).toArray()`), ['l119', 'l118']);
  });

  it('aggregates: fold, foldRight, reduce, reduceRight, aggregate, forEach', async () => {
    assert.equal(await q(fql`Set.sequence(1, 5).fold(100, (acc, x) => acc + x)`), 110);
    assert.equal(await q(fql`["a", "b", "c"].toSet().foldRight("", (acc, x) => acc + x)`), 'cba');
    assert.equal(await q(fql`["a", "b", "c"].toSet().reduce((acc, x) => acc + x)`), 'abc');
    assert.equal(await q(fql`["a", "b", "c"].toSet().reduceRight((acc, x) => acc + x)`), 'cba');
    assert.equal(await q(fql`Set.sequence(0, 0).reduce((a, b) => a + b)`), null);
    assert.equal(await q(fql`Set.sequence(1, 5).aggregate(0, (a, b) => a + b)`), 10);
    assert.equal(await q(fql`Set.sequence(0, 0).aggregate(7, (a, b) => a + b)`), 7);
    await assert.rejects(q(fql`Set.sequence(1, 5).fold(0, x => x)`), failsWith('invalid_argument'));
    assert.equal(await q(fql`P.byFirst("x").take(3).forEach(p => p.update({ seen: true }))`), null);
    assert.equal(await q(fql`P.all().where(.seen == true).count()`), 3);
  });

  it('paginates: paginate, pageSize, Set.paginate(cursor), default 16, max 16000', async () => {
    const page = await q<{ data: number[]; after: string }>(fql`Set.sequence(0, 20).paginate()`);
    assert.equal(page.data.length, 16);
    assert.deepEqual(await q(fql`Set.paginate(${page.after})`), { data: [16, 17, 18, 19] });
    const small = await q<{ data: number[]; after: string }>(fql`Set.sequence(0, 20).paginate(3)`);
    assert.deepEqual(small.data, [0, 1, 2]);
    assert.deepEqual((await q<{ data: number[] }>(fql`Set.paginate(${small.after}, 2)`)).data, [3, 4]);
    await assert.rejects(q(fql`Set.sequence(0, 20).paginate(0)`),
      failsWith('invalid_bounds', 'expected `size` to be between 1 and 16000 (inclusive), received 0'));
    await assert.rejects(q(fql`Set.sequence(0, 20).pageSize(16001)`),
      failsWith('invalid_bounds', 'expected `size` to be between 1 and 16000 (inclusive), received 16001'));
    await assert.rejects(q(fql`Set.paginate("not a cursor")`), failsWith('invalid_cursor'));
  });

  it('keeps pageSize through map, where and take (the cursor and the page agree)', async () => {
    const page = await q<{ data: string[]; after: string }>(fql`P.byFirst("x").pageSize(5).map(.last)`);
    assert.deepEqual(page.data, ['l100', 'l101', 'l102', 'l103', 'l104']);
    const next = await q<{ data: string[]; after: string }>(fql`Set.paginate(${page.after})`);
    assert.deepEqual(next.data, ['l105', 'l106', 'l107', 'l108', 'l109']);
    assert.equal((await q<{ data: number[] }>(fql`Set.sequence(0, 20).pageSize(4).where(x => x > 2)`)).data.length, 4);
  });

  it('resumes a cursor right after its last element despite concurrent writes', async () => {
    await q(fql`Collection.create({ name: "Q" })`);
    await q(fql`Set.sequence(0, 6).forEach(i => Q.create({ id: (1000 + i * 10).toString(), n: i }))`);
    const page = await q<{ data: number[]; after: string }>(fql`Q.all().pageSize(3).map(.n)`);
    assert.deepEqual(page.data, [0, 1, 2]);
    // The next page resumes after the position as of the first page's snapshot: neither the
    // documents created since (before or after the position) nor the deletion show (core
    // FQL2PaginationSpec "set pagination is stable in presence of subsequent writes").
    await q(fql`Q.create({ id: "1005", n: 100 }); Q.create({ id: "1035", n: 300 }); Q.byId("1030")!.delete()`);
    const next = await q<{ data: number[]; after: string }>(fql`Set.paginate(${page.after})`);
    assert.deepEqual(next.data, [3, 4, 5]);
  });

  it('renders sets nested deeper than ten levels as cursors', async () => {
    const res = await tagged.query(fql`
      let s = (x) => Set.single(x)
      s(s(s(s(s(s(s(s(s(s(s(Set.sequence(0, 3))))))))))))`);
    let v: unknown = res.data;
    for (let i = 0; i < 10; i++) {
      assert.ok(v instanceof Page, `level ${i} is a page`);
      v = (v as Page<never>).data[0];
    }
    assert.ok(v instanceof EmbeddedSet);
    const rest = await tagged.query(fql`Set.paginate(${(v as EmbeddedSet).after})`);
    const inner = (rest.data as { data: unknown[] }).data[0];
    assert.deepEqual((inner as Page<number>).data, [0, 1, 2]);
  });

  it('reads only what a page needs from an index chain', async () => {
    const res = await client.query(fql`P.byFirst("x").map(.last).first()`);
    assert.equal(res.data, 'l100');
    // One index page read (the first batch); the rest of the index is never touched.
    assert.equal(res.stats?.read_ops, 1);
  });
});
