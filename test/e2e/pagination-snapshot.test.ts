// Later pages of a set read it as of the query that made the first page, through the fauna
// driver. Core sources: FQL2PaginationSpec.scala ("set pagination is stable in presence of
// subsequent writes"); Value.scala (SetCursor carries `systemValidTS`, toBase64 fills in the
// transaction time); Sets.scala paginateImpl (`ctx.withSystemValidTime(cursor.systemValidTS)`);
// ValueSet.scala (Page.toValue passes `ctx.systemValidTime` on to the next cursor; IndexSet reads
// at `validTime.getOrElse(ctx.readValidTime)`); FQLInterpreter.scala (readValidTime: the user's
// `at`, else the system valid time); ReadBroker.scala checkedGet (reads at the system valid time
// need `read`, documents with a readTS of their own `history_read`); FQL2ValueMaterializer
// (the result's documents are read with the query's own context, i.e. as they are now).
// The MAC that keeps clients from choosing the time is ours (src/fql/eval/sets/cursor-mac.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, type Document, type DocumentReference, NullDocument, Page, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

const INVALID_CURSOR = { code: 'invalid_cursor', message: 'Cursor cursor is invalid or expired.' };

function failsWith(expected: { code: string; message: string }) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.deepEqual({ code: e.code, message: e.message }, expected);
    return true;
  };
}

/** Integers `from` until `until` (exclusive). */
const range = (from: number, until: number): number[] => Array.from({ length: until - from }, (_, i) => from + i);

/** A cursor's JSON (it is base64url JSON), to forge variants of it. */
const open = (cursor: string): Record<string, unknown> => JSON.parse(Buffer.from(cursor, 'base64url').toString());
const seal = (c: unknown): string => Buffer.from(JSON.stringify(c)).toString('base64url');

