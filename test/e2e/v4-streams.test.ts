// FQL v4 streams through the `faunadb@4.8` driver (`client.stream(expr, {fields})`,
// `client.stream.document(ref)`): the start event, document `version` events with the
// action/document/diff/prev fields, `set` events of Documents() and Match() streams, request
// errors, permission loss and close. Expected shapes and messages from core:
// ext/api/src/test/scala/api/StreamSpec.scala, model/stream/EventEncoder.scala and
// EventEncoderSpec.scala, EventField.scala (defaults: action, document), StreamEndpoint.scala
// (`fields` errors, "stream requests"), Casts.scala `Streamable` (NonStreamableType), and
// faunadb-js test/stream.test.js.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, type Expr, errors, query as q, values } from 'faunadb';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { V4Clients } from './v4-helpers';

type Doc = { ref: values.Ref; ts: number; data: Record<string, unknown> };
interface Seen { readonly type: string; readonly data: any; readonly raw: any }

/** A started subscription that records every event and lets a test wait for the next ones. */
class Recorder {
  readonly seen: Seen[] = [];
  private wake: (() => void) | undefined;
  readonly sub: { close(): void };

  constructor(client: Client, expr: Expr | string, fields?: string[], document = false) {
    const opts = fields ? { fields } : undefined;
    const sub: any = document ? client.stream.document(expr as Expr, opts as never) : client.stream(expr as Expr, opts as never);
    for (const type of ['start', 'version', 'set', 'history_rewrite', 'error', ...(document ? ['snapshot'] : [])]) {
      sub.on(type as never, ((data: unknown, raw: unknown) => {
        this.seen.push({ type, data, raw });
        this.wake?.();
      }) as never);
    }
    this.sub = sub;
    sub.start();
  }

