// Keys, built-in roles, child databases and scoped secrets (in-process, real SQLite store).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newService, ROOT, type TestService } from './service';

describe('keys', () => {
  let svc: TestService;
  before(async () => {
    svc = await newService();
    await svc.data(ROOT, 'Collection.create({ name: "Movie" })');
    await svc.data(ROOT, 'Movie.create({ id: "1", title: "Alien" })');
  });
  after(async () => { await svc.close(); });

  const keyFor = async (role: string, extra = '') => (await svc.data(ROOT, `Key.create({ role: "${role}"${extra} })`)).secret as string;

  it('returns the secret once and stores only a hash', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "server", data: { app: "web" } })');
    assert.match(key.secret, /^fn/);
    assert.equal(key.role, 'server');
    assert.deepEqual(key.data, { app: 'web' });
    const again = await svc.data(ROOT, `Key.byId("${key.id}")`);
    assert.equal(again.secret, undefined);
    assert.equal(again.hashed_secret, undefined);
    assert.equal(await svc.data(ROOT, `Key.byId("${key.id}")!.hashed_secret`), null);
    assert.equal(await svc.data(key.secret, 'Movie.byId("1")!.title'), 'Alien');
    const all = await svc.data(ROOT, 'Key.all().map(.id).toArray()');
    assert.ok(all.includes(key.id));
  });

  it('rejects an unknown role', async () => {
    const r = await svc.run(ROOT, 'Key.create({ role: "Nobody" })');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'constraint_failure');
  });

  it('a deleted key gets 401 at once', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "admin" })');
    assert.equal(await svc.data(key.secret, '1 + 1'), 2);
    await svc.data(ROOT, `Key.byId("${key.id}")!.delete()`);
    const r = await svc.run(key.secret, '1 + 1');
    assert.deepEqual(r, { ok: false, status: 401, code: 'unauthorized', message: 'Access token required' });
  });

  it('an expired key gets 401', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "admin", ttl: Time.now().add(1, "second") })');
    assert.equal(await svc.data(key.secret, '1'), 1);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await svc.run(key.secret, '1') as { status: number }).status, 401);
  });

  it('unknown and malformed secrets get 401', async () => {
    assert.equal((await svc.run('fnNoSuchSecret', '1') as { status: number }).status, 401);
    assert.equal((await svc.run('secret:admin2', '1') as { status: number }).status, 401);
  });

  it('key update keeps the secret working; replace too', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "server" })');
    await svc.data(ROOT, `Key.byId("${key.id}")!.update({ data: { note: "x" }, hashed_secret: "forged" })`);
    assert.equal(await svc.data(key.secret, '1'), 1);
    await svc.data(ROOT, `Key.byId("${key.id}")!.replace({ role: "server-readonly" })`);
    const denied = await svc.run(key.secret, 'Movie.create({ title: "x" })');
    assert.equal(!denied.ok && denied.code, 'permission_denied');
  });

  it('server keys cannot touch keys, roles or databases', async () => {
    const server = await keyFor('server');
    for (const q of ['Key.create({ role: "admin" })', 'Role.create({ name: "R" })', 'Database.create({ name: "d" })']) {
      const r = await svc.run(server, q);
      assert.deepEqual(r, { ok: false, status: 400, code: 'permission_denied', message: 'Insufficient privileges to perform the action.' }, q);
    }
    assert.deepEqual(await svc.data(server, 'Key.all().toArray()'), []);
    // ...but can manage collections, functions and documents.
    await svc.data(server, 'Collection.create({ name: "ServerMade" })');
    await svc.data(server, 'Function.create({ name: "TimesTwo", body: "(x) => x * 2" })');
    assert.equal(await svc.data(server, 'TimesTwo(21)'), 42);
    assert.equal(await svc.data(server, 'ServerMade.create({ a: 1 }).a'), 1);
  });

  it('server-readonly reads but never writes; client does nothing', async () => {
    const ro = await keyFor('server-readonly');
    assert.equal(await svc.data(ro, 'Movie.byId("1")!.title'), 'Alien');
    for (const q of ['Movie.create({ title: "x" })', 'Movie.byId("1")!.update({ title: "y" })', 'Collection.create({ name: "RoMade" })']) {
      const r = await svc.run(ro, q);
      assert.equal(!r.ok && r.code, 'permission_denied', q);
    }
    const client = await keyFor('client');
    assert.deepEqual(await svc.data(client, 'Movie.all().toArray()'), []);
  });
});

