// The stable point of the embedded engine (src/storage/sqlite/engine.ts stableTs) is held back
// by a transaction that may still write for WRITER_HOLD_MS at most (src/storage/writer-hold.ts).
// Found by probing (session 16): a slow read-only query's transaction, which counts as a writer
// until it says otherwise, held back every event stream and feed for its whole run (10 s in the
// probe; up to the query's deadline). Past the hold the point moves on, and the held writer's
// commit conflicts if it writes (retried by the query layer with a new ts), so that nothing
// lands below a point already passed; one that only read commits as before. A writer whose
// writes already reached the engine keeps the point until it ends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { KvConflictError, type Bytes } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';
import { EVICTED, WRITER_HOLD_MS } from '../../src/storage/writer-hold';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-writer-hold-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const key = (name: string): Bytes => encodeKey(['h', name]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a writer that wrote nothing holds the stable point for WRITER_HOLD_MS at most; then its commit may not write', async () => {
  const engine = await openSqlite(path.join(root, 'hold'));
  try {
    const slow = await engine.begin();
    const reader = await engine.begin();
    assert.equal(await engine.stableTs(), slow.ts - 1n, 'held below the running writer');
    // Another writer commits meanwhile: its ts is above the held point.
    const other = await engine.begin();
    await other.put(key('other'), Buffer.from('x'));
    await other.commit();
    assert.ok((await engine.stableTs()) < other.ts);
    await sleep(WRITER_HOLD_MS + 100);
    // Past the hold both held transactions are evicted (the reader counted as a writer too).
    assert.ok((await engine.stableTs()) >= other.ts, 'the stable point moved past the held writer');
    await slow.put(key('late'), Buffer.from('y'));
    await assert.rejects(slow.commit(), (e: unknown) => e instanceof KvConflictError && e.detail === EVICTED);
    // One that wrote nothing commits as before.
    assert.equal(await reader.get(key('late')), undefined);
    await reader.commit();
    // A new transaction writes as usual.
    const again = await engine.begin();
    await again.put(key('late'), Buffer.from('z'));
    await again.commit();
  } finally {
    await engine.close();
  }
});

test('a writer whose writes reached the engine keeps the stable point until it ends', async () => {
  const engine = await openSqlite(path.join(root, 'keep'));
  try {
    const writing = await engine.begin();
    await writing.put(key('early'), Buffer.from('w'));
    await sleep(WRITER_HOLD_MS + 100);
    assert.equal(await engine.stableTs(), writing.ts - 1n);
    await writing.commit();
    assert.ok((await engine.stableTs()) >= writing.ts);
  } finally {
    await engine.close();
  }
});
