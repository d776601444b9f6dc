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
