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
import { errorsOf, useV4Server, v4Fails, v4FailsAt } from './v4-helpers';

interface Version { ref: values.Ref; ts: number; data?: Record<string, unknown>; ttl?: values.FaunaTime }
interface Page<T = unknown> { data: T[]; after?: unknown; before?: unknown }
interface Event { ts: number; action: string; document: values.Ref; data?: unknown }

/** Events with refs printed, for deepEqual. */
const shown = (events: Event[]) => events.map((e) => ({ ...e, document: String(e.document) }));

describe('v4 history', () => {
  let root: Client;
  let root10: Client10;
  const thing = (id: string) => q.Ref(q.Collection('things'), id);

  useV4Server((s) => {
    root = s.root;
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
