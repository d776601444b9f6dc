// Scenario B of seed-scenarios.md through the legacy `faunadb@4.8` driver: every example of
// Fauna's v4 `Credentials()` reference page (steps 1–5), with the shapes the page shows, and
// the identity functions of fql-v4.md §2 — one storage shared with the v10 `fauna` driver.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '@node-rs/bcrypt';
import { type Client, query as q, values } from 'faunadb';
import { Client as V10Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { V4Clients, errorsOf, sameRef, v4Fails } from './v4-helpers';

type Version = Record<string, any> & { ref: values.Ref; ts: number };

const EMAIL = 'me@example.com';

describe('v4 Credentials() (scenario B)', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;
  let user: Version;

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    root = clients.as('secret');
    await root.query(q.CreateCollection({ name: 'users' }));
  });
  after(async () => {
    await clients.close();
    await server.dispose();
  });

  it('step 1: Create with credentials returns the document without them and stores a bcrypt hash', async () => {
    user = await root.query<Version>(q.Create(q.Collection('users'), {
      credentials: { password: 'abc123' },
      data: { email: EMAIL },
    }));
    assert.equal(clients.lastStatus, 201);
    assert.deepEqual(Object.keys(user), ['ref', 'ts', 'data']);
    assert.equal(user.ref.toString(), `Ref(Collection("users"), "${user.ref.id}")`);
    assert.match(user.ref.id, /^\d+$/);
    assert.equal(typeof user.ts, 'number');
    assert.deepEqual(user.data, { email: EMAIL });

    const creds = await root.query<{ data: Version[] }>(q.Map(q.Paginate(q.Credentials()), q.Lambda('x', q.Get(q.Var('x')))));
    assert.equal(creds.data.length, 1);
    const cred = creds.data[0];
    assert.deepEqual(Object.keys(cred), ['ref', 'ts', 'instance', 'hashed_password']);
    assert.ok(sameRef(cred.instance, user.ref));
    assert.match(cred.hashed_password, /^\$2[aby]\$\d\d\$/);
    assert.equal(await verify('abc123', cred.hashed_password), true);
  });

  it('step 2: Paginate(Credentials()) lists refs; Get shows { ref, ts, instance, hashed_password }', async () => {
    const page = await root.query<{ data: values.Ref[] }>(q.Paginate(q.Credentials()));
    assert.deepEqual(Object.keys(page), ['data']);
    assert.equal(page.data.length, 1);
    const ref = page.data[0];
    assert.equal(ref.toString(), `Ref(Credentials(), "${ref.id}")`);
    const cred = await root.query<Version>(q.Get(ref));
    assert.ok(sameRef(cred.ref, ref));
    assert.equal(clients.lastStatus, 200);
  });

  it('step 2: Credentials(Database("child_db")) lists a child database\'s credentials', async () => {
    await root.query(q.CreateDatabase({ name: 'child_db' }));
    assert.deepEqual(await root.query(q.Paginate(q.Credentials(q.Database('child_db')))), { data: [] });

    const childKey = await root.query<Version>(q.CreateKey({ database: q.Database('child_db'), role: 'admin' }));
    const child = clients.as(childKey.secret);
    await child.query(q.CreateCollection({ name: 'users' }));
    await child.query(q.Create(q.Collection('users'), { credentials: { password: 'child' }, data: { email: 'c@example.com' } }));

    const page = await root.query<{ data: values.Ref[] }>(q.Paginate(q.Credentials(q.Database('child_db'))));
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0].toString(), `Ref(Credentials(Database("child_db")), "${page.data[0].id}")`);
    const cred = await root.query<Version>(q.Get(page.data[0]));
    assert.equal(cred.instance.toString(), `Ref(Collection("users", Database("child_db")), "${cred.instance.id}")`);
    // Scoped refs are for reading from a parent only.
    await v4Fails(root, q.Update(page.data[0], { password: 'x' }), 'invalid argument', 400, 'Cannot write a scoped ref.');
  });

  it('step 3: password changes through the document and through the credential', async () => {
    await root.query(q.Update(user.ref, { credentials: { password: 'def456' } }));
    await v4Fails(root, q.Login(user.ref, { password: 'abc123' }), 'authentication failed', 400);
    assert.equal(await root.query(q.Identify(user.ref, 'def456')), true);

    const credRef = (await root.query<{ data: values.Ref[] }>(q.Paginate(q.Credentials()))).data[0];
    // Admin secrets go through core's client validator: the current password is required.
    const e = await v4Fails(root, q.Update(credRef, { password: 'ghi789' }), 'validation failed', 400, 'document data is not valid.');
    assert.deepEqual(errorsOf(e)[0].failures,
      [{ field: ['current_password'], code: 'invalid password', description: 'Invalid password at `current_password`.' }]);
    await v4Fails(root, q.Update(credRef, { password: 'ghi789', current_password: 'wrong' }), 'validation failed', 400);
    const updated = await root.query<Version>(q.Update(credRef, { password: 'ghi789', current_password: 'def456' }));
    assert.deepEqual(Object.keys(updated), ['ref', 'ts', 'instance', 'hashed_password']);
    assert.equal(await verify('ghi789', updated.hashed_password), true);

    // Server keys set passwords outright.
    const serverKey = await root.query<Version>(q.CreateKey({ role: 'server' }));
    const server4 = clients.as(serverKey.secret);
    await server4.query(q.Update(credRef, { password: 'jkl012' }));
    await v4Fails(root, q.Login(user.ref, { password: 'ghi789' }), 'authentication failed', 400,
      'The document was not found or provided password was incorrect.');
    const token = await root.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    assert.equal(token.instance.toString(), user.ref.toString());
  });

  it('step 4: Login, Identify, CurrentIdentity, CurrentToken, Has*, Logout, KeyFromSecret', async () => {
    const token = await root.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    assert.equal(clients.lastStatus, 201);
    assert.deepEqual(Object.keys(token), ['ref', 'ts', 'instance', 'secret']);
    assert.equal(token.ref.toString(), `Ref(Tokens(), "${token.ref.id}")`);
    assert.ok(sameRef(token.instance, user.ref));
    assert.equal(typeof token.secret, 'string');

    assert.equal(await root.query(q.Identify(user.ref, 'jkl012')), true);
    assert.equal(await root.query(q.Identify(user.ref, 'nope')), false);
    await v4Fails(root, q.Login(user.ref, {}), 'authentication failed', 400);

    const asUser = clients.as(token.secret);
    assert.ok(sameRef(await asUser.query(q.CurrentIdentity()), user.ref));
    assert.ok(sameRef(await asUser.query(q.CurrentToken()), token.ref));
    assert.equal(await asUser.query(q.HasCurrentIdentity()), true);
    assert.equal(await asUser.query(q.HasCurrentToken()), true);
    // A token reads its own credential.
    const own = await asUser.query<Version>(q.Get(q.Ref(q.Credentials(), 'self')));
    assert.ok(sameRef(own.instance, user.ref));

    assert.equal(await root.query(q.HasCurrentIdentity()), false);
    assert.equal(await root.query(q.HasCurrentToken()), false);
    await v4Fails(root, q.CurrentIdentity(), 'missing identity', 400, 'Authentication does not contain an identity');
    await v4Fails(root, q.CurrentToken(), 'invalid token', 400, 'Token metadata is not accessible.');

    const key = await root.query<Version>(q.CreateKey({ role: 'server' }));
    assert.equal(clients.lastStatus, 201);
    assert.deepEqual(Object.keys(key), ['ref', 'ts', 'role', 'secret', 'hashed_secret']);
    const asKey = clients.as(key.secret);
    assert.ok(sameRef(await asKey.query(q.CurrentToken()), key.ref));
    const childKey = await root.query<Version>(q.CreateKey({ role: 'server', database: q.Database('child_db') }));
    assert.equal(childKey.database.toString(), 'Database("child_db")');
    await v4Fails(clients.as(childKey.secret), q.CurrentToken(), 'invalid token', 400);
    assert.equal(await clients.as(childKey.secret).query(q.HasCurrentToken()), false);

    const found = await root.query<Version>(q.KeyFromSecret(key.secret));
    assert.ok(sameRef(found.ref, key.ref));
    assert.deepEqual(Object.keys(found), ['ref', 'ts', 'role', 'hashed_secret']);
    await v4Fails(root, q.KeyFromSecret('nope'), 'instance not found', 400, 'No key found for secret nope.');

    assert.equal(await asUser.query(q.Logout(false)), true);
    await v4Fails(asUser, q.Now(), 'unauthorized', 401);
    assert.equal(await root.query(q.Logout(false)), false);

    const t1 = await root.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    const t2 = await root.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    assert.equal(await clients.as(t1.secret).query(q.Logout(true)), true);
    await v4Fails(clients.as(t2.secret), q.Now(), 'unauthorized', 401);
  });

  it('step 4: Login with ttl and data shows them; a client key may log in by ref', async () => {
    const ttl = await root.query<values.FaunaTime>(q.TimeAdd(q.Now(), 1, 'hour'));
    const token = await root.query<Version>(q.Login(user.ref, { password: 'jkl012', ttl: q.TimeAdd(q.Now(), 1, 'hour'), data: { app: 'x' } }));
    assert.ok(token.ttl instanceof values.FaunaTime);
    assert.ok(Math.abs(token.ttl.date.getTime() - ttl.date.getTime()) < 60_000);
    assert.deepEqual(token.data, { app: 'x' });
    const clientKey = await root.query<Version>(q.CreateKey({ role: 'client' }));
    const asClient = clients.as(clientKey.secret);
    const t = await asClient.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    assert.ok(sameRef(t.instance, user.ref));
    await v4Fails(asClient, q.Get(user.ref), 'permission denied', 403, 'Insufficient privileges to perform the action.');
  });

  it('step 5: a v4 token works on /query/1 and a v10 credential logs in through v4', async () => {
    const token = await root.query<Version>(q.Login(user.ref, { password: 'jkl012' }));
    const v10 = new V10Client({ endpoint: new URL(server.url), secret: token.secret });
    const v10root = new V10Client({ endpoint: new URL(server.url), secret: 'secret' });
    try {
      // A v10 role whose membership is the v4 user collection applies to the v4 token.
      await v10root.query(fql`Role.create({
        name: "user", membership: [{ resource: "users" }], privileges: [{ resource: "users", actions: { read: true } }]
      })`);
      const who = await v10.query<{ id: string; email: string }>(fql`Query.identity()`);
      assert.equal(who.data.email, EMAIL);
      assert.equal(who.data.id, user.ref.id);
      const tok = await v10.query<{ id: string }>(fql`Query.token()`);
      assert.equal(tok.data.id, token.ref.id);
      // v10 sees v4's data fields at the top level and hides the hash.
      const doc = await v10root.query<{ email: string }>(fql`users.byId(${user.ref.id})`);
      assert.equal(doc.data.email, EMAIL);
      const cred = await v10root.query<{ hashed_password?: string }>(fql`Credential.byDocument(users.byId(${user.ref.id}))`);
      assert.equal(cred.data.hashed_password, undefined);

      await v10root.query(fql`Collection.create({ name: "Account" })`);
      const acc = await v10root.query<{ id: string }>(fql`
        let acc = Account.create({ email: "v10@example.com" })
        Credential.create({ document: acc, password: "pass123456" })
        acc`);
      const accRef = q.Ref(q.Collection('Account'), acc.data.id);
      const t = await root.query<Version>(q.Login(accRef, { password: 'pass123456' }));
      assert.equal(t.instance.toString(), `Ref(Collection("Account"), "${acc.data.id}")`);
      const fromV4 = await root.query<Version>(q.Get(accRef));
      assert.deepEqual(fromV4.data, { email: 'v10@example.com' });
      assert.ok(sameRef(await clients.as(t.secret).query(q.CurrentIdentity()), fromV4.ref));
      await v4Fails(root, q.Login(accRef, { password: 'wrong' }), 'authentication failed', 400);
    } finally {
      v10.close();
      v10root.close();
    }
  });

  it('rejects bad secrets with 401 and a second credential for the same identity', async () => {
    await v4Fails(clients.as('not-a-secret'), q.Now(), 'unauthorized', 401);
    await v4Fails(root, q.Create(q.Credentials(), { instance: user.ref, password: 'x' }), 'instance not unique', 400, 'document is not unique.');
    const e = await v4Fails(root, q.Create(q.Credentials(), { password: 'x' }), 'validation failed', 400, 'document data is not valid.');
    assert.deepEqual(errorsOf(e)[0], {
      position: [], code: 'validation failed', description: 'document data is not valid.',
      failures: [{ field: ['instance'], code: 'value required', description: 'Required value not found.' }],
    });
  });
});
