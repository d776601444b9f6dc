// The test-only switch FQL_TEST_UNSAFE_NO_VALIDATION (src/storage/sqlite/engine.ts): off unless
// asked for, and when on, a lost update that validation rejects commits. It exists only for the
// negative control of test/e2e/consistency-checker.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { KvConflictError, type KvEngine } from '../../src/storage/kv';
import { openSqlite, UNSAFE_NO_VALIDATION_ENV } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-unsafe-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const key = encodeKey(['u', 'counter']);

/** Two read-modify-write transactions on one key, interleaved: the second one's read is stale. */
async function lostUpdate(engine: KvEngine): Promise<{ second: 'committed' | 'conflict'; value: string }> {
  const setup = await engine.begin();
  setup.put(key, Buffer.from('0'));
  await setup.commit();
  const a = await engine.begin();
  const b = await engine.begin();
  const va = Number(Buffer.from((await a.get(key))!).toString());
  const vb = Number(Buffer.from((await b.get(key))!).toString());
  a.put(key, Buffer.from(String(va + 1)));
  await a.commit();
  b.put(key, Buffer.from(String(vb + 1)));
  let second: 'committed' | 'conflict' = 'committed';
  try {
    await b.commit();
  } catch (e) {
    assert.ok(e instanceof KvConflictError, String(e));
    second = 'conflict';
  }
  const r = await engine.begin({ readOnly: true });
  const value = Buffer.from((await r.get(key))!).toString();
  await r.commit();
  await engine.close();
  return { second, value };
}

test('validation is on by default and rejects the lost update', async () => {
  assert.equal(process.env[UNSAFE_NO_VALIDATION_ENV], undefined);
  assert.deepEqual(await lostUpdate(await openSqlite(path.join(root, 'safe'))), { second: 'conflict', value: '1' });
});

test('with the test-only switch the lost update commits (the checker\'s negative control)', async () => {
  assert.deepEqual(await lostUpdate(await openSqlite(path.join(root, 'unsafe'), { unsafeNoValidation: true })), { second: 'committed', value: '1' });
});
