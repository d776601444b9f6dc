// Password checks in query workers do not occupy libuv's thread pool, which the whole process
// shares (src/auth/passwords.ts): a worker busy with bcrypt must leave the coordinator's file
// I/O (the clock's reserve, whose delay stalls every begin) free to run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { hashSync } from '@node-rs/bcrypt';
import { hashPassword, verifyPassword } from '../../src/auth/passwords';

test('passwords: hashes verify, wrong passwords and malformed hashes do not', async () => {
  const h = await hashPassword('sekret');
  assert.match(h, /^\$2[aby]\$10\$/);
  assert.equal(await verifyPassword('sekret', h), true);
  assert.equal(await verifyPassword('other', h), false);
  assert.equal(await verifyPassword('sekret', 'not a hash'), false);
});

test('passwords: a query worker checking passwords leaves the shared thread pool free', async () => {
  const hashed = hashSync('right', 12);
  const module = path.join(__dirname, '../../src/auth/passwords.js');
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { verifyPassword } = require(workerData.module);
    parentPort.postMessage('started');
    const t = Date.now();
    // More runs than the pool has threads (4): on the pool, a task asked for meanwhile waits.
    Promise.all([0, 1, 2, 3, 4, 5].map(() => verifyPassword('wrong', workerData.hashed)))
      .then((results) => parentPort.postMessage({ ms: Date.now() - t, results }));
  `, { eval: true, workerData: { module, hashed } });
  try {
    const waitPool = new Promise<number>((resolve) => {
      worker.once('message', async () => {
        // A task of libuv's pool, asked for while the worker's bcrypt runs are under way.
        const t = performance.now();
        await fs.stat(__filename);
        resolve(performance.now() - t);
      });
    });
    const done = new Promise<{ ms: number; results: boolean[] }>((resolve) => worker.on('message', (m) => { if (typeof m === 'object') resolve(m); }));
    const [poolWait, { ms, results }] = await Promise.all([waitPool, done]);
    assert.deepEqual(results, [false, false, false, false, false, false]);
    assert.ok(ms > 100, `the worker's bcrypt runs took ${ms} ms`);
    // On the pool, the stat would wait for a first round of bcrypt runs to end (half of the six
    // runs' time); on the worker's own thread (the six one after another) it waits for nothing.
    assert.ok(poolWait < ms / 6, `a pool task waited ${poolWait.toFixed(0)} ms while the worker's bcrypt took ${ms} ms`);
  } finally {
    await worker.terminate();
  }
});
