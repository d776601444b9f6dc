// Scan rows and scanMany bounds cross the thread boundary packed (src/exec/pool/packed-bytes.ts:
// one buffer per message instead of one ArrayBuffer per key and value, issue 11). Driven over a
// real MessageChannel between RemoteKvEngine and KvHost, so the messages are structured-cloned
// as between a worker and the coordinator; results must equal the engine's own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { after, before, test } from 'node:test';
import type { KvEngine, KvPair, ScanOptions } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeKey, prefixEnd } from '../../src/storage/tuple';
import { KvHost } from '../../src/exec/pool/kv-host';
import { RemoteKvEngine } from '../../src/exec/pool/remote-kv';
import type { KvReply, KvRequest } from '../../src/exec/pool/protocol';
import { packBytes, packRows, unpackBytes, unpackRows } from '../../src/exec/pool/packed-bytes';

let dir: string;
let engine: KvEngine;
const channel = new MessageChannel();
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fql-packed-'));
  engine = await openSqlite(dir);
  const t = await engine.begin();
  for (let i = 0; i < 10; i++) t.put(encodeKey(['p', i]), new Uint8Array(i).fill(i)); // values of 0..9 bytes
  await t.commit();
});
after(async () => {
  channel.port1.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function remoteEngine(): RemoteKvEngine {
  const host = new KvHost(engine);
  const remote = new RemoteKvEngine('sqlite', channel.port1);
  channel.port2.removeAllListeners('message');
  channel.port1.removeAllListeners('message');
  channel.port2.on('message', (m: KvRequest) => void host.handle(m).then((r) => channel.port2.postMessage(r)));
  channel.port1.on('message', (r: KvReply) => remote.receive(r));
  return remote;
}

const plain = (rows: KvPair[]) => rows.map((r) => [Buffer.from(r.key).toString('hex'), Buffer.from(r.value).toString('hex')]);
const all = encodeKey(['p']);

test('packed bytes: round trip, empty strings and an empty list included', () => {
  const list = [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([0, 255, 3])];
  assert.deepEqual(unpackBytes(packBytes(list)).map((b) => [...b]), [[1, 2], [], [0, 255, 3]]);
  assert.deepEqual(unpackBytes(packBytes([])), []);
  const rows = [[{ key: new Uint8Array([1]), value: new Uint8Array([2, 3]) }], [], [{ key: new Uint8Array([4]), value: new Uint8Array(0) }]];
  assert.deepEqual(unpackRows(packRows(rows)).map((b) => b.map((r) => [[...r.key], [...r.value]])), [[[[1], [2, 3]]], [], [[[4], []]]]);
});

test('packed scans: scan and scanMany through the message channel answer as the engine does', async () => {
  const scans: ScanOptions[] = [
    { start: all, end: prefixEnd(all) },
    { start: encodeKey(['p', 3]), end: prefixEnd(all), limit: 2 },
    { start: all, end: encodeKey(['p', 8]), limit: 3, reverse: true },
    { start: encodeKey(['q']), end: prefixEnd(encodeKey(['q'])) },
  ];
  const direct = await engine.begin({ readOnly: true });
  const expected = await Promise.all(scans.map((s) => direct.scan(s)));
  await direct.rollback();
  assert.deepEqual(expected.map((rows) => rows.length), [10, 2, 3, 0]);

  const t = await remoteEngine().begin({ readOnly: true });
  assert.deepEqual((await t.scanMany!(scans)).map(plain), expected.map(plain));
  for (let i = 0; i < scans.length; i++) assert.deepEqual(plain(await t.scan(scans[i])), plain(expected[i]));
  // One buffer for all the rows of a reply, not one per key and value.
  const rows = (await t.scanMany!(scans)).flat();
  assert.equal(new Set(rows.flatMap((r) => [r.key.buffer, r.value.buffer])).size, 1);
  assert.equal(t.stats.rowsRead, 2 * 15 + 15);
  await t.rollback();
});
