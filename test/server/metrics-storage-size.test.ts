// The storage size behind fql_storage_bytes and the history's storage_bytes
// (src/server/metrics/storage-size.ts): SQLite's data directory files, read at most every 5 s,
// the last known size when a read fails. (PostgreSQL's pg_total_relation_size runs in
// e2e/metrics on the PostgreSQL pass.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORAGE_SIZE_TTL_MS, storageSize } from '../../src/server/metrics/storage-size';

test('sums the data directory\'s files, cached for 5 s, keeping the last size on failure', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fql-size-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'data.sqlite'), Buffer.alloc(100));
  writeFileSync(join(dir, 'data.sqlite-wal'), Buffer.alloc(200));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'ignored'), Buffer.alloc(1000));
  let now = 0;
  const size = storageSize({ dataDir: dir }, () => now);
  assert.equal(await size.read(), 300);
  writeFileSync(join(dir, 'data.sqlite-shm'), Buffer.alloc(150));
  now += STORAGE_SIZE_TTL_MS - 1;
  assert.equal(await size.read(), 300);
  now += 1;
  assert.equal(await size.read(), 450);
  rmSync(dir, { recursive: true, force: true });
  now += STORAGE_SIZE_TTL_MS;
  const errors: unknown[] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => { errors.push(args[0]); });
  assert.equal(await size.read(), 450);
  now += STORAGE_SIZE_TTL_MS;
  assert.equal(await size.read(), 450);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /^metrics: cannot read the storage size: ENOENT/);
  await size.close();
});
