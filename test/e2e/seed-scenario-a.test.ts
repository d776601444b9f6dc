// Scenario A of seed-scenarios.md, every step, through the `fauna` driver: end-user
// registration and login with least privilege, in both variants (the client key's role holds
// create privileges; or the UDFs run with `role: "server"` and the key may only call them).
// Each variant runs in its own child database of one server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Document, DocumentReference, NullDocument, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, PERMISSION_DENIED, data, fails } from './identity-helpers';

const EMAIL = 'alice@example.com';
const PASSWORD = 'pass123456';

/** The schema of the scenario as FQL; `udfRole` marks the three UDFs `role: "server"`. */
async function createSchema(admin: Client, udfRole: boolean): Promise<void> {
  const role = udfRole ? ', role: "server"' : '';
  await data(admin, fql`Collection.create({
    name: "Account", history_days: 0,
    indexes: { byEmail: { terms: [{ field: ".email" }] } },
    constraints: [{ unique: [{ field: ".email" }] }]
  })`);
  await data(admin, fql`Collection.create({ name: "Movie", history_days: 0 })`);
  const reg = `Function.create({ name: "UserRegistration"${role}, body: <<-END
    (email, password) => {
      let acc = Account.create({ email: email })
      Credential.create({ document: acc, password: password })
    }
  END
  })`;
  const login = `Function.create({ name: "UserLogin"${role}, body: <<-END
    (email, password) => {
      let acc = Account.byEmail(email)!.first()
      Credential.byDocument(acc)!.login(password, Time.now().add(3600, "second"))
    }
  END
  })`;
  const logout = `Function.create({ name: "UserLogout"${role}, body: "() => Query.token()!.delete()" })`;
  for (const src of [reg, login, logout]) await admin.query(fql([src]));
  const privileges = udfRole
    ? `[
        { resource: "UserRegistration", actions: { call: true } },
        { resource: "UserLogin", actions: { call: true } }
      ]`
    : `[
        { resource: "UserRegistration", actions: { call: true } },
        { resource: "UserLogin", actions: { call: true } },
        { resource: "Account", actions: { create: true, read: true } },
        { resource: "Credential", actions: { create: true, read: true } },
        { resource: "Token", actions: { create: true } }
      ]`;
  await admin.query(fql([`Role.create({ name: "UnAuthRole", privileges: ${privileges} })`]));
}

const AUTH_ROLE = fql`Role.create({
  name: "AuthRole",
  membership: [{ resource: "Account" }],
  privileges: [
    { resource: "Movie", actions: { read: true } },
    { resource: "UserLogout", actions: { call: true } }
  ]
})`;

async function count(admin: Client, coll: string): Promise<number> {
  return data<number>(admin, fql([`${coll}.all().toArray().length`]));
}

