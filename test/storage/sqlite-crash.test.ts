// Durability: a process committing in a loop is killed with SIGKILL at a random moment; every
// commit it acknowledged (printed) must be there after reopening.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey, prefixEnd } from '../../src/storage/tuple';
import { runAndKill } from '../helpers/run-and-kill';

const writer = path.join(__dirname, 'fixtures', 'crash-writer.js');

/** Runs the writer until it has acknowledged a few commits, kills it after `delayMs` more. */
const runWriter = async (dataDir: string, delayMs: number): Promise<number[]> =>
  (await runAndKill(writer, dataDir, delayMs)).map(Number);

test('sqlite: acknowledged commits survive kill -9', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-crash-'));
  try {
    let total = 0;
    for (let round = 0; round < 5; round++) {
      // The writer restarts numbering at 0 and overwrites, so check each round's numbers.
      const acknowledged = await runWriter(dataDir, 50 + Math.floor(Math.random() * 250));
      assert.ok(acknowledged.length > 0);
      const engine = await openSqlite(dataDir);
      const txn = await engine.begin({ readOnly: true });
      const prefix = encodeKey(['n']);
      const rows = await txn.scan({ start: prefix, end: prefixEnd(prefix) });
      await txn.commit();
      await engine.close();
      const stored = new Set(rows.map((r) => Number(Buffer.from(r.value).toString())));
      const missing = acknowledged.filter((i) => !stored.has(i));
      assert.deepEqual(missing, [], `round ${round}: acknowledged but lost`);
      total += acknowledged.length;
    }
    assert.ok(total >= 5);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
