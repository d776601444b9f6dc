// A writer may require keys absent instead of reading them (KvTxn.requireAbsent): a create with a
// generated id does, so that it costs no read of its id (issue 12). The commit (postgres/schema.ts
// fql_commit, migration 5) checks them once every older writer has ended, in the commit order, and
// fails as a conflict, applying nothing, when one holds a value: whether it was committed before
// the writer began (in its snapshot) or while it was in flight (after its snapshot, by an older
// writer its commit waited for). Two engines stand for two server processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KvConflictError, KvReadOnlyError, type KvEngine } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { encodeKey } from '../../src/storage/tuple';
import { freshPgDatabase, pgRows } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Advisory locks waited for in the current database: a commit waiting for an older writer. */
const WAITING = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted " +
  'AND database = (SELECT oid FROM pg_database WHERE datname = current_database())';

describe('postgres: keys a writer requires absent', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let url: string;
  let a: KvEngine;
  let b: KvEngine;
  before(async () => {
    url = await freshPgDatabase(PG!);
    [a, b] = await Promise.all([openPostgres(url, { poolSize: 4 }), openPostgres(url, { poolSize: 4 })]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const key = () => encodeKey(['absent', randomBytes(8).toString('hex')]);

  async function read(k: Uint8Array): Promise<string | undefined> {
    const r = await b.begin({ readOnly: true });
    try {
      return text(await r.get(k));
    } finally {
      await r.commit();
    }
  }

  /** Commits a writer of `a` that requires `k` absent and writes it (throws what the commit throws). */
  async function createAbsent(k: Uint8Array): Promise<void> {
    const w = await a.begin();
    w.requireAbsent!(k);
    w.put(k, Buffer.from('mine'));
    await w.commit();
  }

  async function put(engine: KvEngine, k: Uint8Array, v: string | undefined): Promise<void> {
    const t = await engine.begin();
    if (v === undefined) t.delete(k);
    else t.put(k, Buffer.from(v));
    await t.commit();
  }

  test('a writer whose required-absent key holds nothing commits', async () => {
    const k = key();
    await createAbsent(k);
    assert.equal(await read(k), 'mine');
  });

  test('a key committed before the writer began fails its commit as a conflict, and nothing is applied', async () => {
    const [k, other] = [key(), key()];
    await put(b, k, 'theirs');
    const w = await a.begin();
    w.requireAbsent!(k);
    w.put(k, Buffer.from('mine'));
    w.put(other, Buffer.from('mine'));
    await assert.rejects(w.commit(), KvConflictError);
    assert.equal(await read(k), 'theirs');
    assert.equal(await read(other), undefined);
  });

  test('a key committed by an older writer while this one waits to commit fails it too', async () => {
    const [k, other] = [key(), key()];
    // Older: lower ts, so the younger writer's commit waits for it (commits happen in ts order).
    const older = await b.begin();
    const w = await a.begin();
    w.requireAbsent!(k);
    w.put(k, Buffer.from('mine'));
    w.put(other, Buffer.from('mine'));
    // Neither snapshot holds the key; the younger commit is sent first and waits for the older
    // writer's advisory lock (fql_await_older) before it checks.
    const committing = w.commit().then(() => 'committed', (err: unknown) => err);
    const deadline = Date.now() + 5_000;
    while ((await pgRows<{ n: number }>(url, WAITING))[0].n === 0) {
      assert.ok(Date.now() < deadline, 'the younger commit never waited for the older writer');
      await sleep(10);
    }
    older.put(k, Buffer.from('theirs'));
    await older.commit();
    assert.ok((await committing) instanceof KvConflictError, 'the younger commit did not conflict');
    assert.equal(await read(k), 'theirs');
    assert.equal(await read(other), undefined);
  });

  test('a key deleted before holds nothing: the writer commits', async () => {
    const k = key();
    await put(b, k, 'gone');
    await put(b, k, undefined);
    await createAbsent(k);
    assert.equal(await read(k), 'mine');
  });

  test('a read-only transaction refuses it as it refuses a write', async () => {
    const r = await a.begin({ readOnly: true });
    assert.throws(() => r.requireAbsent!(key()), KvReadOnlyError);
    await r.commit();
  });
});