function scenario(variant: 'key role' | 'server UDFs', dbName: string): void {
  describe(`scenario A (${variant})`, () => {
    let server: TestServer;
    let clients: Clients;
    let admin: Client;
    let keyClient: Client;
    let tokenSecret: string;
    let accountId: string;
    const udfRole = variant === 'server UDFs';

    before(async () => {
      server = await startServer();
      clients = new Clients(server);
      await data(clients.as('secret'), fql`Database.create({ name: ${dbName} })`);
      admin = clients.as(`secret:${dbName}:admin`);
    });
    after(async () => {
      clients.close();
      await server.dispose();
    });

    it('1. admin creates the schema and a key whose secret is shown once', async () => {
      await createSchema(admin, udfRole);
      const key = await data<Document & { secret: string; role: string }>(admin, fql`Key.create({ role: "UnAuthRole" })`);
      assert.ok(key instanceof Document);
      assert.equal(key.role, 'UnAuthRole');
      assert.match(key.secret, /^fn[A-Za-z0-9_-]+$/);
      const again = await data<Document & Record<string, unknown>>(admin, fql`Key.byId(${key.id})`);
      assert.equal(again.secret, undefined);
      assert.equal(again.hashed_secret, undefined);
      keyClient = clients.as(key.secret);
    });

    it('2. admin creates three movies', async () => {
      await data(admin, fql`[
        Movie.create({ title: "Alien", director: "Ridley Scott", release: 1979 }),
        Movie.create({ title: "Heat", director: "Michael Mann", release: 1995 }),
        Movie.create({ title: "Up", director: "Pete Docter", release: 2009 })
      ]`);
      assert.equal(await count(admin, 'Movie'), 3);
    });

    it('3. the key registers a user; the password is never stored or returned', async () => {
      const cred = await data<Document | NullDocument>(keyClient, fql`UserRegistration(${EMAIL}, ${PASSWORD})`);
      const account = await data<Document & { email: string }>(admin, fql`Account.byEmail(${EMAIL})!.first()`);
      accountId = account.id;
      assert.equal(account.email, EMAIL);
      if (cred instanceof Document) {
        // The key's role may read credentials: the document comes back, without secrets.
        assert.equal(cred.coll.name, 'Credential');
        const doc = (cred as unknown as { document: DocumentReference }).document;
        assert.ok(doc instanceof DocumentReference);
        assert.equal(doc.id, accountId);
        assert.deepEqual(Object.keys(cred).filter((k) => /password/.test(k)), []);
      } else {
        // With server UDFs the key itself may not read credentials.
        assert.ok(udfRole);
        assert.equal(cred.cause, 'permission denied');
        assert.equal(cred.ref.coll.name, 'Credential');
      }
      const stored = await data<Record<string, unknown>>(admin, fql`Credential.byDocument(Account.byId(${accountId}))!`);
      assert.equal(stored.hashed_password, undefined);
      assert.equal(stored.password, undefined);
      assert.equal(await data(admin, fql`Credential.byDocument(Account.byId(${accountId}))!.hashed_password`), null);
      assert.equal(await data(admin, fql`Credential.byDocument(Account.byId(${accountId}))!.verify(${PASSWORD})`), true);
    });

    it('4. registering the same email again fails and creates nothing', async () => {
      await fails(keyClient, fql`UserRegistration(${EMAIL}, "other-password")`, 'constraint_failure');
      assert.equal(await count(admin, 'Account'), 1);
      assert.equal(await count(admin, 'Credential'), 1);
    });

    it('5. the key logs in: a token with a secret and a one hour ttl; wrong passwords and unknown emails fail', async () => {
      const token = await data<Document & { secret: string; ttl: { toDate(): Date } }>(keyClient, fql`UserLogin(${EMAIL}, ${PASSWORD})`);
      assert.ok(token instanceof Document);
      assert.equal(token.coll.name, 'Token');
      assert.match(token.secret, /^fn/);
      const ttlMs = token.ttl.toDate().getTime() - token.ts.toDate().getTime();
      assert.ok(Math.abs(ttlMs - 3_600_000) < 1000, `ttl ${ttlMs} ms after ts`);
      tokenSecret = token.secret;
      const wrong = await fails(keyClient, fql`UserLogin(${EMAIL}, "wrong-password")`, 'invalid_secret');
      assert.equal(wrong.message, 'Provided secret did not match.');
      await assert.rejects(keyClient.query(fql`UserLogin("nobody@example.com", ${PASSWORD})`));
      assert.equal(await count(admin, 'Token'), 1);
    });

    it('6. the key can do nothing outside the two functions', async () => {
      assert.deepEqual((await data<{ data: unknown[] }>(keyClient, fql`Movie.all()`)).data, []);
      const denied = await fails(keyClient, fql`Movie.create({ title: "Nope" })`, 'permission_denied');
      assert.equal(denied.message, PERMISSION_DENIED);
      const accounts = (await data<{ data: Document[] }>(keyClient, fql`Account.all()`)).data;
      // The key role of the first variant reads accounts; the call-only role reads none.
      assert.deepEqual(accounts.map((a) => a.id), udfRole ? [] : [accountId]);
      await fails(keyClient, fql`UserLogout()`, 'permission_denied');
      assert.equal(await count(admin, 'Movie'), 3);
    });

    it('7. the token reads no movies before AuthRole exists', async () => {
      const user = clients.as(tokenSecret);
      assert.deepEqual((await data<{ data: unknown[] }>(user, fql`Movie.all()`)).data, []);
    });

    it('8. with AuthRole the token reads the movies, knows its identity and token, and cannot write', async () => {
      await data(admin, AUTH_ROLE);
      const user = clients.as(tokenSecret);
      const movies = (await data<{ data: (Document & { title: string })[] }>(user, fql`Movie.all()`)).data;
      assert.deepEqual(movies.map((m) => m.title).sort(), ['Alien', 'Heat', 'Up']);
      const identity = await data<Document | NullDocument>(user, fql`Query.identity()`);
      const identityId = identity instanceof NullDocument ? (identity.ref as DocumentReference).id : identity.id;
      assert.equal(identityId, accountId);
      assert.equal(await data(user, fql`Query.identity() == Account.byId(${accountId})`), true);
      const token = await data<Document>(user, fql`Query.token()`);
      assert.ok(token instanceof Document);
      assert.equal(token.coll.name, 'Token');
      assert.equal((token as unknown as { secret?: string }).secret, undefined);
      await fails(user, fql`Movie.create({ title: "Mine" })`, 'permission_denied');
      await fails(user, fql`Movie.all().first()!.update({ title: "Changed" })`, 'permission_denied');
    });

    it('9. logout deletes the token: its secret then gets 401; so does a token past its ttl', async () => {
      const user = clients.as(tokenSecret);
      await data(user, fql`UserLogout()`);
      await fails(user, fql`Movie.all()`, 'unauthorized', 401);
      assert.equal(await count(admin, 'Token'), 0);
      const short = await data<{ secret: string }>(admin,
        fql`Credential.byDocument(Account.byId(${accountId}))!.login(${PASSWORD}, Time.now().add(3, "seconds"))`);
      const shortClient = clients.as(short.secret);
      assert.equal((await data<{ data: unknown[] }>(shortClient, fql`Movie.all()`)).data.length, 3);
      // Past the ttl (a loaded machine may take a while to get here: wait for the expiry itself).
      await new Promise((r) => setTimeout(r, 3300));
      await fails(shortClient, fql`Movie.all()`, 'unauthorized', 401);
    });

    it('concurrency: 50 distinct registrations and 50 racing on one email leave 51 accounts and credentials', async () => {
      const before = await count(admin, 'Account');
      const distinct = Array.from({ length: 50 }, (_, i) =>
        keyClient.query(fql`UserRegistration(${`user${i}@example.com`}, ${PASSWORD})`));
      const racing = Array.from({ length: 50 }, () =>
        keyClient.query(fql`UserRegistration("race@example.com", ${PASSWORD})`).then(() => 'ok', (e: { code?: string }) => e.code));
      const [distinctResults, racingResults] = await Promise.all([Promise.all(distinct), Promise.all(racing)]);
      assert.equal(distinctResults.length, 50);
      assert.equal(racingResults.filter((r) => r === 'ok').length, 1, racingResults.join(','));
      assert.ok(racingResults.every((r) => r === 'ok' || r === 'constraint_failure'), racingResults.join(','));
      assert.equal(await count(admin, 'Account'), before + 51);
      assert.equal(await count(admin, 'Credential'), before + 51);
    });
  });
}

scenario('key role', 'variant_key_role');
scenario('server UDFs', 'variant_server_udfs');
