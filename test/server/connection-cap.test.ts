// The cap on open connections (src/server/connection-limits.ts ConnectionCap): the connection
// idle longest makes room, busy ones never do, and the default follows the open files limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as net from 'node:net';
import { ConnectionCap, defaultMaxConnections } from '../../src/server/connection-limits';

function fakeSocket(): net.Socket & { wasDestroyed: boolean } {
  const s = Object.assign(new EventEmitter(), {
    destroyed: false,
    wasDestroyed: false,
    destroy() { s.destroyed = true; s.wasDestroyed = true; setImmediate(() => s.emit('close')); return s; },
  });
  return s as unknown as net.Socket & { wasDestroyed: boolean };
}

test('at the cap the connection idle longest is closed; busy ones are not; with none idle the new one is refused', async () => {
  const cap = new ConnectionCap(3);
  const [a, b, c] = [fakeSocket(), fakeSocket(), fakeSocket()];
  for (const s of [a, b, c]) assert.ok(cap.admit(s));
  cap.busy(a);
  cap.busy(b);
  cap.idleAgain(a); // a is idle again, more recently than c
  const d = fakeSocket();
  assert.ok(cap.admit(d));
  assert.deepEqual([a.wasDestroyed, b.wasDestroyed, c.wasDestroyed], [false, false, true]);
  await new Promise((r) => setImmediate(r));
  cap.busy(a);
  cap.busy(d);
  const e = fakeSocket();
  assert.equal(cap.admit(e), false, 'every connection is busy');
  assert.deepEqual([a.wasDestroyed, b.wasDestroyed, d.wasDestroyed], [false, false, false]);
});

test('the default is four fifths of the open files limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fql-limits-'));
  try {
    const file = join(dir, 'limits');
    writeFileSync(file, 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                20000                files\n');
    assert.equal(defaultMaxConnections(file), 16000);
    writeFileSync(file, 'Max open files            unlimited            unlimited            files\n');
    assert.equal(defaultMaxConnections(file), 10000);
    assert.equal(defaultMaxConnections(join(dir, 'missing')), 10000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
