// Group commit of the embedded engine (src/storage/sqlite/engine.ts, issue 12): commits that
// arrive together are validated one by one in arrival order and written in one SQLite
// transaction (one fsync); a conflicting member fails alone; every acknowledged write is there
// after reopening. Durability under kill -9 is covered by sqlite-crash.test.ts and
// e2e/durability.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { KvConflictError, type Bytes, type KvEngine } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-group-commit-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const text = (s: string): Bytes => Buffer.from(s, 'utf8');
const str = (b: Bytes | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const key = (name: string): Bytes => encodeKey(['g', name]);

async function readAll(engine: KvEngine, names: readonly string[]): Promise<(string | undefined)[]> {
  const t = await engine.begin({ readOnly: true });
  const out: (string | undefined)[] = [];
  for (const n of names) out.push(str(await t.get(key(n))));
  await t.commit();
  return out;
}

async function settle(p: Promise<void>): Promise<'committed' | string> {
  try {
    await p;
    return 'committed';
  } catch (e) {
    return e instanceof KvConflictError ? `conflict: ${e.detail}` : `error: ${(e as Error).message}`;
  }
}

test('sqlite group commit: concurrent commits share one write; a conflicting one fails alone; all acknowledged writes survive reopening', async () => {
  const dir = path.join(root, 'group');
  const groups: number[] = [];
  let engine = await openSqlite(dir, { onGroupWritten: (n) => groups.push(n) });
  const init = await engine.begin();
  init.put(key('x'), text('init'));
  await init.commit();
  assert.deepEqual(groups, [1]);
  groups.length = 0;

  // `reader` reads x and writes y; `writer` overwrites x and commits first, in the same group:
  // validated after it, `reader` read a value the group already replaced.
  const reader = await engine.begin();
  assert.equal(str(await reader.get(key('x'))), 'init');
  reader.put(key('y'), text('from reader'));
  const writer = await engine.begin();
  writer.put(key('x'), text('from writer'));
  const others = await Promise.all([1, 2, 3, 4, 5].map(async (i) => {
    const t = await engine.begin();
    t.put(key(`k${i}`), text(`v${i}`));
    return t;
  }));
  const outcomes = await Promise.all([writer, reader, ...others].map((t) => settle(t.commit())));
  assert.deepEqual(outcomes, [
    'committed', 'conflict: data read by this transaction was modified concurrently',
    'committed', 'committed', 'committed', 'committed', 'committed',
  ]);
  assert.deepEqual(groups, [6], 'the six accepted transactions were written together');

  await engine.close();
  engine = await openSqlite(dir);
  assert.deepEqual(await readAll(engine, ['x', 'y', 'k1', 'k2', 'k3', 'k4', 'k5']),
    ['from writer', undefined, 'v1', 'v2', 'v3', 'v4', 'v5']);
  await engine.close();
});

test('sqlite group commit: a queued write is invisible until written; a reader of its keys queues behind it', async () => {
  const engine = await openSqlite(path.join(root, 'visibility'));
  const w = await engine.begin();
  w.put(key('hot'), text('new'));
  const committing = w.commit();
  // Begun after the commit was requested, before the group was written: reads the old state.
  const r = await engine.begin({ readOnly: true });
  assert.equal(str(await r.get(key('hot'))), undefined);
  // Validated at once, `r` (newer ts, read `hot`) would make the writer fail; queued behind it,
  // `r` is the one that conflicts.
  assert.equal(await settle(r.commit()), 'conflict: data read by this transaction was modified concurrently');
  assert.equal(await settle(committing), 'committed');
  assert.deepEqual(await readAll(engine, ['hot']), ['new']);
  await engine.close();
});

test('sqlite group commit: commits queued when the engine closes are written first', async () => {
  const dir = path.join(root, 'close');
  let engine = await openSqlite(dir);
  const txns = await Promise.all([1, 2, 3].map(async (i) => {
    const t = await engine.begin();
    t.put(key(`c${i}`), text(`v${i}`));
    return t;
  }));
  const commits = txns.map((t) => settle(t.commit()));
  await engine.close();
  assert.deepEqual(await Promise.all(commits), ['committed', 'committed', 'committed']);
  engine = await openSqlite(dir);
  assert.deepEqual(await readAll(engine, ['c1', 'c2', 'c3']), ['v1', 'v2', 'v3']);
  await engine.close();
});
