// The embedded engine's transaction clock (src/storage/sqlite/clock.ts): timestamps never exceed
// the durably reserved mark, never go backwards across a kill -9, and the begin path does not
// fsync on the coordinator in steady state. (An engine-internal property, no Fauna source: the
// spec is the README's "Commit protocol (embedded engine)" and issue 12.)
import assert from 'node:assert/strict';
import { runAndKill } from '../helpers/run-and-kill';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { RESERVE_MICROS, TimestampClock, type ClockMarkStore } from '../../src/storage/sqlite/clock';
import { ClockMarkFile } from '../../src/storage/sqlite/clock-mark-file';
import { openSqlite } from '../../src/storage/sqlite/engine';

const T0 = 1_700_000_000_000_000n;

/** A store whose async writes land when the test lets them (`land()`), counting both kinds. */
class FakeStore implements ClockMarkStore {
  durable = 0n;
  syncCalls = 0;
  asyncCalls = 0;
  private pending: { mark: bigint; resolve: () => void }[] = [];
  persistSync(mark: bigint): void {
    this.syncCalls++;
    if (mark > this.durable) this.durable = mark;
  }
  persistAsync(mark: bigint): Promise<void> {
    this.asyncCalls++;
    return new Promise((resolve) => this.pending.push({ mark, resolve }));
  }
  /** Makes the writes in flight durable and lets the clock see it. */
  async land(): Promise<void> {
    for (const p of this.pending.splice(0)) {
      if (p.mark > this.durable) this.durable = p.mark;
      p.resolve();
    }
    await new Promise((r) => setImmediate(r));
  }
}

function fakeClock(floor = 0n): { clock: TimestampClock; store: FakeStore; time: { now: bigint } } {
  const store = new FakeStore();
  const time = { now: T0 };
  return { clock: new TimestampClock(floor, store, () => time.now), store, time };
}

async function reserved(floor = 0n) {
  const f = fakeClock(floor);
  const r = f.clock.reserve();
  await f.store.land();
  await r;
  return f;
}

test('clock: steady state hands out timestamps from the reserve and renews it asynchronously', async () => {
  const { clock, store, time } = await reserved();
  assert.equal(store.syncCalls, 0);
  let prev = 0n;
  // 10 s of traffic, one begin per ms; writes land within 10 ms of being started.
  for (let i = 0; i < 10_000; i++) {
    time.now += 1000n;
    const ts = clock.next();
    assert.ok(ts > prev);
    assert.ok(ts <= store.durable, `ts ${ts} above the persisted mark ${store.durable}`);
    prev = ts;
    if (i % 10 === 0) await store.land();
  }
  assert.equal(store.syncCalls, 0, 'no synchronous persist (fsync on the coordinator) in steady state');
  // One renewal per second of reserve used, not one per begin.
  assert.ok(store.asyncCalls >= 9 && store.asyncCalls <= 12, String(store.asyncCalls));
});

test('clock: a jump past the reserve persists before handing out (next: synchronously)', async () => {
  const { clock, store, time } = await reserved();
  time.now += 10n * RESERVE_MICROS; // far beyond the reserve; the async renewal is not done
  const ts = clock.next();
  assert.equal(ts, time.now);
  assert.equal(store.syncCalls, 1);
  assert.ok(ts <= store.durable);
});

test('clock: a jump past the reserve makes nextAsync wait for the async write, never sync', async () => {
  const { clock, store, time } = await reserved();
  time.now += 10n * RESERVE_MICROS;
  let ts: bigint | undefined;
  const p = clock.nextAsync().then((t) => (ts = t));
  await new Promise((r) => setImmediate(r));
  assert.equal(ts, undefined, 'handed out before the mark covering it was durable');
  await store.land();
  await p;
  assert.equal(ts, time.now);
  assert.ok(ts! <= store.durable);
  assert.equal(store.syncCalls, 0);
});

test('clock: numbering resumes above the floor, also when the wall clock is behind it', async () => {
  const floor = T0 + 5n * RESERVE_MICROS;
  const { clock, store } = await reserved(floor);
  const ts = clock.next();
  assert.equal(ts, floor + 1n);
  assert.ok(ts <= store.durable);
  assert.equal(store.syncCalls, 0);
});

test('clock file: a torn newest slot falls back to the previous mark', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-clockfile-'));
  try {
    let f = await ClockMarkFile.open(dir);
    assert.equal(f.initial, 0n);
    await f.write(5n);
    await f.write(7n);
    await f.write(9n); // a new file's first write goes to slot 1: slot 1 holds 9, slot 0 holds 7
    await f.close();
    f = await ClockMarkFile.open(dir);
    assert.equal(f.initial, 9n);
    await f.close();
    const file = path.join(dir, 'clock');
    const bytes = fs.readFileSync(file);
    bytes[4096 + 3] ^= 0xff; // tear slot 1
    fs.writeFileSync(file, bytes);
    f = await ClockMarkFile.open(dir);
    assert.equal(f.initial, 7n);
    await f.write(8n); // goes to the torn slot, keeping 7 intact
    await f.close();
    f = await ClockMarkFile.open(dir);
    assert.equal(f.initial, 8n);
    await f.close();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the clock writer until it printed some timestamps, kills it with SIGKILL `delayMs` later. */
const runClockWriter = async (dataDir: string, delayMs: number): Promise<bigint[]> =>
  (await runAndKill(path.join(__dirname, 'fixtures', 'clock-writer.js'), dataDir, delayMs)).map((l) => BigInt(l));

test('sqlite clock: after kill -9 the first ts exceeds every ts handed out before', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-clock-crash-'));
  try {
    let highest = 0n;
    // Kills after 0.3–2.6 s: across at least one asynchronous renewal of the reserve.
    for (const delayMs of [300, 1400, 2600]) {
      const seen = await runClockWriter(dataDir, delayMs);
      for (const ts of seen) if (ts > highest) highest = ts;
      const engine = await openSqlite(dataDir);
      const txn = engine.beginNow!();
      assert.ok(txn.ts > highest, `reissued: ${txn.ts} ≤ ${highest}`);
      highest = txn.ts;
      await txn.commit();
      await engine.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('sqlite clock: group commits bring the database\'s own mark up to the committed timestamps', async () => {
  // So a copy of data.sqlite without the clock file still resumes above its data.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-clock-meta-'));
  try {
    const engine = await openSqlite(dataDir);
    let last = 0n;
    for (let i = 0; i < 3; i++) {
      const txn = await engine.begin();
      txn.put(Buffer.from([1, i]), Buffer.from('v'));
      await txn.commit();
      last = txn.ts;
    }
    await engine.close();
    const db = new Database(path.join(dataDir, 'data.sqlite'), { readonly: true });
    const mark = db.prepare("SELECT value FROM meta WHERE name = 'ts_high_water'").pluck().safeIntegers(true).get() as bigint | undefined;
    db.close();
    assert.ok(mark !== undefined && mark >= last, `meta mark ${mark} below committed ts ${last}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
