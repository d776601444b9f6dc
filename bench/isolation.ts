// The cost of query isolation (issue 9): the same workloads through a server that runs queries
// in worker threads (the default) and through one that runs them in the main thread
// (`--workers 0`, no isolation), in the same run.
import { fql } from 'fauna';
import { startServer } from '../test/helpers/server';
import { type Figure, type Measurement, measure } from './harness';

export interface IsolationOptions { seconds: number; concurrency: number; storage?: string }

async function workloads(label: string, args: string[], o: IsolationOptions): Promise<Measurement[]> {
  const server = await startServer({ args, ...(o.storage ? { storage: o.storage } : {}) });
  try {
    const client = server.client();
    await client.query(fql`Collection.create({ name: "IsoDoc" })`);
    const ids: string[] = [];
    const out: Measurement[] = [];
    out.push(await measure(`${label}: 1 + 1`, o.concurrency, o.seconds, () => client.query(fql`1 + 1`)));
    out.push(await measure(`${label}: Coll.create`, o.concurrency, o.seconds, async () => {
      ids.push((await client.query<{ id: string }>(fql`IsoDoc.create({ n: 1 })`)).data.id);
    }));
    out.push(await measure(`${label}: Coll.byId`, o.concurrency, o.seconds, (_w, i) =>
      client.query(fql`IsoDoc.byId(${ids[(i * 7919) % ids.length]})`)));
    out.push(await measure(`${label}: Coll.byId (1 client)`, 1, o.seconds, (_w, i) =>
      client.query(fql`IsoDoc.byId(${ids[(i * 7919) % ids.length]})`)));
    return out;
  } finally {
    await server.dispose();
  }
}

export async function isolationWorkloads(o: IsolationOptions): Promise<{ measurements: Measurement[]; figures: Figure[] }> {
  const pooled = await workloads('isolated (workers)', [], o);
  const inline = await workloads('not isolated (--workers 0)', ['--workers', '0'], o);
  const figures: Figure[] = [];
  const names = ['1 + 1', 'Coll.create', 'Coll.byId'];
  names.forEach((n, i) => figures.push({
    name: `isolation: ${n} throughput, isolated / not isolated`,
    value: Math.round((pooled[i].opsPerSec / inline[i].opsPerSec) * 1000) / 1000,
  }));
  figures.push({
    name: 'isolation: byId p50 added per query, 1 client (ms)',
    value: Math.round((pooled[3].p50Ms - inline[3].p50Ms) * 1000) / 1000,
  });
  return { measurements: [...pooled, ...inline], figures };
}
