// The embedded engine keeps one WAL read lock held between writes, so that the workers' reads
// take no fcntl() lock of their own (src/storage/sqlite/shared-lock-pin.ts), and lets go of it
// while a group is written, so that the WAL still restarts and is checkpointed. The lock is
// observed in /proc/locks (Linux): a read-mark lock is a POSIX read lock on one of bytes 123–127
// of the -shm file (SQLite's os_unix.c: UNIX_SHM_BASE 120 + WAL_READ_LOCK(0..4)).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Bytes } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-shared-pin-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** WAL read-mark locks this process holds in `file`'s -shm, from /proc/locks. */
function readMarkLocks(file: string): number {
  const shm = `${file}-shm`;
  if (!fs.existsSync(shm)) return 0;
  const ino = fs.statSync(shm).ino;
  return fs.readFileSync('/proc/locks', 'utf8').split('\n').filter((line) => {
    const f = line.trim().split(/\s+/);
    // "2: POSIX  ADVISORY  READ 1234 fe:00:5678 124 124"
    const start = Number(f[6]);
    return f[1] === 'POSIX' && f[3] === 'READ' && f[4] === String(process.pid) && f[5]?.split(':')[2] === String(ino) && start >= 123 && start <= 127;
  }).length;
}

const value = (n: number): Bytes => Buffer.alloc(3000, n % 251);

test('sqlite shared lock pin: held while idle, so reads take no lock of their own; none left after close', { skip: !fs.existsSync('/proc/locks') }, async () => {
  const dir = path.join(root, 'held');
  const engine = await openSqlite(dir);
  const file = path.join(dir, 'data.sqlite');
  assert.equal(readMarkLocks(file), 1, 'the idle engine holds one WAL read-mark lock');
  const w = await engine.begin();
  w.put(encodeKey(['pin', 1]), value(1));
  await w.commit();
  assert.equal(readMarkLocks(file), 1, 'taken again after a group was written');
  await engine.close();
  assert.equal(readMarkLocks(file), 0);
  assert.equal(fs.existsSync(`${file}-wal`), false, 'the last connection closed removes the WAL');
});

test('sqlite shared lock pin: the WAL does not grow without bound under many small groups', async () => {
  const dir = path.join(root, 'wal');
  const engine = await openSqlite(dir);
  const wal = path.join(dir, 'data.sqlite-wal');
  // 4,000 groups of one transaction writing a 3 KB value to one of a few keys: about 8,000 WAL
  // frames of 4 KiB (32 MB) if the WAL never restarted; SQLite's autocheckpoint (1,000 pages)
  // and restart keep it near 4 MB.
  let largest = 0;
  for (let i = 0; i < 4000; i++) {
    const t = await engine.begin();
    t.put(encodeKey(['wal', i % 8]), value(i));
    await t.commit();
    if (i % 100 === 99) largest = Math.max(largest, fs.statSync(wal).size);
  }
  await engine.close();
  assert.ok(largest < 12 * 1024 * 1024, `WAL grew to ${largest} bytes`);
});
