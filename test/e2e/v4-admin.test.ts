// FQL v4 administration through the `faunadb@4.8` driver: ping scopes, response metric headers,
// NewId, MoveDatabase and deleting databases that have keys. These are the server-side causes of
// failures of the driver's own suite (faunadb-js test/client.test.js 'ping', 'extract response
// headers from observer'; test/query.test.js 'new_id', 'move database'; every suite's cleanup,
// util.js `Delete(Database(...))`). Expected results and messages: core AdminSpec "ping",
// WriteFunctionsSpec "move_database", model/schema DatabaseSchemaHooks (deleteSiblingKeys).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, query as q } from 'faunadb';
import type { TestServer } from '../helpers/server';
import { V4Clients, v4FailsAt, useV4Server } from './v4-helpers';

describe('v4 administration', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;

  useV4Server((s) => ({ server, clients, root } = s));

  /** An admin client of a fresh database `name` (made by root). */
  const adminOf = async (name: string): Promise<Client> => {
    await root.query(q.CreateDatabase({ name }));
    const key = await root.query<{ secret: string }>(q.CreateKey({ database: q.Database(name), role: 'admin' }));
    return clients.as(key.secret);
  };
  const databases = async (c: Client): Promise<string[]> =>
    (await c.query<{ data: { id: string }[] }>(q.Paginate(q.Databases()))).data.map((r) => r.id);

  it('answers ping for each scope as core does (the driver pings "node")', async () => {
    const ping = async (query: string) => (await fetch(`http://127.0.0.1:${server.port}/ping${query}`)).json();
    assert.equal(await root.ping('node'), 'Scope node is OK');
    assert.deepEqual(await ping(''), { resource: 'Scope write is OK' });
    assert.deepEqual(await ping('?scope=write'), { resource: 'Scope write is OK' });
    assert.deepEqual(await ping('?scope=global'), { resource: 'Scope write is OK' });
    assert.deepEqual(await ping('?scope=read'), { resource: 'Scope read is OK' });
    assert.deepEqual(await ping('?scope=local'), { resource: 'Scope read is OK' });
    assert.deepEqual(await ping('?scope=all'), { resource: 'Scope all is OK' });
    assert.deepEqual(await ping('?scope=foobar'), { resource: 'Scope node is OK' });
  });

  it('sends the legacy x-read-ops and x-write-ops headers beside the byte ops', async () => {
    let headers: Record<string, string> = {};
    const c = new Client({
      secret: 'secret', domain: '127.0.0.1', port: server.port, scheme: 'http',
      observer: (r) => { headers = r.responseHeaders as unknown as Record<string, string>; },
    });
    await c.query(q.CreateCollection({ name: 'metered' }));
    await c.close({ force: true });
    for (const h of ['x-read-ops', 'x-write-ops', 'x-byte-read-ops', 'x-byte-write-ops', 'x-storage-bytes-read', 'x-storage-bytes-write', 'x-query-bytes-in', 'x-query-bytes-out']) {
      assert.match(headers[h] ?? '', /^\d+$/, h);
    }
    assert.equal(headers['x-write-ops'], headers['x-byte-write-ops']);
    assert.equal(headers['x-read-ops'], headers['x-byte-read-ops']);
    assert.ok(Number(headers['x-write-ops']) >= 1);
  });

  it('NewId and NextId answer fresh numeric ids as strings', async () => {
    const [a, b, c] = await root.query<string[]>([q.NewId(), q.NewId(), q.NextId()]);
    for (const id of [a, b, c]) assert.match(id, /^\d+$/);
    assert.equal(new Set([a, b, c]).size, 3);
  });

  it('MoveDatabase moves a database with its data, keys and tokens, and answers it from its new parent', async () => {
    const admin = await adminOf('mv_ok');
    await admin.query(q.Do(q.CreateDatabase({ name: 'db_move', data: { xxx: 'yyy' } }), q.CreateDatabase({ name: 'db_destination' })));
    const key = await admin.query<{ secret: string }>(q.CreateKey({ database: q.Database('db_move'), role: 'server' }));
    const inside = clients.as(key.secret);
    await inside.query(q.CreateCollection({ name: 'users' }));
    const user = await inside.query<{ ref: unknown }>(q.Create(q.Collection('users'), { credentials: { password: 'sekrit' } }));
    const token = await inside.query<{ secret: string }>(q.Login(user.ref as never, { password: 'sekrit' }));

    const moved = await admin.query<{ name: string; data: unknown; ref: unknown }>(q.MoveDatabase(q.Database('db_move'), q.Database('db_destination')));
    assert.equal(moved.name, 'db_move');
    assert.deepEqual(moved.data, { xxx: 'yyy' });
    assert.equal(String(moved.ref), 'Database("db_move", Database("db_destination"))');
    assert.deepEqual(await databases(admin), ['db_destination']);
    assert.deepEqual(await admin.query(q.Exists(q.Database('db_move'))), false);
    assert.deepEqual(await admin.query(q.Exists(q.Database('db_move', q.Database('db_destination')))), true);
    // Its key moved along with it and still opens it; so does the token issued inside it.
    assert.deepEqual(String((await inside.query<{ data: unknown[] }>(q.Paginate(q.Collections()))).data), 'Collection("users")');
    assert.equal(String(await clients.as(token.secret).query(q.CurrentIdentity())), String(user.ref));
    assert.deepEqual((await admin.query<{ data: unknown[] }>(q.Paginate(q.Keys()))).data, []);
    assert.equal((await admin.query<{ data: unknown[] }>(q.Paginate(q.Keys(q.Database('db_destination'))))).data.length, 1);
  });

  it('MoveDatabase refuses what core refuses, with its codes, messages and positions', async () => {
    const admin = await adminOf('mv_bad');
    await admin.query(q.Do(q.CreateDatabase({ name: 'one' }), q.CreateDatabase({ name: 'two' })));
    await v4FailsAt(admin, q.MoveDatabase(q.Database('nope'), q.Database('one')), 'invalid ref', "Ref refers to undefined database 'nope'", ['move_database']);
    await v4FailsAt(admin, q.MoveDatabase(q.Database('one'), q.Database('nope')), 'invalid ref', "Ref refers to undefined database 'nope'", ['to']);
    await v4FailsAt(admin, q.MoveDatabase(q.Database('one'), q.Database('one')), 'move database error',
      "Cannot move database 'one' into parent 'one': Cannot move database from ancestor to descendant.", []);
    const oneAdmin = await admin.query<{ secret: string }>(q.CreateKey({ database: q.Database('one'), role: 'admin' }));
    await clients.as(oneAdmin.secret).query(q.CreateDatabase({ name: 'inner' }));
    await v4FailsAt(admin, q.MoveDatabase(q.Database('one'), q.Database('inner', q.Database('one'))), 'move database error',
      "Cannot move database 'one' into parent 'inner': Cannot move database from ancestor to descendant.", []);
    const twoAdmin = await admin.query<{ secret: string }>(q.CreateKey({ database: q.Database('two'), role: 'admin' }));
    await clients.as(twoAdmin.secret).query(q.CreateDatabase({ name: 'one' }));
    await v4FailsAt(admin, q.MoveDatabase(q.Database('one'), q.Database('two')), 'instance already exists', 'Database already exists.', []);
    for (const role of ['server', 'client']) {
      const k = await admin.query<{ secret: string }>(q.CreateKey({ role }));
      await v4FailsAt(clients.as(k.secret), q.MoveDatabase(q.Database('one'), q.Database('two')), 'permission denied',
        'Insufficient privileges to perform the action.', []);
    }
    assert.deepEqual(await databases(admin), ['one', 'two']);
  });

  it('Create(Ref(Keys(), id)) makes a key with a chosen id (faunadb-js "recursive refs")', async () => {
    const admin = await adminOf('key_ids');
    await admin.query(q.CreateDatabase({ name: 'a_db' }));
    const key = await admin.query<{ ref: unknown; secret: string; role: string }>(
      q.Create(q.Ref('keys/123'), { database: q.Database('a_db'), role: 'server' }));
    assert.equal(String(key.ref), 'Ref(Keys(), "123")');
    assert.equal(key.role, 'server');
    assert.deepEqual(await clients.as(key.secret).query(q.Paginate(q.Collections())), { data: [] });
    assert.equal(String((await admin.query<{ data: unknown[] }>(q.Paginate(q.Keys()))).data), 'Ref(Keys(), "123")');
    await v4FailsAt(admin, q.Create(q.Ref('keys/123'), { role: 'server' }), 'instance already exists', 'Document already exists.', []);
  });

  it('deleting a database deletes the keys its parent holds for it', async () => {
    const admin = await adminOf('del_keys');
    await admin.query(q.CreateDatabase({ name: 'gone' }));
    const key = await admin.query<{ secret: string; ref: unknown }>(q.CreateKey({ database: q.Database('gone'), role: 'admin' }));
    await admin.query(q.Delete(q.Database('gone')));
    assert.deepEqual(await admin.query(q.Exists(key.ref as never)), false);
    await admin.query(q.CreateDatabase({ name: 'gone' }));
    await assert.rejects(clients.as(key.secret).query(q.Paginate(q.Collections())), { name: 'Unauthorized' });
  });
});
