// Expired documents are removed physically by the sweep: current version, index entries,
// unique claims and the expiry entry itself; their history keeps a deletion at the expiry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';
import { sweepExpired } from '../../src/model/temporal/expiry';
import { expiryPrefix, indexPrefix, prefixEnd, uniquePrefix, docPrefix } from '../../src/model/keys';

describe('expired document sweep', () => {
  let h: ModelHarness;
  before(async () => {
    h = await openHarness();
    await h.query(`Collection.create({
      name: "Session",
      indexes: { byUser: { terms: [{ field: "user" }] } },
      constraints: [{ unique: ["token"] }]
    })`);
  });
  after(async () => { await h.close(); });

  async function count(prefix: Uint8Array): Promise<number> {
    const t = await h.engine.begin({ readOnly: true });
    try {
      return (await t.scan({ start: prefix, end: prefixEnd(prefix) })).length;
    } finally {
      await t.rollback();
    }
  }

  it('removes expired documents with their index entries and unique claims', async () => {
    const collId = 1024; // the first collection id a fresh database allocates
    const created = plain(await h.query(
      'Session.create({ id: "1", user: "u", token: "a", ttl: Time.now().add(300, "milliseconds") }).ts.toString()')) as string;
    await h.query('Session.create({ id: "2", user: "u", token: "b", ttl: Time.now().add(1, "day") })');
    await h.query('Session.create({ id: "3", user: "u", token: "c" })');
    assert.equal(await count(indexPrefix(0, collId, 'byUser')), 3);
    assert.equal(await count(expiryPrefix()), 2);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await sweepExpired(h.engine, BigInt(Date.now()) * 1_000_000n), 1);
    assert.equal(await count(docPrefix(0, collId)), 2);
    assert.equal(await count(indexPrefix(0, collId, 'byUser')), 2);
    assert.equal(await count(uniquePrefix(0, collId)), 2);
    assert.equal(await count(expiryPrefix()), 1);
    assert.deepEqual(plain(await h.query('Session.byUser("u").map(.id).toArray()')), ['2', '3']);
    // The freed unique value can be claimed again; history still shows the document before it expired.
    assert.equal(plain(await h.query('Session.create({ token: "a", user: "v" }).token')), 'a');
    assert.equal(plain(await h.query(`at (Time("${created}")) { Session.byId("1")!.token }`)), 'a');
  });
});
