import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash } from '@node-rs/bcrypt';
import { RootKeyChecker } from '../../src/auth/root-key';

test('cleartext root secrets', async () => {
  const c = new RootKeyChecker({ secrets: ['secret'], hashes: [] });
  assert.equal(await c.isRoot('secret'), true);
  assert.equal(await c.isRoot('secreT'), false);
  assert.equal(await c.isRoot(''), false);
});

test('bcrypt root secrets, verdicts cached', async () => {
  const h = await hash('s3cr3t', 4);
  const c = new RootKeyChecker({ secrets: [], hashes: [h] });
  assert.equal(await c.isRoot('s3cr3t'), true);
  assert.equal(await c.isRoot('nope'), false);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 1000; i++) assert.equal(await c.isRoot('s3cr3t'), true);
  assert.ok(process.hrtime.bigint() - t0 < 500_000_000n, 'cached checks are fast');
});

test('repeated bad secrets cost one verify; new ones run at most two at a time', async () => {
  let calls = 0;
  let running = 0;
  let peak = 0;
  const verify = async (secret: string): Promise<boolean> => {
    calls++;
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    return secret === 'root';
  };
  const c = new RootKeyChecker({ secrets: [], hashes: ['$2b$10$' + 'a'.repeat(53)], verify });
  // Negative verdicts are cached: 50 requests with one bad secret verify once.
  const same = await Promise.all(Array.from({ length: 50 }, () => c.isRoot('bad')));
  assert.deepEqual([same.every((v) => v === false), calls], [true, 1]);
  // 20 distinct random secrets: 20 verifies, never more than 2 at once.
  const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => c.isRoot(`random-${i}`)));
  assert.deepEqual([distinct.every((v) => v === false), calls, peak], [true, 21, 2]);
  assert.equal(await c.isRoot('root'), true);
  assert.equal(await c.isRoot('root'), true);
  assert.equal(calls, 22);
});

test('a failing verify counts as no match and frees its slot', async () => {
  let calls = 0;
  const verify = async (): Promise<boolean> => { calls++; throw new Error('bad hash'); };
  const c = new RootKeyChecker({ secrets: ['secret'], hashes: ['x'], verify, maxConcurrentVerifies: 1 });
  assert.deepEqual(await Promise.all([c.isRoot('a'), c.isRoot('b'), c.isRoot('secret')]), [false, false, true]);
  assert.equal(calls, 2);
});

test('a hash once matched costs no verify again: random secrets are refused by digest', async () => {
  // bcrypt reads only the first 72 bytes: a secret matches a hash exactly when those bytes are
  // the matched secret's. So after the root secret was presented once, nothing needs bcrypt.
  let calls = 0;
  const real = await hash('root-secret-of-the-operator', 4);
  const { verify: bcryptVerify } = await import('@node-rs/bcrypt');
  const verify = (secret: string, h: string): Promise<boolean> => { calls++; return bcryptVerify(secret, h); };
  const c = new RootKeyChecker({ secrets: [], hashes: [real], verify });
  // Before any match, a new secret costs a verify.
  assert.equal(await c.isRoot('random-before'), false);
  assert.equal(calls, 1);
  assert.equal(await c.isRoot('root-secret-of-the-operator'), true);
  assert.equal(calls, 2);
  const randoms = await Promise.all(Array.from({ length: 200 }, (_, i) => c.isRoot(`random-${i}-${Math.random()}`)));
  assert.ok(randoms.every((v) => v === false));
  assert.equal(calls, 2, 'random secrets ran bcrypt after the hash was matched');
  // The verdicts are bcrypt's: only the first 72 bytes count.
  const long = 'x'.repeat(72);
  const h72 = await hash(long, 4);
  const c72 = new RootKeyChecker({ secrets: [], hashes: [h72] });
  assert.equal(await c72.isRoot(long), true);
  assert.equal(await c72.isRoot(long + 'tail'), true);
  assert.equal(await c72.isRoot('x'.repeat(71)), false);
  assert.equal(await c72.isRoot('y' + 'x'.repeat(71)), false);
  // Two hashes: each learned on its own.
  let calls2 = 0;
  const h1 = await hash('one', 4);
  const h2 = await hash('two', 4);
  const c2 = new RootKeyChecker({ secrets: [], hashes: [h1, h2], verify: (s, h) => { calls2++; return bcryptVerify(s, h); } });
  assert.equal(await c2.isRoot('one'), true);
  assert.equal(calls2, 1);
  assert.equal(await c2.isRoot('two'), true); // h1 known (no verify), h2 verified
  assert.equal(calls2, 2);
  assert.equal(await c2.isRoot('three'), false);
  assert.equal(calls2, 2);
});
