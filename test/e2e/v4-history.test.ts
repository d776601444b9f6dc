// FQL v4 history through the `faunadb@4.8` driver, read from the versions v10 keeps. Sources:
// faunadb-js test/query.test.js ("at", "events", "singleton", "insert", "remove"); core
// ast/EvalContext.scala (`AtE`: reads at the valid time, a later time evaluates as now),
// model/WriteAdaptor.scala (`write`: `InvalidWriteTime` inside `At`; insertVersion returns the
// event, removeVersion null), ast/WriteFunctions.scala (Insert/Remove only on user documents:
// `InvalidInsertRefArgument` / `InvalidRemoveRefArgument`; `ts` after the snapshot is
// `InvalidWriteTime`), ast/Casts.scala (`Timestamp`: Time or Integer µs; DocAction),
// ast/Renderable.scala RenderError (descriptions), ast/QueryParser.scala CursorParser.parseEvent
// (history cursors: Integer, Time, Date, null, `{ts, action, document}`), docs.fauna.com v4
// Events (event fields; update events carry what changed in `data`, delete events `data: null`;
// sets give add/remove without data).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, type Expr, query as q, values } from 'faunadb';
import { type Client as Client10, fql } from 'fauna';
import { Clients, data } from './identity-helpers';
import { type V4Clients, errorsOf, useV4Server, v4Fails, v4FailsAt } from './v4-helpers';

interface Version { ref: values.Ref; ts: number; data?: Record<string, unknown>; ttl?: values.FaunaTime }
interface Page<T = unknown> { data: T[]; after?: unknown; before?: unknown }
interface Event { ts: number; action: string; document: values.Ref; data?: unknown }

/** Events with refs printed, for deepEqual. */
const shown = (events: Event[]) => events.map((e) => ({ ...e, document: String(e.document) }));

