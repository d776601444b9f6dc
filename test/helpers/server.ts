// Starts the real server (dist/src/main.js) as a child process on a free port with a fresh data
// directory, waits for /ping, and hands back what tests need to talk to it and to stop or kill it.
// With FQL_TEST_STORAGE=postgres and FQL_TEST_PG (a PostgreSQL URL), servers run on a fresh
// PostgreSQL database instead (scripts/run-tests.js does a second pass that way).
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'fauna';

const MAIN = resolve(__dirname, '..', '..', 'src', 'main.js');

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly storage?: string;
  readonly proc: ChildProcess;
  /** Output the server wrote so far (for diagnosing failures). */
  output(): string;
  /** Graceful stop (SIGTERM); resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Stop, then delete the data directory. */
  dispose(): Promise<void>;
  client(opts?: { secret?: string; format?: 'tagged' | 'simple' }): Client;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

let pgDbCounter = 0;

/** Runs one SQL statement on its own connection to `url` and returns the rows. */
export async function pgRows<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const { Client: PgClient } = await import('pg');
  const c = new PgClient({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Creates an empty database on the server of `baseUrl` (same user) and returns its URL. */
export async function freshPgDatabase(baseUrl: string): Promise<string> {
  const name = `fqltest_${process.pid}_${Date.now().toString(36)}_${pgDbCounter++}`;
  await pgRows(baseUrl, `CREATE DATABASE ${name}`);
  const u = new URL(baseUrl);
  u.pathname = '/' + name;
  return u.toString();
}

/**
 * Whether servers of this test run keep data on PostgreSQL, where read-only queries take the
 * clock without advancing it (src/storage/postgres/sql.ts CLOCK_FRESH_MS): a read may share the
 * `txn_ts` of the query before it, reading that very state; on SQLite every query has its own.
 */
export const readsMayShareTs = (): boolean => process.env.FQL_TEST_STORAGE === 'postgres' && !!process.env.FQL_TEST_PG;

export interface StartOptions {
  /** Reuse a data directory (restart tests). */
  readonly dataDir?: string;
  /** Reuse a storage URL (restart tests on PostgreSQL). */
  readonly storage?: string;
  readonly port?: number;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'fql-test-'));
  const port = opts.port ?? (await freePort());
  const pg = process.env.FQL_TEST_STORAGE === 'postgres' ? process.env.FQL_TEST_PG : undefined;
  const storage = opts.storage ?? (pg ? await freshPgDatabase(pg) : undefined);
  const args = [MAIN, '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, ...(opts.args ?? [])];
  if (storage) args.push('--storage', storage);
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  // Never leave a server behind, whatever happens to the test process.
  const reap = () => { if (proc.exitCode === null) proc.kill('SIGKILL'); };
  process.once('exit', reap);
  exited.then(() => process.removeListener('exit', reap));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/ping`);
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start within 15 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  const clients: Client[] = [];
  const closeClients = () => { for (const c of clients.splice(0)) c.close(); };
  const server: TestServer = {
    url, port, dataDir, storage, proc,
    output: () => out,
    async stop() {
      closeClients();
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill() {
      closeClients();
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async dispose() {
      await server.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    client(o = {}) {
      const c = new Client({
        endpoint: new URL(url),
        secret: o.secret ?? 'secret',
        ...(o.format ? { format: o.format } : {}),
        query_timeout_ms: 10_000,
      });
      clients.push(c);
      return c;
    },
  };
  return server;
}

/** POST a raw /query/1 request (HTTP/1.1) and return status, headers and parsed body. */
export async function rawQuery(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const r = await fetch(`${url}/query/1`, {
    method: 'POST',
    headers: { authorization: 'Bearer secret', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* keep text */ }
  return { status: r.status, headers: r.headers, body: parsed };
}
