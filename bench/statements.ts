// Statements per query kind (issue 12: "report statements per query kind in the bench"). The
// query handlers run in this process over the engine the server would use, one query at a
// time, while two counters run:
//   - engine operations (begin, get, scan, commit, rollback): each is one message each way
//     between a query worker and the coordinator in the isolated server;
//   - SQL statements the engine sends (better-sqlite3 statement executions, BEGIN/COMMIT
//     included; `pg` client queries), by wrapping the drivers' prototypes in this process only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { KvEngine, KvTxn } from '../src/storage/kv';
import { openStorage } from '../src/storage/open';
import { ensureCursorKey } from '../src/model/cursor-key';
import { createQueryHandlers } from '../src/exec/handlers';
import type { ServerRequest } from '../src/server/http-types';
import type { Figure } from './harness';

const counters = { sql: 0, kv: 0 };
let patched = false;

/** Counts every statement execution of both drivers from now on (idempotent). */
function patchDrivers(): void {
  if (patched) return;
  patched = true;
  const mem = new Database(':memory:');
  const proto = Object.getPrototypeOf(mem.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  mem.close();
  for (const m of ['run', 'get', 'all', 'iterate']) {
    const orig = proto[m];
    proto[m] = function (this: unknown, ...a: unknown[]) { counters.sql++; return orig.apply(this, a); };
  }
  const clientProto = pg.Client.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const query = clientProto.query;
  clientProto.query = function (this: unknown, ...a: unknown[]) { counters.sql++; return query.apply(this, a); };
}

/** The engine with each operation counted. */
function counting(engine: KvEngine): KvEngine {
  const wrap = (t: KvTxn): KvTxn => ({
    get ts() { return t.ts; },
    get stats() { return t.stats; },
    get hasWrites() { return t.hasWrites; },
    get: (k) => { counters.kv++; return t.get(k); },
    scan: (o) => { counters.kv++; return t.scan(o); },
    put: (k, v) => t.put(k, v),
    delete: (k) => t.delete(k),
    // Kept where the engine has it: without it a create reads its id first (model-txn.ts newDocId).
    ...(t.requireAbsent ? { requireAbsent: (k: Uint8Array) => t.requireAbsent!(k) } : {}),
    commit: () => { counters.kv++; return t.commit(); },
    rollback: () => { counters.kv++; return t.rollback(); },
    rollbackStale: () => { counters.kv++; return t.rollbackStale(); },
  });
  return {
    kind: engine.kind,
    begin: async (o) => { counters.kv++; return wrap(await engine.begin(o)); },
    close: () => engine.close(),
  };
}

function request(query: string): ServerRequest {
  const body = Buffer.from(JSON.stringify({ query }));
  return {
    method: 'POST', path: '/query/1', query: new URLSearchParams(), httpVersion: '2.0',
    headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
    receivedAt: performance.now(), body: async () => body, signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
  };
}

export interface StatementCount {
  readonly query: string;
  readonly engineOps: number;
  readonly sqlStatements: number;
}

/**
 * Per query kind, the engine operations and SQL statements of one query (the mean of `runs`,
 * after one unmeasured run that warms the schema caches).
 */
export async function countStatements(storage: string | undefined, runs = 20): Promise<StatementCount[]> {
  patchDrivers();
  const dir = mkdtempSync(join(tmpdir(), 'fql-bench-stmts-'));
  const engine = await openStorage(storage !== undefined ? { url: storage } : { dataDir: dir });
  try {
    // As the server does at start (main.ts): without the key every query that answers reads it.
    await ensureCursorKey(engine);
    const h = createQueryHandlers({ engine: counting(engine), isRoot: async (c) => c.secret === 'secret' });
    const run = async (q: string): Promise<string> => {
      const r = await h.query(request(q));
      if (r.status !== 200) throw new Error(`statement count: ${q} answered ${r.status}: ${String(r.body)}`);
      return String(r.body);
    };
    const coll = `StmtBench${Date.now().toString(36)}`;
    await run(`Collection.create({ name: "${coll}" })`);
    const id = (JSON.parse(await run(`${coll}.create({ name: "bench", n: 1 }).id`)) as { data: string }).data;
    const kinds = ['1 + 1', `${coll}.byId("${id}")`, `${coll}.create({ name: "bench", n: 1 })`];
    const out: StatementCount[] = [];
    for (const q of kinds) {
      await run(q);
      counters.sql = 0;
      counters.kv = 0;
      for (let i = 0; i < runs; i++) await run(q);
      out.push({ query: q.replace(coll, 'Coll').replace(id, '<id>'), engineOps: counters.kv / runs, sqlStatements: counters.sql / runs });
    }
    return out;
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's lines for the counts. */
export function statementFigures(counts: readonly StatementCount[]): Figure[] {
  return counts.flatMap((s) => [
    { name: `statements per query, ${s.query}: engine operations`, value: s.engineOps },
    { name: `statements per query, ${s.query}: SQL statements`, value: s.sqlStatements },
  ]);
}
