// Authentication with JWTs from an identity provider, through the real server, the `fauna` driver
// (FQL v10) and `faunadb@4.8` (FQL v4), against a real HTTPS JWKS endpoint (./jwt-helpers.ts).
// Sources (fauna/faunadb core, read through its public mirror):
//   - auth/Auth.scala: a Bearer secret with a dot is a JWT (`AuthLike.isJWT`); `Auth.fromInfo`;
//     `revalidate` (JWTLogin valid until `exp`);
//   - auth/JWTToken.scala `fromToken`: `aud` must hold exactly one `https://db.fauna.com/db/<global
//     id>` (the database), `iss` selects the database's access provider (`getByIssuer`), the key
//     comes from its `jwks_uri` by `kid`, every failure (JWKException, JWTException) is None;
//     `getJWTAuth`/`getRoles`: the provider's roles whose predicates return true on the payload,
//     none → None;
//   - net/security/JWTValidator.scala `basicValidations` (HS256/384/512 refused, `exp`, `nbf`),
//     JWKUrlProvider (cache, refetch on unknown kid at most every 500 ms), JWK.scala (RSA keys,
//     RS256/384/512 only; `findJWK`), JWT.scala (three base64url parts);
//   - model/runtime/fql2/stdlib/Query.scala: `Query.identity()` is "missing identity" for a JWT,
//     `Query.token()` is its payload; ast/AuthFunctions.scala: v4 `CurrentIdentity()` is the
//     `sub` claim, `CurrentToken()` the payload, `HasCurrentIdentity()`/`HasCurrentToken()`;
//   - model/WriteAdaptor.scala AccessProviderIOConfig: a provider shows its `audience`;
//   - streams: core Auth.revalidate re-checks a JWT login on every batch (spec streams-feeds.md §6.6).
// An unauthenticated request is 401 `unauthorized` "Access token required" (v10) / 401
// "Unauthorized" (v4), whatever the reason, so callers learn nothing about databases or providers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { type Client, fql } from 'fauna';
import { query as q, values } from 'faunadb';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails, PERMISSION_DENIED } from './identity-helpers';
import { V4Clients, v4Fails } from './v4-helpers';
import { assertServiceError, collect } from './events-helpers';
import { SchemaApi } from './schema-fixtures';
import { hmacForgery, newSigningKey, queryFrom as queryFromAddress, type RawAnswer, signJwt, startIdentityProvider, type IdentityProvider, type SigningKey } from './jwt-helpers';

const ISSUER = 'https://idp.example.com/';
const now = (): number => Math.floor(Date.now() / 1000);

