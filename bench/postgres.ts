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
import { startServer, type TestServer } from '../test/helpers/server';
import { measure, type Measurement, type Figure } from './harness';

/** The server's default pool size (src/storage/postgres/engine.ts); raw pg gets the same. */
const POOL_SIZE = 10;
const PAYLOAD = { name: 'bench', n: 1, tags: ['a', 'b'] };

export type PostgresBenchTarget = Figure;

interface PairResult { readonly create: Measurement; readonly byId: Measurement }

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
async function serverPair(label: string, clients: readonly Client[], o: PostgresBenchOptions): Promise<PairResult> {
  const coll = `Bench_${randomBytes(4).toString('hex')}`;
  await clients[0].query(fql`Collection.create({ name: ${coll} })`);
  const createQuery = () => onCollection(coll, ['.create(', ').id'], PAYLOAD);
  const byIdQuery = (id: string) => onCollection(coll, ['.byId(', ')'], id);
  const ids: string[] = [];
  const create = await measure(`${label}: Coll.create`, o.concurrency, o.seconds, async (w) => {
    const r = await clients[w % clients.length].query(createQuery());
    ids.push(r.data as string);
  });
  const byId = await measure(`${label}: Coll.byId`, o.concurrency, o.seconds, (w, i) =>
    clients[w % clients.length].query(byIdQuery(ids[pick(i, w, ids.length)])));
  return { create, byId };
}

function clientFor(server: TestServer): Client {
  return server.client({ format: 'tagged' });
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
    const create = await measure('raw pg: INSERT', o.concurrency, o.seconds, () =>
      pool.query({ ...insert, values: [next++, JSON.stringify(PAYLOAD)] }));
    const rows = next;
    const byId = await measure('raw pg: SELECT by primary key', o.concurrency, o.seconds, (w, i) =>
      pool.query({ ...read, values: [pick(i, w, rows)] }));
    return { create, byId };
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

export interface PostgresBenchOptions { seconds: number; concurrency: number; storage: string }

const ratio = (a: Measurement, b: Measurement) => Math.round((a.opsPerSec / b.opsPerSec) * 1000) / 1000;

export async function postgresWorkloads(o: PostgresBenchOptions): Promise<{ measurements: Measurement[]; targets: PostgresBenchTarget[] }> {
  const sqlite = await withServers(1, undefined, (s) => serverPair('server on sqlite', s.map(clientFor), o));
  const one = await withServers(1, o.storage, (s) => serverPair('server on pg, 1 process', s.map(clientFor), o));
  const two = await withServers(2, o.storage, (s) => serverPair('server on pg, 2 processes', s.map(clientFor), o));
  const raw = await rawPg(o);
  const measurements = [sqlite.byId, one.byId, two.byId, raw.byId, sqlite.create, one.create, two.create, raw.create];
  const readShare = ratio(one.byId, raw.byId);
  const readScale = ratio(two.byId, one.byId);
  const targets: PostgresBenchTarget[] = [
    { name: 'pg point reads: server (1 process) / raw pg', value: readShare, target: '>= 0.4', met: readShare >= 0.4 },
    { name: 'pg point reads: 2 processes / 1 process', value: readScale, target: '>= 1.6', met: readScale >= 1.6 },
    { name: 'pg inserts: server (1 process) / raw pg', value: ratio(one.create, raw.create) },
    { name: 'pg inserts: 2 processes / 1 process', value: ratio(two.create, one.create) },
    { name: 'point reads: server on pg / server on sqlite', value: ratio(one.byId, sqlite.byId) },
  ];
  return { measurements, targets };
}
