// Covered reads: fields an index records in its entries (its terms and values, with their exact
// types, plus id/coll/ts/ttl) are served without reading the documents, for callers with plain
// read access; anything else reads the documents, and the results are the same either way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';

describe('covered index reads', () => {
  let h: ModelHarness;
  before(async () => {
    h = await openHarness();
    await h.query(`Collection.create({
      name: "Account",
      indexes: {
        byGroup: { terms: [{ field: ".group" }], values: [{ field: ".name" }, { field: ".score" }] }
      }
    })`);
    await h.query(`Set.sequence(0, 40).forEach(i => Account.create({
      group: "g", name: "n" + i.toString(), score: i, other: i * 2
    }))`);
  });
  after(async () => { await h.close(); });

  async function rows(q: string): Promise<{ result: unknown; rows: number }> {
    const result = plain(await h.query(q));
    return { result, rows: h.lastRowsRead() };
  }

  it('reads no documents for covered fields, one per document otherwise', async () => {
    const covered = await rows('Account.byGroup("g").take(32).toArray().map(.name)');
    const uncovered = await rows('Account.byGroup("g").take(32).toArray().map(.other)');
    // Entries are ordered by name ("n0", "n1", "n10", ...): `other` is twice the name's number.
    const names = covered.result as string[];
    assert.equal(names.length, 32);
    assert.deepEqual(names.slice(0, 4), ['n0', 'n1', 'n10', 'n11']);
    assert.deepEqual(uncovered.result, names.map((n) => Number(n.slice(1)) * 2));
    console.log(`rows read: covered ${covered.rows}, uncovered ${uncovered.rows}`);
    // The uncovered query reads the entries plus the 32 documents; the covered one only entries.
    assert.ok(uncovered.rows - covered.rows >= 32, `covered ${covered.rows} rows, uncovered ${uncovered.rows}`);
    // 41 entries (the scan's second batch reaches the end) and the collection's definition.
    assert.ok(covered.rows <= 41 + 2, `covered read ${covered.rows} rows`);
  });

  it('projects covered fields and metadata without reading documents', async () => {
    const { result, rows: n } = await rows('Account.byGroup("g", { from: ["n1"], to: ["n1"] }) { id, name, score, coll, ts }');
    const page = result as { data: { name: string; score: number }[] };
    assert.deepEqual(page.data.map((d) => [d.name, d.score]), [['n1', 1]]);
    assert.ok(n <= 3, `read ${n} rows`);
  });
});
