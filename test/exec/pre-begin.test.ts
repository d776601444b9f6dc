// Thread hops of the isolated path (issue 12): on the embedded engine the coordinator begins a
// transaction together with dispatching a request (kv-host.ts preBegin, RequestMessage.pre), so
// the worker's first begin() sends no message; an unused one is rolled back when the request
// ends. Driven here over an in-process message channel between RemoteKvEngine and KvHost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KvReadOnlyError, type KvEngine } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';
import { KvHost } from '../../src/exec/pool/kv-host';
import { RemoteKvEngine } from '../../src/exec/pool/remote-kv';
import type { KvRequest } from '../../src/exec/pool/protocol';

let dir: string;
let engine: KvEngine;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fql-pre-begin-'));
  engine = await openSqlite(dir);
});
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A worker's engine wired to a KvHost; `sent` lists the operations the worker sent (with
 * `+readOnly` when the operation declares its pre-begun transaction read-only).
 */
function channel(): { host: KvHost; remote: RemoteKvEngine; sent: string[] } {
  const host = new KvHost(engine);
  const sent: string[] = [];
  const remote: RemoteKvEngine = new RemoteKvEngine('sqlite', {
    postMessage: (m: KvRequest) => {
      sent.push('readOnly' in m && m.op !== 'begin' && m.readOnly ? `${m.op}+readOnly` : m.op);
      void host.handle(m).then((reply) => remote.receive(reply));
    },
  });
  return { host, remote, sent };
}

test('pre-begun transaction: the first begin() needs no message; a second one asks the coordinator', async () => {
  const { host, remote, sent } = channel();
  const pre = host.preBegin();
  assert.ok(pre !== undefined);
  assert.equal(host.openTransactions, 1);
  remote.offer(pre);
  const t = await remote.begin();
  assert.equal(t.ts, pre.ts);
  t.put(encodeKey(['pre', 'a']), new Uint8Array([1]));
  await t.commit();
  assert.deepEqual(sent, ['commit']);
  assert.equal(host.openTransactions, 0);
  const again = await remote.begin({ readOnly: true });
  assert.ok(again.ts > pre.ts);
  assert.equal((await again.get(encodeKey(['pre', 'a'])))?.[0], 1);
  await again.commit();
  assert.deepEqual(sent, ['commit', 'begin', 'get', 'commit']);
});

test('pre-begun transaction: taken read-only, the worker refuses writes and its first operation declares it read-only', async () => {
  const { host, remote, sent } = channel();
  remote.offer(host.preBegin());
  const t = await remote.begin({ readOnly: true });
  assert.throws(() => t.put(encodeKey(['pre', 'b']), new Uint8Array([1])), KvReadOnlyError);
  await t.get(encodeKey(['pre', 'b']));
  await t.get(encodeKey(['pre', 'b']));
  await t.commit();
  assert.deepEqual(sent, ['get+readOnly', 'get', 'commit']);
  assert.equal(host.openTransactions, 0);
});

test('declareReadOnly: a transaction begun read-write refuses writes afterwards; one that wrote cannot be declared', async () => {
  const t = engine.beginNow!();
  t.declareReadOnly!();
  assert.throws(() => t.put(encodeKey(['pre', 'd']), new Uint8Array([1])), KvReadOnlyError);
  await t.commit();
  const w = engine.beginNow!();
  w.put(encodeKey(['pre', 'd']), new Uint8Array([1]));
  assert.throws(() => w.declareReadOnly!(), /a transaction that wrote cannot become read-only/);
  await w.rollback();
});

test('pre-begun transaction: one the request did not use is rolled back by discard, and a used one is left alone', async () => {
  const { host, remote, sent } = channel();
  const unused = host.preBegin()!;
  await host.discard(unused.txn);
  assert.equal(host.openTransactions, 0);
  const used = host.preBegin()!;
  remote.offer(used);
  const t = await remote.begin();
  t.put(encodeKey(['pre', 'c']), new Uint8Array([3]));
  await t.commit();
  await host.discard(used.txn);
  remote.offer(undefined);
  const r = await remote.begin({ readOnly: true });
  assert.equal((await r.get(encodeKey(['pre', 'c'])))?.[0], 3);
  await r.commit();
  assert.deepEqual(sent, ['commit', 'begin', 'get', 'commit']);
});
