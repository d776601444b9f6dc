// A create with a generated id on PostgreSQL (issue 12): it no longer reads its id first (one
// round trip less: begin and commit only), and its id is still never taken twice. Generated ids
// are unique within a process only; two server processes sharing the database may generate the
// same one (src/model/ids.ts: node numbers start at a random offset per process). The create
// requires its document's key absent at commit (model-txn.ts newDocId, KvTxn.requireAbsent,
// postgres/schema.ts fql_commit of migration 5), so of two creates of one id the second
// conflicts and reruns with a new id: both documents exist, neither overwrites the other. Two
// engines with their own query handlers stand for two server processes; queueIdsForTest makes
// them meet on one id. Counted as bench/statements.ts counts: every `pg` client query. Explicit
// ids keep their read: a taken one answers document_id_exists, not a conflict. Needs FQL_TEST_PG.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { KvEngine, KvTxn } from '../../src/storage/kv';
import { openPostgres } from '../../src/storage/postgres/engine';
import { createQueryHandlers, type QueryHandlers } from '../../src/exec/handlers';
import { ensureCursorKey } from '../../src/model/cursor-key';
import { newId, queueIdsForTest } from '../../src/model/ids';
import type { ServerRequest } from '../../src/server/http-types';
import { freshPgDatabase } from '../helpers/server';

const PG = process.env.FQL_TEST_PG;

/** SQL statements sent by any `pg` client of this process since the last reset. */
let statements = 0;
const clientProto = pg.Client.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const query = clientProto.query;
clientProto.query = function (this: unknown, ...a: unknown[]) { statements++; return query.apply(this, a); };

function request(source: string): ServerRequest {
  const body = Buffer.from(JSON.stringify({ query: source }));
  return {
    method: 'POST', path: '/query/1', query: new URLSearchParams(), httpVersion: '2.0',
    headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
    receivedAt: performance.now(), body: async () => body, signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
  };
}

interface Answer { status: number; body: { data?: unknown; error?: { code: string }; stats?: { contention_retries: number } } }

async function run(h: QueryHandlers, source: string): Promise<Answer> {
  const res = await h.query(request(source));
  return { status: res.status, body: JSON.parse(String(res.body)) };
}

/** A create's id and contention retries (its query must succeed). */
async function create(h: QueryHandlers, by: string): Promise<{ id: string; retries: number }> {
  const r = await run(h, `Clash.create({ by: "${by}" }).id`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.data as string, retries: r.body.stats!.contention_retries };
}

/** A promise (`opened`) and what resolves it (`open`): to line up two queries' steps. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, opened };
}

/** Hooks around a writer's commit (the engine's transactions, under the query layer's). */
interface Hold { before?: () => Promise<void>; after?: () => void }

/** `engine`, whose writers' commits run `hold`'s hooks: to line up two processes' queries. */
function holding(engine: KvEngine, hold: Hold): KvEngine {
  return {
    kind: engine.kind,
    begin: async (opts) => {
      const t = await engine.begin(opts);
      return new Proxy(t, {
        get(target, p) {
          if (p === 'commit') {
            return async () => {
              if (target.hasWrites) await hold.before?.();
              try {
                return await target.commit();
              } finally {
                if (target.hasWrites) hold.after?.();
              }
            };
          }
          const v = Reflect.get(target, p, target) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }) as KvTxn;
    },
    close: () => engine.close(),
  };
}

describe('postgres: creates with a generated id', { skip: PG ? false : 'FQL_TEST_PG is not set' }, () => {
  let engines: KvEngine[] = [];
  let a: QueryHandlers;
  let b: QueryHandlers;
  const holdA: Hold = {};
  const holdB: Hold = {};
  before(async () => {
    const url = await freshPgDatabase(PG!);
    engines = await Promise.all([openPostgres(url, { poolSize: 4 }), openPostgres(url, { poolSize: 4 })]);
    // As a server does at start (main.ts): otherwise every query that answers reads for it.
    await ensureCursorKey(engines[0]);
    const isRoot = async (c: { secret: string }) => c.secret === 'secret';
    a = createQueryHandlers({ engine: holding(engines[0], holdA), isRoot });
    b = createQueryHandlers({ engine: holding(engines[1], holdB), isRoot });
    assert.equal((await run(a, 'Collection.create({ name: "Clash" })')).status, 200);
    // Each query once, so that both run as writers from their first attempt on (a query first
    // runs read-only, and its create's id would go to that attempt).
    await create(a, 'a');
    await create(b, 'b');
  });
  after(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });

  async function by(id: string): Promise<unknown> {
    return (await run(a, `Clash.byId("${id}")?.by`)).body.data;
  }

  test('costs a begin and a commit, no read of its id; a taken id costs a rerun, never the other document', async () => {
    statements = 0;
    const fresh = await create(a, 'a');
    // Before: 3 (begin, the read of the generated id, commit).
    assert.equal(statements, 2, 'SQL statements of a create with a generated id');
    assert.equal(fresh.retries, 0);

    queueIdsForTest(fresh.id);
    statements = 0;
    const again = await create(b, 'b');
    // The commit refused (begin, commit), the rerun with the generator's next id (begin, commit).
    assert.equal(statements, 4, 'SQL statements of a create whose generated id is taken');
    assert.equal(again.retries, 1);
    assert.notEqual(again.id, fresh.id);
    assert.equal(await by(fresh.id), 'a');
    assert.equal(await by(again.id), 'b');
  });

  test('two processes generating one id while both are in flight: the later commit reruns, both documents exist', async () => {
    const id = newId();
    queueIdsForTest(id, id);
    // A begins (the older ts), generates the id and waits at its commit until B has generated it
    // too (B's snapshot does not hold A's document); A commits, then B. The older must commit
    // first: B's commit would otherwise wait for A (commits happen in ts order).
    const [aArrived, bArrived, aCommitted] = [gate(), gate(), gate()];
    holdA.before = async () => { holdA.before = undefined; aArrived.open(); await bArrived.opened; };
    holdA.after = () => { holdA.after = undefined; aCommitted.open(); };
    holdB.before = async () => { holdB.before = undefined; bArrived.open(); await aCommitted.opened; };
    const fromA = create(a, 'a');
    await aArrived.opened;
    const fromB = create(b, 'b');
    const [ca, cb] = await Promise.all([fromA, fromB]);
    assert.equal(ca.id, id);
    assert.equal(ca.retries, 0);
    assert.equal(cb.retries, 1, 'the later create did not rerun');
    assert.notEqual(cb.id, id);
    assert.equal(await by(ca.id), 'a');
    assert.equal(await by(cb.id), 'b');
  });

  test('an explicit id that is taken still answers document_id_exists', async () => {
    const { id } = await create(a, 'a');
    const r = await run(b, `Clash.create({ id: "${id}", by: "b" })`);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error?.code, 'document_id_exists');
    assert.equal(await by(id), 'a');
  });
});
