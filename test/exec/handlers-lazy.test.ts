// The query handlers load /query/1's and FQL v4's runtimes up front (src/exec/handlers.ts):
// every query worker is a new isolate, and the schema API and the event jobs load on their
// route's first request. FQL v4 cannot wait for its route: v10 queries run v4 function bodies and
// role predicates and maintain v4 index entries, in workers that may never see a v4 request.
// Checked in fresh processes, whose module caches hold only what was required.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const SRC = resolve(__dirname, '..', '..', 'src');

/** Runs `body` in a fresh Node process with `handlers` built over a SQLite engine in `dataDir` (default: a fresh one, removed after); returns its stdout. */
function inFreshProcess(body: string, dataDir?: string): string {
  const script = `
    const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
    const { openSqlite } = require(${JSON.stringify(`${SRC}/storage/sqlite/engine`)});
    const { createQueryHandlers } = require(${JSON.stringify(`${SRC}/exec/handlers`)});
    const loaded = (part) => Object.keys(require.cache).some((k) => k.includes(path.sep + part));
    (async () => {
      const given = ${JSON.stringify(dataDir ?? '')};
      const dir = given || fs.mkdtempSync(path.join(os.tmpdir(), 'fql-lazy-'));
      const engine = await openSqlite(dir);
      const handlers = createQueryHandlers({ engine, isRoot: async (c) => c.secret === 'secret' });
      const request = (p, query) => ({
        method: 'POST', path: p, query: new URLSearchParams(), headers: { authorization: 'Bearer secret' }, httpVersion: '1.1',
        receivedAt: performance.now(), body: async () => Buffer.from(JSON.stringify(query)), signal: new AbortController().signal,
      });
      try { ${body} } finally { await engine.close(); if (!given) fs.rmSync(dir, { recursive: true, force: true }); }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('query handlers', () => {
  it('load the schema API and the event jobs only when their route is first used, FQL v4 up front', () => {
    const out = inFreshProcess(`
      const r = await handlers.query(request('/query/1', { query: '1 + 1' }));
      console.log(JSON.stringify({ status: r.status, data: JSON.parse(r.body).data, v4: loaded('v4' + path.sep), schema: loaded('schema-api' + path.sep), events: loaded('streams' + path.sep + 'events-service.js') }));
      const s = await handlers.schema({ ...request('/schema/1/files', {}), method: 'GET' });
      console.log(JSON.stringify({ status: s.status, schema: loaded('schema-api' + path.sep), events: loaded('streams' + path.sep + 'events-service.js') }));
    `).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out[0], { status: 200, data: 2, v4: true, schema: false, events: false });
    assert.deepEqual(out[1], { status: 200, schema: true, events: false });
  });

  it('serve v10 queries that reach the v4 layer in a runtime that never served a v4 request', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fql-lazy-v4-'));
    try {
      // A v4 function, and a v4 index over a collection, made through /.
      inFreshProcess(`
        for (const q of [
          { create_collection: { object: { name: 'Things' } } },
          { create_function: { object: { name: 'double', body: { '@query': { lambda: 'x', expr: { multiply: [{ var: 'x' }, 2] } } } } } },
          { create_index: { object: { name: 'things_by_n', source: { collection: 'Things' }, terms: [{ object: { field: ['data', 'n'] } }] } } },
        ]) { const r = await handlers.v4(request('/', q)); if (r.status !== 201) throw new Error(r.body); }
      `, dir);
      // A fresh runtime: v10 calls the v4 body and writes a document the v4 index must hold.
      const out = inFreshProcess(`
        const r = await handlers.query(request('/query/1', { query: 'Things.create({ n: double(21) }); double(4)' }));
        const m = await handlers.v4(request('/', { paginate: { match: { index: 'things_by_n' }, terms: 42 } }));
        console.log(JSON.stringify({ status: r.status, data: JSON.parse(r.body).data, matched: JSON.parse(m.body).resource.data.length }));
      `, dir).trim();
      assert.deepEqual(JSON.parse(out), { status: 200, data: 8, matched: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