  /** Waits until `n` events in all were seen (fails after 5 s) and returns them. */
  async until(n: number): Promise<Seen[]> {
    const deadline = Date.now() + 5000;
    while (this.seen.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`expected ${n} events, saw ${JSON.stringify(this.seen.map((s) => s.type))}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, left).unref();
      });
    }
    return this.seen.slice(0, n);
  }

  close(): void { this.sub.close(); }
}

const same = (a: unknown, b: unknown): boolean => String(a) === String(b);
/** The transaction time of the client's last query (Delete answers the version it removed, with its older ts). */
const lastTxn = (c: Client): number => (c as unknown as { getLastTxnTime(): number }).getLastTxnTime();

describe('v4 streams', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;
  const open: Recorder[] = [];
  const stream = (client: Client, expr: Expr | string, fields?: string[], document = false): Recorder => {
    const r = new Recorder(client, expr, fields, document);
    open.push(r);
    return r;
  };

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    root = clients.as('secret');
    await root.query(q.CreateCollection({ name: 'stream_docs' }));
    await root.query(q.CreateIndex({ name: 'by_foo', source: q.Collection('stream_docs'), terms: [{ field: ['data', 'foo'] }], values: [{ field: ['data', 'foo'] }] }));
  });
  after(async () => {
    for (const r of open) r.close();
    await clients.close();
    await server.dispose();
  });

  it('starts with a start event whose txn and event are the start time', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: {} }));
    const r = stream(root, doc.ref);
    const [start] = await r.until(1);
    assert.equal(start.type, 'start');
    assert.deepEqual(Object.keys(start.raw), ['type', 'txn', 'event']);
    assert.equal(typeof start.raw.txn, 'number');
    assert.equal(start.raw.event, start.raw.txn);
    assert.ok(start.raw.txn >= doc.ts);
  });

  it('sends version events with action and document by default (EventField.Defaults)', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: { a: 1 } }));
    const r = stream(root, doc.ref);
    await r.until(1);
    const updated = await root.query<Doc>(q.Update(doc.ref, { data: { b: 2 } }));
    const [, v] = await r.until(2);
    assert.equal(v.type, 'version');
    assert.deepEqual(Object.keys(v.data), ['action', 'document']);
    assert.equal(v.data.action, 'update');
    assert.ok(same(v.data.document.ref, doc.ref));
    assert.equal(v.data.document.ts, updated.ts);
    assert.deepEqual(v.data.document.data, { a: 1, b: 2 });
    assert.equal(v.raw.txn, updated.ts);
    // Events update the client's last seen transaction (faunadb-js "events update last seen transacton time").
    assert.equal(lastTxn(root), v.raw.txn);
  });

  it('renders update, replace, delete and re-create with diff and prev (StreamSpec, EventEncoderSpec)', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: { a: 1, b: { c: 1, d: 1 } } }));
    const r = stream(root, doc.ref, ['action', 'document', 'diff', 'prev']);
    await r.until(1);
    const u = await root.query<Doc>(q.Update(doc.ref, { data: { a: 2, b: { d: 2 } } }));
    const rep = await root.query<Doc>(q.Replace(doc.ref, { data: { z: true } }));
    await root.query(q.Delete(doc.ref));
    const delTs = lastTxn(root);
    const again = await root.query<Doc>(q.Create(doc.ref, { data: { a: 9 } }));
    const [, up, re, de, cr] = await r.until(5);
    assert.deepEqual([up, re, de, cr].map((e) => [e.type, e.data.action]),
      [['version', 'update'], ['version', 'update'], ['version', 'delete'], ['version', 'create']]);
    assert.deepEqual(Object.keys(up.data), ['action', 'document', 'diff', 'prev']);
    // update: document and diff at the event's time, prev at the previous version's.
    assert.deepEqual(up.data.document.data, { a: 2, b: { c: 1, d: 2 } });
    assert.equal(up.data.document.ts, u.ts);
    assert.deepEqual(up.data.diff.data, { a: 2, b: { d: 2 } });
    assert.equal(up.data.diff.ts, u.ts);
    assert.ok(same(up.data.diff.ref, doc.ref));
    assert.deepEqual(up.data.prev.data, { a: 1, b: { c: 1, d: 1 } });
    assert.equal(up.data.prev.ts, doc.ts);
    // replace: removed fields are null in the diff.
    assert.deepEqual(re.data.diff.data, { z: true, a: null, b: null });
    assert.equal(re.raw.txn, rep.ts);
    // delete: the document shows the data it removed, at the delete's time; the diff is empty.
    assert.deepEqual(de.data.document.data, { z: true });
    assert.equal(de.data.document.ts, delTs);
    assert.equal(de.raw.txn, delTs);
    assert.deepEqual(Object.keys(de.data.diff), ['ref', 'ts']);
    assert.deepEqual(de.data.prev.data, { z: true });
    // create: no previous version (prev is only ref and ts); the diff is the whole document.
    assert.deepEqual(cr.data.document.data, { a: 9 });
    assert.deepEqual(cr.data.diff.data, { a: 9 });
    assert.deepEqual(Object.keys(cr.data.prev), ['ref', 'ts']);
    assert.equal(cr.raw.txn, again.ts);
  });

  it('sends only the fields asked for, in core order (faunadb-js "can select fields")', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: {} }));
    const r = stream(root, doc.ref, ['prev', 'diff']);
    await r.until(1);
    await root.query(q.Update(doc.ref, {}));
    const [, v] = await r.until(2);
    assert.deepEqual(Object.keys(v.data), ['diff', 'prev']);
  });

  it('streams a version (Get) like its ref, and stream.document sends the snapshot first', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: { k: 'v' } }));
    const byVersion = stream(root, q.Get(doc.ref));
    const byDocument = stream(root, doc.ref, undefined, true);
    await byVersion.until(1);
    await byDocument.until(2);
    assert.deepEqual(byDocument.seen.map((s) => s.type), ['start', 'snapshot']);
    assert.deepEqual(byDocument.seen[1].data.data, { k: 'v' });
    await root.query(q.Update(doc.ref, { data: { k: 'w' } }));
    const [, v] = await byVersion.until(2);
    const [, , d] = await byDocument.until(3);
    assert.equal(v.data.document.data.k, 'w');
    assert.equal(d.type, 'version');
    assert.equal(d.data.document.data.k, 'w');
  });

  it('streams Documents(collection) as set add/remove events; updates are no set change', async () => {
    await root.query(q.CreateCollection({ name: 'stream_set' }));
    const r = stream(root, q.Documents(q.Collection('stream_set')));
    await r.until(1);
    const a = await root.query<Doc>(q.Create(q.Collection('stream_set'), { data: { n: 1 } }));
    await root.query(q.Update(a.ref, { data: { n: 2 } }));
    await root.query(q.Delete(a.ref));
    const delTs = lastTxn(root);
    const b = await root.query<Doc>(q.Create(q.Collection('stream_set'), { data: { n: 3 } }));
    const [, add, remove, add2] = await r.until(4);
    assert.deepEqual([add, remove, add2].map((e) => [e.type, e.data.action]), [['set', 'add'], ['set', 'remove'], ['set', 'add']]);
    assert.deepEqual(Object.keys(add.data.document), ['ref', 'ts']);
    assert.ok(same(add.data.document.ref, a.ref));
    assert.equal(add.data.document.ts, a.ts);
    assert.equal(remove.data.document.ts, delTs);
    assert.ok(same(add2.data.document.ref, b.ref));
  });

  it('streams Match(index, term) as set events with the index entry (StreamSpec "stream index matches")', async () => {
    const fields = ['action', 'document', 'index'];
    const bar = stream(root, q.Match(q.Index('by_foo'), 'bar'), fields);
    const baz = stream(root, q.Match(q.Index('by_foo'), 'baz'), fields);
    await bar.until(1);
    await baz.until(1);
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: { foo: 'bar' } }));
    await root.query(q.Create(q.Collection('stream_docs'), { data: { foo: 'other' } }));
    await root.query(q.Replace(doc.ref, { data: { foo: 'baz' } }));
    const [, added, removed] = await bar.until(3);
    const [, movedIn] = await baz.until(2);
    assert.deepEqual([added.data.action, removed.data.action, movedIn.data.action], ['add', 'remove', 'add']);
    assert.deepEqual(Object.keys(added.data), ['action', 'document', 'index']);
    assert.equal(String(added.data.index.ref), 'Index("by_foo")');
    assert.deepEqual(added.data.index.terms, ['bar']);
    assert.deepEqual(added.data.index.values, ['bar']);
    assert.deepEqual(removed.data.index.values, ['bar']);
    assert.deepEqual(movedIn.data.index.terms, ['baz']);
    assert.ok(same(removed.data.document.ref, doc.ref));
    assert.equal(bar.seen.length, 3);
  });

  it('refuses what cannot be streamed with core errors', async () => {
    const cases: [Expr | string, string, string][] = [
      ['invalid stream', 'invalid argument', 'Expected a Document Ref or Version, or a Set Ref, got String.'],
      [q.Collection('stream_docs'), 'invalid argument', 'Expected a Document Ref or Version, or a Set Ref, got Collection Ref.'],
      [q.Union(q.Documents(q.Collection('stream_docs')), q.Documents(q.Collection('stream_docs'))), 'invalid argument', 'Expected a Document Ref or Version, or a Set Ref, got Set.'],
      [q.Ref(q.Collection('nope'), '1234'), 'invalid ref', "Ref refers to undefined collection 'nope'"],
      [q.Create(q.Collection('stream_docs'), {}), 'invalid expression', 'Call performs a write, which is not allowed in stream requests.'],
    ];
    for (const [expr, code, description] of cases) {
      const [e] = await stream(root, expr).until(1);
      assert.equal(e.type, 'error');
      assert.ok(e.data instanceof errors.BadRequest, String(e.data));
      assert.equal(e.data.requestResult.statusCode, 400);
      assert.deepEqual((e.data.requestResult.responseContent as any).errors, [{ position: [], code, description }]);
    }
    const [bad] = await stream(root, q.Ref(q.Collection('stream_docs'), '1'), ['action', 'bogus']).until(1);
    assert.deepEqual((bad.data.requestResult.responseContent as any).errors,
      [{ position: [], code: 'invalid url parameter', description: "Invalid url parameter fields. Invalid field name 'bogus'." }]);
    const [unauth] = await stream(clients.as('not-a-secret'), q.Ref(q.Collection('stream_docs'), '1')).until(1);
    assert.ok(unauth.data instanceof errors.Unauthorized, String(unauth.data));
  });

  it('takes POST only and requires a secret (StreamSpec "only allows for POST method", "requires authentication")', async () => {
    const body = JSON.stringify({ '@ref': { id: '1', collection: { '@ref': { id: 'stream_docs', collection: { '@ref': { id: 'collections' } } } } } });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await fetch(`${server.url}/stream`, { method, headers: { authorization: 'Bearer secret' }, body: method === 'GET' ? undefined : body });
      assert.equal(r.status, 405, method);
      assert.deepEqual(await r.json(), { errors: [{ code: 'method not allowed', description: 'Allowed methods are POST.' }] });
    }
    const anon = await fetch(`${server.url}/stream`, { method: 'POST', body });
    assert.equal(anon.status, 401);
    assert.deepEqual(await anon.json(), { errors: [{ code: 'unauthorized', description: 'Unauthorized' }] });
  });

  it('refuses an expression past 64 KiB before parsing it, whatever the secret (ours)', async () => {
    // Found by probing (session 16): 8 MiB bodies were parsed and re-encoded on the
    // coordinator's thread before the secret was checked, holding every client for a second.
    const huge = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i));
    for (const secret of ['secret', 'fnAAAAnotAsecret']) {
      const r = await fetch(`${server.url}/stream`, { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: huge });
      assert.equal(r.status, 413);
      assert.deepEqual(await r.json(), { errors: [{ position: [], code: 'request entity too large', description: 'A stream expression may be 65536 bytes at most.' }] });
    }
  });

  it('ends with permission denied when its key is deleted (StreamSpec "closes stream when authorization is lost")', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: {} }));
    const key = await root.query<{ ref: values.Ref; secret: string }>(q.CreateKey({ role: 'server' }));
    const r = stream(clients.as(key.secret), doc.ref);
    await r.until(1);
    await root.query(q.Delete(key.ref));
    await root.query(q.Update(doc.ref, { data: { x: 1 } }));
    const [, e] = await r.until(2);
    assert.equal(e.type, 'error');
    assert.deepEqual(e.data, { code: 'permission denied', description: 'Authorization lost during stream evaluation.' });
  });

  it('leaves out events of documents the caller may not read (core EventFilter: read permission)', async () => {
    await root.query(q.CreateCollection({ name: 'stream_abac' }));
    await root.query(q.CreateCollection({ name: 'stream_other' }));
    const v10 = server.client();
    await v10.query(fql`Role.create({ name: "AbacReader", privileges: { resource: "stream_abac", actions: { read: true } } })`);
    await v10.query(fql`Role.create({ name: "OtherReader", privileges: { resource: "stream_other", actions: { read: true } } })`);
    const reader = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('AbacReader') }))).secret);
    const other = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('OtherReader') }))).secret);
    const seen = stream(reader, q.Documents(q.Collection('stream_abac')));
    const unseen = stream(other, q.Documents(q.Collection('stream_abac')));
    await seen.until(1);
    await unseen.until(1);
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_abac'), { data: { field: 'foo' } }));
    const [, add] = await seen.until(2);
    assert.ok(same(add.data.document.ref, doc.ref));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(unseen.seen.map((e) => e.type), ['start']);
  });

  it('streaming Match needs read (or unrestricted_read) on the index, as Paginate(Match) does (v4 role resources: Index read)', async () => {
    const v10 = server.client();
    await v10.query(fql`Role.create({ name: "DocsNoIndex", privileges: { resource: "stream_docs", actions: { read: true } } })`);
    await root.query(q.CreateRole({ name: 'DocsAndIndex', privileges: [
      { resource: q.Collection('stream_docs'), actions: { read: true } },
      { resource: q.Index('by_foo'), actions: { read: true } },
    ] }));
    const noIndex = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('DocsNoIndex') }))).secret);
    const withIndex = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('DocsAndIndex') }))).secret);
    // The same refusal as reading the index's entries with Paginate.
    await assert.rejects(noIndex.query(q.Paginate(q.Match(q.Index('by_foo'), 'gated'))), (e: any) => e instanceof errors.PermissionDenied);
    const [refused] = await stream(noIndex, q.Match(q.Index('by_foo'), 'gated')).until(1);
    assert.equal(refused.type, 'error');
    assert.ok(refused.data instanceof errors.PermissionDenied, String(refused.data));
    assert.equal(refused.data.requestResult.statusCode, 403);
    assert.deepEqual((refused.data.requestResult.responseContent as any).errors,
      [{ position: [], code: 'permission denied', description: 'Insufficient privileges to perform the action.' }]);
    const allowed = stream(withIndex, q.Match(q.Index('by_foo'), 'gated'));
    await allowed.until(1);
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: { foo: 'gated' } }));
    const [start, add] = await allowed.until(2);
    assert.deepEqual([start.type, add.type, add.data.action], ['start', 'set', 'add']);
    assert.ok(same(add.data.document.ref, doc.ref));
  });

  it('a role whose read is a predicate sees the events its predicate admits (core EventFilter; AT/FQL2StreamSpec "filter live stream based on ABAC")', async () => {
    await root.query(q.CreateCollection({ name: 'stream_pred' }));
    const v10 = server.client();
    await v10.query(fql`Role.create({ name: "PredReader", privileges: { resource: "stream_pred", actions: { read: "doc => doc.foo <= 42" } } })`);
    const reader = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('PredReader') }))).secret);
    const r = stream(reader, q.Documents(q.Collection('stream_pred')));
    await r.until(1);
    const seen = await root.query<Doc>(q.Create(q.Collection('stream_pred'), { data: { foo: 42 } }));
    await root.query(q.Create(q.Collection('stream_pred'), { data: { foo: 55 } }));
    const last = await root.query<Doc>(q.Create(q.Collection('stream_pred'), { data: { foo: 32 } }));
    const events = await r.until(3);
    assert.deepEqual(events.map((e) => e.type), ['start', 'set', 'set']);
    assert.ok(same(events[1].data.document.ref, seen.ref));
    assert.ok(same(events[2].data.document.ref, last.ref));
  });

  it('a version the role predicate refuses never shows as prev or diff (ours: found by probing, session 16)', async () => {
    // A private document the reader may not read becomes public: the event of that change used
    // to carry `prev` (the private version, with its secret field) and a diff against it.
    await root.query(q.CreateCollection({ name: 'stream_private' }));
    await server.client().query(fql`Role.create({ name: "PublicOnly", privileges: { resource: "stream_private", actions: { read: "doc => doc.public == true" } } })`);
    const reader = clients.as((await root.query<{ secret: string }>(q.CreateKey({ role: q.Role('PublicOnly') }))).secret);
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_private'), { data: { public: false, hidden: 'SECRET-0' } }));
    const r = stream(reader, doc.ref, ['action', 'document', 'diff', 'prev']);
    await r.until(1);
    await root.query(q.Update(doc.ref, { data: { hidden: 'SECRET-1' } }));
    await root.query(q.Update(doc.ref, { data: { public: true, hidden: 'now-public' } }));
    await root.query(q.Update(doc.ref, { data: { hidden: 'public-2' } }));
    const events = await r.until(3);
    assert.deepEqual(events.map((e) => e.type), ['start', 'version', 'version']);
    const text = JSON.stringify(events.map((e) => e.data));
    assert.doesNotMatch(text, /SECRET/);
    // The change that made it public shows it as if new; the next one has the public prev.
    assert.equal(events[1].data.action, 'create');
    assert.equal(events[1].data.prev.data, undefined);
    assert.equal(events[1].data.document.data.hidden, 'now-public');
    assert.equal(events[2].data.action, 'update');
    assert.equal(events[2].data.prev.data.hidden, 'now-public');
  });

  it('close() ends the subscription: later writes deliver nothing', async () => {
    const doc = await root.query<Doc>(q.Create(q.Collection('stream_docs'), { data: {} }));
    const r = stream(root, doc.ref);
    await r.until(1);
    r.close();
    await root.query(q.Update(doc.ref, { data: { after: 'close' } }));
    const watcher = stream(root, doc.ref);
    await watcher.until(1);
    await root.query(q.Update(doc.ref, { data: { after: 'again' } }));
    await watcher.until(2);
    assert.deepEqual(r.seen.map((s) => s.type), ['start']);
  });
});
