// The FQL v4 endpoint's protocol (fql-v4.md §1) and its core functions through the
// `faunadb@4.8` driver and raw HTTP: envelope, status codes, headers, error shapes and
// positions, documents, pagination, indexes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q, values } from 'faunadb';
import { startServer, type TestServer } from '../helpers/server';
import { V4Clients, errorsOf, sameRef, v4Fails } from './v4-helpers';

type Version = Record<string, any> & { ref: values.Ref; ts: number };

async function raw(server: TestServer, body: string, init: RequestInit = {}, path = '/'): Promise<{ status: number; headers: Headers; json: any }> {
  const r = await fetch(server.url + path, {
    method: 'POST', body, ...init,
    headers: { authorization: 'Bearer secret', 'x-faunadb-api-version': '4', ...(init.headers as Record<string, string>) },
  });
  return { status: r.status, headers: r.headers, json: JSON.parse(await r.text()) };
}

describe('v4 protocol', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    root = clients.as('secret');
    await root.query(q.CreateCollection({ name: 'widgets' }));
  });
  after(async () => {
    await clients.close();
    await server.dispose();
  });

  it('answers {resource} with the transaction time and metrics headers', async () => {
    const r = await raw(server, '{"add":[1,2]}', { headers: { 'x-fauna-tags': 'foo=Foo1,bar=Bar2', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { resource: 3 });
    assert.match(r.headers.get('x-txn-time')!, /^\d+$/);
    for (const h of ['x-compute-ops', 'x-byte-read-ops', 'x-byte-write-ops', 'x-query-time', 'x-query-bytes-in',
      'x-query-bytes-out', 'x-storage-bytes-read', 'x-storage-bytes-write', 'x-txn-retries']) {
      assert.match(r.headers.get(h) ?? '', /^\d+$/, h);
    }
    assert.equal(r.headers.get('x-fauna-tags'), 'bar=Bar2,foo=Foo1');
    assert.match(r.headers.get('traceparent')!, /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    const w = await raw(server, '{"create":{"collection":"widgets"},"params":{"object":{"data":{"object":{"n":1}}}}}');
    assert.equal(w.status, 201);
    assert.ok(BigInt(w.headers.get('x-txn-time')!) > BigInt(r.headers.get('x-txn-time')!));
  });

  it('rejects bad secrets, paths, methods and headers as core does', async () => {
    const unauth = await raw(server, '{"add":[1,2]}', { headers: { authorization: 'Bearer nope' } });
    assert.equal(unauth.status, 401);
    assert.deepEqual(unauth.json, { errors: [{ code: 'unauthorized', description: 'Unauthorized' }] });
    assert.equal(unauth.headers.get('www-authenticate'), 'Basic realm="Unauthorized"');
    const basic = await raw(server, '{"add":[1,2]}', { headers: { authorization: `Basic ${Buffer.from('secret:').toString('base64')}` } });
    assert.deepEqual(basic.json, { resource: 3 });
    const missing = await raw(server, '{}', {}, '/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { errors: [{ code: 'not found', description: 'Not Found' }] });
    const put = await raw(server, '{}', { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.deepEqual(put.json, { errors: [{ code: 'method not allowed', description: 'Allowed methods are GET, POST.' }] });
    const version = await raw(server, '1', { headers: { 'x-faunadb-api-version': '9' } });
    assert.equal(version.status, 400);
    assert.equal(version.json.errors[0].description, "Invalid header 'x-faunadb-api-version': Unsupported or invalid API version '9'.");
  });

  it('runs read-only expressions on GET /?q=', async () => {
    const ok = await fetch(`${server.url}/?q=${encodeURIComponent('{"concat":["a","b"]}')}`, { headers: { authorization: 'Bearer secret' } });
    assert.deepEqual(await ok.json(), { resource: 'ab' });
    const write = await fetch(`${server.url}/?q=${encodeURIComponent('{"create_collection":{"object":{"name":"x"}}}')}`, { headers: { authorization: 'Bearer secret' } });
    assert.equal(write.status, 400);
    assert.equal(((await write.json()) as any).errors[0].code, 'invalid expression');
  });

  it('reports errors with their code, description and position', async () => {
    const unknown = await raw(server, '{"do":[1,{"frobnicate":1,"x":2}]}');
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, { errors: [{
      position: ['do', 1], code: 'invalid expression', description: 'No form/function found, or invalid argument keys: { frobnicate, x }.',
    }] });
    const e = await v4Fails(root, q.Select(['data', 'missing'], { data: {} }), 'value not found', 404, 'Value not found at path [data,missing].');
    assert.deepEqual(errorsOf(e)[0].position, ['from']); // core EvalContext SelectE: ValueNotFound at `from`
    await v4Fails(root, q.Abort('stop here'), 'transaction aborted', 400, 'stop here');
    await v4Fails(root, q.Var('nope'), 'invalid expression', 400, "Variable 'nope' is not defined.");
    const bad = await v4Fails(root, q.If('yes', 1, 2), 'invalid argument', 400, 'Boolean expected, String provided.');
    assert.deepEqual(errorsOf(bad)[0].position, ['if']);
    await v4Fails(root, q.Divide(null as never, 2), 'invalid argument', 400, 'Number expected, Null provided.');
    await v4Fails(root, q.Get(q.Ref(q.Collection('nope'), '1')), 'invalid ref', 400, "Ref refers to undefined collection 'nope'");
    await v4Fails(root, q.Get(q.Ref(q.Collection('widgets'), '1')), 'instance not found', 404, 'Document not found.');
  });

  it('evaluates control flow, objects and values', async () => {
    assert.equal(await root.query(q.Let({ a: 1, b: q.Add(q.Var('a'), 1) }, q.Var('b'))), 2);
    assert.equal(await root.query(q.If(q.Equals(1, 1), 'yes', 'no')), 'yes');
    assert.equal(await root.query(q.Do(1, 2, 3)), 3);
    assert.deepEqual(await root.query(q.Map([1, 2, 3], q.Lambda('x', q.Add(q.Var('x'), 1)))), [2, 3, 4]);
    assert.deepEqual(await root.query(q.Map([[1, 2]], q.Lambda(['a', 'b'], q.Add(q.Var('a'), q.Var('b'))))), [3]);
    assert.equal(await root.query(q.Select('x', {}, 'dflt')), 'dflt');
    assert.deepEqual(await root.query({ '@weird': 1, n: q.Add(1, 1) }), { '@weird': 1, n: 2 });
    const t = await root.query<values.FaunaTime>(q.Time('2020-01-02T03:04:05.123Z'));
    assert.equal(t.toString(), 'Time("2020-01-02T03:04:05.123Z")');
    const lambda = await root.query<values.Query>(q.Query(q.Lambda('x', q.Var('x'))));
    assert.equal(lambda.toString(), 'Query(Lambda("x", Var("x")))');
  });

  it('creates, reads, updates, replaces and deletes documents', async () => {
    const doc = await root.query<Version>(q.Create(q.Ref(q.Collection('widgets'), '42'), { data: { a: 1, b: { c: 2 } } }));
    assert.equal(doc.ref.id, '42');
    assert.equal(await root.query(q.Exists(doc.ref)), true);
    assert.equal(await root.query(q.Exists(q.Ref(q.Collection('widgets'), '43'))), false);
    const upd = await root.query<Version>(q.Update(doc.ref, { data: { b: { d: 3 }, a: null } }));
    assert.deepEqual(upd.data, { b: { c: 2, d: 3 } });
    const rep = await root.query<Version>(q.Replace(doc.ref, { data: { z: true } }));
    assert.deepEqual(rep.data, { z: true });
    const del = await root.query<Version>(q.Delete(doc.ref));
    assert.deepEqual(del.data, { z: true });
    assert.equal(await root.query(q.Exists(doc.ref)), false);
    await v4Fails(root, q.Create(q.Ref(q.Collection('widgets'), 'abc'), {}), 'invalid argument', 400,
      "Number or numeric String expected, non-numeric 'abc' provided.");
  });

  it('paginates with size, after and before', async () => {
    await root.query(q.CreateCollection({ name: 'things' }));
    const refs: values.Ref[] = [];
    for (let i = 0; i < 5; i++) refs.push((await root.query<Version>(q.Create(q.Collection('things'), { data: { i } }))).ref);
    const p1 = await root.query<any>(q.Paginate(q.Documents(q.Collection('things')), { size: 2 }));
    assert.deepEqual(p1.data.map(String), refs.slice(0, 2).map(String));
    assert.equal(p1.before, undefined);
    assert.ok(sameRef(p1.after[0], refs[2]));
    const p2 = await root.query<any>(q.Paginate(q.Documents(q.Collection('things')), { size: 2, after: p1.after }));
    assert.deepEqual(p2.data.map(String), refs.slice(2, 4).map(String));
    assert.ok(sameRef(p2.before[0], refs[2]));
    const back = await root.query<any>(q.Paginate(q.Documents(q.Collection('things')), { size: 2, before: p2.before }));
    assert.deepEqual(back.data.map(String), refs.slice(0, 2).map(String));
    const last = await root.query<any>(q.Paginate(q.Documents(q.Collection('things')), { size: 2, before: null }));
    assert.deepEqual(last.data.map(String), refs.slice(3).map(String));
    const colls = await root.query<any>(q.Paginate(q.Collections()));
    assert.deepEqual(colls.data.map(String), ['Collection("things")', 'Collection("widgets")']);
    const mapped = await root.query<any>(q.Map(q.Paginate(q.Documents(q.Collection('things')), { size: 1 }), q.Lambda('r', q.Select(['data', 'i'], q.Get(q.Var('r'))))));
    assert.deepEqual(mapped.data, [0]);
    assert.ok(mapped.after);
  });

  it('matches v4 indexes and enforces unique ones', async () => {
    await root.query(q.CreateCollection({ name: 'people' }));
    const idx = await root.query<Version>(q.CreateIndex({
      name: 'people_by_email', source: q.Collection('people'), terms: [{ field: ['data', 'email'] }], unique: true,
    }));
    assert.equal(idx.ref.toString(), 'Index("people_by_email")');
    assert.equal(idx.active, true);
    const a = await root.query<Version>(q.Create(q.Collection('people'), { data: { email: 'a@x.io', name: 'A' } }));
    await root.query(q.Create(q.Collection('people'), { data: { email: 'b@x.io', name: 'B' } }));
    const found = await root.query<Version>(q.Get(q.Match(q.Index('people_by_email'), 'a@x.io')));
    assert.ok(sameRef(found.ref, a.ref));
    assert.deepEqual(await root.query(q.Paginate(q.Match(q.Index('people_by_email'), 'zz'))), { data: [] });
    await v4Fails(root, q.Create(q.Collection('people'), { data: { email: 'a@x.io' } }), 'instance not unique', 400, 'document is not unique.');
    const byName = await root.query<Version>(q.CreateIndex({
      name: 'people_names', source: q.Collection('people'), values: [{ field: ['data', 'name'] }, { field: ['ref'] }],
    }));
    assert.equal(byName.name, 'people_names');
    const names = await root.query<any>(q.Paginate(q.Match(q.Index('people_names'))));
    assert.deepEqual(names.data.map((p: unknown[]) => p[0]), ['A', 'B']);
    await root.query(q.Update(a.ref, { credentials: { password: 'pw' } }));
    const t = await root.query<Version>(q.Login(q.Match(q.Index('people_by_email'), 'a@x.io'), { password: 'pw' }));
    assert.ok(sameRef(t.instance, a.ref));
  });
});
