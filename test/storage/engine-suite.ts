// The KvEngine contract as tests, registered once per engine (sqlite.test.ts, postgres.test.ts).
// Every test works in its own random key namespace, so one store can serve the whole suite.
//
// Both engines run transactions optimistically and reject the loser at commit, but order commits
// differently: SQLite commits in any order (a newer transaction that read or wrote what an older
// one writes makes the older one fail); PostgreSQL commits in ts order (a writer's commit waits
// for the older writers still in flight). Conflict tests begin the interfering writer first so
// they hold on both; the tests of either ordering run on its engine only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KvConflictError, type Bytes, type KvEngine, type KvTxn } from '../../src/storage/kv';
import { encodeKey, prefixEnd, type KeyPart } from '../../src/storage/tuple';

export interface EngineHarness {
  readonly name: string;
  /** Opens the store used by the suite (the same store on every call; called again after close). */
  open(): Promise<KvEngine>;
  /** True if a commit waits for the writers with a lower ts still in flight (PostgreSQL). */
  readonly commitsInTsOrder: boolean;
  /**
   * True if readers take the clock without advancing it (PostgreSQL, sql.ts CLOCK_FRESH_MS): readers
   * between two bumps share their ts, and the clock trails real time by at most `clockFreshMs`.
   */
  readonly readersShareTs?: { readonly clockFreshMs: number };
}

const text = (s: string): Bytes => Buffer.from(s, 'utf8');
const str = (b: Bytes | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Keys of one test, all under a fresh random prefix. */
class Space {
  private readonly ns = randomBytes(8).toString('hex');
  key(...parts: KeyPart[]): Bytes {
    return encodeKey([this.ns, ...parts]);
  }
  /** The range of all keys starting with the given parts. */
  range(...parts: KeyPart[]): { start: Bytes; end: Bytes } {
    const start = this.key(...parts);
    return { start, end: prefixEnd(start) };
  }
}

async function withRetry<T>(engine: KvEngine, body: (txn: KvTxn) => Promise<T>): Promise<{ result: T; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    const txn = await engine.begin();
    try {
      const result = await body(txn);
      await txn.commit();
      return { result, attempts };
    } catch (err) {
      await txn.rollback();
      if (!(err instanceof KvConflictError)) throw err;
    }
  }
}

async function commitOrConflict(txn: KvTxn): Promise<'committed' | 'conflict'> {
  try {
    await txn.commit();
    return 'committed';
  } catch (err) {
    if (err instanceof KvConflictError) return 'conflict';
    throw err;
  }
}

async function readAll(engine: KvEngine, keys: readonly Bytes[]): Promise<(string | undefined)[]> {
  const txn = await engine.begin({ readOnly: true });
  const values: (string | undefined)[] = [];
  for (const k of keys) values.push(str(await txn.get(k)));
  await txn.commit();
  return values;
}