describe('v4 history', () => {
  let root: Client;
  let root10: Client10;
  let clients: V4Clients;
  const thing = (id: string) => q.Ref(q.Collection('things'), id);

  useV4Server((s) => {
    root = s.root;
    clients = s.clients;
    root10 = new Clients(s.server).as('secret');
  });

  before(async () => {
    await root.query(q.CreateCollection({ name: 'things' }));
  });

  describe('reads at a past time', () => {
    let v1: Version;
    let v2: Version;

    before(async () => {
      v1 = await root.query(q.Create(thing('1'), { data: { n: 1, tag: 'a' } })) as Version;
      v2 = await root.query(q.Update(thing('1'), { data: { n: 2 } })) as Version;
    });

    it('Get(ref, ts) and At(ts, Get(ref)) read the version of that time, by µs or Time', async () => {
      const old = await root.query(q.Get(thing('1'), v1.ts)) as Version;
      assert.deepEqual(old.data, { n: 1, tag: 'a' });
      assert.equal(old.ts, v1.ts);
      assert.deepEqual((await root.query(q.Get(thing('1'), q.Epoch(v1.ts, 'microsecond'))) as Version).data, { n: 1, tag: 'a' });
      assert.deepEqual((await root.query(q.At(v1.ts, q.Get(thing('1')))) as Version).data, { n: 1, tag: 'a' });
      assert.deepEqual((await root.query(q.At(v2.ts, q.Get(thing('1')))) as Version).data, { n: 2, tag: 'a' });
      assert.deepEqual((await root.query(q.Get(thing('1'))) as Version).data, { n: 2, tag: 'a' });
    });

    it('Exists(ref, ts) is false before the document was created, true after', async () => {
      assert.equal(await root.query(q.Exists(thing('1'), v1.ts - 1)), false);
      assert.equal(await root.query(q.Exists(thing('1'), v1.ts)), true);
      await v4FailsAt(root, q.Get(thing('1'), v1.ts - 1), 'instance not found', 'Document not found.', []);
    });

    it('At reads sets as of its time (faunadb-js "at")', async () => {
      const t1 = await root.query(q.Create(q.Collection('things'), { data: { n: 10 } })) as Version;
      const t2 = await root.query(q.Create(q.Collection('things'), { data: { n: 11 } })) as Version;
      const page = (await root.query(q.At(t1.ts, q.Paginate(q.Documents(q.Collection('things'))))) as Page).data.map(String);
      assert.ok(page.includes(String(t1.ref)));
      assert.ok(!page.includes(String(t2.ref)));
      const viaTs = (await root.query(q.Paginate(q.Documents(q.Collection('things')), { ts: t1.ts }))) as Page;
      assert.deepEqual(viaTs.data.map(String), page);
    });

    it('refuses writes inside At with core\'s invalid write time, at the write', async () => {
      await v4FailsAt(root, q.At(v1.ts, q.Create(q.Collection('things'), { data: {} })),
        'invalid write time', 'Cannot write outside of snapshot time.', ['expr', 'create']);
      await v4FailsAt(root, q.At(v1.ts, q.Update(thing('1'), { data: { n: 3 } })),
        'invalid write time', 'Cannot write outside of snapshot time.', ['expr']);
      await v4FailsAt(root, q.At(v1.ts, q.Do(q.Delete(thing('1')))),
        'invalid write time', 'Cannot write outside of snapshot time.', ['expr', 'do', 0]);
      assert.deepEqual((await root.query(q.Get(thing('1'))) as Version).data, { n: 2, tag: 'a' });
    });

    it('reads at a time after the transaction as now, and allows writes there (core AtE)', async () => {
      const later = await root.query(q.At(q.TimeAdd(q.Now(), 1, 'hour'), q.Update(thing('1'), { data: { late: true } }))) as Version;
      assert.deepEqual(later.data, { n: 2, tag: 'a', late: true });
      await root.query(q.Update(thing('1'), { data: { late: null } }));
    });

    it('casts the time: a Time or an Integer, else `Time expected`', async () => {
      await v4FailsAt(root, q.Get(thing('1'), 'yesterday'), 'invalid argument', 'Time expected, String provided.', ['ts']);
      await v4FailsAt(root, q.At('yesterday', q.Get(thing('1'))), 'invalid argument', 'Time expected, String provided.', ['at']);
    });
  });

  describe('events', () => {
    let created: Version;
    let updated: Version;
    let deletedTs: number;

    before(async () => {
      created = await root.query(q.Create(thing('50'), { data: { title: 'breakfast', tags: ['eggs'] } })) as Version;
      updated = await root.query(q.Update(thing('50'), { data: { tags: ['eggs', 'toast'] } })) as Version;
      await root.query(q.Delete(thing('50')));
      deletedTs = await root.query(q.ToMicros(q.Now())) as number;
    });

    it('a document\'s events: create with its data, update with what changed, delete with null (docs: Events)', async () => {
      const page = await root.query(q.Paginate(q.Events(thing('50')))) as Page<Event>;
      assert.equal(page.data.length, 3);
      assert.ok(page.data[2].ts > updated.ts && page.data[2].ts <= deletedTs);
      assert.deepEqual(shown(page.data), [
        { ts: created.ts, action: 'create', document: 'Ref(Collection("things"), "50")', data: { title: 'breakfast', tags: ['eggs'] } },
        { ts: updated.ts, action: 'update', document: 'Ref(Collection("things"), "50")', data: { tags: ['eggs', 'toast'] } },
        { ts: page.data[2].ts, action: 'delete', document: 'Ref(Collection("things"), "50")', data: null },
      ]);
      assert.equal(page.after, undefined);
      assert.equal(page.before, undefined);
      const viaOption = await root.query(q.Paginate(thing('50'), { events: true })) as Page<Event>;
      assert.deepEqual(shown(viaOption.data), shown(page.data));
    });

    it('Singleton(ref) gives add and remove (faunadb-js "singleton")', async () => {
      const page = await root.query(q.Paginate(q.Events(q.Singleton(thing('50'))))) as Page<Event>;
      assert.deepEqual(shown(page.data).map(({ action, document }) => ({ action, document })), [
        { action: 'add', document: 'Ref(Collection("things"), "50")' },
        { action: 'remove', document: 'Ref(Collection("things"), "50")' },
      ]);
      assert.deepEqual(Object.keys(page.data[0]).sort(), ['action', 'document', 'ts']);
    });

    it('pages by event cursors: after is inclusive, before exclusive, before: null is the end', async () => {
      const first = await root.query(q.Paginate(q.Events(thing('50')), { size: 1 })) as Page<Event>;
      assert.equal(first.data[0].action, 'create');
      const after = first.after as { ts: number; action: string; document: values.Ref };
      assert.deepEqual({ ...after, document: String(after.document) }, { ts: updated.ts, action: 'update', document: 'Ref(Collection("things"), "50")' });
      const second = await root.query(q.Paginate(q.Events(thing('50')), { size: 1, after: first.after as Expr })) as Page<Event>;
      assert.equal(second.data[0].action, 'update');
      assert.deepEqual(second.before, first.after);
      const last = await root.query(q.Paginate(q.Events(thing('50')), { size: 1, before: null })) as Page<Event>;
      assert.equal(last.data[0].action, 'delete');
      // A bare time as cursor: events from that time on.
      const fromTs = await root.query(q.Paginate(q.Events(thing('50')), { after: updated.ts })) as Page<Event>;
      assert.deepEqual(fromTs.data.map((e) => e.action), ['update', 'delete']);
      const beforeTs = await root.query(q.Paginate(q.Events(thing('50')), { before: updated.ts })) as Page<Event>;
      assert.deepEqual(beforeTs.data.map((e) => e.action), ['create']);
      // `ts` leaves out later events.
      const upTo = await root.query(q.Paginate(thing('50'), { events: true, ts: updated.ts })) as Page<Event>;
      assert.deepEqual(upTo.data.map((e) => e.action), ['create', 'update']);
    });

    it('Documents(coll) events: each document entering and leaving the collection, in time order', async () => {
      await root.query(q.CreateCollection({ name: 'pets' }));
      const a = await root.query(q.Create(q.Ref(q.Collection('pets'), '1'), { data: { n: 1 } })) as Version;
      const b = await root.query(q.Create(q.Ref(q.Collection('pets'), '2'), { data: { n: 2 } })) as Version;
      await root.query(q.Update(a.ref, { data: { n: 3 } }));
      const gone = await root.query(q.Delete(a.ref)) as Version;
      const page = await root.query(q.Paginate(q.Events(q.Documents(q.Collection('pets'))))) as Page<Event>;
      assert.deepEqual(page.data.map((e) => [e.action, String(e.document)]), [
        ['add', 'Ref(Collection("pets"), "1")'], ['add', 'Ref(Collection("pets"), "2")'], ['remove', 'Ref(Collection("pets"), "1")'],
      ]);
      assert.equal(page.data[0].ts, a.ts);
      assert.equal(page.data[1].ts, b.ts);
      assert.ok(page.data[2].ts > gone.ts);
    });

    it('Match(index, terms) events: documents entering and leaving the match, replayed from their versions', async () => {
      await root.query(q.CreateIndex({ name: 'things_by_color', source: q.Collection('things'), terms: [{ field: ['data', 'color'] }], active: true }));
      const red1 = await root.query(q.Create(thing('60'), { data: { color: 'red' } })) as Version;
      const blue = await root.query(q.Update(thing('60'), { data: { color: 'blue' } })) as Version;
      await root.query(q.Update(thing('60'), { data: { size: 2 } }));
      const red2 = await root.query(q.Update(thing('60'), { data: { color: 'red' } })) as Version;
      await root.query(q.Delete(thing('60')));
      const red = await root.query(q.Paginate(q.Events(q.Match(q.Index('things_by_color'), 'red')))) as Page<Event>;
      assert.deepEqual(red.data.map((e) => e.action), ['add', 'remove', 'add', 'remove']);
      assert.deepEqual(red.data.slice(0, 3).map((e) => e.ts), [red1.ts, blue.ts, red2.ts]);
      const blues = await root.query(q.Paginate(q.Match(q.Index('things_by_color'), 'blue'), { events: true })) as Page<Event>;
      assert.deepEqual(blues.data.map((e) => [e.ts, e.action, String(e.document)]).slice(0, 1), [[blue.ts, 'add', 'Ref(Collection("things"), "60")']]);
      assert.deepEqual(blues.data.map((e) => e.action), ['add', 'remove']);
    });

    // Core RenderContext (SetEventL): a set event carries `data`, the index entry's values, when
    // the index has values; a change of those values removes the old entry and adds the new one.
    it('Match events of an index with values carry the entry\'s values as data; a value change is remove + add', async () => {
      await root.query(q.CreateIndex({
        name: 'things_by_shape', source: q.Collection('things'), active: true,
        terms: [{ field: ['data', 'shape'] }], values: [{ field: ['data', 'size'] }, { field: ['ref'] }],
      }));
      const made = await root.query(q.Create(thing('75'), { data: { shape: 'cube', size: 1 } })) as Version;
      await root.query(q.Update(thing('75'), { data: { note: 'x' } }));
      const grown = await root.query(q.Update(thing('75'), { data: { size: 2 } })) as Version;
      const page = await root.query(q.Paginate(q.Match(q.Index('things_by_shape'), 'cube'), { events: true })) as Page<Event>;
      const ref75 = 'Ref(Collection("things"), "75")';
      // (The order of the two events of one change follows the history's action order; the test
      // does not depend on it.)
      assert.deepEqual(page.data.map((e) => [e.ts, e.action, String(e.data)]).sort(), [
        [made.ts, 'add', `1,${ref75}`],
        [grown.ts, 'add', `2,${ref75}`],
        [grown.ts, 'remove', `1,${ref75}`],
      ].sort());
      assert.ok(page.data.every((e) => Array.isArray(e.data)));
      const withoutValues = await root.query(q.Paginate(q.Events(q.Match(q.Index('things_by_color'), 'red')))) as Page<Event>;
      assert.ok(withoutValues.data.every((e) => !('data' in e)));
    });

    it('renders the set and refuses bad cursors', async () => {
      const set = await root.query(q.Events(thing('50'))) as values.SetRef;
      assert.ok(set instanceof values.SetRef);
      assert.deepEqual(JSON.parse(JSON.stringify(set)), { '@set': { events: { '@ref': { id: '50', collection: { '@ref': { id: 'things', collection: { '@ref': { id: 'collections' } } } } } } } });
      await v4FailsAt(root, q.Paginate(q.Events(thing('50')), { after: 'x' }), 'invalid argument',
        'Object, Integer, Time, or Date expected, String provided.', ['after']);
      await v4FailsAt(root, q.Paginate(q.Events(thing('50')), { after: { foo: 1 } }), 'invalid argument',
        'Cannot create event cursor with keys foo', ['after']);
      await v4FailsAt(root, q.Events('x'), 'invalid argument', 'Ref or Set expected, String provided.', ['events']);
    });
  });

  describe('Insert and Remove', () => {
    const thimble = (id: string) => q.Ref(q.Collection('thimbles'), id);
    const byWeight = async (w: number) => data<number>(root10, fql`thimbles.byWeight(${w}).count()`);

    before(async () => {
      // Versions are inserted and read at times near the epoch: the history kept must reach
      // back that far, or reads there are refused (core ReadValidTimeBelowMVT).
      await root10.query(fql`Collection.create({ name: "thimbles", history_days: 30000, indexes: { byWeight: { terms: [{ field: "weight" }] } } })`);
    });

    it('inserts a version before the first one (faunadb-js "insert"); the current document stays', async () => {
      const doc = await root.query(q.Create(thimble('1'), { data: { weight: 1 } })) as Version;
      const event = await root.query(q.Insert(thimble('1'), doc.ts - 1, 'create', { data: { weight: 0 } })) as Event;
      assert.deepEqual(shown([event]), [{ ts: doc.ts - 1, action: 'create', document: 'Ref(Collection("thimbles"), "1")', data: { weight: 0 } }]);
      assert.deepEqual((await root.query(q.Get(thimble('1'), doc.ts - 1)) as Version).data, { weight: 0 });
      assert.deepEqual(await root.query(q.Get(thimble('1'))), doc);
      const events = await root.query(q.Paginate(q.Events(thimble('1')))) as Page<Event>;
      assert.deepEqual(events.data.map((e) => [e.ts, e.action, e.data]), [[doc.ts - 1, 'create', { weight: 0 }], [doc.ts, 'update', { weight: 1 }]]);
    });

    it('removes the newest version: the one before is current again, with its ts, in v10 and its indexes (faunadb-js "remove")', async () => {
      const doc = await root.query(q.Create(thimble('2'), { data: { weight: 0 } })) as Version;
      const replaced = await root.query(q.Replace(thimble('2'), { data: { weight: 1 } })) as Version;
      assert.deepEqual(await root.query(q.Get(thimble('2'))), replaced);
      assert.equal(await root.query(q.Remove(thimble('2'), replaced.ts, 'create')), null);
      assert.deepEqual(await root.query(q.Get(thimble('2'))), doc);
      assert.deepEqual(await data(root10, fql`let d = thimbles.byId("2")!; { weight: d.weight, ts: d.ts.toMicros() }`), { weight: 0, ts: doc.ts });
      assert.equal(await data(root10, fql`thimbles.byWeight(1).where(.id == "2").count()`), 0);
      assert.equal(await data(root10, fql`thimbles.byWeight(0).where(.id == "2").count()`), 1);
      // Removing the only version leaves no document.
      assert.equal(await root.query(q.Remove(thimble('2'), doc.ts, 'create')), null);
      assert.equal(await root.query(q.Exists(thimble('2'))), false);
      // A time without a version changes nothing.
      assert.equal(await root.query(q.Remove(thimble('1'), 1, 'update')), null);
    });

    it('an inserted newest version becomes the current document at its own time, and a delete removes it', async () => {
      const doc = await root.query(q.Create(thimble('3'), { data: { weight: 3 } })) as Version;
      await root.query(q.Insert(thimble('3'), doc.ts + 1, 'update', { data: { weight: 4 } }));
      const now = await root.query(q.Get(thimble('3'))) as Version;
      assert.deepEqual(now.data, { weight: 4 });
      assert.equal(now.ts, doc.ts + 1);
      assert.equal(await byWeight(4), 1);
      assert.deepEqual((await root.query(q.Get(thimble('3'), doc.ts)) as Version).data, { weight: 3 });
      // At the transaction's own time.
      const atNow = await root.query(q.Let({ t: q.ToMicros(q.Now()) },
        q.Do(q.Insert(thimble('3'), q.Var('t'), 'update', { data: { weight: 5 } }), q.Equals(q.Select('ts', q.Get(thimble('3'))), q.Var('t')))));
      assert.equal(atNow, true);
      assert.equal(await byWeight(5), 1);
      const gone = await root.query(q.Insert(thimble('3'), q.ToMicros(q.Now()), 'delete', {})) as Event;
      assert.equal(gone.data, null);
      assert.equal(await root.query(q.Exists(thimble('3'))), false);
      assert.equal(await byWeight(5), 0);
      const actions = (await root.query(q.Paginate(q.Events(thimble('3')))) as Page<Event>).data.map((e) => e.action);
      assert.deepEqual(actions, ['create', 'update', 'update', 'delete']);
    });

    it('removes a version from the middle of the history', async () => {
      const v1 = await root.query(q.Create(thimble('4'), { data: { weight: 1 } })) as Version;
      const v2 = await root.query(q.Update(thimble('4'), { data: { weight: 2 } })) as Version;
      const v3 = await root.query(q.Update(thimble('4'), { data: { weight: 3 } })) as Version;
      await root.query(q.Remove(thimble('4'), v2.ts, 'update'));
      assert.deepEqual((await root.query(q.Get(thimble('4'), v2.ts)) as Version).data, { weight: 1 });
      assert.deepEqual(await root.query(q.Get(thimble('4'))), v3);
      const events = await root.query(q.Paginate(q.Events(thimble('4')))) as Page<Event>;
      assert.deepEqual(events.data.map((e) => [e.ts, e.action]), [[v1.ts, 'create'], [v3.ts, 'update']]);
    });

    it('refuses a future time, other refs, bad actions, and callers without history_write', async () => {
      await v4FailsAt(root, q.Insert(thimble('1'), q.TimeAdd(q.Now(), 1, 'hour'), 'create', { data: {} }),
        'invalid write time', 'Cannot write outside of snapshot time.', []);
      await v4FailsAt(root, q.Insert(q.Collection('thimbles'), 1, 'create', {}), 'invalid argument', 'Cannot insert event for specified ref.', []);
      await v4FailsAt(root, q.Remove(q.Collection('thimbles'), 1, 'create'), 'invalid argument', 'Cannot remove event for specified ref.', []);
      await v4FailsAt(root, q.Insert(thimble('1'), 1, 'upsert', {}), 'invalid argument',
        "String 'create', 'update', or 'delete' expected, String provided.", ['action']);
      await v4FailsAt(root, q.Insert(thimble('1'), 'x', 'create', {}), 'invalid argument', 'Time expected, String provided.', ['ts']);
      await root.query(q.CreateRole({ name: 'thimble_reader', privileges: [{ resource: q.Collection('thimbles'), actions: { read: true } }] }));
      await root.query(q.CreateRole({ name: 'thimble_historian', privileges: [{ resource: q.Collection('thimbles'), actions: { read: true, history_write: true } }] }));
      const reader = clients.as((await root.query(q.CreateKey({ role: q.Role('thimble_reader') })) as { secret: string }).secret);
      const historian = clients.as((await root.query(q.CreateKey({ role: q.Role('thimble_historian') })) as { secret: string }).secret);
      await v4Fails(reader, q.Insert(thimble('1'), 5, 'create', { data: { weight: 9 } }), 'permission denied', 403);
      await v4Fails(reader, q.Remove(thimble('1'), 5, 'create'), 'permission denied', 403);
      await historian.query(q.Insert(thimble('1'), 5, 'create', { data: { weight: 9 } }));
      assert.deepEqual((await root.query(q.Get(thimble('1'), 5)) as Version).data, { weight: 9 });
      // Reading the past needs history_read (core ReadAdaptor: a valid time other than now).
      assert.deepEqual((await reader.query(q.Get(thimble('1'))) as Version).data, { weight: 1 });
      await v4Fails(reader, q.Get(thimble('1'), 5), 'permission denied', 403);
      assert.deepEqual((await reader.query(q.Paginate(q.Events(thimble('1')))) as Page).data, []);
    });
  });

  describe('reads before the history kept', () => {
    // core ExceptionResponseHelpers answers ReadValidTimeBelowMVT with a 400 for v4 as for v10
    // (FQL2BasicSpec "returns a 400 when reading before MVT"); the MVT is history_days plus 15
    // minutes before the transaction's time, and even an absent document is refused.
    it('refuses At and Get at a time before the collection\'s minimum valid time', async () => {
      await root10.query(fql`Collection.create({ name: "ephemeral", history_days: 0 })`);
      const ref = q.Ref(q.Collection('ephemeral'), '1');
      await root.query(q.Create(ref, { data: { foo: 'bar' } }));
      const err = await v4Fails(root, q.Get(ref, q.Time('2000-01-01T00:00:00Z')), 'bad request', 400);
      assert.match(err.description, /^Requested timestamp 2000-01-01T00:00:00Z less than minimum allowed timestamp \S+Z\.$/);
      await v4Fails(root, q.At(q.Time('2000-01-01T00:00:00Z'), q.Get(q.Ref(q.Collection('ephemeral'), '2'))), 'bad request', 400);
      // Inside the window the past reads as usual.
      assert.equal(await root.query(q.Exists(ref, q.TimeSubtract(q.Now(), 14, 'minutes'))), false);
    });
  });

  describe('a role that lost access to a document (attacks on history)', () => {
    // Its predicate grants read on documents whose `public` is true; the document was public
    // when it held `old-secret`, then became private. Without history_read no past version, index
    // entry or event of it is readable, now or after its deletion (core ReadAdaptor: reads at a
    // valid time other than now need history_read; unreadable index entries and events vanish).
    it('reads neither its past versions nor its past index entries nor its events', async () => {
      await root.query(q.CreateCollection({ name: 'leaky' }));
      await root.query(q.CreateIndex({ name: 'leaky_secrets', source: q.Collection('leaky'), values: [{ field: ['data', 'secret'] }] }));
      await root.query(q.CreateRole({ name: 'leaky_public', privileges: [
        { resource: q.Collection('leaky'), actions: { read: q.Query(q.Lambda('ref', q.Select(['data', 'public'], q.Get(q.Var('ref'))))) } },
        { resource: q.Index('leaky_secrets'), actions: { read: true } },
      ] }));
      const reader = clients.as((await root.query(q.CreateKey({ role: q.Role('leaky_public') })) as { secret: string }).secret);
      const v1 = await root.query(q.Create(q.Ref(q.Collection('leaky'), '1'), { data: { secret: 'old-secret', public: true } })) as Version;
      assert.deepEqual((await reader.query(q.Get(v1.ref))) as Version, v1);
      assert.deepEqual((await reader.query(q.Paginate(q.Match(q.Index('leaky_secrets')))) as Page).data, ['old-secret']);
      await root.query(q.Update(v1.ref, { data: { secret: 'new-secret', public: false } }));
      const nothing = async (e: Expr) => assert.deepEqual((await reader.query(e) as Page).data, []);
      for (const deleted of [false, true]) {
        await v4Fails(reader, q.Get(v1.ref), deleted ? 'instance not found' : 'permission denied', deleted ? 404 : 403);
        await v4Fails(reader, q.Get(v1.ref, v1.ts), 'permission denied', 403);
        await v4Fails(reader, q.At(v1.ts, q.Get(v1.ref)), 'permission denied', 403);
        assert.equal(await reader.query(q.Exists(v1.ref, v1.ts)), false);
        await nothing(q.Paginate(q.Match(q.Index('leaky_secrets'))));
        await nothing(q.Paginate(q.Match(q.Index('leaky_secrets')), { ts: v1.ts }));
        await nothing(q.At(v1.ts, q.Paginate(q.Match(q.Index('leaky_secrets')))));
        await nothing(q.Paginate(q.Documents(q.Collection('leaky')), { ts: v1.ts }));
        await nothing(q.Paginate(q.Events(v1.ref)));
        await nothing(q.Paginate(q.Match(q.Index('leaky_secrets')), { events: true }));
        await nothing(q.Paginate(q.Singleton(v1.ref), { events: true }));
        if (!deleted) await root.query(q.Delete(v1.ref));
      }
    });
  });

  describe('history_days and ttl', () => {
    it('keeps history_days on collections created and updated through v4', async () => {
      const c = await root.query(q.CreateCollection({ name: 'short', history_days: 3 })) as { history_days: number };
      assert.equal(c.history_days, 3);
      const u = await root.query(q.Update(q.Collection('short'), { history_days: 0 })) as { history_days: number };
      assert.equal(u.history_days, 0);
      assert.equal(await data(root10, fql`Collection.byName("short")!.history_days`), 0);
      // Created without it: v4's default of 30 days.
      assert.equal((await root.query(q.Get(q.Collection('things'))) as { history_days: number }).history_days, 30);
    });

    it('a document\'s ttl is a Time on the document, seen by v10, and hides it once passed', async () => {
      const until = '2099-01-01T00:00:00Z';
      const doc = await root.query(q.Create(thing('70'), { data: { x: 1 }, ttl: q.Time(until) })) as Version;
      assert.ok(doc.ttl instanceof values.FaunaTime);
      assert.deepEqual(JSON.parse(JSON.stringify(doc.ttl)), { '@ts': until });
      assert.equal(await data(root10, fql`things.byId("70")!.ttl.toString()`), until);
      const e = await v4Fails(root, q.Create(thing('71'), { ttl: 5 }), 'validation failed', 400);
      assert.deepEqual(errorsOf(e)[0].failures, [{ field: ['ttl'], code: 'invalid type', description: 'Invalid type Integer, expected type Time.' }]);
      await root.query(q.Update(thing('70'), { ttl: q.TimeSubtract(q.Now(), 1, 'second') }));
      assert.equal(await root.query(q.Exists(thing('70'))), false);
    });
  });
});
