// authenticate() with JWTs below the HTTP layer, with a scripted JWKS fetcher. Sources: core
// auth/JWTToken.scala (`fromToken`: database from `aud`, provider by `iss`, key by `kid`;
// `getJWTAuth`: roles from predicates over the payload), auth/Auth.scala (`isJWT`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JwksCache } from '../../src/auth/jwks';
import { parseSecret } from '../../src/auth/secret-parse';
import { authenticate } from '../../src/model/identity/authenticate';
import { audienceOf } from '../../src/model/identity/audience';
import { ROOT_DB } from '../../src/model/keys';
import { newSigningKey, signJwt } from '../e2e/jwt-helpers';
import { newService, ROOT, type TestService } from './service';

const ISSUER = 'https://unit.example.com/';
const URI = 'https://unit.example.com/jwks.json';

describe('authenticate with a JWT', () => {
  let svc: TestService;
  const key = newSigningKey('k1');
  const fetched: string[] = [];
  const cache = new JwksCache(async (uri) => { fetched.push(uri); return { keys: [key.jwk] }; }, Date.now, 1000, () => undefined);
  const token = (extra: Record<string, unknown> = {}): string =>
    signJwt({ iss: ISSUER, aud: audienceOf(ROOT_DB), exp: Math.floor(Date.now() / 1000) + 60, ...extra }, key);

  before(async () => {
    svc = await newService();
    await svc.data(ROOT, `Collection.create({ name: "Things" })
      Role.create({ name: "r1", privileges: { resource: "Things", actions: { read: true } } })
      Role.create({ name: "r2" })
      AccessProvider.create({ name: "p", issuer: "${ISSUER}", jwks_uri: "${URI}", roles: ["r1", { role: "r2", predicate: "c => c.x == 1" }] })
      null`);
  });
  after(() => svc.close());

  const outcome = async (secret: string) => {
    const kv = await svc.engine.begin({ readOnly: true });
    try {
      return await authenticate(kv, parseSecret(secret)!, false, cache);
    } finally {
      await kv.rollback();
    }
  };

  it('asks for the keys first, then yields a principal holding no role until its predicates ran', async () => {
    assert.deepEqual(await outcome(token()), { kind: 'fetchKeys', want: { uri: URI, kid: 'k1', alg: 'RS256' } });
    assert.deepEqual(fetched, []);
    await cache.refresh(URI);
    const o = await outcome(token({ x: 1 }));
    assert.equal(o.kind, 'principal');
    if (o.kind !== 'principal') return;
    assert.equal(o.principal.db, ROOT_DB);
    assert.deepEqual(o.principal.access, { kind: 'roles', names: [] });
    assert.equal(o.principal.identity, undefined);
    assert.deepEqual(o.principal.jwt?.pending, [{ role: 'r1' }, { role: 'r2', predicate: { t: 'string', v: 'c => c.x == 1' } }]);
    assert.deepEqual(o.principal.jwt?.claims.v.get('x'), { t: 'long', v: 1n });
    assert.deepEqual(fetched, [URI]);
  });

  it('refuses a scoped JWT and a JWT for a database without that issuer', async () => {
    assert.equal((await outcome(`${token()}:admin`)).kind, 'refused');
    assert.equal((await outcome(token({ aud: audienceOf(12345) }))).kind, 'refused');
  });

});
