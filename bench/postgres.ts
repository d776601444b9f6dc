// PostgreSQL workloads for `npm run bench -- --storage postgres://...`: point reads (`Coll.byId`)
// and inserts (`Coll.create`) through the official driver, side by side in one run, against
//   - our server on the embedded SQLite engine,
//   - our server on PostgreSQL, one process,
//   - our server on PostgreSQL, two processes (clients split evenly across them),
//   - raw `pg` doing the same point read and insert directly, with the server's pool size (the floor).
// Targets: server point reads >= 40% of raw pg's; two processes >= 1.6x one.
//
// Everything is created under fresh names (collections, the raw table), so the database given
// may be reused across runs; the raw table is dropped afterwards.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { Client, fql, type Query, type QueryArgument } from 'fauna';
import { pgRows, startServer, type TestServer } from '../test/helpers/server';
import { measure, warmUntilSteady, WARM_WINDOW_SECONDS, type Measurement, type Figure } from './harness';
import { processCpuSeconds } from './process-cpu';

/** The server's default pool size (src/storage/postgres/engine.ts); raw pg gets the same. */
const POOL_SIZE = 10;
const PAYLOAD = { name: 'bench', n: 1, tags: ['a', 'b'] };

export type PostgresBenchTarget = Figure;

interface PairResult { readonly create: Measured; readonly byId: Measured }

/** A measurement with the CPU it cost per operation: the server processes', PostgreSQL's backends'. */
interface Measured {
  readonly m: Measurement;
  readonly serverCpuMs?: number;
  readonly pgCpuMs?: number;
}

/** Whose CPU a workload is charged: server processes, and the backends of a local PostgreSQL database. */
interface CpuSources { readonly pids: readonly number[]; readonly pgUrl?: string }

/**
 * CPU seconds used so far by each backend connected to `url`'s database, read from /proc (so only
 * for a PostgreSQL on this machine; empty otherwise). Backends that come and go during a run are
 * counted from their first sighting, those that end before the last are missed: the pools keep
 * theirs open.
 */
async function backendCpu(url: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    for (const { pid } of rows) {
      try { out.set(pid, processCpuSeconds(pid)); } catch { /* not local, or gone */ }
    }
  } finally {
    await pool.end();
  }
  return out;
}

const perOpMs = (seconds: number, m: Measurement) => (m.ops > 0 ? Math.round((seconds * 1000 / m.ops) * 1000) / 1000 : NaN);

/**
 * `measure`, charging the CPU `cpu`'s sources used meanwhile to its operations. The warm-up runs
 * before, until the rate settles (harness.ts warmUntilSteady), and is not charged: a server
 * starts query workers as load grows, and each loads and JIT-compiles the runtime on its own.
 */
async function measureCpu(
  cpu: CpuSources, name: string, o: PostgresBenchOptions, op: (worker: number, i: number) => Promise<unknown>,
): Promise<Measured> {
  await warmUntilSteady(async () => (await measure(name, o.concurrency, WARM_WINDOW_SECONDS, op, 0)).opsPerSec, 30);
  const server0 = cpu.pids.map((p) => processCpuSeconds(p));
  const pg0 = cpu.pgUrl !== undefined ? await backendCpu(cpu.pgUrl) : undefined;
  const m = await measure(name, o.concurrency, o.seconds, op, 0);
  const serverSeconds = cpu.pids.reduce((sum, p, i) => sum + processCpuSeconds(p) - server0[i], 0);
  let pgSeconds: number | undefined;
  if (cpu.pgUrl !== undefined && pg0 !== undefined) {
    pgSeconds = 0;
    for (const [pid, s] of await backendCpu(cpu.pgUrl)) pgSeconds += s - (pg0.get(pid) ?? 0);
  }
  return {
    m,
    ...(cpu.pids.length > 0 ? { serverCpuMs: perOpMs(serverSeconds, m) } : {}),
    ...(pgSeconds !== undefined ? { pgCpuMs: perOpMs(pgSeconds, m) } : {}),
  };
}

/**
 * fql`<coll><rest...>` for a collection name known only at run time (FQL has no way to name a
 * collection from a string argument that `Coll.create` accepts).
 */
function onCollection(coll: string, fragments: readonly string[], ...args: QueryArgument[]): Query {
  const parts = [coll + fragments[0], ...fragments.slice(1)];
  return fql(Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray, ...args);
}

/** A deterministic spread over [0, n). */
const pick = (i: number, w: number, n: number) => ((i * 7919) + w * 104_729) % n;

/**
 * Inserts then point reads through `clients` (worker w uses clients[w % clients.length]), on a
 * collection created for this run.
 */
async function serverPair(label: string, clients: readonly Client[], o: PostgresBenchOptions, cpu: CpuSources): Promise<PairResult> {
  const coll = `Bench_${randomBytes(4).toString('hex')}`;
  await clients[0].query(fql`Collection.create({ name: ${coll} })`);
  const createQuery = () => onCollection(coll, ['.create(', ').id'], PAYLOAD);
  const byIdQuery = (id: string) => onCollection(coll, ['.byId(', ')'], id);
  const ids: string[] = [];
  const create = await measureCpu(cpu, `${label}: Coll.create`, o, async (w) => {
    const r = await clients[w % clients.length].query(createQuery());
    ids.push(r.data as string);
  });
  const byId = await measureCpu(cpu, `${label}: Coll.byId`, o, (w, i) =>
    clients[w % clients.length].query(byIdQuery(ids[pick(i, w, ids.length)])));
  return { create, byId };
}

