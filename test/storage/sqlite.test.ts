import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { KvConflictError } from '../../src/storage/kv';
import { openStorage } from '../../src/storage/open';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';
import { registerEngineSuite } from './engine-suite';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-sqlite-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const suiteDir = path.join(root, 'suite');
registerEngineSuite({ name: 'sqlite', open: () => openSqlite(suiteDir), commitsInTsOrder: false });

test('sqlite: the data directory holds data.sqlite and cannot be opened twice', async () => {
  const dir = path.join(root, 'exclusive');
  const engine = await openStorage({ dataDir: dir });
  assert.equal(engine.kind, 'sqlite');
  assert.ok(fs.existsSync(path.join(dir, 'data.sqlite')));
  await assert.rejects(openSqlite(dir), /is in use by another process/);
  await engine.close();
  const again = await openSqlite(dir);
  await again.close();
});

test('sqlite: a transaction older than the commit log conflicts', async () => {
  const engine = await openSqlite(path.join(root, 'small-log'), { commitLogCapacity: 2 });
  const old = await engine.begin();
  await old.get(encodeKey(['x']));
  for (let i = 0; i < 3; i++) {
    const t = await engine.begin();
    t.put(encodeKey(['y', i]), new Uint8Array([i]));
    await t.commit();
  }
  old.put(encodeKey(['z']), new Uint8Array([1]));
  await assert.rejects(old.commit(), (err: unknown) => err instanceof KvConflictError && /too old/.test(err.message));
  await engine.close();
});

test('openStorage rejects URLs that are not PostgreSQL', async () => {
  await assert.rejects(openStorage({ url: 'mysql://localhost/db' }), /expected a postgres:\/\/ or postgresql:\/\/ URL/);
});
