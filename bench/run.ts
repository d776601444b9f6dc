// `npm run bench`: throughput and latency of the seed workflows through the official driver
// (h2c) against a freshly started server, next to the same operations done directly on SQLite
// in the same run (the floor). Writes bench/results/<timestamp>.json and prints a table.
//
// Options: --seconds N (per workload, default 5) · --concurrency N (default 16)
//          --storage postgres://... (run the server on PostgreSQL)
//          --only core,h2load,isolation,indexes,v4,identity,postgres,statements,writers,streams (sections to run;
//          default all; postgres needs --storage; h2load needs /usr/bin/h2load, Debian's nghttp2-client;
//          statements: engine operations and SQL statements per query kind, also part of h2load)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { fql } from 'fauna';
import { startServer } from '../test/helpers/server';
import { formatFigure, formatRow, measure, type Figure, type Measurement } from './harness';
import { indexWorkloads } from './indexes';
import { identityTargets, identityWorkloads } from './identity';
import { postgresWorkloads } from './postgres';
import { isolationWorkloads } from './isolation';
import { h2loadWorkloads } from './h2load';
import { H2LOAD } from './h2load-runner';
import { countStatements, statementFigures } from './statements';
import { streamsWorkloads } from './streams';
import { v4Workloads } from './v4';
import { writerWorkloads } from './writers';

interface Options { seconds: number; concurrency: number; storage?: string }

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 5, concurrency: 16 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--seconds') { o.seconds = Number(v); i++; }
    else if (argv[i] === '--concurrency') { o.concurrency = Number(v); i++; }
    else if (argv[i] === '--storage') { o.storage = v; i++; }
  }
  return o;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** The same operations straight on SQLite (WAL, synchronous=FULL, as the server uses). */
