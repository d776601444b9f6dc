// Feed throughput, alone (issue 11): a fresh server, 20,000 `add` events in one collection, then
// every page of 1,000 read sequentially through `POST /feed/1`, a few passes. Reports wall ms
// and the server's CPU ms per page (process total and main thread, from /proc), so that A/B
// runs on a shared machine compare work done rather than time waited. Not part of `npm run bench`.
//   node dist/bench/feed-profile.js [--events 20000] [--passes 3] [--workers N] [--cpu-prof DIR] [--node-flags "…"] [--data DIR]
// --cpu-prof DIR runs the server with `node --cpu-prof` (main thread and query workers);
// --node-flags "…" passes more node options (e.g. --trace-gc; the server's output is shown then).
// --data DIR keeps the data directory: a second run on it (within the 15 minutes feeds replay)
// skips seeding, so a profile holds the feed alone.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, fql, type StreamToken } from 'fauna';
import { freePort } from '../test/helpers/server';

const PAGE = 1_000;
const BATCH = 500;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** CPU ms (user + system) of a thread or process from its /proc stat line. */
function cpuMs(statPath: string): number {
  const s = readFileSync(statPath, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

function cpu(pid: number): { total: number; main: number } {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { total += cpuMs(`/proc/${pid}/task/${tid}/stat`); } catch { /* thread ended */ }
  }
  return { total, main: cpuMs(`/proc/${pid}/task/${pid}/stat`) };
}

async function main(): Promise<void> {
  const events = Number(arg('events') ?? 20_000);
  const passes = Number(arg('passes') ?? 3);
  const profDir = arg('cpu-prof');
  const args = arg('workers') !== undefined ? ['--workers', arg('workers')!] : [];
  // Spawned here rather than by test/helpers/server.ts: --cpu-prof is not allowed in NODE_OPTIONS.
  const keep = arg('data');
  if (keep) mkdirSync(keep, { recursive: true });
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'fql-feed-'));
  const tokenFile = join(dataDir, 'feed-token.txt');
  const seeded = existsSync(tokenFile);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(arg('node-flags')?.split(' ').filter(Boolean) ?? [])];
  const main = resolve(__dirname, '..', 'src', 'main.js');
  const proc = spawn(process.execPath, [...node, main, '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, ...args], { stdio: ['ignore', arg('node-flags') ? 'inherit' : 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const pid = proc.pid!;
  for (let up = false; !up;) {
    await new Promise((r) => setTimeout(r, 50));
    up = await fetch(`${url}/ping`).then((r) => r.status === 200, () => false);
  }
  const client = new Client({ endpoint: new URL(url), secret: 'secret', query_timeout_ms: 60_000 });
  try {
    let token: string;
    if (seeded) token = readFileSync(tokenFile, 'utf8');
    else {
      await client.query(fql`Collection.create({ name: "Fed" })`);
      token = (await client.query<StreamToken>(fql`Fed.all().eventSource()`)).data.token;
      for (let n = 0; n < events; n += BATCH) {
        await client.query(fql`Array.sequence(0, ${BATCH}).map(i => Fed.create({ i: i, name: "feed" })).length`);
      }
      writeFileSync(tokenFile, token);
    }
    const page = async (cursor: string | undefined) => {
      const r = await fetch(`${url}/feed/1`, {
        method: 'POST',
        headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
        body: JSON.stringify({ token, page_size: PAGE, ...(cursor ? { cursor } : {}) }),
      });
      const body = await r.json() as { events: { type: string }[]; cursor: string; has_next: boolean };
      if (r.status !== 200) throw new Error(`feed page: ${r.status} ${JSON.stringify(body)}`);
      return body;
    };
    // Warm-up: a few pages.
    let cursor: string | undefined;
    for (let i = 0; i < 4; i++) cursor = (await page(cursor)).cursor;
    const best = { cpu: Infinity, main: Infinity, wall: Infinity };
    for (let p = 0; p < passes; p++) {
      const c0 = cpu(pid);
      const t0 = performance.now();
      let pages = 0;
      let adds = 0;
      cursor = undefined;
      for (;;) {
        const b = await page(cursor);
        pages++;
        adds += b.events.filter((e) => e.type === 'add').length;
        cursor = b.cursor;
        if (!b.has_next) break;
      }
      const ms = performance.now() - t0;
      const c1 = cpu(pid);
      const f = (n: number) => (n / pages).toFixed(1);
      best.cpu = Math.min(best.cpu, (c1.total - c0.total) / pages);
      best.main = Math.min(best.main, (c1.main - c0.main) / pages);
      best.wall = Math.min(best.wall, ms / pages);
      console.log(`pass ${p + 1}: ${pages} pages, ${adds} adds, ${(pages / (ms / 1000)).toFixed(1)} pages/s, wall ${f(ms)} ms/page, server CPU ${f(c1.total - c0.total)} ms/page (main thread ${f(c1.main - c0.main)})`);
    }
    // The machine is shared: the least of several passes is the closest to the work itself.
    console.log(`best: wall ${best.wall.toFixed(1)} ms/page (${(1000 / best.wall).toFixed(1)} pages/s), server CPU ${best.cpu.toFixed(1)} ms/page (main thread ${best.main.toFixed(1)})`);
  } finally {
    client.close();
    proc.kill('SIGTERM');
    await exited;
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
