// Sets under `at (t) { ... }`: collection scans and index sets read the state as of `t`,
// documents taken out of the block keep their historical version, and a set built inside
// `at` keeps reading as of `t` when paginated later through its cursor.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

type Doc = { id: string; name: string; n: number };

describe('sets under at()', () => {
  let server: TestServer;
  let client: Client;
  let past: string;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await q(fql`Collection.create({
      name: "Item",
      indexes: { byName: { terms: [{ field: "name" }], values: [{ field: "n" }] }, byN: { values: [{ field: "n", order: "desc" }] } },
      computed_fields: { double: { body: "(x) => x.n * 2" } }
    })`);
    await q(fql`
      Item.create({ id: "1", name: "a", n: 1 })
      Item.create({ id: "2", name: "a", n: 2 })
      Item.create({ id: "3", name: "b", n: 3 })`);
    past = await q<string>(fql`Time.now()`);
    await q(fql`
      Item.byId("1")!.update({ name: "b", n: 10 })
      Item.byId("2")!.delete()
      Item.create({ id: "4", name: "a", n: 4 })`);
  });
  after(async () => { await server?.dispose(); });

  it('scans a collection as of the past', async () => {
    assert.deepEqual(await q(fql`Item.all().map(.n).toArray()`), [10, 3, 4]);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.all().map(.n).toArray() }`), [1, 2, 3]);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.all().reverse().map(.id).toArray() }`), ['3', '2', '1']);
    assert.equal(await q(fql`at (Time(${past})) { Item.all().count() }`), 3);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.where(.n > 1).map(.id).toArray() }`), ['2', '3']);
  });

  it('reads index sets as of the past, computed fields included', async () => {
    assert.deepEqual(await q(fql`Item.byName("a").map(.n).toArray()`), [4]);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.byName("a").map(.n).toArray() }`), [1, 2]);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.byName("b").map(.id).toArray() }`), ['3']);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.byN().map(.double).toArray() }`), [6, 4, 2]);
    assert.deepEqual(await q(fql`at (Time(${past})) { Item.byN({ from: 2 }).map(.n).toArray() }`), [2, 1]);
  });

  it('keeps the historical version of documents returned out of the block', async () => {
    const one = await q<Doc>(fql`at (Time(${past})) { Item.byId("1") }`);
    assert.equal(one.n, 1);
    assert.equal(one.name, 'a');
    const docs = await q<{ data: Doc[] }>(fql`let s = at (Time(${past})) { Item.byName("a") }; s`);
    assert.deepEqual(docs.data.map((d) => d.n), [1, 2]);
    const first = await q<Doc>(fql`let d = at (Time(${past})) { Item.all().first() }; d`);
    assert.equal(first.n, 1);
    assert.equal(await q(fql`let d = at (Time(${past})) { Item.byId("1") }; d!.n`), 1);
  });

  it('resumes a set built inside at() as of the same time', async () => {
    const page = await q<{ data: Doc[]; after: string }>(fql`at (Time(${past})) { Item.all().pageSize(2) }`);
    assert.deepEqual(page.data.map((d) => d.n), [1, 2]);
    const rest = await q<{ data: Doc[] }>(fql`Set.paginate(${page.after})`);
    assert.deepEqual(rest.data.map((d) => d.n), [3]);
  });
});
