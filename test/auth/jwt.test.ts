// Unit tests of JWT parsing, database audiences and the JWKS cache. Sources (fauna/faunadb core):
// net/security/JWT.scala (three base64url parts), JWTValidator.scala (`basicValidations`: HS*
// refused, `now >= exp` and `now <= nbf` refused; JWKSLoadingValue: refetch on an unknown kid at
// most every 500 ms), JWK.scala (RSA keys only, RS256/384/512, `JWKS.findJWK`), auth/JWTToken.scala
// (`canonicalDBUrl`, `parseGlobalID`), model/Database.scala (`encodeGlobalID`: z-base-32).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { audiencesOf, hasJwtShape, isJwtSecret, LEEWAY_S, parseJwt, timelyAt } from '../../src/auth/jwt';
import { JwksCache, parseJwks, REFETCH_INTERVAL_MS, TTL_MS, verifyJws } from '../../src/auth/jwks';
import { RootKeyChecker } from '../../src/auth/root-key';
import { audienceOf, databaseOfAudience, encodeGlobalId } from '../../src/model/identity/audience';
import { hmacForgery, newSigningKey, signJwt } from '../e2e/jwt-helpers';

const key = newSigningKey('k1');

describe('parseJwt', () => {
  it('reads a signed token and verifies with its key', () => {
    const jwt = parseJwt(signJwt({ sub: 'u' }, key, { alg: 'RS384' }))!;
    assert.equal(jwt.alg, 'RS384');
    assert.equal(jwt.kid, 'k1');
    assert.deepEqual(jwt.payload, { sub: 'u' });
    const [k] = parseJwks({ keys: [{ ...key.jwk, alg: undefined }] });
    assert.equal(verifyJws('RS384', k.key, jwt.signingInput, jwt.signature), true);
    assert.equal(verifyJws('RS256', k.key, jwt.signingInput, jwt.signature), false);
  });

  it('refuses unsigned, HMAC, unknown-algorithm, crit and malformed tokens', () => {
    assert.equal(parseJwt(signJwt({}, key, { alg: 'none' })), undefined);
    assert.equal(parseJwt(hmacForgery({}, key, key.publicPem)), undefined);
    for (const alg of ['HS384', 'HS512', 'ES256', 'PS256', 'EdDSA', 'rs256']) assert.equal(parseJwt(signJwt({}, key, { alg })), undefined, alg);
    assert.equal(parseJwt(signJwt({}, key, { crit: ['exp'] })), undefined);
    assert.equal(parseJwt(signJwt({}, key, { kid: 7 })), undefined);
    for (const bad of ['a.b.c', 'x..y', 'a.b', 'a.b.c.d', `${Buffer.from('[1]').toString('base64url')}.e30.c2ln`]) assert.equal(parseJwt(bad), undefined, bad);
  });

  it('tells JWTs from other secrets', () => {
    assert.equal(isJwtSecret('fnAbc'), false);
    assert.equal(isJwtSecret('a.b.c'), true);
    assert.equal(hasJwtShape(signJwt({}, key)), true);
    assert.equal(hasJwtShape(hmacForgery({}, key, 'x')), true);
    assert.equal(hasJwtShape('my.root.secret'), false);
  });
});

describe('time claims', () => {
  const t = 1_000_000;
  it('core refuses now >= exp and now <= nbf; a few seconds of skew are allowed', () => {
    assert.equal(timelyAt({}, t), true);
    assert.equal(timelyAt({ exp: t + 1 }, t), true);
    assert.equal(timelyAt({ exp: t - LEEWAY_S + 1 }, t), true);
    assert.equal(timelyAt({ exp: t - LEEWAY_S }, t), false);
    assert.equal(timelyAt({ nbf: t + LEEWAY_S - 1 }, t), true);
    assert.equal(timelyAt({ nbf: t + LEEWAY_S }, t), false);
    assert.equal(timelyAt({ exp: String(t + 100) }, t), false);
    assert.equal(timelyAt({ nbf: null }, t), false);
  });

  it('aud is a string or an array of strings', () => {
    assert.deepEqual(audiencesOf({ aud: 'x' }), ['x']);
    assert.deepEqual(audiencesOf({ aud: ['x', 'y'] }), ['x', 'y']);
    assert.equal(audiencesOf({ aud: ['x', 1] }), undefined);
    assert.equal(audiencesOf({}), undefined);
  });
});

