// Documents a caller may not read vanish from every kind of set — collection scans, index
// lookups, index ranges, chains over them — without errors, and `byId` of such a document is a
// null document with cause "permission denied".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, NullDocument, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

describe('read predicates filter sets', () => {
  let server: TestServer;
  let root: Client;
  let reader: Client;
  let hiddenId: string;

  before(async () => {
    server = await startServer();
    root = server.client();
    await root.query(fql`Collection.create({
      name: "Note",
      indexes: { byTag: { terms: [{ field: ".tag" }], values: [{ field: ".n" }] } }
    })`);
    await root.query(fql`Role.create({
      name: "PublicReader",
      privileges: [{ resource: "Note", actions: { read: "note => note.public == true" } }]
    })`);
    const notes = await root.query<any[]>(fql`[1, 2, 3, 4, 5, 6].map(n => Note.create({ n: n, tag: "t", public: n % 2 == 0 }))`);
    hiddenId = notes.data[0].id;
    const key = await root.query<{ secret: string }>(fql`Key.create({ role: "PublicReader" })`);
    reader = server.client({ secret: key.data.secret });
  });
  after(async () => { await server?.dispose(); });

  it('filters collection scans', async () => {
    const res = await reader.query<number[]>(fql`Note.all().toArray().map(.n)`);
    assert.deepEqual([...res.data].sort(), [2, 4, 6]);
    const count = await reader.query(fql`Note.all().count()`);
    assert.equal(count.data, 3);
  });

  it('filters index lookups and ranges', async () => {
    const res = await reader.query<number[]>(fql`Note.byTag("t").toArray().map(.n)`);
    assert.deepEqual(res.data, [2, 4, 6]);
    const range = await reader.query<number[]>(fql`Note.byTag("t", { from: 2, to: 5 }).toArray().map(.n)`);
    assert.deepEqual(range.data, [2, 4]);
    const first = await reader.query<any>(fql`Note.byTag("t").first()!.n`);
    assert.equal(first.data, 2);
    const admin = await root.query<number[]>(fql`Note.byTag("t").toArray().map(.n)`);
    assert.deepEqual(admin.data, [1, 2, 3, 4, 5, 6]);
  });

  it('hides schema documents the caller may not read from Collection.all()', async () => {
    const names = await root.query<string[]>(fql`Collection.all().toArray().map(.name)`);
    assert.ok(names.data.includes('Note'));
    const hidden = await reader.query(fql`Collection.all().count()`);
    assert.equal(hidden.data, 0);
  });

  it('answers byId of an unreadable document with a permission-denied null doc', async () => {
    const res = await reader.query<any>(fql`Note.byId(${hiddenId})`);
    assert.ok(res.data instanceof NullDocument);
    assert.equal(res.data.cause, 'permission denied');
    const exists = await reader.query(fql`[Note.byId(${hiddenId}).exists(), Note.byTag("t").first()!.exists()]`);
    assert.deepEqual(exists.data, [false, true]);
  });

  it('needs history_read to read past versions with at()', async () => {
    await root.query(fql`Collection.create({ name: "Diary", history_days: 30 })`);
    const doc = await root.query<any>(fql`Diary.create({ v: 1 })`);
    const before = doc.txn_ts!;
    await root.query(fql`Diary.byId(${doc.data.id})!.update({ v: 2 })`);
    await root.query(fql`Role.create({ name: "NowOnly", privileges: [{ resource: "Diary", actions: { read: true } }] })`);
    await root.query(fql`Role.create({ name: "Historian", privileges: [{ resource: "Diary", actions: { read: true, history_read: true } }] })`);
    const nowOnly = server.client({ secret: (await root.query<{ secret: string }>(fql`Key.create({ role: "NowOnly" })`)).data.secret });
    const historian = server.client({ secret: (await root.query<{ secret: string }>(fql`Key.create({ role: "Historian" })`)).data.secret });
    const at = fql`at (Time.fromString(${new Date(before / 1000).toISOString()}).add(${before % 1000}, "microseconds")) { Diary.byId(${doc.data.id})?.v }`;
    assert.equal((await nowOnly.query(fql`Diary.byId(${doc.data.id})!.v`)).data, 2);
    assert.equal((await nowOnly.query(at)).data, null);
    assert.equal((await historian.query(at)).data, 1);
    assert.equal((await root.query(at)).data, 1);
  });
});
