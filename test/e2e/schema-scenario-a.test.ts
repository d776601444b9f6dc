// Scenario A (seed-scenarios.md) with its schema pushed as FSL through the schema API (staged,
// then committed) to a child database, then its key, registration, login and logout steps
// through the driver. The definitions match those the same schema creates through FQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Document, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, PERMISSION_DENIED, data, fails } from './identity-helpers';
import { SCENARIO_A_FSL, SchemaApi } from './schema-fixtures';

const EMAIL = 'alice@example.com';
const PASSWORD = 'pass123456';

/** The definitions of one kind, with the fields scenario A sets (no timestamps). */
const definitions = (client: Client, module: 'Collection' | 'Role') => data<Record<string, unknown>[]>(client, module === 'Collection'
  ? fql`Collection.all().toArray().map(c => { name: c.name, history_days: c.history_days, indexes: c.indexes, constraints: c.constraints })`
  : fql`Role.all().toArray().map(r => { name: r.name, privileges: r.privileges, membership: r.membership })`);

describe('scenario A with its schema pushed as FSL', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;
  let keyClient: Client;
  let tokenSecret: string;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    await data(clients.as('secret'), fql`Database.create({ name: "fsl_app" })`);
    await data(clients.as('secret'), fql`Database.create({ name: "fql_app" })`);
    admin = clients.as('secret:fsl_app:admin');
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  it('stages and commits the schema', async () => {
    const api = new SchemaApi(server.url, 'secret:fsl_app:admin');
    assert.equal((await api.push({ 'main.fsl': SCENARIO_A_FSL }, true)).status, 200);
    assert.equal((await api.request('GET', '/staged/status')).body.status, 'ready');
    assert.equal((await api.request('POST', '/staged/commit', { force: 'true' })).status, 200);
    assert.deepEqual(await data(admin, fql`Collection.all().map(.name).toArray()`), ['Account', 'Movie']);
    assert.deepEqual(await data(admin, fql`Function.all().map(.name).toArray()`), ['UserLogin', 'UserLogout', 'UserRegistration']);
  });

  it('defines the same collections and roles as the FQL of the scenario', async () => {
    const fqlAdmin = clients.as('secret:fql_app:admin');
    await data(fqlAdmin, fql`Collection.create({
      name: "Account", history_days: 0,
      indexes: { byEmail: { terms: [{ field: ".email" }] } },
      constraints: [{ unique: [{ field: ".email" }] }]
    })`);
    await data(fqlAdmin, fql`Collection.create({ name: "Movie", history_days: 0 })`);
    // The roles name these functions: they must exist (core SchemaTypeValidator), bodies aside.
    await data(fqlAdmin, fql`["UserRegistration", "UserLogin", "UserLogout"].forEach(n => Function.create({ name: n, body: "() => null" }))`);
    await data(fqlAdmin, fql`Role.create({ name: "UnAuthRole", privileges: [
      { resource: "UserRegistration", actions: { call: true } },
      { resource: "UserLogin", actions: { call: true } },
      { resource: "Account", actions: { create: true, read: true } },
      { resource: "Credential", actions: { create: true, read: true } },
      { resource: "Token", actions: { create: true } }
    ] })`);
    await data(fqlAdmin, fql`Role.create({ name: "AuthRole", membership: [{ resource: "Account" }], privileges: [
      { resource: "Movie", actions: { read: true } },
      { resource: "UserLogout", actions: { call: true } }
    ] })`);
    assert.deepEqual(await definitions(admin, 'Collection'), await definitions(fqlAdmin, 'Collection'));
    assert.deepEqual(await definitions(admin, 'Role'), await definitions(fqlAdmin, 'Role'));
  });

  it('1-2. admin creates a key for UnAuthRole and three movies', async () => {
    const key = await data<Document & { secret: string }>(admin, fql`Key.create({ role: "UnAuthRole" })`);
    assert.match(key.secret, /^fn/);
    keyClient = clients.as(key.secret);
    await data(admin, fql`[
      Movie.create({ title: "Alien", director: "Ridley Scott", release: 1979 }),
      Movie.create({ title: "Heat", director: "Michael Mann", release: 1995 }),
      Movie.create({ title: "Up", director: "Pete Docter", release: 2009 })
    ]`);
  });

  it('3-4. the key registers a user once; a second registration fails and creates nothing', async () => {
    const cred = await data<Document>(keyClient, fql`UserRegistration(${EMAIL}, ${PASSWORD})`);
    assert.equal(cred.coll.name, 'Credential');
    await fails(keyClient, fql`UserRegistration(${EMAIL}, "other-password")`, 'constraint_failure');
    assert.equal(await data(admin, fql`Account.all().count()`), 1);
    assert.equal(await data(admin, fql`Credential.all().count()`), 1);
  });

  it('5-6. the key logs in, and may do nothing else', async () => {
    const token = await data<Document & { secret: string }>(keyClient, fql`UserLogin(${EMAIL}, ${PASSWORD})`);
    assert.equal(token.coll.name, 'Token');
    tokenSecret = token.secret;
    await fails(keyClient, fql`UserLogin(${EMAIL}, "wrong-password")`, 'invalid_secret');
    assert.deepEqual((await data<{ data: unknown[] }>(keyClient, fql`Movie.all()`)).data, []);
    const denied = await fails(keyClient, fql`Movie.create({ title: "Nope" })`, 'permission_denied');
    assert.equal(denied.message, PERMISSION_DENIED);
  });

  it('8-9. the token reads the movies as its Account, cannot write, and logs out', async () => {
    const user = clients.as(tokenSecret);
    const movies = (await data<{ data: { title: string }[] }>(user, fql`Movie.all()`)).data;
    assert.deepEqual(movies.map((m) => m.title).sort(), ['Alien', 'Heat', 'Up']);
    // The role may not read Account, so its index is closed to the token (core
    // checkReadCollectionPermission): compare the identity's id with the admin's lookup.
    const accountId = await data<string>(admin, fql`Account.byEmail(${EMAIL}).first()!.id`);
    assert.equal(await data(user, fql`Query.identity().id == ${accountId}`), true);
    await fails(user, fql`Movie.create({ title: "Mine" })`, 'permission_denied');
    await data(user, fql`UserLogout()`);
    await fails(user, fql`Movie.all()`, 'unauthorized', 401);
  });
});
