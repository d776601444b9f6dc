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
