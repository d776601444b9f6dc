// A well-behaved client in its own process (forked by tests that attack the server): it runs
// `1 + 1` through the official driver in a loop and reports its latencies when told to stop.
// Its own process, so that the attacking test's work cannot delay its measurements.
import { performance } from 'node:perf_hooks';
import { Client, fql } from 'fauna';

export interface InnocentReport {
  readonly latencies: number[];
  readonly failures: string[];
  /** Answers over 250 ms with the phase the parent announced when they came. */
  readonly slow: string[];
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const client = new Client({ endpoint: new URL(url), secret: 'secret', query_timeout_ms: 30_000 });
  let phase = 'start';
  let stop = false;
  process.on('message', (m: { phase?: string; stop?: boolean }) => {
    if (m.phase) phase = m.phase;
    if (m.stop) stop = true;
  });
  const report: InnocentReport = { latencies: [], failures: [], slow: [] };
  await client.query(fql`1 + 1`);
  process.send!({ ready: true });
  while (!stop) {
    const t = performance.now();
    try {
      const r = await client.query<number>(fql`1 + 1`);
      if (r.data !== 2) report.failures.push(`wrong answer ${String(r.data)}`);
    } catch (e) {
      report.failures.push(String(e));
    }
    const ms = performance.now() - t;
    report.latencies.push(ms);
    if (ms > 250) report.slow.push(`${ms.toFixed(0)} ms during "${phase}"`);
    await new Promise((r) => setTimeout(r, 5));
  }
  client.close();
  process.send!({ report }, () => process.exit(0));
}

void main();
