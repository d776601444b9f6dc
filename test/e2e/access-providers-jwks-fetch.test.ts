// Where access provider keys (JWKS) are fetched: once for the whole process, on the main thread,
// never by a query worker (src/auth/jwks.ts, src/exec/pool/worker-pool.ts). Core fetches a
// provider's keys in JWKUrlProvider, one cache per node with one load in flight per URI
// (JWKSLoadingValue); a query never waits on it while holding an executor. Here, a JWT whose keys
// are not known is handed back to the pool, which waits for the fetch without holding a worker,
// so an admin who points `jwks_uri` at an endpoint that hangs cannot stall the workers of every
// tenant by sending tokens from many addresses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data } from './identity-helpers';
import { newSigningKey, queryFrom, signJwt, startIdentityProvider, type IdentityProvider, type RawAnswer } from './jwt-helpers';

const now = (): number => Math.floor(Date.now() / 1000);
const UNAUTHORIZED: RawAnswer = { status: 401, data: undefined, error: { code: 'unauthorized', message: 'Access token required' } };
/** Distinct client addresses (the pool schedules fairly per address and caps each one). */
const addresses = (n: number, from: number): string[] => Array.from({ length: n }, (_, i) => `127.0.0.${from + i}`);

for (const workers of [2, 0]) {
  describe(`access provider keys are fetched once per process, by no query worker (--workers ${workers})`, () => {
    let idp: IdentityProvider;
    let server: TestServer;
    let clients: Clients;
    let audience: string;
    const key = newSigningKey('k1');
    const token = (iss: string): string =>
      signJwt({ iss, aud: audience, sub: 'user-1', iat: now(), exp: now() + 600 }, key);

    before(async () => {
      idp = await startIdentityProvider();
      idp.routes.set('/once.json', { kind: 'jwks', keys: [key.jwk] });
      idp.routes.set('/hang.json', { kind: 'hang' });
      // With 2 workers the pool runs at most 2 + 2 reserve at once.
      server = await startServer({ env: idp.env, args: ['--workers', String(workers)] });
      clients = new Clients(server);
      await data(clients.as('secret'), fql`Database.create({ name: "app" }); null`);
      audience = await data(clients.as('secret:app:admin'), fql`
        Collection.create({ name: "Notes" })
        Notes.create({ text: "a note" })
        Role.create({ name: "reader", privileges: [{ resource: "Notes", actions: { read: true } }] })
        AccessProvider.create({ name: "hang", issuer: "https://hang.example.com/", jwks_uri: ${idp.url('/hang.json')}, roles: "reader" })
        AccessProvider.create({ name: "once", issuer: "https://once.example.com/", jwks_uri: ${idp.url('/once.json')}, roles: "reader" }).audience`);
    });

    after(async () => {
      clients?.close();
      await server?.dispose();
      await idp?.close();
    });

    it('many first requests from many clients share one fetch', async () => {
      const answers = await Promise.all(addresses(12, 10).map((from) => queryFrom(server.port, from, token('https://once.example.com/'), 'Notes.all().count()')));
      assert.deepEqual(answers, answers.map(() => ({ status: 200, data: 1 })));
      assert.equal(idp.hits.get('/once.json'), 1);
      // Later requests, on any worker, use the cached set.
      const more = await Promise.all(addresses(6, 30).map((from) => queryFrom(server.port, from, token('https://once.example.com/'), 'Notes.all().count()')));
      assert.deepEqual(more, more.map(() => ({ status: 200, data: 1 })));
      assert.equal(idp.hits.get('/once.json'), 1);
    });

    it('requests waiting on a JWKS endpoint that hangs hold no worker: other queries run at once', async () => {
      const t = performance.now();
      // Three times the workers, each from its own address.
      const hanging = Promise.all(addresses(6, 40).map((from) => queryFrom(server.port, from, token('https://hang.example.com/'), '1 + 1')));
      await new Promise((r) => setTimeout(r, 300));
      const q = performance.now();
      assert.deepEqual(await queryFrom(server.port, '127.0.0.2', 'secret', '1 + 1'), { status: 200, data: 2 });
      const latency = performance.now() - q;
      // Holding a worker per hanging request, this waited for the 5 s fetch timeout.
      assert.ok(latency < 2000, `an ordinary query took ${latency} ms while JWT requests waited on a hanging JWKS endpoint`);
      const answers = await hanging;
      const took = performance.now() - t;
      assert.deepEqual(answers, answers.map(() => UNAUTHORIZED));
      assert.ok(took >= 4500 && took < 12_000, `hanging JWKS answered after ${took} ms`);
      assert.equal(idp.hits.get('/hang.json'), 1);
    });
  });
}

describe('access provider keys come from public addresses only, unless the operator allows private ones', () => {
  let idp: IdentityProvider;
  let server: TestServer;
  let clients: Clients;
  let audience: string;
  const key = newSigningKey('k1');

  before(async () => {
    idp = await startIdentityProvider();
    idp.routes.set('/jwks.json', { kind: 'jwks', keys: [key.jwk] });
    // Trusts the provider's certificate, but without ALLOW_PRIVATE_JWKS.
    server = await startServer({ env: { NODE_EXTRA_CA_CERTS: idp.env.NODE_EXTRA_CA_CERTS } });
    clients = new Clients(server);
    await data(clients.as('secret'), fql`Database.create({ name: "app" }); null`);
    // A tenant's admin points the server at its own loopback (a name and a literal).
    audience = await data(clients.as('secret:app:admin'), fql`
      Collection.create({ name: "Notes" })
      Role.create({ name: "reader", privileges: [{ resource: "Notes", actions: { read: true } }] })
      AccessProvider.create({ name: "byName", issuer: "https://name.example.com/", jwks_uri: ${idp.url('/jwks.json').replace('127.0.0.1', 'localhost')}, roles: "reader" })
      AccessProvider.create({ name: "literal", issuer: "https://literal.example.com/", jwks_uri: ${idp.url('/jwks.json')}, roles: "reader" }).audience`);
  });

  after(async () => {
    clients?.close();
    await server?.dispose();
    await idp?.close();
  });

  it('a jwks_uri on a loopback address is never fetched: its tokens are refused', async () => {
    for (const iss of ['https://name.example.com/', 'https://literal.example.com/']) {
      const jwt = signJwt({ iss, aud: audience, sub: 'user-1', iat: now(), exp: now() + 600 }, key);
      assert.deepEqual(await queryFrom(server.port, '127.0.0.2', jwt, 'Notes.all().count()'), UNAUTHORIZED);
    }
    assert.equal(idp.hits.get('/jwks.json'), undefined, 'the server contacted the loopback address');
    assert.match(server.output(), /access providers: .*(127\.0\.0\.1|::1).*not a public address/);
  });
});
