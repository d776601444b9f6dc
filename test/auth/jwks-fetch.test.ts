// Fetching access providers' key sets (src/auth/jwks-fetch.ts): https only, no redirects (core's
// JWKUrlProvider follows none), bounded bodies, and — the server fetches on behalf of any
// database admin who creates an access provider — only public addresses unless the operator
// allows private ones (server-side request forgery: src/auth/public-address.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwksFetcher, MAX_BODY_BYTES } from '../../src/auth/jwks-fetch';
import { isPublicAddress } from '../../src/auth/public-address';

describe('jwks fetch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fql-jwks-fetch-'));
  const hits: string[] = [];
  let port = 0;
  let agent: Agent;
  let server: ReturnType<typeof createServer>;

  before(async () => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    ], { stdio: 'ignore' });
    agent = new Agent({ ca: readFileSync(join(dir, 'cert.pem')) });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok') res.end('{"keys":[]}');
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/big') res.end(Buffer.alloc(MAX_BODY_BYTES + 1, 32));
      else if (req.url === '/chunked-big') { res.write(Buffer.alloc(MAX_BODY_BYTES, 32)); res.end(Buffer.alloc(10, 32)); }
      else if (req.url === '/text') res.end('<html>');
      else res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '::', r));
    port = (server.address() as AddressInfo).port;
  });

  after(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses non-200 answers, redirects, oversized and non-JSON bodies, and http', async () => {
    const fetchJson = jwksFetcher({ allowPrivateAddresses: true, agent });
    const get = (path: string) => fetchJson(`https://127.0.0.1:${port}${path}`, AbortSignal.timeout(2000));
    assert.deepEqual(await get('/ok'), { keys: [] });
    await assert.rejects(get('/redirect'), /HTTP status 302/);
    await assert.rejects(get('/big'), /larger than/);
    await assert.rejects(get('/chunked-big'), /larger than/);
    await assert.rejects(get('/text'), /not JSON/);
    await assert.rejects(get('/other'), /HTTP status 500/);
    await assert.rejects(fetchJson(`http://127.0.0.1:${port}/ok`, AbortSignal.timeout(2000)), /not https/);
  });

  it('contacts no private address unless allowed: IP literals before connecting, names once resolved', async () => {
    const fetchJson = jwksFetcher({ allowPrivateAddresses: false, agent });
    hits.length = 0;
    const get = (host: string) => fetchJson(`https://${host}:${port}/ok`, AbortSignal.timeout(2000));
    await assert.rejects(get('127.0.0.1'), /^Error: 127\.0\.0\.1 is not a public address$/);
    await assert.rejects(get('[::1]'), /^Error: ::1 is not a public address$/);
    await assert.rejects(get('[::ffff:127.0.0.1]'), /is not a public address$/);
    await assert.rejects(get('localhost'), /^Error: localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
    assert.deepEqual(hits, [], 'the server was never contacted');
    // Allowed: the same URIs reach it.
    const allowed = jwksFetcher({ allowPrivateAddresses: true, agent });
    assert.deepEqual(await allowed(`https://localhost:${port}/ok`, AbortSignal.timeout(2000)), { keys: [] });
    assert.deepEqual(hits, ['/ok']);
  });

  it('a timeout is reported as such', async () => {
    const fetchJson = jwksFetcher({ allowPrivateAddresses: true, agent });
    const signal = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 5));
    await assert.rejects(fetchJson(`https://127.0.0.1:${port}/ok`, signal), (e: Error) => e.name === 'TimeoutError');
  });
});

describe('public addresses', () => {
  it('only globally reachable addresses count as public', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e']) {
      assert.equal(isPublicAddress(a), true, a);
    }
    for (const a of [
      '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
      '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.1',
      '::1', '::', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '2001:db8::1', '2002:7f00:1::',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '64:ff9b::10.0.0.1',
      'localhost', 'example.com', '',
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
  });
});
