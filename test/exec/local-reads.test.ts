// Thread hops of the isolated path (issue 12): on the embedded engine a query worker reads the
// database file through a read-only connection of its own (local-read-kv.ts), so a read sends
// no message; its read set travels with the commit and the coordinator validates it against the
// commit log as if it had made the reads itself (commit-log.ts rule 1). Driven here over an
// in-process message channel between the worker's engine and a KvHost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KvConflictError, KvReadOnlyError, type KvEngine } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey } from '../../src/storage/tuple';
import { KvHost } from '../../src/exec/pool/kv-host';
import { RemoteKvEngine } from '../../src/exec/pool/remote-kv';
import { LocalReadKvEngine } from '../../src/exec/pool/local-read-kv';
import type { KvRequest } from '../../src/exec/pool/protocol';

let dir: string;
let engine: KvEngine;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fql-local-reads-'));
  engine = await openSqlite(dir);
});
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A worker's engine reading the file itself, wired to a KvHost; `sent` lists its messages. */
function channel(): { host: KvHost; local: LocalReadKvEngine; remote: RemoteKvEngine; sent: string[] } {
  const host = new KvHost(engine);
  const sent: string[] = [];
  const remote: RemoteKvEngine = new RemoteKvEngine('sqlite', {
    postMessage: (m: KvRequest) => {
      const reads = (m.op === 'commit' || m.op === 'rollbackStale') && m.reads ? `(${m.reads.points.length} points, ${m.reads.ranges.length / 2} ranges)` : '';
      sent.push(`${m.op}${reads}${m.op === 'commit' && m.readOnly ? '+readOnly' : ''}`);
      void host.handle(m).then((reply) => remote.receive(reply));
    },
  });
  return { host, remote, local: new LocalReadKvEngine(remote, engine.sharedReadFile!), sent };
}

const k = (...parts: string[]) => encodeKey(['local', ...parts]);

async function write(key: Uint8Array, value: number): Promise<void> {
  const t = await engine.begin();
  t.put(key, new Uint8Array([value]));
  await t.commit();
}

test('reads need no message: they see the committed state, read-your-writes, and travel with the commit', async () => {
  await write(k('a'), 1);
  const { host, remote, local, sent } = channel();
  remote.offer(host.preBegin());
  const t = await local.begin();
  assert.equal((await t.get(k('a')))?.[0], 1);
  assert.equal(await t.get(k('missing')), undefined);
  t.put(k('b'), new Uint8Array([2]));
  assert.deepEqual((await t.scan({ start: k(), end: k('\uffff') })).map((r) => r.value[0]), [1, 2]);
  assert.deepEqual(sent, []);
  await t.commit();
  assert.deepEqual(sent, ['commit(2 points, 1 ranges)']);
  assert.equal(host.openTransactions, 0);
  const check = await engine.begin({ readOnly: true });
  assert.equal((await check.get(k('b')))?.[0], 2);
  await check.rollback();
  await local.close();
});

test('a key the worker read that a later commit changed makes its commit conflict, and nothing is applied', async () => {
  await write(k('c'), 1);
  const { host, remote, local } = channel();
  remote.offer(host.preBegin());
  const t = await local.begin();
  assert.equal((await t.get(k('c')))?.[0], 1);
  await write(k('c'), 5);
  t.put(k('d'), new Uint8Array([1]));
  await assert.rejects(t.commit(), (e) => e instanceof KvConflictError && e.detail === 'data read by this transaction was modified concurrently');
  const check = await engine.begin({ readOnly: true });
  assert.equal(await check.get(k('d')), undefined);
  await check.rollback();
  assert.equal(host.openTransactions, 0);
  await local.close();
});

test('a read-only transaction whose scanned range changed conflicts too; rollbackStale reports it', async () => {
  const { host, remote, local, sent } = channel();
  remote.offer(host.preBegin());
  const ro = await local.begin({ readOnly: true });
  await ro.scan({ start: k('r'), end: k('s') });
  assert.throws(() => ro.put(k('r', '1'), new Uint8Array([1])), KvReadOnlyError);
  await write(k('r', '2'), 1);
  await assert.rejects(ro.commit(), KvConflictError);
  // Taken read-only from a transaction the coordinator began read-write: declared with the commit.
  assert.deepEqual(sent, ['commit(0 points, 1 ranges)+readOnly']);

  remote.offer(host.preBegin());
  const t = await local.begin();
  await t.get(k('r', '3'));
  await write(k('r', '3'), 1);
  assert.equal(await t.rollbackStale(), 'data read by this transaction was modified concurrently');
  assert.equal(host.openTransactions, 0);
  await local.close();
});

test('scanMany runs on the coordinator (overlapping the worker), into the same read set: a later change conflicts', async () => {
  await write(k('m', '1'), 1);
  await write(k('m', '2'), 2);
  const { host, remote, local, sent } = channel();
  remote.offer(host.preBegin());
  const t = await local.begin();
  const batches = await t.scanMany!([
    { start: k('m', '1'), end: k('m', '2') },
    { start: k('m', '2'), end: k('m', '3'), limit: 1 },
  ]);
  assert.deepEqual(batches.map((b) => b.map((r) => r.value[0])), [[1], [2]]);
  assert.deepEqual(sent, ['scanMany']);
  await write(k('m', '2'), 9);
  t.put(k('m', 'w'), new Uint8Array([1]));
  await assert.rejects(t.commit(), (e) => e instanceof KvConflictError);
  assert.equal(host.openTransactions, 0);
  await local.close();
});

test('scanMany after a buffered write runs in the worker, so the scans see that write', async () => {
  await write(k('n', '1'), 1);
  const { host, remote, local, sent } = channel();
  remote.offer(host.preBegin());
  const t = await local.begin();
  t.put(k('n', '2'), new Uint8Array([7]));
  const batches = await t.scanMany!([{ start: k('n'), end: k('n', '\uffff') }]);
  assert.deepEqual(batches.map((b) => b.map((r) => r.value[0])), [[1, 7]]);
  assert.deepEqual(sent, []);
  await t.rollback();
  await local.close();
});
