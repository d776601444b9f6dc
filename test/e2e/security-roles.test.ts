// Who may assign which role (issue 9): Fauna's rules, end to end through the `fauna` driver,
// the v4 `faunadb` driver and the schema API over fetch, each refusal shown to change nothing.
//   - core SchemaCollection.scala (UserFunction's `FunctionPermissionsValidation` hook) and
//     FQL2UserFunctionSpec.scala ("cannot assign admin privileges with the server role"): a
//     caller with the built-in server role may not create a function with role admin, nor change
//     a function's role to admin; a no-op update is fine.
//   - core Permissions.scala (`AbstractServerPermissions.RootClassIDs`): server and
//     server-readonly callers may not write keys or roles at all, whatever role they name.
//   - core SchemaEndpoint.scala: 401 without a secret, 403 "Access denied" unless the caller may
//     read schema (admin, server, server-readonly), and only admin may write it (update, commit,
//     abandon); a diff evaluates pushed FQL with the caller's permissions, never as admin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fql } from 'fauna';
import { type Client as V4Client, query as q } from 'faunadb';
import type { TestServer } from '../helpers/server';
import { Clients, appDatabase, PERMISSION_DENIED, data, fails } from './identity-helpers';
import { SchemaApi } from './schema-fixtures';
import { V4Clients, v4Fails } from './v4-helpers';

const CREATE_ADMIN = 'Cannot create a function with admin permissions using the server role.';
const GRANT_ADMIN = 'Cannot grant a function admin permissions using the server role.';
const ACCESS_DENIED = { error: { message: 'Access denied' } };
/** The body of the escalation: an admin key's secret, if it ran as admin. */
const MINT_ADMIN_KEY = "() => Key.create({ role: 'admin' }).secret";

