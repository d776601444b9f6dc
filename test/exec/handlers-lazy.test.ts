// The query handlers load only /query/1's runtime up front (src/exec/handlers.ts): every query
// worker is a new isolate, and the schema API, FQL v4 and the event jobs load on their route's
// first request. Checked in a fresh process, whose module cache holds only what was required.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const SRC = resolve(__dirname, '..', '..', 'src');

/** Runs `body` in a fresh Node process with `handlers` built over a fresh SQLite engine; returns its stdout. */
function inFreshProcess(body: string): string {
  const script = `
    const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
    const { openSqlite } = require(${JSON.stringify(`${SRC}/storage/sqlite/engine`)});
    const { createQueryHandlers } = require(${JSON.stringify(`${SRC}/exec/handlers`)});
    const loaded = (part) => Object.keys(require.cache).some((k) => k.includes(path.sep + part));
    (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fql-lazy-'));
      const engine = await openSqlite(dir);
      const handlers = createQueryHandlers({ engine, isRoot: async (c) => c.secret === 'secret' });
      const request = (p, query) => ({
        method: 'POST', path: p, query: new URLSearchParams(), headers: { authorization: 'Bearer secret' }, httpVersion: '1.1',
        receivedAt: performance.now(), body: async () => Buffer.from(JSON.stringify(query)), signal: new AbortController().signal,
      });
      try { ${body} } finally { await engine.close(); fs.rmSync(dir, { recursive: true, force: true }); }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('query handlers', () => {
  it('load FQL v4, the schema API and the event jobs only when their route is first used', () => {
    const out = inFreshProcess(`
      const r = await handlers.query(request('/query/1', { query: '1 + 1' }));
      console.log(JSON.stringify({ status: r.status, data: JSON.parse(r.body).data, v4: loaded('v4' + path.sep), schema: loaded('schema-api' + path.sep), events: loaded('streams' + path.sep + 'events-service.js') }));
      const v4 = await handlers.v4(request('/', { add: [1, 2] }));
      console.log(JSON.stringify({ status: v4.status, v4: loaded('v4' + path.sep), schema: loaded('schema-api' + path.sep) }));
    `).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out[0], { status: 200, data: 2, v4: false, schema: false, events: false });
    assert.deepEqual(out[1], { status: 200, v4: true, schema: false });
  });
});
