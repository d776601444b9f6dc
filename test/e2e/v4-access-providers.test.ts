// FQL v4 access providers through the `faunadb@4.8` driver, stored as the v10 AccessProvider
// definitions. Sources: core ast/QueryParser.scala (`create_access_provider`, `access_provider`
// forms, `access_providers` native collection), ast/WriteFunctions.scala
// (AbstractCreateFunction.write refuses `FeatureNotAvailable("Create Access Providers")` in the
// cluster's root scope, which Fauna's clients never reach; here the root secret is the clients'
// top-level database and v10 creates providers there, so v4 does too), model/WriteAdaptor.scala AccessProviderWriteConfig (`audience` =
// JWTToken.canonicalDBUrl: `https://db.fauna.com/db/` + the database's z-base-32 global id),
// ast/Renderable.scala RenderError (`Ref refers to undefined access_provider 'x'`,
// NativeTypeToName has no access-provider name: `other already exists.`), ast/Error.scala
// (`feature not available`), model/AccessProvider.scala (URLT `invalid uri`, IssuerValidator
// `duplicate value`, RolesValidator `Role ... does not exist.` / `Builtin role ... not allowed.`),
// model/ValidationException.scala (codes), faunadb-js test/query.test.js "create_access_provider" (fields
// echoed back), fql-v4.md §2.9 (only admin keys manage access providers).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q, values } from 'faunadb';
import { type Client as Client10, fql } from 'fauna';
import { Clients, data } from './identity-helpers';
import { V4Clients, errorsOf, useV4Server, v4Fails, v4FailsAt } from './v4-helpers';

interface ProviderV4 {
  ref: values.Ref; ts: number; name: string; issuer: string; jwks_uri: string;
  roles?: unknown; audience: string; data?: unknown;
}

