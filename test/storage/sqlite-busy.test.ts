// The coordinator's connection waits out another connection's momentary lock on the database
// file (src/storage/sqlite/engine.ts BUSY_TIMEOUT_MS) instead of failing the commit with
// SQLITE_BUSY ("database is locked", answered 500): here another thread holds the write lock for
// 50 ms while a transaction commits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqlite, sqliteDataFile } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';

/** Holds the write lock of `file` from another thread for `ms`; resolves once it holds it, and `released` once it let go. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(workerData.file, { timeout: 0 });
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('held');
    setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, workerData.ms);
  `, { eval: true, workerData: { file, ms } });
  return new Promise((resolve, reject) => {
    let release: () => void;
    const released = new Promise<void>((r) => { release = r; });
    worker.on('message', (m) => (m === 'held' ? resolve({ released }) : release()));
    worker.on('error', reject);
  });
}

test('a commit waits out another connection briefly holding the write lock', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-busy-'));
  const engine = await openSqlite(dir);
  try {
    const { released } = await holdWriteLock(sqliteDataFile(dir), 50);
    const t = await engine.begin();
    t.put(encodeKey(['busy', 1]), Buffer.from('v'));
    await t.commit();
    await released;
    const r = await engine.begin({ readOnly: true });
    assert.equal(Buffer.from((await r.get(encodeKey(['busy', 1])))!).toString(), 'v');
    await r.commit();
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
