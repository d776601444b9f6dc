// No PostgreSQL snapshot stays open past maxSnapshotMs (postgres/sql.ts SNAPSHOT_MAX_MS). An open
// snapshot keeps every row version replaced after it from VACUUM, and the commit protocol
// replaces rows of kv_clock, kv_running and kv_writes on every transaction: one query holding its
// snapshot for 70 s took creates from 395/s to 127/s (issue 12, session 9). So a transaction
// renews a snapshot that old at its next read (a reader if everything it read reads the same in
// the new one, a writer if no commit since wrote what it read), and the database ends a
// connection idle in its transaction that long, whatever the process is doing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { KvConflictError, type KvEngine } from '../../src/storage/kv';
import { openPostgres, type PostgresEngineHandle } from '../../src/storage/postgres/engine';
import { WRITER_IDLE_FACTOR } from '../../src/storage/postgres/sql';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const LIMIT_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());
const bytes = (s: string) => Buffer.from(s);
/** Blocks this thread (a query computing without reading): no timer, no socket event runs. */
const compute = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* spin */ }
};

describe('postgres: no snapshot stays open past maxSnapshotMs', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let url: string;
  let engine: PostgresEngineHandle;
  let other: KvEngine;
  let admin: Client;
  before(async () => {
    url = await freshPgDatabase(PG!);
    engine = await openPostgres(url, { poolSize: 4, maxSnapshotMs: LIMIT_MS });
    other = await openPostgres(url, { poolSize: 4 });
    admin = new Client({ connectionString: url });
    await admin.connect();
  });
  after(async () => {
    await Promise.all([engine?.close(), other?.close(), admin?.end()]);
  });

  const key = (name: string) => encodeKey(['snapshot-limit', name, randomBytes(4).toString('hex')]);
  const write = async (k: Uint8Array, v: string) => {
    const w = await other.begin();
    w.put(k, bytes(v));
    await w.commit();
    return w.ts;
  };
  /** `k` as the other engine reads it now. */
  const readBack = async (k: Uint8Array) => {
    const r = await other.begin({ readOnly: true });
    const v = text(await r.get(k));
    await r.commit();
    return v;
  };
  /**
   * A writer of `engine` that read `read` ('r1'), and after that read a commit of `k` = `v` by
   * an older writer of the other engine (a newer one's commit would wait for this writer).
   */
  const readThenOlderCommits = async (read: Uint8Array, k: Uint8Array, v: string) => {
    await write(read, 'r1');
    const older = await other.begin();
    const w = await engine.begin();
    assert.equal(text(await w.get(read)), 'r1');
    older.put(k, bytes(v));
    await older.commit();
    return w;
  };
  /** The age (ms) of the oldest transaction open on the database, other than this query's. */
  const oldestTransactionMs = async () => {
    const { rows } = await admin.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM max(clock_timestamp() - xact_start)) * 1000)::float8 AS ms
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`);
    return rows[0].ms ?? 0;
  };

  test('a reader reading for longer than the limit moves to newer snapshots and sees later commits', async () => {
    const [stable, moving] = [key('stable'), key('moving')];
    await write(stable, 'kept');
    const r = await engine.begin({ readOnly: true });
    const firstTs = r.ts;
    assert.equal(text(await r.get(stable)), 'kept');
    let oldest = 0;
    const later = await write(moving, 'written later');
    for (let i = 0; i < 8; i++) {
      await sleep(LIMIT_MS / 3);
      assert.equal(text(await r.get(stable)), 'kept');
      oldest = Math.max(oldest, await oldestTransactionMs());
    }
    // Renewed: its ts moved past the commit made after it began, which it now reads.
    assert.ok(r.ts >= later, `ts ${r.ts} is not past the later commit ${later}`);
    assert.ok(r.ts > firstTs);
    assert.equal(text(await r.get(moving)), 'written later');
    await r.commit();
    // No transaction of the database stayed open much past the limit meanwhile.
    assert.ok(oldest < LIMIT_MS * 2, `a transaction was open for ${oldest} ms`);
  });

  test('a reader whose reads changed meanwhile conflicts at the renewal instead of mixing two states', async () => {
    const [a, b] = [key('a'), key('b')];
    await write(a, 'a1');
    await write(b, 'b1');
    const r = await engine.begin({ readOnly: true });
    assert.equal(text(await r.get(a)), 'a1');
    await write(a, 'a2');
    await write(b, 'b2');
    await sleep(LIMIT_MS + 50);
    await assert.rejects(r.get(b), KvConflictError);
    await r.rollback();
  });

  test('a scan re-reads the same rows at the renewal; a row added in its range conflicts', async () => {
    const prefix = randomBytes(4).toString('hex');
    const k = (i: number) => encodeKey(['snapshot-limit', 'range', prefix, i]);
    const range = { start: encodeKey(['snapshot-limit', 'range', prefix]), end: encodeKey(['snapshot-limit', 'range', prefix, 1_000]) };
    await write(k(1), 'one');
    await write(k(3), 'three');
    const unchanged = await engine.begin({ readOnly: true });
    assert.deepEqual((await unchanged.scan(range)).map((p) => text(p.value)), ['one', 'three']);
    await write(key('elsewhere'), 'x');
    await sleep(LIMIT_MS + 50);
    // Twice past the limit: the second renewal compares with the digest kept at the first.
    assert.equal(text(await unchanged.get(k(1))), 'one');
    await sleep(LIMIT_MS + 50);
    assert.deepEqual((await unchanged.scan(range)).map((p) => text(p.value)), ['one', 'three']);
    await unchanged.commit();

    const phantom = await engine.begin({ readOnly: true });
    assert.equal((await phantom.scan(range)).length, 2);
    await write(k(2), 'two');
    await sleep(LIMIT_MS + 50);
    await assert.rejects(phantom.scan(range), KvConflictError);
    await phantom.rollback();
  });

  test('a reader computing past the limit without reading loses its connection to the database, not its transaction', async () => {
    const [stable, moving] = [key('stable'), key('moving')];
    await write(stable, 'kept');
    const r = await engine.begin({ readOnly: true });
    assert.equal(text(await r.get(stable)), 'kept');
    compute(LIMIT_MS * 3);
    // The database ended the connection while this thread could not answer for it.
    await sleep(20);
    assert.ok((await oldestTransactionMs()) < LIMIT_MS * 2);
    const later = await write(moving, 'later');
    assert.equal(text(await r.get(stable)), 'kept');
    assert.ok(r.ts >= later);
    assert.equal(text(await r.get(moving)), 'later');
    await r.commit();
    // The engine goes on with its other connections.
    const next = await engine.begin({ readOnly: true });
    assert.equal(text(await next.get(stable)), 'kept');
    await next.commit();
  });

  test('a writer renews its snapshot if nothing it read was committed since, and commits', async () => {
    const [read, written, unrelated] = [key('read'), key('written'), key('unrelated')];
    const w = await readThenOlderCommits(read, unrelated, 'u');
    // Reading on (a writer idle in its transaction past the limit loses its connection, below).
    for (let i = 0; i < 4; i++) {
      await sleep(LIMIT_MS / 3);
      assert.equal(text(await w.get(read)), 'r1');
    }
    // The renewed snapshot holds the later commit; its own ts is unchanged.
    const ts = w.ts;
    assert.equal(text(await w.get(unrelated)), 'u');
    w.put(written, bytes('w'));
    await w.commit();
    assert.equal(w.ts, ts);
    assert.equal(await readBack(written), 'w');
  });

  test('a writer whose reads were written since its snapshot conflicts at the renewal', async () => {
    const [read, elsewhere] = [key('read'), key('elsewhere')];
    // The older writer commits into what the newer one read, after its snapshot.
    const w = await readThenOlderCommits(read, read, 'r2');
    await sleep(LIMIT_MS / 2);
    assert.equal(text(await w.get(elsewhere)), undefined); // not renewed yet: no conflict
    await sleep(LIMIT_MS / 2 + 50);
    await assert.rejects(w.get(elsewhere), KvConflictError);
    await w.rollback();
  });

  test('a writer waiting past the limit (less than WRITER_IDLE_FACTOR times it) keeps its connection, renews and commits', async () => {
    const [read, written] = [key('read'), key('written')];
    await write(read, 'r1');
    const w = await engine.begin();
    assert.equal(text(await w.get(read)), 'r1');
    await sleep(LIMIT_MS * 2);
    assert.equal(text(await w.get(read)), 'r1');
    // Renewed: its new snapshot transaction keeps the writer's longer idle limit.
    await sleep(LIMIT_MS * 2);
    assert.equal(text(await w.get(read)), 'r1');
    w.put(written, bytes('w'));
    await w.commit();
    assert.equal(await readBack(written), 'w');
  });

  test('a writer computing past the limit without reading loses its registration and conflicts at commit', async () => {
    const k = key('idle-writer');
    const w = await engine.begin();
    assert.equal(text(await w.get(k)), undefined);
    w.put(k, bytes('never'));
    // A writer's connection is ended after WRITER_IDLE_FACTOR times the limit.
    compute(LIMIT_MS * (WRITER_IDLE_FACTOR + 1));
    await assert.rejects(w.commit(), KvConflictError);
    assert.equal(await readBack(k), undefined);
  });

  test('a long-snapshot transaction (export, import) keeps its snapshot however long it runs', async () => {
    const k = key('long');
    await write(k, 'v1');
    const r = await engine.begin({ readOnly: true, longSnapshot: true });
    const ts = r.ts;
    assert.equal(text(await r.get(k)), 'v1');
    await write(k, 'v2');
    compute(LIMIT_MS * 2);
    await sleep(LIMIT_MS + 50);
    assert.equal(text(await r.get(k)), 'v1');
    assert.equal(r.ts, ts);
    await r.commit();
  });

  test('the engine counts its renewals by outcome (for /metrics)', () => {
    const { renewed, reopened, conflict } = engine.shared.renewals;
    // Above: readers and writers renewed on their connections, readers on new ones, and the
    // readers and writers whose reads had changed conflicted.
    assert.ok(renewed >= 3, `renewed ${renewed}`);
    assert.ok(reopened >= 2, `reopened ${reopened}`);
    assert.ok(conflict >= 4, `conflict ${conflict}`);
  });
});