describe('v4 access providers', () => {
  let root: Client;
  let clients: V4Clients;
  let admin: Client;
  let server: Client;
  let admin10: Client10;
  let clients10: Clients;

  useV4Server((s) => {
    root = s.root;
    clients = s.clients;
    clients10 = new Clients(s.server);
  });

  before(async () => {
    await root.query(q.CreateDatabase({ name: 'ap' }));
    const adminKey = await root.query(q.CreateKey({ database: q.Database('ap'), role: 'admin' })) as { secret: string };
    const serverKey = await root.query(q.CreateKey({ database: q.Database('ap'), role: 'server' })) as { secret: string };
    admin = clients.as(adminKey.secret);
    server = clients.as(serverKey.secret);
    admin10 = clients10.as(adminKey.secret);
    await admin.query(q.CreateRole({ name: 'reader', privileges: [] }));
  });

  it('creates one with Role refs, answers 201 with the derived audience, and v10 reads it by name', async () => {
    const created = await admin.query(q.CreateAccessProvider({
      name: 'auth0', issuer: 'https://example.auth0.com/', jwks_uri: 'https://example.auth0.com/.well-known/jwks.json',
      roles: [q.Role('reader')],
    })) as ProviderV4;
    assert.equal(clients.lastStatus, 201);
    assert.equal(String(created.ref), 'AccessProvider("auth0")');
    assert.equal(created.name, 'auth0');
    assert.equal(created.issuer, 'https://example.auth0.com/');
    assert.equal(created.jwks_uri, 'https://example.auth0.com/.well-known/jwks.json');
    assert.deepEqual((created.roles as values.Ref[]).map(String), ['Role("reader")']);
    assert.match(created.audience, /^https:\/\/db\.fauna\.com\/db\/[ybndrfg8ejkmcpqxot1uwisza345h769]{13}$/);
    assert.equal(typeof created.ts, 'number');
    assert.deepEqual(Object.keys(created).sort(), ['audience', 'issuer', 'jwks_uri', 'name', 'ref', 'roles', 'ts']);

    // The same definition in v10: role names, as v10 stores them.
    const v10 = await data(admin10, fql`let p = AccessProvider.byName("auth0")!; { issuer: p.issuer, roles: p.roles }`);
    assert.deepEqual(v10, { issuer: 'https://example.auth0.com/', roles: ['reader'] });

    const got = await admin.query(q.Get(q.AccessProvider('auth0'))) as ProviderV4;
    assert.deepEqual(got, created);
    assert.equal(await admin.query(q.Exists(q.AccessProvider('auth0'))), true);
    const page = await admin.query(q.Paginate(q.AccessProviders())) as { data: values.Ref[] };
    assert.deepEqual(page.data.map(String), ['AccessProvider("auth0")']);
  });

  it('shows a provider created in v10 with Role refs and predicates as Query values', async () => {
    await admin10.query(fql`AccessProvider.create({ name: "okta", issuer: "https://okta.example/", jwks_uri: "https://okta.example/keys", roles: ["reader"] })`);
    const got = await admin.query(q.Get(q.AccessProvider('okta'))) as ProviderV4;
    assert.equal(String(got.ref), 'AccessProvider("okta")');
    assert.deepEqual((got.roles as values.Ref[]).map(String), ['Role("reader")']);
    assert.equal(got.issuer, 'https://okta.example/');
  });

  it('updates and deletes one; the deleted version is returned and is gone afterwards', async () => {
    await admin.query(q.CreateAccessProvider({ name: 'tmp', issuer: 'tmp-issuer', jwks_uri: 'https://tmp.example/keys' }));
    const updated = await admin.query(q.Update(q.AccessProvider('tmp'), { issuer: 'tmp-issuer-2' })) as ProviderV4;
    assert.equal(updated.issuer, 'tmp-issuer-2');
    assert.equal(updated.jwks_uri, 'https://tmp.example/keys');
    assert.equal(await data(admin10, fql`AccessProvider.byName("tmp")!.issuer`), 'tmp-issuer-2');
    const deleted = await admin.query(q.Delete(q.AccessProvider('tmp'))) as ProviderV4;
    assert.equal(deleted.issuer, 'tmp-issuer-2');
    assert.equal(await admin.query(q.Exists(q.AccessProvider('tmp'))), false);
    await v4Fails(admin, q.Get(q.AccessProvider('tmp')), 'invalid ref', 400, "Ref refers to undefined access_provider 'tmp'");
  });

  it('refuses a second provider of the same name, and a missing name', async () => {
    await v4FailsAt(admin, q.CreateAccessProvider({ name: 'auth0', issuer: 'other', jwks_uri: 'https://x.example/keys' }),
      'instance already exists', 'other already exists.', ['create_access_provider']);
    const e = await v4Fails(admin, q.CreateAccessProvider({ issuer: 'i', jwks_uri: 'https://x.example/keys' }), 'validation failed', 400,
      'document data is not valid.');
    assert.deepEqual(errorsOf(e)[0].failures, [{ field: ['name'], code: 'value required', description: 'Required value not found.' }]);
  });

  it('creates providers in the top-level database too, as v10 does (faunadb-js "access_provider" runs with the root key)', async () => {
    const created = await root.query<{ name: string; issuer: string }>(
      q.CreateAccessProvider({ name: 'top', issuer: 'top-issuer', jwks_uri: 'https://x.example/keys' }));
    assert.equal(created.name, 'top');
    assert.equal(created.issuer, 'top-issuer');
    assert.equal(await root.query(q.Exists(q.AccessProvider('top'))), true);
    await root.query(q.Delete(q.AccessProvider('top')));
  });

  it('validates as core does: issuer and jwks_uri required, an https jwks_uri, a unique issuer, existing user roles', async () => {
    const failuresOf = async (params: Record<string, unknown>) =>
      errorsOf(await v4Fails(admin, q.CreateAccessProvider(params), 'validation failed', 400, 'document data is not valid.'))[0].failures;
    assert.deepEqual(await failuresOf({ name: 'v1' }), [
      { field: ['issuer'], code: 'value required', description: 'Required value not found.' },
      { field: ['jwks_uri'], code: 'value required', description: 'Required value not found.' },
    ]);
    assert.deepEqual(await failuresOf({ name: 'v2', issuer: 'v2', jwks_uri: 'http://insecure.example/keys' }), [
      { field: ['jwks_uri'], code: 'invalid uri', description: '`http://insecure.example/keys` is a not valid URI' },
    ]);
    assert.deepEqual(await failuresOf({ name: 'v3', issuer: 'https://example.auth0.com/', jwks_uri: 'https://x.example/keys' }), [
      { field: ['issuer'], code: 'duplicate value', description: 'Value is not unique.' },
    ]);
    assert.deepEqual(await failuresOf({ name: 'v4', issuer: 'v4', jwks_uri: 'https://x.example/keys', roles: [q.Role('nope'), 'server'] }), [
      { field: ['roles'], code: 'validation failure', description: 'Role `nope` does not exist.' },
      { field: ['roles'], code: 'validation failure', description: 'Builtin role `server` not allowed.' },
    ]);
    const e = await v4Fails(admin, q.Update(q.AccessProvider('auth0'), { jwks_uri: 'not a uri' }), 'validation failed', 400);
    assert.deepEqual(errorsOf(e)[0].failures, [{ field: ['jwks_uri'], code: 'invalid uri', description: '`not a uri` is a not valid URI' }]);
    assert.equal(await admin.query(q.Exists(q.AccessProvider('v2'))), false);
  });

  it('is an admin resource: server keys may neither create nor read providers (fql-v4.md §2.9)', async () => {
    await v4Fails(server, q.CreateAccessProvider({ name: 's', issuer: 's', jwks_uri: 'https://s.example/keys' }), 'permission denied', 403);
    await v4Fails(server, q.Get(q.AccessProvider('auth0')), 'permission denied', 403);
    assert.deepEqual((await server.query(q.Paginate(q.AccessProviders())) as { data: unknown[] }).data, []);
  });
});