describe('database audiences', () => {
  it('z-base-32, least significant digit first, round trips only in canonical form', () => {
    assert.equal(encodeGlobalId(0n), 'yyyyyyyyyyyyy');
    assert.equal(audienceOf(1), 'https://db.fauna.com/db/byyyyyyyyyyyy');
    for (const db of [0, 1, 31, 32, 12345, Number.MAX_SAFE_INTEGER]) assert.equal(databaseOfAudience(audienceOf(db)), db);
    assert.equal(databaseOfAudience('https://db.fauna.com/db/byyyyyyyyyyy'), undefined);
    assert.equal(databaseOfAudience('https://db.fauna.com/db/byyyyyyyyyyyyy'), undefined);
    assert.equal(databaseOfAudience('https://db.fauna.com/db/Byyyyyyyyyyyy'), undefined);
    assert.equal(databaseOfAudience('https://db.fauna.com/db/9999999999999'), undefined);
    assert.equal(databaseOfAudience('http://db.fauna.com/db/byyyyyyyyyyyy'), undefined);
  });
});

describe('parseJwks', () => {
  it('keeps RSA signing keys of at least 2048 bits, public members only', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const priv = { ...(key.privateKey.export({ format: 'jwk' }) as object), kid: 'priv' };
    const keys = parseJwks({ keys: [key.jwk, { ...small, kid: 'small' }, { ...ec, kid: 'ec' }, { ...key.jwk, kid: 'enc', use: 'enc' },
      { ...key.jwk, kid: 'ops', key_ops: ['encrypt'] }, priv, 'junk', null] });
    assert.deepEqual(keys.map((k) => k.kid), ['k1', 'priv']);
    assert.ok(keys.every((k) => k.key.type === 'public'));
    assert.throws(() => parseJwks({ nokeys: [] }), /not a JSON Web Key Set/);
    assert.throws(() => parseJwks(null), /not a JSON Web Key Set/);
  });
});

/** A cache over a scripted fetcher and clock. */
function harness() {
  let clock = 0;
  const calls: string[] = [];
  let answer: () => Promise<unknown> = async () => ({ keys: [key.jwk] });
  const reports: string[] = [];
  const cache = new JwksCache(async (uri) => { calls.push(uri); return answer(); }, () => clock, 100, (m) => reports.push(m));
  return {
    cache, calls, reports,
    tick: (ms: number) => { clock += ms; },
    now: () => clock,
    answer: (f: () => Promise<unknown>) => { answer = f; },
  };
}

const URI = 'https://idp.example.com/jwks.json';

