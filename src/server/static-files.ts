// The web dashboard's static files (dashboard/dist, built by `npm run build:dashboard`) under
// /dashboard/: content types, ETags, gzip or brotli when the browser accepts it (compressed
// once per file version and kept in memory), long-lived caching for Vite's hashed assets, and
// index.html for client routes (any path without a file extension). A path can never leave the
// build directory: it is decoded once, and any `..`, backslash or NUL segment is refused before
// the file system is touched; the resolved path is checked again against the root.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { Handler, ServerRequest, ServerResponse } from './http-types';


const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export const DASHBOARD_PREFIX = '/dashboard/';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

interface Cached {
  readonly mtimeMs: number;
  readonly size: number;
  readonly etag: string;
  readonly raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const text = (status: number, body: string, headers: Record<string, string> = {}): ServerResponse =>
  ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body });

/** The file path under the root that a request path names, or null when it is not a safe path. */
export function safeRelativePath(requestPath: string): string | null {
  if (!requestPath.startsWith(DASHBOARD_PREFIX)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(requestPath.slice(DASHBOARD_PREFIX.length));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  return parts.join('/');
}

export function createStaticFiles(rootDir: string): Handler {
  const root = resolve(rootDir);
  const cache = new Map<string, Cached>();

  async function load(file: string): Promise<Cached | null> {
    let st;
    try {
      st = await stat(file);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const raw = await readFile(file);
    const entry: Cached = { mtimeMs: st.mtimeMs, size: st.size, etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`, raw };
    cache.set(file, entry);
    return entry;
  }

  async function serve(req: ServerRequest, file: string, immutable: boolean): Promise<ServerResponse> {
    const entry = await load(file);
    if (!entry) return missing();
    const ext = extname(file).toLowerCase();
    const headers: Record<string, string> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: entry.etag,
      'x-content-type-options': 'nosniff',
    };
    if (ext === '.html') headers['content-security-policy'] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
    if (req.headers['if-none-match'] === entry.etag) return { status: 304, headers };
    let body = entry.raw;
    if (COMPRESSIBLE.has(ext) && entry.raw.length > 512) {
      headers.vary = 'accept-encoding';
      const accepted = (req.headers['accept-encoding'] ?? '').toLowerCase();
      if (/\bbr\b/.test(accepted)) {
        entry.br ??= await brotliAsync(entry.raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } });
        body = entry.br;
        headers['content-encoding'] = 'br';
      } else if (/\bgzip\b/.test(accepted)) {
        entry.gzip ??= await gzipAsync(entry.raw, { level: 9 });
        body = entry.gzip;
        headers['content-encoding'] = 'gzip';
      }
    }
    return { status: 200, headers, body };
  }

  function missing(): ServerResponse {
    return text(404, 'The dashboard is not built: run `npm run build:dashboard` (npm install does it too), then reload.\n');
  }

  return async (req: ServerRequest): Promise<ServerResponse> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, `Method ${req.method} is not allowed for the dashboard.\n`, { allow: 'GET, HEAD' });
    if (req.path === '/dashboard') return { status: 302, headers: { location: DASHBOARD_PREFIX } };
    const rel = safeRelativePath(req.path);
    if (rel === null) return text(400, 'Invalid dashboard path.\n');
    const index = join(root, 'index.html');
    if (rel === '' || rel === 'index.html') return serve(req, index, false);
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep)) return text(400, 'Invalid dashboard path.\n');
    // A client route (no extension) gets the app; a missing asset is a plain 404.
    if (extname(rel) === '') {
      const entry = await load(file);
      return entry ? serve(req, file, false) : serve(req, index, false);
    }
    if (!(await load(file))) {
      return (await load(index)) ? text(404, `Not found: ${req.path}\n`) : missing();
    }
    return serve(req, file, rel.startsWith('assets/'));
  };
}

/** Where `npm run build:dashboard` writes, relative to the compiled server (dist/src/server). */
export function defaultDashboardDir(): string {
  return resolve(__dirname, '..', '..', '..', 'dashboard', 'dist');
}