describe('security: who may assign which role', () => {
  let server: TestServer;
  let clients: Clients;
  let v4: V4Clients;
  let admin: Client;
  let serverKey: Client;
  let readonlyKey: Client;
  let clientKey: Client;
  const secrets: Record<'server' | 'readonly' | 'client' | 'role', string> = { server: '', readonly: '', client: '', role: '' };

  const keyCount = () => data<number>(admin, fql`Key.all().count()`);
  const functionExists = (name: string) => data<boolean>(admin, fql`Function.byName(${name}).exists()`);

  before(async () => {
    ({ server, clients, admin } = await appDatabase());
    v4 = new V4Clients(server);
    await data(admin, fql`Database.create({ name: "child" })`);
    await data(admin, fql`Collection.create({ name: "Item" })`);
    await data(admin, fql`Item.create({ a: 1 })`);
    await data(admin, fql`Role.create({ name: "Reader", privileges: { resource: "Item", actions: { read: true } } })`);
    const key = async (role: string) => (await data<{ secret: string }>(admin, fql`Key.create({ role: ${role}, data: { note: "topsecret" } })`)).secret;
    secrets.server = await key('server');
    secrets.readonly = await key('server-readonly');
    secrets.client = await key('client');
    secrets.role = await key('Reader');
    serverKey = clients.as(secrets.server);
    readonlyKey = clients.as(secrets.readonly);
    clientKey = clients.as(secrets.client);
  });
  after(async () => {
    clients.close();
    await v4.close();
    await server.dispose();
  });

  describe('functions (core SchemaCollection.scala FunctionPermissionsValidation)', () => {
    it('a server key may not create a function that runs as admin: the Esc reproduction is refused', async () => {
      const keys = await keyCount();
      const e = await fails(serverKey, fql`Function.create({ name: "Esc", role: "admin", body: ${MINT_ADMIN_KEY} }); Esc()`, 'constraint_failure');
      assert.equal(e.message, 'Failed to create Function.');
      assert.deepEqual(e.constraint_failures, [{ paths: [['role']], message: CREATE_ADMIN }]);
      assert.equal(await functionExists('Esc'), false);
      assert.equal(await keyCount(), keys);
    });

    it('a server key may not change a function to run as admin: the definition.update reproduction is refused', async () => {
      await data(serverKey, fql`Function.create({ name: "Fn", body: ${MINT_ADMIN_KEY} })`);
      const keys = await keyCount();
      const e = await fails(serverKey, fql`Fn.definition.update({ role: "admin" })`, 'constraint_failure');
      assert.equal(e.message, 'Failed to update Function `Fn`.');
      assert.deepEqual(e.constraint_failures, [{ paths: [['role']], message: GRANT_ADMIN }]);
      assert.equal(await data(admin, fql`Fn.definition.role`), null);
      // Fn still runs with its caller's permissions: a server key may not create keys.
      const denied = await fails(serverKey, fql`Fn()`, 'permission_denied');
      assert.equal(denied.message, PERMISSION_DENIED);
      assert.equal(await keyCount(), keys);
    });

    it('nor through definition.replace', async () => {
      const e = await fails(serverKey, fql`Fn.definition.replace({ name: "Fn", body: ${MINT_ADMIN_KEY}, role: "admin" })`, 'constraint_failure');
      assert.equal(e.message, 'Failed to update Function `Fn`.');
      assert.deepEqual(e.constraint_failures, [{ paths: [['role']], message: GRANT_ADMIN }]);
      assert.equal(await data(admin, fql`Fn.definition.role`), null);
    });

    it('nor from inside a function that runs as server, even when admin calls it', async () => {
      await data(admin, fql`Function.create({ name: "AsServer", role: "server", body: "() => Function.create({ name: 'Inner', role: 'admin', body: '() => 1' })" })`);
      const e = await fails(admin, fql`AsServer()`, 'constraint_failure');
      assert.equal(e.message, 'Failed to create Function.');
      assert.deepEqual(e.constraint_failures, [{ paths: [['role']], message: CREATE_ADMIN }]);
      assert.equal(await functionExists('Inner'), false);
    });

    it('a server key may give functions the server role or a user role, and keep admin on a no-op update', async () => {
      assert.equal(await data(serverKey, fql`Function.create({ name: "Yes", body: "_ => 0", role: "server" }).role`), 'server');
      assert.equal(await data(serverKey, fql`Yes.definition.update({ role: "Reader" }).role`), 'Reader');
      await data(admin, fql`Function.create({ name: "Meh", body: "_ => 0", role: "admin" })`);
      assert.equal(await data(serverKey, fql`Meh.definition.update({ role: "admin" }).role`), 'admin');
    });

    it('admin may create and grant functions the admin role', async () => {
      assert.equal(await data(admin, fql`Function.create({ name: "ByAdmin", body: "_ => 0", role: "admin" }).role`), 'admin');
      assert.equal(await data(admin, fql`Yes.definition.update({ role: "admin" }).role`), 'admin');
    });

    it('a function may name any built-in role, client included, or a Role that exists (FQL2UserFunctionSpec "can refer to builtin roles", "validates role name")', async () => {
      for (const role of ['admin', 'server', 'server-readonly', 'client']) {
        const name = `Builtin_${role.replace('-', '_')}`;
        assert.equal(await data(admin, fql`Function.create({ name: ${name}, body: "() => 1", role: ${role} }).role`), role);
      }
      assert.equal(await data(admin, fql`Builtin_client()`), 1);
      const e = await fails(admin, fql`Function.create({ name: "Nobody", body: "() => 1", role: "nobody" })`, 'constraint_failure');
      assert.equal(e.message, 'Failed to create Function.');
      assert.deepEqual(e.constraint_failures, [{ paths: [['role']], message: 'Field refers to an unknown role name `nobody`.' }]);
      assert.equal(await functionExists('Nobody'), false);
      // Leave the schema as the schema API tests below expect it.
      await data(admin, fql`Function.all().where(f => f.name.startsWith("Builtin_")).forEach(f => f.delete())`);
    });

    it('server-readonly, client and user-role keys may not write functions at all', async () => {
      for (const c of [readonlyKey, clientKey, clients.as(secrets.role)]) {
        const e = await fails(c, fql`Function.create({ name: "Esc", role: "admin", body: ${MINT_ADMIN_KEY} })`, 'permission_denied');
        assert.equal(e.message, PERMISSION_DENIED);
      }
      assert.equal(await functionExists('Esc'), false);
    });
  });

  describe('keys and roles (core Permissions.scala RootClassIDs)', () => {
    it('a server or server-readonly key may not create a key, whatever its role or database', async () => {
      const keys = await keyCount();
      for (const c of [serverKey, readonlyKey]) {
        for (const q10 of [fql`Key.create({ role: "admin" })`, fql`Key.create({ role: "server" })`, fql`Key.create({ role: "admin", database: "child" })`]) {
          assert.equal((await fails(c, q10, 'permission_denied')).message, PERMISSION_DENIED);
        }
      }
      assert.equal(await keyCount(), keys);
    });

    it('a server key may not change a key\'s role', async () => {
      const id = await data<string>(admin, fql`Key.create({ role: "server" }).id`);
      const e = await fails(serverKey, fql`Key.byId(${id}).update({ role: "admin" })`, 'permission_denied');
      assert.equal(e.message, PERMISSION_DENIED);
      assert.equal(await data(admin, fql`Key.byId(${id})!.role`), 'server');
    });

    it('a server key may not create or change roles', async () => {
      const create = await fails(serverKey, fql`Role.create({ name: "Minter", privileges: { resource: "Key", actions: { create: true } } })`, 'permission_denied');
      assert.equal(create.message, PERMISSION_DENIED);
      assert.equal(await data(admin, fql`Role.byName("Minter").exists()`), false);
      const update = await fails(serverKey, fql`Role.byName("Reader").update({ privileges: { resource: "Key", actions: { create: true } } })`, 'permission_denied');
      assert.equal(update.message, PERMISSION_DENIED);
      assert.deepEqual(await data(admin, fql`Role.byName("Reader")!.privileges`), { resource: 'Item', actions: { read: true } });
    });

    it('FQL v4: a server key may not CreateKey nor Update a key to admin', async () => {
      const keys = await keyCount();
      const v4Server: V4Client = v4.as(secrets.server);
      await v4Fails(v4Server, q.CreateKey({ role: 'admin' }), 'permission denied', 403, PERMISSION_DENIED);
      await v4Fails(v4Server, q.CreateKey({ role: 'admin', database: q.Database('child') }), 'permission denied', 403, PERMISSION_DENIED);
      const id = await data<string>(admin, fql`Key.create({ role: "server" }).id`);
      await v4Fails(v4Server, q.Update(q.Ref(q.Keys(), id), { role: 'admin' }), 'permission denied', 403, PERMISSION_DENIED);
      assert.equal(await data(admin, fql`Key.byId(${id})!.role`), 'server');
      assert.equal(await keyCount(), keys + 1);
    });
  });

  describe('schema API (core SchemaEndpoint.scala)', () => {
    const ADMIN_FN = '@role(admin)\nfunction Esc() {\n  Key.create({ role: "admin" }).secret\n}\n';

    it('a server key may not push a function that runs as admin, active or staged', async () => {
      const api = new SchemaApi(server.url, secrets.server);
      assert.deepEqual(await api.push({ 'main.fsl': ADMIN_FN }, false), { status: 403, body: ACCESS_DENIED });
      assert.deepEqual(await api.push({ 'main.fsl': ADMIN_FN }, true), { status: 403, body: ACCESS_DENIED });
      assert.equal(await functionExists('Esc'), false);
      assert.deepEqual((await api.request('GET', '/staged/status')).body.status, 'none');
    });

    it('a server key may not commit or abandon a staged schema', async () => {
      const adminApi = new SchemaApi(server.url, 'secret:app:admin');
      const current = (await adminApi.request('GET', '/files')).body.files!;
      const files: Record<string, string> = {};
      for (const f of current) files[f.filename] = (await adminApi.file(f.filename))!;
      files['esc.fsl'] = ADMIN_FN;
      assert.equal((await adminApi.push(files, true)).status, 200);
      const api = new SchemaApi(server.url, secrets.server);
      assert.deepEqual(await api.request('POST', '/staged/commit', { force: 'true' }), { status: 403, body: ACCESS_DENIED });
      assert.deepEqual(await api.request('POST', '/staged/abandon', { force: 'true' }), { status: 403, body: ACCESS_DENIED });
      assert.equal((await api.request('GET', '/staged/status')).body.status, 'ready');
      assert.equal(await functionExists('Esc'), false);
      assert.equal((await adminApi.request('POST', '/staged/abandon', { force: 'true' })).status, 200);
    });

    it('a diff runs pushed FQL with the caller\'s permissions: a server-readonly key sees no keys', async () => {
      // The migration's backfill reads every key's data and puts it in an error message while
      // the diff applies it to Item's document. As admin that would print the keys' data. (An
      // indexed computed field no longer can: it runs without database access, finding 8.)
      const leak = 'collection Item {\n  a: Number\n  leak: Time\n  migrations {\n    add .leak\n'
        + '    backfill .leak = Time(Key.all().toArray().map(k => k.data).toString())\n  }\n}\n'
        + 'role Reader {\n  privileges Item {\n    read\n  }\n}\n';
      const asAdmin = await new SchemaApi(server.url, 'secret:app:admin').diff({ 'main.fsl': leak });
      assert.equal(asAdmin.status, 400);
      assert.match(asAdmin.body.error!.message, /topsecret/);
      for (const secret of [secrets.readonly, secrets.server]) {
        for (const path of ['/diff', '/validate']) {
          const reply = await new SchemaApi(server.url, secret).request('POST', path, { force: 'true' }, { 'main.fsl': leak });
          assert.deepEqual(reply, {
            status: 400,
            body: { error: { message: 'error: `[]` is not a valid time.\nat main.fsl:1:12\n  |\n1 | collection Item {\n  |            ^^^^\n  |' } },
          });
        }
      }
      // Nothing changed: the diff is rolled back.
      assert.equal(await data(admin, fql`Item.definition.migrations`), null);
    });

    it('a diff checks schema writes made by the pushed FQL: a server key cannot create an admin function in a backfill', async () => {
      // Found by probing (session 16): a dry run let every schema write in its transaction go
      // unchecked, the backfill's own included. A server key created a function with role admin
      // there, called it and read every key's data through the error message. Core
      // SchemaCollection.scala FunctionPermissionsValidation refuses that create from a server
      // caller in any query; the backfill is FQL the caller wrote.
      const body = "_ => Key.all().map(k => Object.fromEntries([['data', k.data]])).toArray()";
      const escalate = 'collection Item {\n  a: Number\n  zz: String?\n  migrations {\n    add .zz\n'
        + `    backfill .zz = if (Function.create({ name: "Lk", role: "admin", body: "${body}" }) != null) Time(Lk(0).toString()) else null\n`
        + '  }\n}\nrole Reader {\n  privileges Item {\n    read\n  }\n}\n';
      const asAdmin = await new SchemaApi(server.url, 'secret:app:admin').diff({ 'main.fsl': escalate });
      assert.equal(asAdmin.status, 400);
      assert.match(asAdmin.body.error!.message, /topsecret/, 'the same FSL as admin does reach the keys (the probe works)');
      for (const path of ['/diff', '/validate']) {
        const reply = await new SchemaApi(server.url, secrets.server).request('POST', path, { force: 'true' }, { 'main.fsl': escalate });
        assert.equal(reply.status, 400);
        assert.doesNotMatch(reply.body.error!.message, /topsecret/);
        assert.match(reply.body.error!.message, /^error: Failed to create Function\.\nconstraint failures:\n  role: Cannot create a function with admin permissions using the server role\./);
      }
      assert.equal(await functionExists('Lk'), false);
      // A role created in a backfill is refused to a server key too.
      const role = 'collection Item {\n  a: Number\n  zz: String?\n  migrations {\n    add .zz\n'
        + '    backfill .zz = if (Role.create({ name: "Sneaky" }) != null) "x" else null\n'
        + '  }\n}\nrole Reader {\n  privileges Item {\n    read\n  }\n}\n';
      const refused = await new SchemaApi(server.url, secrets.server).request('POST', '/diff', { force: 'true' }, { 'main.fsl': role });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error!.message, /^error: Insufficient privileges to perform the action\./);
    });

    it('a server-readonly key may diff a schema that a push by it would be refused', async () => {
      const api = new SchemaApi(server.url, secrets.readonly);
      const reply = await api.diff({ 'esc.fsl': ADMIN_FN }, { override: 'false' });
      assert.equal(reply.status, 200);
      assert.match(reply.body.diff!, /Adding function `Esc`/);
      assert.deepEqual(await api.push({ 'esc.fsl': ADMIN_FN }, false), { status: 403, body: ACCESS_DENIED });
      assert.equal(await functionExists('Esc'), false);
    });

    it('a function\'s built-in role survives the schema API round trip, server-readonly included', async () => {
      const adminApi = new SchemaApi(server.url, 'secret:app:admin');
      await data(admin, fql`Function.create({ name: "ReadOnlyFn", body: "() => 1", role: "server-readonly" })`);
      const file = (await adminApi.request('GET', '/files')).body.files!.map((f) => f.filename)[0];
      const content = (await adminApi.file(file))!;
      assert.match(content, /@role\("server-readonly"\)\nfunction ReadOnlyFn\(\) \{/);
      // Pushing the files back unchanged changes nothing and keeps the role.
      assert.deepEqual(await adminApi.diff({ [file]: content }), { status: 200, body: { version: (await adminApi.request('GET', '/files')).body.version, diff: '' } });
      assert.equal((await adminApi.push({ [file]: content }, false)).status, 200);
      assert.equal(await data(admin, fql`ReadOnlyFn.definition.role`), 'server-readonly');
      await data(admin, fql`ReadOnlyFn.definition.delete()`);
    });

    it('client and user-role keys may not read schema; 401 and 403 come before 404 and 405', async () => {
      for (const secret of [secrets.client, secrets.role]) {
        const api = new SchemaApi(server.url, secret);
        assert.deepEqual(await api.request('GET', '/files'), { status: 403, body: ACCESS_DENIED });
        assert.deepEqual(await api.diff({ 'main.fsl': ADMIN_FN }), { status: 403, body: ACCESS_DENIED });
        assert.deepEqual(await api.request('GET', '/nothing'), { status: 403, body: ACCESS_DENIED });
        assert.deepEqual(await api.request('GET', '/update'), { status: 403, body: ACCESS_DENIED });
      }
      const anonymous = await fetch(`${server.url}/schema/1/nothing`);
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), { error: { message: 'Access token required' } });
      const readonly = new SchemaApi(server.url, secrets.readonly);
      assert.deepEqual(await readonly.request('GET', '/nothing'), { status: 404, body: { error: { message: 'Not found' } } });
      assert.deepEqual(await readonly.request('GET', '/update'), { status: 405, body: { error: { message: 'Method not allowed' } } });
    });
  });
});