describe('JwksCache', () => {
  it('asks for a fetch, then serves the key without fetching again', async () => {
    const h = harness();
    assert.deepEqual(h.cache.lookup(URI, 'k1', 'RS256'), { kind: 'fetch' });
    await h.cache.refresh(URI);
    assert.equal(h.cache.lookup(URI, 'k1', 'RS256').kind, 'key');
    h.tick(TTL_MS - 1);
    assert.equal(h.cache.lookup(URI, 'k1', 'RS256').kind, 'key');
    assert.deepEqual(h.calls, [URI]);
  });

  it('a key meant for another algorithm is refused', async () => {
    const h = harness();
    await h.cache.refresh(URI);
    assert.equal(h.cache.lookup(URI, 'k1', 'RS512').kind, 'missing');
  });

  it('concurrent refreshes share one fetch', async () => {
    const h = harness();
    await Promise.all([h.cache.refresh(URI), h.cache.refresh(URI), h.cache.refresh(URI)]);
    assert.equal(h.calls.length, 1);
  });

  it('an unknown kid refetches at most every 500 ms (rotation)', async () => {
    const h = harness();
    await h.cache.refresh(URI);
    assert.deepEqual(h.cache.lookup(URI, 'k2', 'RS256'), { kind: 'missing', reason: 'no key with kid "k2"' });
    h.tick(REFETCH_INTERVAL_MS);
    assert.deepEqual(h.cache.lookup(URI, 'k2', 'RS256'), { kind: 'fetch' });
    const k2 = newSigningKey('k2');
    h.answer(async () => ({ keys: [key.jwk, k2.jwk] }));
    await h.cache.refresh(URI);
    assert.equal(h.cache.lookup(URI, 'k2', 'RS256').kind, 'key');
    assert.equal(h.calls.length, 2);
  });

  it('failures are reported, keep the last good keys, and back off', async () => {
    const h = harness();
    await h.cache.refresh(URI);
    h.answer(async () => { throw new Error('HTTP status 503'); });
    h.tick(REFETCH_INTERVAL_MS);
    await h.cache.refresh(URI);
    assert.deepEqual(h.reports, [`cannot fetch the JWKS from ${URI}: HTTP status 503`]);
    assert.equal(h.cache.lookup(URI, 'k1', 'RS256').kind, 'key');
    assert.deepEqual(h.cache.lookup(URI, 'k9', 'RS256'), { kind: 'missing', reason: `cannot fetch the JWKS from ${URI}: HTTP status 503` });
    // After 1 failure: 500 ms; after 2: 1 s.
    h.tick(REFETCH_INTERVAL_MS);
    assert.equal(h.cache.lookup(URI, 'k9', 'RS256').kind, 'fetch');
    await h.cache.refresh(URI);
    h.tick(REFETCH_INTERVAL_MS);
    assert.equal(h.cache.lookup(URI, 'k9', 'RS256').kind, 'missing');
    h.tick(REFETCH_INTERVAL_MS);
    assert.equal(h.cache.lookup(URI, 'k9', 'RS256').kind, 'fetch');
  });

  it('a fetch that never answers gives up after the timeout; later lookups join it, not fetch again', async () => {
    const h = harness();
    h.answer(() => new Promise(() => undefined));
    const t = Date.now();
    await h.cache.refresh(URI, 50);
    assert.ok(Date.now() - t < 1000);
    // One fetch in flight per URI: others wait on it (core JWKSLoadingValue).
    assert.equal(h.cache.lookup(URI, 'k1', 'RS256').kind, 'fetch');
    await h.cache.refresh(URI, 10);
    assert.equal(h.calls.length, 1);
  });

  it('ensure (for a worker lacking a key) fetches only when lookup here would', async () => {
    const h = harness();
    const want = { uri: URI, kid: 'k1', alg: 'RS256' } as const;
    await Promise.all([h.cache.ensure(want, 1000), h.cache.ensure(want, 1000)]);
    assert.deepEqual(h.calls, [URI]);
    await h.cache.ensure(want, 1000); // known here: nothing to fetch
    await h.cache.ensure({ ...want, kid: 'k2' }, 1000); // unknown kid, but fetched just now
    assert.deepEqual(h.calls, [URI]);
    h.tick(REFETCH_INTERVAL_MS);
    await h.cache.ensure({ ...want, kid: 'k2' }, 1000);
    assert.deepEqual(h.calls, [URI, URI]);
  });

  it('a mirror (a query worker) never fetches: it asks, takes the state it is given, and reports stale sets', async () => {
    const h = harness();
    const asked: string[] = [];
    const mirror = new JwksCache(async () => { throw new Error('a mirror fetched'); }, h.now, 100);
    mirror.delegateTo({ need: async (w) => { asked.push(`need ${w.uri} ${w.kid}`); }, stale: (uri) => { asked.push(`stale ${uri}`); } });
    assert.deepEqual(mirror.lookup(URI, 'k1', 'RS256'), { kind: 'fetch' });
    await mirror.obtain({ uri: URI, kid: 'k1', alg: 'RS256' }, 1000);
    const settled: string[] = [];
    h.cache.onSettled((uri, state) => { settled.push(uri); mirror.install(uri, structuredClone(state)); });
    await h.cache.refresh(URI);
    assert.deepEqual(settled, [URI]);
    assert.equal(mirror.lookup(URI, 'k1', 'RS256').kind, 'key');
    h.tick(TTL_MS);
    assert.equal(mirror.lookup(URI, 'k1', 'RS256').kind, 'key');
    assert.equal(mirror.lookup(URI, 'k1', 'RS256').kind, 'key'); // asked once per refetch interval
    assert.deepEqual(asked, [`need ${URI} k1`, `stale ${URI}`]);
  });

  it('a stale set keeps serving while it is refreshed in the background', async () => {
    const h = harness();
    await h.cache.refresh(URI);
    h.tick(TTL_MS);
    assert.equal(h.cache.lookup(URI, 'k1', 'RS256').kind, 'key');
    assert.equal(h.calls.length, 2);
  });

  it('only https URIs are fetched', async () => {
    const h = harness();
    await h.cache.refresh('http://idp.example.com/jwks.json');
    assert.deepEqual(h.calls, []);
    assert.equal(h.reports.length, 1);
  });

});

describe('root secrets', () => {
  it('a JWT never costs a bcrypt verify', async () => {
    let calls = 0;
    const c = new RootKeyChecker({ secrets: [], hashes: ['$2b$10$' + 'a'.repeat(53)], verify: async () => { calls++; return false; } });
    assert.equal(await c.isRoot(signJwt({}, key)), false);
    assert.equal(await c.isRoot('a.b.c'), false);
    assert.equal(calls, 1);
  });
});
