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

test('sqlite: scanMany (one read transaction for all scans) answers as scan each, own writes and read set included', async () => {
  const engine = await openSqlite(path.join(root, 'scan-many'));
  const k = (...p: (string | number)[]) => encodeKey(['s', ...p]);
  const seed = await engine.begin();
  for (let i = 0; i < 6; i++) seed.put(k(i), new Uint8Array([i]));
  await seed.commit();
  const t = await engine.begin();
  t.put(k(2), new Uint8Array([20]));
  t.delete(k(4));
  const scans = [
    { start: k(0), end: k(9) },
    { start: k(1), end: k(9), limit: 2 },
    { start: k(0), end: k(5), limit: 2, reverse: true },
    { start: k(7), end: k(9) },
  ];
  const values = (rows: { value: Uint8Array }[]) => rows.map((r) => r.value[0]);
  const many = (await t.scanMany!(scans)).map(values);
  assert.deepEqual(many, [[0, 1, 20, 3, 5], [1, 20], [3, 20], []]);
  assert.deepEqual(many, await Promise.all(scans.map(async (s) => values(await t.scan(s)))));
  // Many scans: overlapping ranges, limits that own writes and deletes change, no limit.
  const forward = Array.from({ length: 21 }, (_, i) => ({ start: k(i % 7), end: k(i % 3 === 0 ? 9 : (i % 7) + 2), ...(i % 4 === 3 ? {} : { limit: 1 + (i % 3) }) }));
  const batched = (await t.scanMany!(forward)).map(values);
  assert.deepEqual(batched, await Promise.all(forward.map(async (s) => values(await t.scan(s)))));
  assert.deepEqual(batched.slice(0, 4), [[0], [1, 20], [20, 3], [3, 5]]);
  await t.rollback();
  // What scanMany read counts at commit: a write into a range only it scanned conflicts.
  const reader = await engine.begin();
  await reader.scanMany!([{ start: k(7), end: k(9) }]);
  reader.put(k('w'), new Uint8Array([1]));
  const other = await engine.begin();
  other.put(k(8), new Uint8Array([8]));
  await other.commit();
  await assert.rejects(reader.commit(), (err: unknown) => err instanceof KvConflictError);
  await engine.close();
});