export function registerEngineSuite(h: EngineHarness): void {
  describe(`KvEngine contract: ${h.name}`, () => {
    let engine: KvEngine;
    before(async () => {
      engine = await h.open();
    });
    after(async () => {
      await engine.close();
    });

    test('get, put, delete and commit', async () => {
      const s = new Space();
      const t1 = await engine.begin();
      assert.equal(await t1.get(s.key('a')), undefined);
      t1.put(s.key('a'), text('1'));
      t1.put(s.key('b'), text('2'));
      assert.equal(t1.hasWrites, true);
      await t1.commit();

      const t2 = await engine.begin();
      assert.equal(t2.hasWrites, false);
      assert.equal(str(await t2.get(s.key('a'))), '1');
      t2.delete(s.key('a'));
      t2.put(s.key('b'), text('3'));
      await t2.commit();

      assert.deepEqual(await readAll(engine, [s.key('a'), s.key('b'), s.key('c')]), [undefined, '3', undefined]);
    });

    test('scan: ranges, direction and limits', async () => {
      const s = new Space();
      const w = await engine.begin();
      for (let i = 0; i < 10; i++) w.put(s.key('r', i), text(`v${i}`));
      w.put(s.key('other'), text('x'));
      await w.commit();

      const t = await engine.begin({ readOnly: true });
      const all = await t.scan(s.range('r'));
      assert.deepEqual(all.map((r) => str(r.value)), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
      const rev = await t.scan({ ...s.range('r'), reverse: true, limit: 3 });
      assert.deepEqual(rev.map((r) => str(r.value)), ['v9', 'v8', 'v7']);
      const fwd = await t.scan({ ...s.range('r'), limit: 2 });
      assert.deepEqual(fwd.map((r) => str(r.value)), ['v0', 'v1']);
      // start inclusive, end exclusive
      const mid = await t.scan({ start: s.key('r', 3), end: s.key('r', 6) });
      assert.deepEqual(mid.map((r) => str(r.value)), ['v3', 'v4', 'v5']);
      const midRev = await t.scan({ start: s.key('r', 3), end: s.key('r', 6), reverse: true });
      assert.deepEqual(midRev.map((r) => str(r.value)), ['v5', 'v4', 'v3']);
      assert.deepEqual(await t.scan({ ...s.range('r'), limit: 0 }), []);
      assert.deepEqual(await t.scan(s.range('none')), []);
      assert.deepEqual(Buffer.from(all[4].key), Buffer.from(s.key('r', 4)));
      await t.commit();
    });

    test('read-your-writes in get and scan, with limits in both directions', async () => {
      const s = new Space();
      const w = await engine.begin();
      for (const i of [1, 2, 3, 4, 5]) w.put(s.key(i), text(`c${i}`));
      await w.commit();

      const t = await engine.begin();
      t.delete(s.key(1));
      t.delete(s.key(2));
      t.put(s.key(3), text('own3'));
      t.put(s.key(6), text('own6'));
      t.put(s.key(0), text('own0'));
      assert.equal(await t.get(s.key(1)), undefined);
      assert.equal(str(await t.get(s.key(3))), 'own3');
      assert.equal(str(await t.get(s.key(6))), 'own6');
      const values = async (opts: { reverse?: boolean; limit?: number }): Promise<(string | undefined)[]> =>
        (await t.scan({ ...s.range(), ...opts })).map((r) => str(r.value));
      assert.deepEqual(await values({}), ['own0', 'own3', 'c4', 'c5', 'own6']);
      assert.deepEqual(await values({ limit: 2 }), ['own0', 'own3']);
      assert.deepEqual(await values({ limit: 3 }), ['own0', 'own3', 'c4']);
      assert.deepEqual(await values({ reverse: true }), ['own6', 'c5', 'c4', 'own3', 'own0']);
      assert.deepEqual(await values({ reverse: true, limit: 4 }), ['own6', 'c5', 'c4', 'own3']);
      t.delete(s.key(4));
      t.delete(s.key(5));
      assert.deepEqual(await values({ reverse: true, limit: 2 }), ['own6', 'own3']);
      t.put(s.key(5), text('back'));
      assert.deepEqual(await values({ limit: 10 }), ['own0', 'own3', 'back', 'own6']);
      await t.rollback();

      assert.deepEqual(await readAll(engine, [0, 1, 2, 3, 4, 5, 6].map((i) => s.key(i))), [
        undefined, 'c1', 'c2', 'c3', 'c4', 'c5', undefined,
      ]);
    });

    test('commit is atomic: a concurrent reader sees all of a commit or none of it', async () => {
      const s = new Space();
      const keys = Array.from({ length: 50 }, (_, i) => s.key(i));
      const w = await engine.begin();
      for (const k of keys) w.put(k, text('x'));
      const before = await engine.begin({ readOnly: true });
      assert.equal(await before.get(keys[0]), undefined);
      await w.commit();
      // The reader began before the commit: it either still sees nothing, or must not commit.
      const seen = (await before.scan(s.range())).length;
      const outcome = await commitOrConflict(before);
      assert.ok(seen === 0 || outcome === 'conflict', `reader saw ${seen} rows and ${outcome}`);
      assert.equal((await readAll(engine, keys)).filter((v) => v === 'x').length, 50);
    });

    test('rollback discards writes and is idempotent; a finished transaction refuses work', async () => {
      const s = new Space();
      const t = await engine.begin();
      t.put(s.key('k'), text('v'));
      await t.rollback();
      await t.rollback();
      await assert.rejects(t.get(s.key('k')), /already committed or rolled back/);
      assert.throws(() => t.put(s.key('k'), text('v')), /already committed or rolled back/);
      assert.deepEqual(await readAll(engine, [s.key('k')]), [undefined]);

      const c = await engine.begin();
      await c.commit();
      await assert.rejects(c.commit(), /already committed or rolled back/);
      await c.rollback();
    });

    test('read-only transactions refuse writes', async () => {
      const s = new Space();
      const t = await engine.begin({ readOnly: true });
      assert.throws(() => t.put(s.key('k'), text('v')), /read-only/);
      assert.throws(() => t.delete(s.key('k')), /read-only/);
      await t.commit();
    });

    test('lost update is impossible: two read-modify-write transactions without retry', async () => {
      const s = new Space();
      const k = s.key('counter');
      const incrementOnce = async (): Promise<'committed' | 'conflict'> => {
        const t = await engine.begin();
        try {
          const v = Number(str(await t.get(k)) ?? '0');
          await tick();
          t.put(k, text(String(v + 1)));
          await tick();
          return await commitOrConflict(t);
        } finally {
          await t.rollback();
        }
      };
      const outcomes = await Promise.all([incrementOnce(), incrementOnce()]);
      const committed = outcomes.filter((o) => o === 'committed').length;
      assert.deepEqual(await readAll(engine, [k]), [String(committed)]);
      // (which one is older, hence commits, depends on when each begin reached the store)
      assert.deepEqual([...outcomes].sort(), ['committed', 'conflict']);
    });

    test('write skew over scanned ranges is impossible (phantoms)', async () => {
      // Each task inserts into its own range only if the other's range is empty; serializably,
      // exactly one of them can insert.
      const s = new Space();
      const task = async (mine: string, theirs: string): Promise<number> =>
        (
          await withRetry(engine, async (t) => {
            const rows = await t.scan(s.range(theirs));
            await tick();
            if (rows.length === 0) t.put(s.key(mine, 'x'), text(mine));
            await tick();
          })
        ).attempts;
      const attempts = await Promise.all([task('a', 'b'), task('b', 'a')]);
      const t = await engine.begin({ readOnly: true });
      const counts = [(await t.scan(s.range('a'))).length, (await t.scan(s.range('b'))).length];
      await t.commit();
      assert.equal(counts[0] + counts[1], 1, `inserted into a: ${counts[0]}, b: ${counts[1]}`);
      // One of them retries; on PostgreSQL under contention (right after another test's conflict)
      // the second may instead wait at begin for the first and never conflict.
      if (h.commitsInTsOrder) assert.ok(attempts[0] + attempts[1] <= 3, `attempts ${attempts}`);
      else assert.equal(attempts[0] + attempts[1], 3);
    });

    test('a read-only transaction never commits an inconsistent view', async () => {
      const s = new Space();
      const init = await engine.begin();
      init.put(s.key('a'), text('0'));
      init.put(s.key('b'), text('0'));
      await init.commit();

      const r = await engine.begin({ readOnly: true });
      const a = str(await r.get(s.key('a')));
      const w = await engine.begin();
      w.put(s.key('a'), text('1'));
      w.put(s.key('b'), text('1'));
      await w.commit();
      const b = str(await r.get(s.key('b')));
      const outcome = await commitOrConflict(r);
      assert.ok(outcome === 'conflict' || a === b, `read a=${a} b=${b} and ${outcome}`);
    });

    describe('optimistic conflicts', () => {
      test('read-write: a key read by T and changed by a later commit', async () => {
        const s = new Space();
        const t2 = await engine.begin();
        const t1 = await engine.begin();
        await t1.get(s.key('k'));
        t2.put(s.key('k'), text('t2'));
        await t2.commit();
        t1.put(s.key('other'), text('t1'));
        await assert.rejects(t1.commit(), KvConflictError);
        assert.deepEqual(await readAll(engine, [s.key('k'), s.key('other')]), ['t2', undefined]);
      });

      test('rollbackStale: tells whether the reads had changed when the transaction ended', async () => {
        const s = new Space();
        const other = await engine.begin();
        const stale = await engine.begin();
        assert.equal(await stale.get(s.key('k')), undefined);
        stale.put(s.key('mine'), text('x'));
        const fresh = await engine.begin();
        await fresh.get(s.key('unrelated'));
        other.put(s.key('k'), text('other'));
        await other.commit();
        assert.equal(typeof (await stale.rollbackStale()), 'string');
        assert.equal(await fresh.rollbackStale(), undefined);
        // Nothing of either is applied, and ending twice is harmless.
        assert.equal(await stale.rollbackStale(), undefined);
        assert.deepEqual(await readAll(engine, [s.key('k'), s.key('mine')]), ['other', undefined]);
      });

      test('phantom: an insert into a scanned range', async () => {
        const s = new Space();
        const t2 = await engine.begin();
        const t1 = await engine.begin();
        assert.deepEqual(await t1.scan(s.range('r')), []);
        t2.put(s.key('r', 5), text('new'));
        await t2.commit();
        t1.put(s.key('summary'), text('0 rows'));
        await assert.rejects(t1.commit(), KvConflictError);
      });

      test('a limited scan only covers the keys up to the last one returned', async () => {
        const s = new Space();
        const init = await engine.begin();
        init.put(s.key('r', 2), text('2'));
        init.put(s.key('r', 4), text('4'));
        await init.commit();
        const scanThenWrite = async (insertAt: number, reverse: boolean): Promise<string> => {
          const t2 = await engine.begin();
          const t1 = await engine.begin();
          const rows = await t1.scan({ ...s.range('r'), limit: 1, reverse });
          assert.equal(rows.length, 1);
          t2.put(s.key('r', insertAt), text('x'));
          await t2.commit();
          t1.put(s.key('out', insertAt, reverse), text('y'));
          return commitOrConflict(t1);
        };
        assert.equal(await scanThenWrite(3, false), 'committed'); // after the returned key 2
        assert.equal(await scanThenWrite(1, false), 'conflict'); // before it
        assert.equal(await scanThenWrite(3.5, true), 'committed'); // below the returned key 4
        assert.equal(await scanThenWrite(5, true), 'conflict'); // above it
      });

      test('absent keys that were read are protected too', async () => {
        const s = new Space();
        const t2 = await engine.begin();
        const t1 = await engine.begin();
        assert.equal(await t1.get(s.key('k')), undefined);
        t2.put(s.key('k'), text('created'));
        await t2.commit();
        t1.put(s.key('k2'), text('x'));
        await assert.rejects(t1.commit(), KvConflictError);
      });

      test('disjoint transactions do not conflict', async () => {
        const s = new Space();
        const t1 = await engine.begin();
        const t2 = await engine.begin();
        await t1.get(s.key('a'));
        await t2.get(s.key('b'));
        t1.put(s.key('a'), text('1'));
        t2.put(s.key('b'), text('2'));
        // (newer first: with commits in ts order, t2's waits for t1's)
        await Promise.all([t2.commit(), t1.commit()]);
        assert.deepEqual(await readAll(engine, [s.key('a'), s.key('b')]), ['1', '2']);
      });
    });

    if (!h.commitsInTsOrder) {
      describe('commits in any order', () => {
        test('write-write: a newer transaction already wrote the key', async () => {
          const s = new Space();
          const t1 = await engine.begin();
          const t2 = await engine.begin();
          t1.put(s.key('k'), text('t1'));
          t1.put(s.key('j'), text('t1'));
          t2.put(s.key('k'), text('t2'));
          await t2.commit();
          await assert.rejects(t1.commit(), KvConflictError);
          // nothing of the failed commit is applied
          assert.deepEqual(await readAll(engine, [s.key('k'), s.key('j')]), ['t2', undefined]);
        });

        test('timestamp order: an older writer cannot change what a newer transaction already read', async () => {
          const s = new Space();
          const older = await engine.begin();
          older.put(s.key('k'), text('older'));
          const newer = await engine.begin({ readOnly: true });
          assert.ok(newer.ts > older.ts);
          assert.equal(await newer.get(s.key('k')), undefined);
          await newer.commit();
          await assert.rejects(older.commit(), /a newer transaction read data this transaction writes/);
        });
      });
    } else {
      describe('commits in ts order (issue 12: parallel writers)', () => {
        test('writers execute at once; a newer commit waits for the older writer in flight', async () => {
          const s = new Space();
          const older = await engine.begin();
          const newer = await engine.begin(); // does not wait for `older`
          assert.ok(newer.ts > older.ts);
          older.put(s.key('a'), text('older'));
          newer.put(s.key('b'), text('newer'));
          let newerDone = false;
          const newerCommit = newer.commit().then(() => { newerDone = true; });
          await new Promise((resolve) => setTimeout(resolve, 150));
          assert.equal(newerDone, false);
          await older.commit();
          await newerCommit;
          assert.deepEqual(await readAll(engine, [s.key('a'), s.key('b')]), ['older', 'newer']);
        });

        test('a newer writer that read what an older one in flight writes conflicts', async () => {
          const s = new Space();
          const older = await engine.begin();
          const newer = await engine.begin();
          older.put(s.key('k'), text('older'));
          assert.equal(await newer.get(s.key('k')), undefined);
          newer.put(s.key('j'), text('newer'));
          const newerCommit = commitOrConflict(newer);
          await older.commit();
          assert.equal(await newerCommit, 'conflict');
          assert.deepEqual(await readAll(engine, [s.key('k'), s.key('j')]), ['older', undefined]);
        });

        test('a blind write of a newer writer lands after the older one', async () => {
          const s = new Space();
          const older = await engine.begin();
          const newer = await engine.begin();
          newer.put(s.key('k'), text('newer'));
          older.put(s.key('k'), text('older'));
          await Promise.all([newer.commit(), older.commit()]);
          assert.deepEqual(await readAll(engine, [s.key('k')]), ['newer']);
        });

        test('readers never wait for a slow writer: they read just below it', async () => {
          const s = new Space();
          const init = await engine.begin();
          init.put(s.key('k'), text('0'));
          await init.commit();
          const slow = await engine.begin();
          slow.put(s.key('k'), text('1'));
          const started = Date.now();
          const r = await engine.begin({ readOnly: true });
          assert.ok(r.ts < slow.ts && r.ts >= init.ts, `reader ts ${r.ts}, writers ${init.ts} and ${slow.ts}`);
          assert.equal(str(await r.get(s.key('k'))), '0');
          await r.commit();
          assert.ok(Date.now() - started < 1_000);
          await slow.commit();
          const after = await engine.begin({ readOnly: true });
          // The same ts as the writer's when readers share the clock: it reads that very state.
          assert.ok(h.readersShareTs ? after.ts >= slow.ts : after.ts > slow.ts);
          assert.equal(str(await after.get(s.key('k'))), '1');
          await after.commit();
        });

        test('a writer that rolls back or fails no longer holds newer commits', async () => {
          const s = new Space();
          const aborted = await engine.begin();
          await aborted.get(s.key('x'));
          const newer = await engine.begin();
          newer.put(s.key('k'), text('v'));
          const commit = newer.commit();
          await aborted.rollback();
          await commit;
          assert.deepEqual(await readAll(engine, [s.key('k')]), ['v']);
        });
      });
    }

    test('timestamps are strictly increasing and close to wall-clock time', async () => {
      const seen: { ts: bigint; writer: boolean }[] = [];
      for (let i = 0; i < 50; i++) {
        const t = await engine.begin({ readOnly: i % 2 === 0 });
        seen.push({ ts: t.ts, writer: i % 2 === 1 });
        await t.commit();
      }
      const parallelTs = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const t = await engine.begin({ readOnly: true });
          await t.commit();
          return t.ts;
        }),
      );
      const latest = seen[seen.length - 1].ts;
      const share = h.readersShareTs;
      if (share === undefined) {
        assert.equal(new Set(parallelTs).size, 20);
        for (let i = 1; i < seen.length; i++) assert.ok(seen[i].ts > seen[i - 1].ts, `ts ${seen[i].ts} after ${seen[i - 1].ts}`);
        for (const ts of parallelTs) assert.ok(ts > latest);
      } else {
        // A writer's ts exceeds every earlier one; a reader's is never older than what came before.
        for (let i = 1; i < seen.length; i++) {
          const ok = seen[i].writer ? seen[i].ts > seen[i - 1].ts : seen[i].ts >= seen[i - 1].ts;
          assert.ok(ok, `${seen[i].writer ? 'writer' : 'reader'} ts ${seen[i].ts} after ${seen[i - 1].ts}`);
        }
        for (const ts of parallelTs) assert.ok(ts >= latest);
        // With no writes, a reader's ts still keeps up with real time, within clockFreshMs.
        await new Promise((resolve) => setTimeout(resolve, 3 * share.clockFreshMs));
        const beganUs = BigInt(Date.now()) * 1000n;
        const idle = await engine.begin({ readOnly: true });
        await idle.commit();
        // The database's clock may differ a little from this process's: 50 ms of slack.
        assert.ok(idle.ts > beganUs - 50_000n, `reader ts ${idle.ts}, began at ${beganUs}`);
        assert.ok(idle.ts > parallelTs.reduce((a, b) => (a > b ? a : b)));
      }
      const nowUs = BigInt(Date.now()) * 1000n;
      const last = parallelTs.reduce((a, b) => (a > b ? a : b));
      assert.ok(last > nowUs - 60_000_000n && last < nowUs + 5_000_000n, `ts ${last} vs now ${nowUs}`);
    });

    test('concurrent increments with retries reach the exact count', async () => {
      const s = new Space();
      const k = s.key('counter');
      const tasks = 10;
      const perTask = 10;
      const worker = async (): Promise<void> => {
        for (let i = 0; i < perTask; i++) {
          await withRetry(engine, async (t) => {
            const v = Number(str(await t.get(k)) ?? '0');
            await tick();
            t.put(k, text(String(v + 1)));
          });
        }
      };
      await Promise.all(Array.from({ length: tasks }, worker));
      assert.deepEqual(await readAll(engine, [k]), [String(tasks * perTask)]);
    });

    test('stats count rows and bytes', async () => {
      const s = new Space();
      const w = await engine.begin();
      w.put(s.key('a'), text('12345'));
      w.put(s.key('b'), text('1'));
      w.delete(s.key('c'));
      const keyLen = s.key('a').length;
      assert.equal(w.stats.bytesWritten, keyLen + 5 + keyLen + 1 + keyLen);
      await w.commit();
      const t = await engine.begin({ readOnly: true });
      await t.get(s.key('a'));
      await t.get(s.key('missing'));
      await t.scan(s.range());
      assert.equal(t.stats.rowsRead, 4);
      assert.equal(t.stats.bytesRead, keyLen + 5 + (keyLen + 5 + keyLen + 1));
      assert.equal(t.stats.bytesWritten, 0);
      await t.commit();
    });

    test('committed data survives close and reopen; timestamps keep increasing', async () => {
      const s = new Space();
      const w = await engine.begin();
      w.put(s.key('durable'), text('yes'));
      await w.commit();
      await engine.close();
      engine = await h.open();
      const t = await engine.begin({ readOnly: true });
      assert.ok(t.ts > w.ts, `ts ${t.ts} after reopen, ${w.ts} before`);
      assert.equal(str(await t.get(s.key('durable'))), 'yes');
      await t.commit();
    });

    test('binary keys and values round-trip, including empty values', async () => {
      const s = new Space();
      const value = new Uint8Array(256).map((_, i) => i);
      const w = await engine.begin();
      w.put(s.key(new Uint8Array([0, 255, 0])), value);
      w.put(s.key('empty'), new Uint8Array(0));
      await w.commit();
      const t = await engine.begin({ readOnly: true });
      assert.deepEqual(Buffer.from((await t.get(s.key(new Uint8Array([0, 255, 0])))) as Bytes), Buffer.from(value));
      assert.equal((await t.get(s.key('empty')))?.length, 0);
      await t.commit();
    });
  });
}