async function sqliteBaseline(o: Options): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-bench-sqlite-'));
  try {
    const db = new Database(join(dir, 'baseline.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE docs (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
    const add = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
    const get = db.prepare('SELECT data FROM docs WHERE id = ?');
    const one = db.prepare('SELECT 1 + 1 AS v');
    let next = 1;
    const out: Measurement[] = [];
    out.push(await measure('sqlite: SELECT 1 + 1', o.concurrency, o.seconds, async () => one.get()));
    out.push(await measure('sqlite: insert document', o.concurrency, o.seconds, async () =>
      add.run(next++, JSON.stringify({ name: 'bench', n: next }))));
    const max = next - 1;
    out.push(await measure('sqlite: point read by id', o.concurrency, o.seconds, async (_w, i) =>
      get.get(1 + ((i * 7919) % max))));
    db.close();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serverWorkloads(o: Options): Promise<{ results: Measurement[]; startMs: number; idleRssMb: number; finalRssMb: number }> {
  const t0 = performance.now();
  const server = await startServer(o.storage ? { storage: o.storage } : {});
  const startMs = Math.round(performance.now() - t0);
  try {
    const idleRssMb = rssMb(server.proc.pid!);
    const client = server.client();
    await client.query(fql`Collection.create({ name: "BenchDoc" })`);
    const ids: string[] = [];
    const results: Measurement[] = [];
    // Throughput with many clients, then latency of the same operation with one client (on a
    // 2-core machine the driver and the server share the CPU, so latency under full load
    // measures queueing, not the server).
    results.push(await measure('server: 1 + 1', o.concurrency, o.seconds, () => client.query(fql`1 + 1`)));
    results.push(await measure('server: Coll.create', o.concurrency, o.seconds, async () => {
      const r = await client.query<{ id: string }>(fql`BenchDoc.create({ name: "bench", n: 1 })`);
      ids.push(r.data.id);
    }));
    results.push(await measure('server: Coll.byId', o.concurrency, o.seconds, (_w, i) =>
      client.query(fql`BenchDoc.byId(${ids[(i * 7919) % ids.length]})`)));
    results.push(await measure('server: Coll.byId (1 client)', 1, o.seconds, (_w, i) =>
      client.query(fql`BenchDoc.byId(${ids[(i * 7919) % ids.length]})`)));
    results.push(await measure('server: Coll.create (1 client)', 1, o.seconds, () =>
      client.query(fql`BenchDoc.create({ name: "bench", n: 1 })`)));
    return { results, startMs, idleRssMb, finalRssMb: rssMb(server.proc.pid!) };
  } finally {
    await server.dispose();
  }
}

const ratio = (a: Measurement, b: Measurement) => Math.round((a.opsPerSec / b.opsPerSec) * 1000) / 1000;

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
  const want = (section: string) => !only || only.includes(section);
  console.log(`bench: ${o.seconds}s per workload, ${o.concurrency} concurrent clients, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  const extra: Record<string, unknown> = {};

  if (want('core')) {
    const server = await serverWorkloads(o);
    const baseline = await sqliteBaseline(o);
    const [one, create, byId, byId1] = server.results;
    const [bOne, bCreate, bById] = baseline;
    measurements.push(...server.results, ...baseline);
    extra.core = {
      startMs: server.startMs, idleRssMb: server.idleRssMb, finalRssMb: server.finalRssMb,
      ratios: {
        'server 1+1 / sqlite SELECT 1+1': ratio(one, bOne),
        'server create / sqlite insert': ratio(create, bCreate),
        'server byId / sqlite point read': ratio(byId, bById),
      },
    };
    console.log(`server start ${server.startMs} ms · idle RSS ${server.idleRssMb} MB · RSS after load ${server.finalRssMb} MB`);
    figures.push(
      { name: '1 + 1 throughput, 16 clients (ops/s)', value: one.opsPerSec, target: '>= 3000', met: one.opsPerSec >= 3000 },
      { name: 'byId p99, 1 client (ms)', value: byId1.p99Ms, target: '< 5', met: byId1.p99Ms < 5 },
      { name: 'byId p99, 16 clients (ms)', value: byId.p99Ms },
      { name: 'server start (ms)', value: server.startMs, target: '< 1000', met: server.startMs < 1000 },
      { name: 'idle RSS (MB)', value: server.idleRssMb, target: '< 150', met: server.idleRssMb < 150 },
    );
  }

  if (want('h2load') && !existsSync(H2LOAD)) {
    console.log(`h2load section skipped: ${H2LOAD} not found (Debian: apt-get install nghttp2-client; or set H2LOAD)`);
  } else if (want('h2load')) {
    const h2 = await h2loadWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...h2.measurements);
    figures.push(...h2.figures);
    extra.h2load = h2.report;
  }

  if (want('isolation')) {
    const iso = await isolationWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...iso.measurements);
    figures.push(...iso.figures);
  }

  if (want('indexes')) {
    const ms = await indexWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...ms);
    const [lookup, sqliteLookup, lookup1, ...pages] = ms;
    figures.push(
      { name: 'indexed lookup p99, 1 client (ms)', value: lookup1.p99Ms, target: '< 5', met: lookup1.p99Ms < 5 },
      { name: 'indexed lookup p99, 16 clients (ms)', value: lookup.p99Ms },
      { name: 'indexed lookup / sqlite lookup', value: ratio(lookup, sqliteLookup), target: '>= 0.5', met: ratio(lookup, sqliteLookup) >= 0.5 },
    );
    if (pages.length >= 2) {
      const spread = Math.max(...pages.map((p) => p.opsPerSec)) / Math.min(...pages.map((p) => p.opsPerSec));
      figures.push({ name: 'page cost spread across positions (max/min rate)', value: Math.round(spread * 1000) / 1000, target: '<= 1.5', met: spread <= 1.5 });
    }
  }

  if (want('v4')) {
    const v4 = await v4Workloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...v4.measurements);
    figures.push(...v4.figures);
  }

  if (want('identity')) {
    const ms = await identityWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...ms);
    figures.push(...identityTargets(ms));
  }

  if (o.storage && want('postgres')) {
    const pg = await postgresWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...pg.measurements);
    figures.push(...pg.targets);
  }

  // Alone, for runs without h2load (whose report holds the same counts).
  if (want('statements') && !(want('h2load') && existsSync(H2LOAD))) {
    const counts = await countStatements(o.storage);
    figures.push(...statementFigures(counts));
    extra.statements = counts;
  }

  if (want('writers')) {
    const w = await writerWorkloads({ seconds: o.seconds, storage: o.storage });
    measurements.push(...w.measurements);
    figures.push(...w.figures);
  }

  if (want('streams')) {
    const s = await streamsWorkloads({ seconds: o.seconds, concurrency: o.concurrency, storage: o.storage });
    measurements.push(...s.measurements);
    figures.push(...s.figures);
    extra.streams = s.details;
  }

  for (const m of measurements) console.log(formatRow(m));
  for (const f of figures) console.log(formatFigure(f));
  const report = {
    at: new Date().toISOString(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    options: { ...o, storage: o.storage ? 'postgres' : 'sqlite' },
    measurements, figures, ...extra,
  };
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`report: ${file}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