function clientFor(server: TestServer): Client {
  return server.client({ format: 'tagged' });
}

/** The servers' processes, and their database's backends. */
function cpuOf(servers: readonly TestServer[]): CpuSources {
  return { pids: servers.map((s) => s.proc.pid!), pgUrl: servers[0].storage };
}

async function withServers<T>(count: number, storage: string | undefined, body: (servers: TestServer[]) => Promise<T>): Promise<T> {
  const servers: TestServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startServer(storage !== undefined ? { storage } : {}));
    return await body(servers);
  } finally {
    await Promise.all(servers.map((s) => s.dispose()));
  }
}

/** The floor: the same insert and point read as single statements on a pool of POOL_SIZE. */
async function rawPg(o: PostgresBenchOptions): Promise<PairResult> {
  const pool = new Pool({ connectionString: o.storage, max: POOL_SIZE });
  pool.on('error', () => {});
  const table = `fql_bench_raw_${randomBytes(4).toString('hex')}`;
  try {
    await pool.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, data text NOT NULL)`);
    const insert = { name: `ins_${table}`, text: `INSERT INTO ${table} (id, data) VALUES ($1, $2)` };
    const read = { name: `get_${table}`, text: `SELECT data FROM ${table} WHERE id = $1` };
    let next = 0;
    const cpu: CpuSources = { pids: [], pgUrl: o.storage };
    const create = await measureCpu(cpu, 'raw pg: INSERT', o, () =>
      pool.query({ ...insert, values: [next++, JSON.stringify(PAYLOAD)] }));
    const rows = next;
    const byId = await measureCpu(cpu, 'raw pg: SELECT by primary key', o, (w, i) =>
      pool.query({ ...read, values: [pick(i, w, rows)] }));
    return { create, byId };
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

export interface PostgresBenchOptions { seconds: number; concurrency: number; storage: string }

const ratio = (a: Measured, b: Measured) => Math.round((a.m.opsPerSec / b.m.opsPerSec) * 1000) / 1000;

/** Issue 12: CPU per operation, the server's and PostgreSQL's, next to the throughput. */
function cpuFigures(all: readonly Measured[]): Figure[] {
  const out: Figure[] = [];
  for (const x of all) {
    if (x.serverCpuMs !== undefined) out.push({ name: `${x.m.name}: server CPU ms per op`, value: x.serverCpuMs });
    if (x.pgCpuMs !== undefined) out.push({ name: `${x.m.name}: PostgreSQL backends' CPU ms per op`, value: x.pgCpuMs });
  }
  return out;
}

/**
 * Sequential scans of `kv` so far in `url`'s database, as PostgreSQL counts them: a backend reports
 * its counts when it ends or, idle, within a second, so callers stop their servers first.
 */
async function kvSequentialScans(url: string): Promise<number> {
  const rows = await pgRows<{ n: string }>(url, "SELECT seq_scan::text AS n FROM pg_stat_user_tables WHERE relname = 'kv'");
  return Number(rows[0]?.n ?? 0);
}

export async function postgresWorkloads(o: PostgresBenchOptions): Promise<{ measurements: Measurement[]; targets: PostgresBenchTarget[] }> {
  const sqlite = await withServers(1, undefined, (s) => serverPair('server on sqlite', s.map(clientFor), o, { pids: s.map((x) => x.proc.pid!) }));
  const scansBefore = await kvSequentialScans(o.storage);
  const one = await withServers(1, o.storage, (s) => serverPair('server on pg, 1 process', s.map(clientFor), o, cpuOf(s)));
  const two = await withServers(2, o.storage, (s) => serverPair('server on pg, 2 processes', s.map(clientFor), o, cpuOf(s)));
  await new Promise((r) => setTimeout(r, 1_500));
  // Every plan of the server's should use kv's primary key (src/storage/postgres/sql.ts INDEX_PLANS).
  const kvScans = (await kvSequentialScans(o.storage)) - scansBefore;
  const raw = await rawPg(o);
  const all = [sqlite.byId, one.byId, two.byId, raw.byId, sqlite.create, one.create, two.create, raw.create];
  const measurements = all.map((x) => x.m);
  const readShare = ratio(one.byId, raw.byId);
  const readScale = ratio(two.byId, one.byId);
  const targets: PostgresBenchTarget[] = [
    { name: 'pg point reads: server (1 process) / raw pg', value: readShare, target: '>= 0.4', met: readShare >= 0.4 },
    { name: 'pg point reads: 2 processes / 1 process', value: readScale, target: '>= 1.6', met: readScale >= 1.6 },
    { name: 'pg inserts: server (1 process) / raw pg', value: ratio(one.create, raw.create) },
    { name: 'pg inserts: 2 processes / 1 process', value: ratio(two.create, one.create) },
    { name: 'point reads: server on pg / server on sqlite', value: ratio(one.byId, sqlite.byId) },
    { name: 'sequential scans of kv by the servers on pg', value: kvScans },
    ...cpuFigures(all),
  ];
  return { measurements, targets };
}
