// Parallel writers (issue 12: "Show write throughput for a query that computes for ~2 ms before
// writing, at 1, 4 and 16 concurrent writers: it must grow with writers"), on SQLite and, with
// --storage, PostgreSQL:
//   - through the official driver against one server process: a query that folds a sequence
//     (calibrated to ~2 ms of evaluation on this machine) and then creates a document;
//   - at the engine level: a transaction that reads a key, waits 2 ms (compute without using
//     this process's CPU, so the engine's own concurrency shows even on a small machine) and
//     writes it; each writer its own key, so nothing conflicts.
// Figures: throughput at 4 and 16 writers over 1 writer, which must exceed 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { fql, type Client } from 'fauna';
import { startServer } from '../test/helpers/server';
import { openStorage } from '../src/storage/open';
import { encodeKey } from '../src/storage/tuple';
import { measure, type Figure, type Measurement } from './harness';

export interface WriterBenchOptions { readonly seconds: number; readonly storage?: string }

const WRITERS = [1, 4, 16] as const;
const COMPUTE_MS = 2;

const ratio = (a: Measurement, b: Measurement) => Math.round((a.opsPerSec / b.opsPerSec) * 1000) / 1000;

/** Median latency (ms) of `q` over `runs` sequential queries (the median resists a busy machine). */
async function medianMs(client: Client, q: () => ReturnType<typeof fql>, runs = 15): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await client.query(q());
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** The fold length whose evaluation takes about COMPUTE_MS here: a long fold's cost, scaled. */
async function calibrate(client: Client): Promise<number> {
  const n = 20_000;
  const base = await medianMs(client, () => fql`1 + 1`);
  const spent = (await medianMs(client, () => fql`Set.sequence(0, ${n}).fold(0, (a, x) => a + x)`)) - base;
  return Math.max(100, Math.round((n * COMPUTE_MS) / Math.max(spent, 1)));
}

async function serverWriters(label: string, storage: string | undefined, seconds: number): Promise<Measurement[]> {
  const server = await startServer(storage !== undefined ? { storage } : {});
  try {
    const client = server.client();
    const coll = `Writers_${randomBytes(4).toString('hex')}`;
    await client.query(fql`Collection.create({ name: ${coll} })`);
    const n = await calibrate(client);
    const out: Measurement[] = [];
    for (const w of WRITERS) {
      out.push(await measure(`${label}: ~${COMPUTE_MS} ms compute, then create (fold of ${n})`, w, seconds, () =>
        client.query(fql`let s = Set.sequence(0, ${n}).fold(0, (a, x) => a + x)
Collection(${coll})!.create({ s: s })`)));
    }
    return out;
  } finally {
    await server.dispose();
  }
}

async function engineWriters(label: string, storage: string | undefined, seconds: number): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-bench-writers-'));
  const engine = await openStorage(storage !== undefined ? { url: storage } : { dataDir: dir });
  const ns = randomBytes(6).toString('hex');
  try {
    const out: Measurement[] = [];
    for (const w of WRITERS) {
      out.push(await measure(`${label}: kv read, ${COMPUTE_MS} ms wait, write`, w, seconds, async (worker) => {
        const key = encodeKey(['bench-writers', ns, worker]);
        const txn = await engine.begin();
        try {
          const v = Number(Buffer.from((await txn.get(key)) ?? Buffer.from('0')).toString());
          await new Promise((resolve) => setTimeout(resolve, COMPUTE_MS));
          txn.put(key, Buffer.from(String(v + 1)));
          await txn.commit();
        } catch (err) {
          await txn.rollback();
          throw err;
        }
      }));
    }
    return out;
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function growth(label: string, ms: readonly Measurement[]): Figure[] {
  const [one, four, sixteen] = ms;
  return [
    { name: `${label}: write throughput 4 writers / 1`, value: ratio(four, one), target: '> 1', met: ratio(four, one) > 1 },
    { name: `${label}: write throughput 16 writers / 1`, value: ratio(sixteen, one), target: '> 1', met: ratio(sixteen, one) > 1 },
  ];
}

export async function writerWorkloads(o: WriterBenchOptions): Promise<{ measurements: Measurement[]; figures: Figure[] }> {
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  const targets: [string, string | undefined][] = [['sqlite', undefined]];
  if (o.storage !== undefined) targets.push(['pg', o.storage]);
  for (const [name, storage] of targets) {
    const server = await serverWriters(`server on ${name}`, storage, o.seconds);
    const engine = await engineWriters(`${name} engine`, storage, o.seconds);
    measurements.push(...server, ...engine);
    figures.push(...growth(`server on ${name}`, server), ...growth(`${name} engine`, engine));
  }
  return { measurements, figures };
}