describe('set cursors keep the first page snapshot', () => {
  let server: TestServer;
  let client: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;

  /** core mkDocs: `count` documents { foo: 1..count, bar: "baz" } with ids 1001.., in order. */
  const mkDocs = async (coll: string, count: number): Promise<void> => {
    await q(fql`Collection.create({ name: ${coll}, indexes: { byBar: { terms: [{ field: "bar" }], values: [{ field: "foo" }] } } })`);
    await q(fql`Set.sequence(1, ${count + 1}).forEach(i => Collection(${coll}).create({ id: (1000 + i).toString(), foo: i, bar: "baz" }))`);
  };

  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(async () => { await server?.dispose(); });

  it('a document created after the first page is not seen by the next one', async () => {
    // FQL2PaginationSpec "set pagination is stable in presence of subsequent writes".
    await mkDocs('Stable', 32);
    const first = await q<Page<Document>>(fql`Stable.all()`);
    assert.deepEqual(first.data.map((d) => d.id), range(1001, 1017).map(String));
    await q(fql`Stable.create({ foo: 33, bar: "baz" })`);
    const second = await q<Page<Document>>(fql`Set.paginate(${first.after!})`);
    assert.deepEqual(second.data.map((d) => d.id), range(1017, 1033).map(String));
    assert.equal(second.after, undefined);
    // A new query sees it.
    assert.equal(await q(fql`Stable.all().count()`), 33);
  });

  it('the driver walks an index through one snapshot while documents come and go', async () => {
    await mkDocs('Walk', 48);
    const pages: number[][] = [];
    for await (const page of client.paginate<number>(fql`Walk.byBar("baz").map(.foo)`)) {
      pages.push(page);
      if (pages.length === 1) {
        // Before the cursor's position, after it, a deletion and an update on the next page.
        await q(fql`Walk.create({ foo: 0, bar: "baz" }); Walk.create({ foo: 20.5, bar: "baz" })`);
        await q(fql`Walk.byId("1020")!.delete(); Walk.byId("1030")!.update({ foo: 300 })`);
      } else if (pages.length === 2) {
        // The third page resumes from the second one's cursor: still the first page's snapshot.
        await q(fql`Walk.byId("1040")!.delete(); Walk.create({ foo: 47.5, bar: "baz" })`);
      }
    }
    assert.deepEqual(pages, [range(1, 17), range(17, 33), range(33, 49)]);
    assert.deepEqual(await q(fql`Walk.byBar("baz").map(.foo).toArray().take(3)`), [0, 1, 2]);
  });

  it('a later page lists the set as of the snapshot and renders its documents as they are now', async () => {
    // Membership and lambdas read as of the snapshot; the page's documents are rendered with the
    // reading query's own context (core FQL2ValueMaterializer), so a document deleted since is
    // a null document and one updated since shows its new fields.
    await mkDocs('Render', 6);
    const first = await q<Page<Document>>(fql`Render.all().pageSize(3)`);
    const mapped = await q<Page<number>>(fql`Render.all().pageSize(3).map(.foo)`);
    await q(fql`Render.byId("1004")!.delete(); Render.byId("1005")!.update({ foo: 50 }); Render.create({ id: "1007", foo: 7 })`);
    const second = await q<Page<Document | NullDocument>>(fql`Set.paginate(${first.after!})`);
    assert.equal(second.after, undefined);
    const [gone, changed, same] = second.data;
    assert.ok(gone instanceof NullDocument);
    assert.deepEqual([(gone.ref as DocumentReference).id, gone.cause], ['1004', 'not found']);
    assert.deepEqual([(changed as Document).id, (changed as Document & { foo: number }).foo], ['1005', 50]);
    assert.deepEqual([(same as Document).id, (same as Document & { foo: number }).foo], ['1006', 6]);
    const values = await q<Page<number>>(fql`Set.paginate(${mapped.after!})`);
    assert.deepEqual(values.data, [4, 5, 6]);
  });

  it('a role with read but no history_read resumes cursors; at() of the same time needs history_read', async () => {
    // Reads at a cursor's snapshot are its present (ReadBroker checkedGet: checkReadPermission at
    // the system valid time); `at` reads are history (checkHistoryReadPermission).
    await mkDocs('Diary', 4);
    await q(fql`Role.create({ name: "DiaryReader", privileges: [{ resource: "Diary", actions: { read: true } }] })`);
    const reader = server.client({ secret: (await q<{ secret: string }>(fql`Key.create({ role: "DiaryReader" })`)).secret });
    const first = await reader.query<Page<number>>(fql`Diary.all().pageSize(2).map(.foo)`);
    assert.deepEqual(first.data.data, [1, 2]);
    await q(fql`Diary.byId("1003")!.update({ foo: 30 }); Diary.byId("1004")!.delete()`);
    const second = await reader.query<Page<number>>(fql`Set.paginate(${first.data.after!})`);
    assert.deepEqual(second.data.data, [3, 4]);
    const ts = first.txn_ts!;
    const at = fql`at (Time.fromString(${new Date(ts / 1000).toISOString()}).add(${ts % 1000}, "microseconds")) { Diary.byId("1003")?.foo }`;
    assert.equal((await reader.query(at)).data, null);
    assert.equal((await client.query(at)).data, 3);
  });

  it('a cursor cannot be moved to another time or set; one without a time resumes now', async () => {
    await mkDocs('Forge', 4);
    const first = await q<Page<number>>(fql`Forge.all().pageSize(2).map(.foo)`);
    const other = await q<Page<number>>(fql`Forge.all().pageSize(2).map(.foo * 10)`);
    const c = open(first.after!);
    assert.match(String(c.t), /^[0-9]+$/);
    await q(fql`Forge.byId("1003")!.update({ foo: 30 })`);
    const earlier = (BigInt(c.t as string) - 1_000_000n).toString();
    for (const forged of [
      { ...c, t: earlier },
      { ...c, m: undefined },
      { ...open(other.after!), t: c.t, m: c.m, p: c.p },
      { ...c, d: open(other.after!).d },
    ]) {
      await assert.rejects(q(fql`Set.paginate(${seal(forged)})`), failsWith(INVALID_CURSOR));
    }
    // Genuine: as of the first page. Without a time (as made by a store with no cursor key):
    // at the reading query's own snapshot.
    assert.deepEqual((await q<Page<number>>(fql`Set.paginate(${first.after!})`)).data, [3, 4]);
    const timeless = seal({ d: c.d, p: c.p, s: c.s });
    assert.deepEqual((await q<Page<number>>(fql`Set.paginate(${timeless})`)).data, [30, 4]);
  });
});
