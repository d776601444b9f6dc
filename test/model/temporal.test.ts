// Temporal reads (`at`), document expiry (`ttl`, `ttl_days`) and the history sweep.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';
import { EVENT_WINDOW_US, sweepHistory } from '../../src/model/temporal/history';
import { versionPrefix, prefixEnd, schemaKey } from '../../src/model/keys';
import { fromBytes } from '../../src/model/codec';

describe('temporal reads and expiry', () => {
  let h: ModelHarness;
  before(async () => {
    h = await openHarness();
    await h.query('Collection.create({ name: "Note", indexes: { byTag: { terms: [{ field: "tag" }] } } })');
  });
  after(async () => { await h.close(); });

  it('reads a document as of a past time with at()', async () => {
    await h.query('Note.create({ id: "1", n: 1 })');
    const updated = 'Note.byId("1")!.ts';
    await h.query('Note.byId("1")!.update({ n: 2 })');
    // Just before the update the first version is visible; just before a create, nothing.
    assert.equal(plain(await h.query(`let t = ${updated}.subtract(1, "microseconds"); at (t) { Note.byId("1")!.n }`)), 1);
    assert.equal(plain(await h.query('Note.byId("1")!.n')), 2);
    assert.equal(plain(await h.query(`at (${updated}) { Note.byId("1")!.n }`)), 2);
    await h.query('Note.create({ id: "3", n: 3 })');
    assert.equal(plain(await h.query('let t = Note.byId("3")!.ts.subtract(1, "microseconds"); at (t) { Note.byId("3") == null }')), true);
  });

  it('hides expired documents from reads and indexes', async () => {
    await h.query('Note.create({ id: "2", tag: "t", ttl: Time.now().add(1000, "milliseconds") })');
    assert.equal(plain(await h.query('Note.byTag("t").count()')), 1);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(plain(await h.query('Note.byTag("t").count()')), 0);
    assert.equal(plain(await h.query('Note.byId("2").exists()')), false);
  });

  it('gives documents of a ttl_days collection an expiry', async () => {
    await h.query('Collection.create({ name: "Tmp", ttl_days: 1 })');
    const ttl = plain(await h.query('Tmp.create({ x: 1 }).ttl != null'));
    assert.equal(ttl, true);
  });
});

describe('history sweep', () => {
  it('removes the versions that left the history_days window, and only those', async () => {
    const h = await openHarness();
    try {
      await h.query('Collection.create({ name: "Kept", history_days: 1 })');
      await h.query('Collection.create({ name: "Gone" })');
      const id = plain(await h.query('Kept.create({ id: "7", v: 1 }).id'));
      assert.equal(id, '7');
      await h.query('Kept.byId("7")!.update({ v: 2 })');
      const t3 = await h.run('Kept.byId("7")!.update({ v: 3 })');
      assert.equal(t3.kind, 'ok');
      const supersededLast = (t3 as { info: { txnTs: bigint } }).info.txnTs;
      await h.query('Gone.create({ id: "8", v: 1 })');
      await h.query('Gone.byId("8")!.update({ v: 2 })');
      const deleted = await h.run('Gone.byId("8")!.delete()');
      const lastWrite = (deleted as { info: { txnTs: bigint } }).info.txnTs;
      const versions = async (coll: string, doc: bigint) => {
        const r = await h.engine.begin({ readOnly: true });
        const def = fromBytes<{ id: number }>((await r.get(schemaKey(0, 'Collection', coll)))!);
        const collId = def.id;
        const rows = await r.scan({ start: versionPrefix(0, collId, doc), end: prefixEnd(versionPrefix(0, collId, doc)) });
        await r.rollback();
        return rows.length;
      };
      assert.equal(await versions('Kept', 7n), 3);
      assert.equal(await versions('Gone', 8n), 3);
      // Nothing of Kept is older than a day yet; Gone keeps no history (history_days 0) beyond
      // the 15 minutes event streams replay from (docs "learn/streaming"): within them nothing
      // goes, after them its superseded versions and the deletion marker go.
      const day = 86_400_000_000n + EVENT_WINDOW_US;
      assert.equal(await sweepHistory(h.engine, lastWrite), 0);
      assert.equal(await sweepHistory(h.engine, lastWrite + EVENT_WINDOW_US), 3);
      assert.equal(await versions('Kept', 7n), 3);
      assert.equal(await versions('Gone', 8n), 0);
      // A day after the second version was superseded, the first two versions are out of the
      // window but the current one stays; reading the current document still works.
      assert.equal(await sweepHistory(h.engine, supersededLast + day), 2);
      assert.equal(await versions('Kept', 7n), 1);
      assert.equal(plain(await h.query('Kept.byId("7")!.v')), 3);
      assert.equal(await sweepHistory(h.engine, supersededLast + 2n * day), 0);
    } finally {
      await h.close();
    }
  });
});
