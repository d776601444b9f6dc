// The dashboard on the server's own port (src/server/static-files.ts wired in src/main.ts):
// `GET /` from a browser redirects to /dashboard/ while `POST /` and v4 `GET /?q=` stay the
// v4 endpoint (core UtilRoutes / fql1 routes), raw `..` paths are refused, and the first load
// of the built app (index.html plus its assets, compressed) stays under 500 KB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startServer, type TestServer } from '../helpers/server';
import { assertDashboardBuilt } from '../helpers/browser';

/** A request whose path is sent exactly as given (fetch would normalize `..`). */
function raw(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode!, headers: r.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', rej);
    req.end();
  });
}

describe('dashboard served by the server', () => {
  let server: TestServer;
  before(async () => {
    assertDashboardBuilt();
    server = await startServer();
  });
  after(() => server.dispose());

  it('redirects GET / to /dashboard/; POST / and GET /?q= stay FQL v4', async () => {
    const home = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.deepEqual([home.status, home.headers.get('location')], [302, '/dashboard/']);
    const v4 = await fetch(`${server.url}/`, { method: 'POST', headers: { authorization: 'Bearer secret' }, body: '{"add":[1,2]}' });
    assert.deepEqual([v4.status, await v4.json()], [200, { resource: 3 }]);
    const get = await fetch(`${server.url}/?q=${encodeURIComponent('{"add":[1,2]}')}`, { headers: { authorization: 'Bearer secret' } });
    assert.deepEqual([get.status, await get.json()], [200, { resource: 3 }]);
  });

  it('serves the app with its content types and falls back to index.html for client routes', async () => {
    const index = await fetch(`${server.url}/dashboard/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await index.text();
    assert.match(html, /<title>fql-server dashboard<\/title>/);
    const route = await fetch(`${server.url}/dashboard/shell?db=app`);
    assert.equal(await route.text(), html);
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(`${server.url}${script}`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  });

  it('refuses paths that climb out of the build directory', async () => {
    for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/..%2f..%2fpackage.json']) {
      const r = await raw(server.url, path);
      assert.deepEqual([r.status, r.body.toString()], [400, 'Invalid dashboard path.\n'], path);
    }
  });

  it('first load transfers less than 500 KB compressed', async () => {
    const html = await (await fetch(`${server.url}/dashboard/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 2, html);
    let total = Buffer.byteLength(html);
    for (const a of assets) {
      const r = await raw(server.url, a, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(r.status, 200, a);
      assert.equal(r.headers['content-encoding'], 'br', a);
      total += r.body.length;
    }
    assert.ok(total < 500 * 1024, `first load is ${total} bytes`);
  });
});
