// FQL v4 workloads for `npm run bench` (issue 13): over one collection written through v10
// with a v10 index, a v4 index built over the existing documents; then the v4 index lookup
// `Paginate(Match(Index(...), term))` next to the v10 index lookup, and v4 `Get(Ref(...))`
// next to v10 `byId`, each pair in the same run on the same server and documents.
import { performance } from 'node:perf_hooks';
import { Client as V4Client, query as q } from 'faunadb';
import { fql } from 'fauna';
import { startServer } from '../test/helpers/server';
import { benchEmail, INSERT_BATCH, measure, pick, type Figure, type Measurement } from './harness';

export interface V4BenchOptions {
  readonly seconds: number;
  readonly concurrency: number;
  readonly storage?: string;
  /** Collection size (default 20,000). */
  readonly docs?: number;
}


const ratio = (a: Measurement, b: Measurement) => Math.round((a.opsPerSec / b.opsPerSec) * 1000) / 1000;

export async function v4Workloads(o: V4BenchOptions): Promise<{ measurements: Measurement[]; figures: Figure[]; buildMs: number }> {
  const n = o.docs ?? 20_000;
  const server = await startServer(o.storage ? { storage: o.storage } : {});
  const v4 = new V4Client({ secret: 'secret', domain: '127.0.0.1', port: server.port, scheme: 'http' });
  try {
    const v10 = server.client();
    await v10.query(fql`Collection.create({ name: "BenchV4", indexes: { byEmail: { terms: [{ field: ".email" }] } } })`);
    for (let from = 0; from < n; from += INSERT_BATCH) {
      const to = Math.min(from + INSERT_BATCH, n);
      await v10.query(fql`Set.sequence(${from}, ${to}).forEach(i =>
        BenchV4.create({ id: (i + 1).toString(), email: "user" + i.toString() + "@example.com", n: i, name: "bench" }))`);
    }
    const t0 = performance.now();
    await v4.query(q.CreateIndex({ name: 'bench_v4_by_email', source: q.Collection('BenchV4'), terms: [{ field: ['data', 'email'] }] }));
    const buildMs = Math.round(performance.now() - t0);
    const c = o.concurrency;
    const measurements = [
      await measure(`v10: index lookup (${n} docs)`, c, o.seconds, (_w, i) => v10.query(fql`BenchV4.byEmail(${benchEmail(pick(i, n))}).first()`)),
      await measure(`v4: Paginate(Match) (${n} docs)`, c, o.seconds, (_w, i) =>
        v4.query(q.Paginate(q.Match(q.Index('bench_v4_by_email'), benchEmail(pick(i, n)))))),
      // The v10 lookup returns the document; this v4 lookup too (context, no target).
      await measure(`v4: Get(Match) (${n} docs)`, c, o.seconds, (_w, i) =>
        v4.query(q.Get(q.Match(q.Index('bench_v4_by_email'), benchEmail(pick(i, n)))))),
      await measure('v10: Coll.byId', c, o.seconds, (_w, i) => v10.query(fql`BenchV4.byId(${String(pick(i, n) + 1)})`)),
      await measure('v4: Get(Ref)', c, o.seconds, (_w, i) => v4.query(q.Get(q.Ref(q.Collection('BenchV4'), String(pick(i, n) + 1))))),
    ];
    const [lookup10, lookup4, getMatch4, byId10, get4] = measurements;
    const figures: Figure[] = [
      { name: 'v4 Paginate(Match) / v10 index lookup', value: ratio(lookup4, lookup10), target: '>= 0.8', met: ratio(lookup4, lookup10) >= 0.8 },
      { name: 'v4 Get(Match) / v10 index lookup', value: ratio(getMatch4, lookup10) },
      { name: 'v4 Get(Ref) / v10 byId', value: ratio(get4, byId10), target: '>= 0.8', met: ratio(get4, byId10) >= 0.8 },
      { name: `v4 index build over ${n} docs (ms)`, value: buildMs },
    ];
    return { measurements, figures, buildMs };
  } finally {
    await v4.close({ force: true });
    await server.dispose();
  }
}