describe('access providers: JWT authentication', () => {
  let idp: IdentityProvider;
  let server: TestServer;
  let clients: Clients;
  let v4: V4Clients;
  let appAdmin: Client;
  let otherAdmin: Client;
  let audience: string;
  let otherAudience: string;
  const k1: SigningKey = newSigningKey('k1');
  const k2: SigningKey = newSigningKey('k2');
  const stranger: SigningKey = newSigningKey('k1');

  /** A valid token's claims for the app database, with `extra` claims. */
  const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> =>
    ({ iss: ISSUER, aud: [audience, 'https://api.example.com'], sub: 'user-1', iat: now(), exp: now() + 600, ...extra });
  const as = (jwt: string): Client => clients.as(jwt);
  const refused = async (jwt: string): Promise<void> => {
    const e = await fails(as(jwt), fql`1 + 1`, 'unauthorized', 401);
    assert.equal(e.message, 'Access token required');
  };

  const queryFrom = (from: string, secret: string, query: string): Promise<RawAnswer> =>
    queryFromAddress(server.port, from, secret, query);

  before(async () => {
    idp = await startIdentityProvider();
    idp.routes.set('/jwks.json', { kind: 'jwks', keys: [k1.jwk] });
    idp.routes.set('/down.json', { kind: 'status', status: 503 });
    idp.routes.set('/hang.json', { kind: 'hang' });
    server = await startServer({ env: idp.env });
    clients = new Clients(server);
    v4 = new V4Clients(server);
    const root = clients.as('secret');
    await data(root, fql`Database.create({ name: "app" }); Database.create({ name: "other" }); null`);
    appAdmin = clients.as('secret:app:admin');
    otherAdmin = clients.as('secret:other:admin');
    for (const [admin, label] of [[appAdmin, 'app'], [otherAdmin, 'other']] as const) {
      await data(admin, fql`
        Collection.create({ name: "Notes" })
        Collection.create({ name: "Vault" })
        Notes.create({ text: ${`a note in ${label}`} })
        Vault.create({ text: "gold only" })
        Role.create({ name: "reader", privileges: [{ resource: "Notes", actions: { read: true } }] })
        Role.create({ name: "gold", privileges: [{ resource: "Vault", actions: { read: true } }] })
        null`);
    }
    audience = await data(appAdmin, fql`AccessProvider.create({
      name: "idp", issuer: ${ISSUER}, jwks_uri: ${idp.url('/jwks.json')},
      roles: ["reader", { role: "gold", predicate: "claims => claims.tier == \\"gold\\"" }]
    }).audience`);
    otherAudience = await data(otherAdmin, fql`AccessProvider.create({
      name: "idp", issuer: ${ISSUER}, jwks_uri: ${idp.url('/jwks.json')}, roles: "reader"
    }).audience`);
  });

  after(async () => {
    clients?.close();
    await v4?.close();
    await server?.dispose();
    await idp?.close();
  });

  it('a provider shows its database audience, distinct per database', async () => {
    assert.match(audience, /^https:\/\/db\.fauna\.com\/db\/[ybndrfg8ejkmcpqxot1uwisza345h769]{13}$/);
    assert.notEqual(audience, otherAudience);
  });

  it('a valid token reads what its provider role allows, and nothing more', async () => {
    const c = as(signJwt(claims(), k1));
    assert.deepEqual(await data(c, fql`Notes.all().map(.text).toArray()`), ['a note in app']);
    assert.equal((await fails(c, fql`Notes.create({ text: "mine" })`, 'permission_denied')).message, PERMISSION_DENIED);
    assert.deepEqual(await data(c, fql`Vault.all().toArray()`), []); // unreadable documents vanish
    await fails(c, fql`Collection.create({ name: "Mine" })`, 'permission_denied');
    await fails(c, fql`Key.create({ role: "admin" })`, 'permission_denied');
    await fails(c, fql`AccessProvider.create({ name: "mine", issuer: "https://mine.example.com/", jwks_uri: "https://mine.example.com/jwks", roles: "gold" })`, 'permission_denied');
    assert.equal(await data(c, fql`AccessProvider.byName("idp") == null`), true);
  });

  it('Query.token() is the payload and Query.identity() is missing', async () => {
    const c = as(signJwt(claims({ tier: 'silver', groups: ['a', 'b'] }), k1));
    assert.deepEqual(await data(c, fql`{ sub: Query.token().sub, tier: Query.token().tier, groups: Query.token().groups, exp: Query.token().exp isa Number }`),
      { sub: 'user-1', tier: 'silver', groups: ['a', 'b'], exp: true });
    assert.equal(await data(c, fql`Query.identity()`), null);
    assert.equal(await data(c, fql`Query.identity() == null`), true);
  });

  it('a role predicate receives the claims: only a gold token reads the Vault', async () => {
    const gold = as(signJwt(claims({ tier: 'gold' }), k1));
    assert.deepEqual(await data(gold, fql`Vault.all().map(.text).toArray()`), ['gold only']);
    assert.deepEqual(await data(gold, fql`Notes.all().count()`), 1);
    assert.deepEqual(await data(as(signJwt(claims({ tier: 'silver' }), k1)), fql`Vault.all().toArray()`), []);
  });

  it('a provider whose every role is predicated refuses a token no predicate accepts', async () => {
    const issuer = 'https://strict.example.com/';
    await data(appAdmin, fql`AccessProvider.create({ name: "strict", issuer: ${issuer}, jwks_uri: ${idp.url('/jwks.json')},
      roles: { role: "reader", predicate: "claims => claims.email_verified == true" } }) { name }`);
    await refused(signJwt(claims({ iss: issuer }), k1));
    await refused(signJwt(claims({ iss: issuer, email_verified: 'yes' }), k1));
    assert.equal(await data(as(signJwt(claims({ iss: issuer, email_verified: true }), k1)), fql`Notes.all().count()`), 1);
  });

  describe('refused tokens (401)', () => {
    it('a signature by another key with the same kid', () => refused(signJwt(claims(), stranger)));
    it('a tampered payload', async () => {
      const [h, , s] = signJwt(claims(), k1).split('.');
      await refused(`${h}.${Buffer.from(JSON.stringify(claims({ tier: 'gold' }))).toString('base64url')}.${s}`);
    });
    it('an unknown issuer', () => refused(signJwt(claims({ iss: 'https://evil.example.com/' }), k1)));
    it('no issuer', () => refused(signJwt(claims({ iss: undefined }), k1)));
    it('an audience that is no database', () => refused(signJwt(claims({ aud: 'https://api.example.com' }), k1)));
    it('no audience', () => refused(signJwt(claims({ aud: undefined }), k1)));
    it('an audience of a database that does not exist', () => refused(signJwt(claims({ aud: 'https://db.fauna.com/db/yyyyyyyyyyyy9' }), k1)));
    it('two database audiences', () => refused(signJwt(claims({ aud: [audience, otherAudience] }), k1)));
    it('expired', () => refused(signJwt(claims({ iat: now() - 7200, exp: now() - 60 }), k1)));
    it('not valid yet', () => refused(signJwt(claims({ nbf: now() + 120 }), k1)));
    it('an `exp` that is not a number', () => refused(signJwt(claims({ exp: 'tomorrow' }), k1)));
    it('alg none, signed or not', async () => {
      const unsigned = signJwt(claims(), k1, { alg: 'none' });
      await refused(unsigned);
      await refused(unsigned.slice(0, unsigned.lastIndexOf('.') + 1));
      const [, p, s] = signJwt(claims(), k1).split('.');
      await refused(`${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${p}.${s}`);
    });
    it('HS256 keyed with the public key (algorithm confusion)', async () => {
      await refused(hmacForgery(claims(), k1, k1.publicPem));
      await refused(hmacForgery(claims(), k1, Buffer.from(String(k1.jwk.n), 'base64url')));
    });
    it('an unknown kid', () => refused(signJwt(claims(), newSigningKey('nope'))));
    it('a JWT with a scope', async () => {
      await refused(`${signJwt(claims(), k1)}:admin`);
      await refused(`${signJwt(claims(), k1)}:app:admin`);
    });
    it('garbage with dots', async () => {
      await refused('a.b.c');
      await refused('not.a.jwt.at.all');
    });
  });

  it('a token for one database never reaches another, even with the same issuer and keys', async () => {
    const forApp = as(signJwt(claims(), k1));
    const forOther = as(signJwt(claims({ aud: otherAudience }), k1));
    assert.deepEqual(await data(forApp, fql`Notes.all().map(.text).toArray()`), ['a note in app']);
    assert.deepEqual(await data(forOther, fql`Notes.all().map(.text).toArray()`), ['a note in other']);
    // The other database's provider grants no gold role: its predicate role does not exist there.
    assert.deepEqual(await data(as(signJwt(claims({ aud: otherAudience, tier: 'gold' }), k1)), fql`Vault.all().toArray()`), []);
  });

  it('deleting the provider refuses its tokens at once; a new provider for the issuer accepts them again', async () => {
    const issuer = 'https://temp.example.com/';
    await data(appAdmin, fql`AccessProvider.create({ name: "temp", issuer: ${issuer}, jwks_uri: ${idp.url('/jwks.json')}, roles: "reader" }) { name }`);
    const c = as(signJwt(claims({ iss: issuer }), k1));
    assert.equal(await data(c, fql`Notes.all().count()`), 1);
    await data(appAdmin, fql`AccessProvider.byName("temp")!.delete(); null`);
    await fails(c, fql`Notes.all().count()`, 'unauthorized', 401);
    await data(appAdmin, fql`AccessProvider.create({ name: "temp2", issuer: ${issuer}, jwks_uri: ${idp.url('/jwks.json')}, roles: "reader" }) { name }`);
    assert.equal(await data(c, fql`Notes.all().count()`), 1);
    // Dropping the role from the provider takes it from its tokens at once too.
    await data(appAdmin, fql`Role.create({ name: "nobody", privileges: [] }); AccessProvider.byName("temp2")!.update({ roles: "nobody" }); null`);
    assert.equal(await data(c, fql`Notes.all().count()`), 0);
  });

  it('a key added to the JWKS (rotation) is fetched when a token names it', async () => {
    idp.routes.set('/jwks.json', { kind: 'jwks', keys: [k1.jwk, k2.jwk] });
    await new Promise((r) => setTimeout(r, 600)); // core refetches at most every 500 ms
    assert.equal(await data(as(signJwt(claims(), k2)), fql`Notes.all().count()`), 1);
    assert.equal(await data(as(signJwt(claims(), k1)), fql`Notes.all().count()`), 1);
  });

  it('a JWKS endpoint that fails gives 401 at once; one that hangs gives 401 within the fetch timeout while other requests go on', async () => {
    await data(appAdmin, fql`
      AccessProvider.create({ name: "down", issuer: "https://down.example.com/", jwks_uri: ${idp.url('/down.json')}, roles: "reader" })
      AccessProvider.create({ name: "hang", issuer: "https://hang.example.com/", jwks_uri: ${idp.url('/hang.json')}, roles: "reader" })
      null`);
    let t = performance.now();
    await refused(signJwt(claims({ iss: 'https://down.example.com/' }), k1));
    assert.ok(performance.now() - t < 2000);
    assert.ok(server.output().includes(`cannot fetch the JWKS from ${idp.url('/down.json')}: HTTP status 503`), server.output());

    t = performance.now();
    const hanging = Promise.all([1, 2, 3].map(() => refused(signJwt(claims({ iss: 'https://hang.example.com/' }), k1))));
    // Meanwhile other clients (another address: the server schedules fairly per client address)
    // are served, tokens of a healthy provider included.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await queryFrom('127.0.0.2', 'secret', '1 + 1'), { status: 200, data: 2 });
    assert.deepEqual(await queryFrom('127.0.0.2', signJwt(claims(), k1), 'Notes.all().count()'), { status: 200, data: 1 });
    const othersDone = performance.now() - t;
    await hanging;
    const took = performance.now() - t;
    // They did not wait for the hanging fetches (timing relative to them: the machine may be busy).
    assert.ok(othersDone < took - 500, `other clients were served after ${othersDone} ms, the hanging requests after ${took} ms`);
    assert.ok(took >= 4500 && took < 12_000, `hanging JWKS answered after ${took} ms`);
    // One fetch for the process (the main thread's cache; every request waits on it).
    assert.equal(idp.hits.get('/hang.json'), 1);
    assert.ok(server.output().includes(`cannot fetch the JWKS from ${idp.url('/hang.json')}: no answer in time`), server.output());
  });

  it('an event stream authenticated by a JWT delivers events until its provider is deleted (permission_loss)', async () => {
    const issuer = 'https://streams.example.com/';
    await data(appAdmin, fql`AccessProvider.create({ name: "streams", issuer: ${issuer}, jwks_uri: ${idp.url('/jwks.json')}, roles: "reader" }) { name }`);
    const c = as(signJwt(claims({ iss: issuer }), k1));
    const token = await data(c, fql`Notes.all().eventSource()`);
    const s = collect(c, token, { status_events: true });
    try {
      await s.take(1);
      await data(appAdmin, fql`Notes.create({ text: "streamed" }); null`);
      const [, add] = await s.until((es) => es.length >= 2, 'the add event');
      assert.deepEqual([add.type, add.data.text], ['add', 'streamed']);
      await data(appAdmin, fql`AccessProvider.byName("streams")!.delete(); null`);
      const deadline = Date.now() + 10_000;
      while (!s.done && Date.now() < deadline) await data(appAdmin, fql`Notes.create({ text: "after" }); null`);
      assertServiceError(await s.failure(1_000), 'permission_loss', 'Stream authentication is no longer valid.');
      assert.deepEqual(s.events.map((e) => e.type), ['status', 'add'], 'no event after the provider was deleted');
    } finally {
      s.close();
      await data(appAdmin, fql`Notes.where(.text == "streamed" || .text == "after").forEach(.delete()); null`);
    }
  });

  it('an event stream of a JWT ends with permission_loss once the token expires (core Auth.revalidate)', async () => {
    const c = as(signJwt(claims({ exp: now() + 2 }), k1));
    const s = collect(c, await data(c, fql`Notes.all().eventSource()`), { status_events: true });
    try {
      await s.take(1);
      // Past `exp` and the 5 s of allowed clock skew.
      await new Promise((r) => setTimeout(r, 7_500));
      const deadline = Date.now() + 10_000;
      while (!s.done && Date.now() < deadline) await data(appAdmin, fql`Notes.create({ text: "late" }); null`);
      assertServiceError(await s.failure(1_000), 'permission_loss', 'Stream authentication is no longer valid.');
      assert.deepEqual(s.events.map((e) => e.type), ['status']);
    } finally {
      s.close();
      await data(appAdmin, fql`Notes.where(.text == "late").forEach(.delete()); null`);
    }
  });

  it('an access provider pushed as FSL, with a role predicate over the claims', async () => {
    await data(clients.as('secret'), fql`Database.create({ name: "fsl" }) { name }`);
    const issuer = 'https://fsl.example.com/';
    const push = await new SchemaApi(server.url, 'secret:fsl:admin').push({ 'main.fsl': `
collection Notes {}
role pro {
  privileges Notes { read }
}
access provider fslidp {
  issuer "${issuer}"
  jwks_uri "${idp.url('/jwks.json')}"
  role pro {
    predicate (claims => claims.plan == "pro")
  }
}
` }, false);
    assert.equal(push.status, 200, JSON.stringify(push.body));
    const fslAdmin = clients.as('secret:fsl:admin');
    await data(fslAdmin, fql`Notes.create({ text: "pro note" }); null`);
    const aud = await data<string>(fslAdmin, fql`AccessProvider.byName("fslidp")!.audience`);
    assert.deepEqual(await data(as(signJwt(claims({ iss: issuer, aud, plan: 'pro' }), k1)), fql`Notes.all().map(.text).toArray()`), ['pro note']);
    await refused(signJwt(claims({ iss: issuer, aud, plan: 'free' }), k1));
  });

  describe('FQL v4 (faunadb@4.8)', () => {
    it('reads with the token; CurrentToken() is the payload, CurrentIdentity() its `sub`', async () => {
      const c = v4.as(signJwt(claims({ tier: 'silver' }), k1));
      const page = await c.query(q.Paginate(q.Documents(q.Collection('Notes')))) as { data: values.Ref[] };
      assert.equal(page.data.length, 1);
      const token = await c.query(q.CurrentToken()) as Record<string, unknown>;
      assert.equal(token.sub, 'user-1');
      assert.equal(token.tier, 'silver');
      assert.equal(token.iss, ISSUER);
      assert.equal(await c.query(q.CurrentIdentity()), 'user-1');
      assert.equal(await c.query(q.HasCurrentIdentity()), true);
      assert.equal(await c.query(q.HasCurrentToken()), true);
      await v4Fails(c, q.Create(q.Collection('Notes'), { data: {} }), 'permission denied', 403);
    });

    it('a token without `sub` has no identity', async () => {
      const c = v4.as(signJwt(claims({ sub: undefined }), k1));
      assert.equal(await c.query(q.HasCurrentIdentity()), false);
      await v4Fails(c, q.CurrentIdentity(), 'missing identity', 400, 'Authentication does not contain an identity');
    });

    it('a v4 provider role predicate (Query(Lambda)) receives the claims', async () => {
      const admin = v4.as('secret:app:admin');
      const issuer = 'https://v4.example.com/';
      await admin.query(q.CreateAccessProvider({
        name: 'v4idp', issuer, jwks_uri: idp.url('/jwks.json'),
        roles: [{ role: q.Role('gold'), predicate: q.Query(q.Lambda('claims', q.Equals(q.Select(['tier'], q.Var('claims'), null), 'gold'))) }],
      }));
      const gold = v4.as(signJwt(claims({ iss: issuer, tier: 'gold' }), k1));
      const page = await gold.query(q.Paginate(q.Documents(q.Collection('Vault')))) as { data: values.Ref[] };
      assert.equal(page.data.length, 1);
      await v4Fails(v4.as(signJwt(claims({ iss: issuer, tier: 'silver' }), k1)), q.Paginate(q.Documents(q.Collection('Vault'))), 'unauthorized', 401);
    });

    it('a refused token is 401', async () => {
      await v4Fails(v4.as(signJwt(claims({ exp: now() - 60 }), k1)), q.Add(1, 1), 'unauthorized', 401);
    });
  });
});
