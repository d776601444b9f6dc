// An identity provider for the JWT suites: RSA signing keys made in the test, tokens signed with
// them, and an HTTPS server publishing their JSON Web Key Set. Its certificate is self-signed
// (made with the openssl CLI: Node cannot write certificates); the server under test trusts it
// through NODE_EXTRA_CA_CERTS (`idp.env`), as a deployment trusts a private CA; it listens on
// 127.0.0.1, so `idp.env` also lets the server fetch from private addresses (ALLOW_PRIVATE_JWKS).
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public JWK as the provider publishes it. */
  readonly jwk: Record<string, unknown>;
  /** The public key in PEM form (what an algorithm-confusion attack uses as an HMAC secret). */
  readonly publicPem: string;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

const RSA_HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** A compact JWT: RS* signed with `key`; `header` overrides (e.g. `{ alg: 'none' }`). */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
  const h = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
  const input = `${b64(h)}.${b64(payload)}`;
  const alg = String(h.alg);
  const sig = RSA_HASH[alg] ? sign(RSA_HASH[alg], Buffer.from(input), key.privateKey) : Buffer.alloc(0);
  return `${input}.${sig.toString('base64url')}`;
}

/** The algorithm-confusion forgery: HS256 keyed with the provider's public key. */
export function hmacForgery(payload: Record<string, unknown>, key: SigningKey, secret: string | Buffer): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export type Route =
  | { readonly kind: 'jwks'; keys: Record<string, unknown>[] }
  | { readonly kind: 'status'; readonly status: number }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' };

export interface IdentityProvider {
  /** `https://127.0.0.1:<port><path>`. */
  url(path: string): string;
  readonly routes: Map<string, Route>;
  /** Requests served per path. */
  readonly hits: Map<string, number>;
  /** Environment for the server under test (trusts this provider's certificate). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-idp-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404).end();
    } else if (route.kind === 'jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: route.keys }));
    } else if (route.kind === 'status') {
      res.writeHead(route.status).end('unavailable');
    } else {
      hanging.add(res);
    }
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    routes,
    hits,
    env: { NODE_EXTRA_CA_CERTS: certPath, ALLOW_PRIVATE_JWKS: 'true' },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One v10 query over HTTP/1.1 to the server at `port`, from the local address `from` (another
 * client as the server sees it: it schedules fairly per client address).
 */
export interface RawAnswer { readonly status: number; readonly data: unknown; readonly error?: { readonly code: string; readonly message: string } }

export function queryFrom(port: number, from: string, secret: string, query: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/query/1',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'x-format': 'simple' },
    }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        const { data, error } = JSON.parse(body) as { data?: unknown; error?: { code: string; message: string } };
        resolve({ status: res.statusCode ?? 0, data, ...(error ? { error: { code: error.code, message: error.message } } : {}) });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}
