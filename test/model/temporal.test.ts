// Temporal reads (`at`), document expiry (`ttl`, `ttl_days`) and the history sweep.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, plain, type ModelHarness } from './harness';
import { openStorage } from '../../src/storage/open';
import { encodeKey } from '../../src/storage/tuple';
import { sweepHistory } from '../../src/model/temporal/history';
import { docKey, versionPrefix, prefixEnd } from '../../src/model/keys';
import { toBytes } from '../../src/model/codec';

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
    await h.query('Note.create({ id: "2", tag: "t", ttl: Time.now().add(50, "milliseconds") })');
    assert.equal(plain(await h.query('Note.byTag("t").count()')), 1);
    await new Promise((r) => setTimeout(r, 80));
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
  it('removes versions older than history_days but keeps the one current at the cut-off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fql-sweep-'));
    const engine = await openStorage({ dataDir: dir });
    try {
      const collId = 1024;
      const t = await engine.begin();
      t.put(encodeKey([0, 's', 'Collection', 'C']), toBytes({ ts: '1', id: collId, data: { name: 'C', history_days: 1 } }));
      const day = 86_400_000_000n;
      const now = 10n * day;
      for (const ts of [now - 5n * day, now - 3n * day, now - 12n * 3600_000_000n]) {
        t.put(encodeKey([0, 'h', collId, 7n, -ts]), toBytes({ ts: ts.toString(), data: {} }));
      }
      t.put(docKey(0, collId, 7n), toBytes({ ts: (now - 12n * 3600_000_000n).toString(), data: {} }));
      await t.commit();
      assert.equal(await sweepHistory(engine, now), 1);
      const r = await engine.begin({ readOnly: true });
      const left = await r.scan({ start: versionPrefix(0, collId, 7n), end: prefixEnd(versionPrefix(0, collId, 7n)) });
      await r.rollback();
      assert.equal(left.length, 2);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