describe('databases and scoped secrets', () => {
  let svc: TestService;
  before(async () => { svc = await newService(); });
  after(async () => { await svc.close(); });

  it('child databases are isolated namespaces', async () => {
    const db = await svc.data(ROOT, 'Database.create({ name: "child", data: { env: "test" } })');
    assert.equal(db.name, 'child');
    assert.deepEqual(db.data, { env: 'test' });
    await svc.data(ROOT, 'Collection.create({ name: "Thing" })');
    await svc.data(ROOT, 'Thing.create({ where: "root" })');
    await svc.data('secret:child:admin', 'Collection.create({ name: "Thing" })');
    await svc.data('secret:child:admin', 'Thing.create({ where: "child" })');
    assert.deepEqual(await svc.data(ROOT, 'Thing.all().map(.where).toArray()'), ['root']);
    assert.deepEqual(await svc.data('secret:child:admin', 'Thing.all().map(.where).toArray()'), ['child']);
    assert.deepEqual(await svc.data(ROOT, 'Database.all().map(.name).toArray()'), ['child']);
    assert.deepEqual(await svc.data('secret:child:admin', 'Database.all().toArray()'), []);
  });

  it('keys created for a child database act in that database', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "admin", database: "child" })');
    assert.equal(key.database, 'child');
    assert.deepEqual(await svc.data(key.secret, 'Thing.all().map(.where).toArray()'), ['child']);
    // The key lives in the parent.
    assert.ok((await svc.data(ROOT, 'Key.all().map(.id).toArray()')).includes(key.id));
    assert.deepEqual(await svc.data('secret:child:admin', 'Key.all().toArray()'), []);
    const missing = await svc.run(ROOT, 'Key.create({ role: "admin", database: "nope" })');
    assert.equal(!missing.ok && missing.code, 'constraint_failure');
  });

  it('nested databases resolve path by path', async () => {
    await svc.data('secret:child:admin', 'Database.create({ name: "grand" })');
    await svc.data('secret:child/grand:admin', 'Collection.create({ name: "Deep" })');
    assert.deepEqual(await svc.data('secret:child/grand:admin', 'Collection.all().map(.name).toArray()'), ['Deep']);
    const childAdmin = (await svc.data(ROOT, 'Key.create({ role: "admin", database: "child" })')).secret;
    assert.deepEqual(await svc.data(`${childAdmin}:grand:admin`, 'Collection.all().map(.name).toArray()'), ['Deep']);
    assert.equal((await svc.run('secret:child/nope:admin', '1') as { status: number }).status, 401);
  });

  it('only admin keys and root may choose a scope', async () => {
    const admin = (await svc.data(ROOT, 'Key.create({ role: "admin" })')).secret;
    const server = (await svc.data(ROOT, 'Key.create({ role: "server" })')).secret;
    assert.equal(await svc.data(`${admin}:child:server`, '1'), 1);
    const scopedServer = await svc.run(`${admin}:child:server`, 'Key.create({ role: "admin" })');
    assert.equal(!scopedServer.ok && scopedServer.code, 'permission_denied');
    assert.equal((await svc.run(`${server}:child:admin`, '1') as { status: number }).status, 401);
    assert.equal((await svc.run(`${server}:admin`, '1') as { status: number }).status, 401);
    assert.equal(await svc.data(`${admin}:server-readonly`, '1'), 1);
  });

  it('@role and @doc scopes', async () => {
    await svc.data(ROOT, 'Collection.create({ name: "User" })');
    await svc.data(ROOT, 'User.create({ id: "7", name: "u" })');
    await svc.data(ROOT, `Role.create({ name: "ThingReader", privileges: [{ resource: "Thing", actions: { read: true } }] })`);
    assert.deepEqual(await svc.data('secret:@role/ThingReader', 'Thing.all().map(.where).toArray()'), ['root']);
    const denied = await svc.run('secret:@role/ThingReader', 'Thing.create({})');
    assert.equal(!denied.ok && denied.code, 'permission_denied');
    assert.equal((await svc.run('secret:@role/Missing', '1') as { status: number }).status, 401);
    assert.equal(await svc.data('secret:@doc/User/7', 'Query.identity() == User.byId("7")'), true);
    assert.equal(await svc.data('secret:@doc/User/7', 'Query.token()'), null);
    assert.equal((await svc.run('secret:@doc/User/8', '1') as { status: number }).status, 401);
    assert.equal((await svc.run('secret:@doc/Key/1', '1') as { status: number }).status, 401);
  });

  it('deleting a database deletes its contents and its children', async () => {
    const key = await svc.data(ROOT, 'Key.create({ role: "admin", database: "child" })');
    // The delete takes the keys bound to the database along (core DatabaseSchemaHooks
    // deleteSiblingKeys), so the Key FK check (ForeignKey Src("name") → Key "database") passes.
    await svc.data(ROOT, 'Database.byName("child")!.delete()');
    assert.deepEqual(await svc.data(ROOT, `Key.byId("${key.id}").exists()`), false);
    assert.equal((await svc.run(key.secret, '1') as { status: number }).status, 401);
    assert.equal((await svc.run('secret:child:admin', '1') as { status: number }).status, 401);
    await svc.data(ROOT, 'Database.create({ name: "child" })');
    assert.deepEqual(await svc.data('secret:child:admin', 'Collection.all().toArray()'), []);
    assert.deepEqual(await svc.data('secret:child:admin', 'Database.all().toArray()'), []);
  });
});
