// The dashboard's static file handler (src/server/static-files.ts) over a temporary build
// directory: content types, compression, ETags, client-route fallback, the missing-build
// message, and that no request path can name a file outside the build directory.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ServerRequest, ServerResponse } from '../../src/server/http-types';
import { createStaticFiles, safeRelativePath } from '../../src/server/static-files';

function request(path: string, headers: Record<string, string> = {}, method = 'GET'): ServerRequest {
  return {
    method, path, query: new URLSearchParams(), headers, httpVersion: '1.1', receivedAt: 0,
    body: async () => Buffer.alloc(0), signal: new AbortController().signal,
  };
}

const bodyText = (r: ServerResponse): string => Buffer.isBuffer(r.body) ? r.body.toString('utf8') : String(r.body);

describe('dashboard static files', () => {
  let top: string;
  let root: string;
  const JS = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

  before(() => {
    top = mkdtempSync(join(tmpdir(), 'fql-static-'));
    root = join(top, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), JS);
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(top, 'secret.txt'), 'outside');
    writeFileSync(join(top, 'dist-other.txt'), 'sibling');
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  it('serves index.html for the root, index.html and client routes', async () => {
    const serve = createStaticFiles(root);
    for (const path of ['/dashboard/', '/dashboard/index.html', '/dashboard/shell', '/dashboard/keys/deeper']) {
      const r = await serve(request(path));
      assert.equal(r.status, 200, path);
      assert.equal(r.headers?.['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers?.['cache-control'], 'no-cache');
      assert.equal(bodyText(r), '<!doctype html><title>app</title>');
    }
    const bare = await serve(request('/dashboard'));
    assert.deepEqual([bare.status, bare.headers?.location], [302, '/dashboard/']);
  });

  it('serves assets with their type, immutable caching, brotli or gzip, and 304 on a matching ETag', async () => {
    const serve = createStaticFiles(root);
    const plain = await serve(request('/dashboard/assets/index-abc.js'));
    assert.equal(plain.status, 200);
    assert.equal(plain.headers?.['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers?.['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers?.['content-encoding'], undefined);
    assert.equal(bodyText(plain), JS);
    const br = await serve(request('/dashboard/assets/index-abc.js', { 'accept-encoding': 'gzip, deflate, br' }));
    assert.equal(br.headers?.['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.body as Buffer).toString(), JS);
    assert.ok((br.body as Buffer).length < 200);
    const gz = await serve(request('/dashboard/assets/index-abc.js', { 'accept-encoding': 'gzip' }));
    assert.equal(gz.headers?.['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body as Buffer).toString(), JS);
    const css = await serve(request('/dashboard/assets/index-abc.css'));
    assert.equal(css.headers?.['content-type'], 'text/css; charset=utf-8');
    const etag = plain.headers!.etag;
    const again = await serve(request('/dashboard/assets/index-abc.js', { 'if-none-match': etag }));
    assert.deepEqual([again.status, again.body], [304, undefined]);
  });

  it('answers 404 for a missing asset and 405 for other methods', async () => {
    const serve = createStaticFiles(root);
    const r = await serve(request('/dashboard/assets/nope.js'));
    assert.deepEqual([r.status, bodyText(r)], [404, 'Not found: /dashboard/assets/nope.js\n']);
    const post = await serve(request('/dashboard/', {}, 'POST'));
    assert.deepEqual([post.status, post.headers?.allow], [405, 'GET, HEAD']);
  });

  it('never names a file outside the build directory', async () => {
    const serve = createStaticFiles(root);
    const attempts = [
      '/dashboard/../secret.txt', '/dashboard/assets/../../secret.txt', '/dashboard/%2e%2e/secret.txt',
      '/dashboard/%2E%2E%2Fsecret.txt', '/dashboard/..%5csecret.txt', '/dashboard/assets%2f..%2f..%2fsecret.txt',
      '/dashboard/%00', '/dashboard/%', '/dashboard/./index.html', '/dashboard/..\\secret.txt',
    ];
    for (const path of attempts) {
      const r = await serve(request(path));
      assert.equal(r.status, 400, path);
      assert.equal(bodyText(r), 'Invalid dashboard path.\n', path);
    }
    // A sibling whose name starts with the root's name is outside too.
    assert.equal(safeRelativePath('/dashboard/../dist-other.txt'), null);
    assert.equal(safeRelativePath('/dashboard/assets/index-abc.js'), 'assets/index-abc.js');
    assert.equal(safeRelativePath('/dashboard//assets//x.js'), 'assets/x.js');
  });

  it('says how to build the dashboard when the build is missing', async () => {
    const serve = createStaticFiles(join(top, 'not-built'));
    for (const path of ['/dashboard/', '/dashboard/shell', '/dashboard/assets/index-abc.js']) {
      const r = await serve(request(path));
      assert.equal(r.status, 404, path);
      assert.equal(bodyText(r), 'The dashboard is not built: run `npm run build:dashboard` (npm install does it too), then reload.\n');
    }
  });
});
