// An indexed lookup reads O(log n + k) rows, never the collection: the rows a query reads do
// not grow with the size of the collection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';

describe('index lookup cost', () => {
  let h: ModelHarness;
  before(async () => {
    h = await openHarness();
    await h.query(`Collection.create({
      name: "Account",
      indexes: {
        byEmail: { terms: [{ field: ".email" }] },
        byAge: { values: [{ field: ".age" }] }
      }
    })`);
  });
  after(async () => { await h.close(); });

  async function insert(from: number, to: number): Promise<void> {
    await h.query(`Set.sequence(${from}, ${to}).forEach(i => Account.create({ email: "user" + i.toString() + "@x.com", age: i % 97 }))`);
  }

  async function lookupRows(email: string): Promise<number> {
    const res = plain(await h.query(`Account.byEmail("${email}").toArray().map(.email)`));
    assert.deepEqual(res, [email]);
    return h.lastRowsRead();
  }

  it('reads the same few rows for a lookup in 100 and in 3000 documents', async () => {
    await insert(0, 100);
    const small = await lookupRows('user42@x.com');
    for (let i = 100; i < 3000; i += 500) await insert(i, Math.min(i + 500, 3000));
    const large = await lookupRows('user2042@x.com');
    assert.ok(large <= small + 1, `rows read grew from ${small} to ${large}`);
    assert.ok(large < 10, `lookup read ${large} rows`);
  });

  it('reads only the first page of a range scan', async () => {
    const res = plain(await h.query('Account.byAge({ from: 10, to: 20 }).take(5).toArray().map(.age)'));
    assert.deepEqual(res, [10, 10, 10, 10, 10]);
    assert.ok(h.lastRowsRead() < 40, `range page read ${h.lastRowsRead()} rows`);
  });
});
