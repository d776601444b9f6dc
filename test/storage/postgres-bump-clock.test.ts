// The engines of one process (the server's and each query worker's) share when the PostgreSQL
// clock was last bumped (src/storage/postgres/bump-clock.ts): a read begin bumps it only when no
// engine of the process did for CLOCK_FRESH_MS, so eight workers under read load no longer each
// write the clock row every 10 ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { BumpClock } from '../../src/storage/postgres/bump-clock';
import { CLOCK_FRESH_MS } from '../../src/storage/postgres/sql';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('one claim per CLOCK_FRESH_MS among engines sharing the memory', async () => {
  const server = new BumpClock();
  const worker = new BumpClock(server.shared);
  assert.equal(server.claim(), true);
  assert.equal(worker.claim(), false);
  assert.equal(server.claim(), false);
  await sleep(CLOCK_FRESH_MS + 5);
  assert.equal(worker.claim(), true);
  assert.equal(server.claim(), false);
});

test('a writer\'s bump counts as a bump for the readers', async () => {
  const a = new BumpClock();
  const b = new BumpClock(a.shared);
  await sleep(CLOCK_FRESH_MS + 5);
  a.bumped();
  assert.equal(b.claim(), false);
});

test('the memory is shared with another thread, whose clock is comparable', async () => {
  // A window long enough for a thread to start within it (the time is what is under test).
  const WINDOW_MS = 3_000;
  const clock = new BumpClock(undefined, WINDOW_MS);
  assert.equal(clock.claim(), true);
  // Another thread (its performance.now() has its own origin) sees this claim, then claims once
  // the window has passed.
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { BumpClock } = require(workerData.module);
    const c = new BumpClock(workerData.shared, workerData.window);
    const first = c.claim();
    setTimeout(() => parentPort.postMessage([first, c.claim()]), workerData.window + 50);
  `, { eval: true, workerData: { shared: clock.shared, window: WINDOW_MS, module: require.resolve('../../src/storage/postgres/bump-clock') } });
  const [first, later] = await new Promise<[boolean, boolean]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual([first, later], [false, true]);
  assert.equal(clock.claim(), false);
});
