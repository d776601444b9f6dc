// Load generation and statistics shared by the benchmark workloads: run an async operation
// from N concurrent workers for a fixed time and report throughput and latency percentiles.
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  readonly concurrency: number;
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Run `op(workerIndex, iteration)` from `concurrency` workers for `seconds` (after a short
 * warm-up that is not measured). Bounded in time by construction.
 */
export async function measure(
  name: string,
  concurrency: number,
  seconds: number,
  op: (worker: number, i: number) => Promise<unknown>,
  warmupSeconds = Math.min(1, seconds / 4),
): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const runPhase = async (durationS: number, record: boolean) => {
    const end = performance.now() + durationS * 1000;
    await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          await op(w, i);
          if (record) latencies.push(performance.now() - t0);
        } catch (e) {
          if (record) { errors++; firstError ??= e; }
        }
      }
    }));
  };
  await runPhase(warmupSeconds, false);
  const t0 = performance.now();
  await runPhase(seconds, true);
  const elapsed = (performance.now() - t0) / 1000;
  if (firstError) process.stderr.write(`  ${name}: first error: ${(firstError as Error).message}\n`);
  return summarize(name, concurrency, latencies, elapsed, errors);
}

/** The warm-up before a measured run: windows until two in a row agree within WARM_TOLERANCE. */
export const WARM_WINDOW_SECONDS = 3;
const WARM_TOLERANCE = 0.05;

/** What warming a workload up took: each window's rate, and whether the rate settled. */
export interface WarmUp {
  readonly windowRates: readonly number[];
  readonly settled: boolean;
}

/**
 * Runs `window` (one unmeasured run of WARM_WINDOW_SECONDS, returning its ops/s) until the rate
 * stops moving, for at most `maxSeconds`. Each query worker is an isolate that JIT-compiles the
 * runtime on its own: throughput keeps rising for tens of seconds after a server starts.
 */
export async function warmUntilSteady(window: () => Promise<number>, maxSeconds: number): Promise<WarmUp> {
  const windowRates: number[] = [];
  for (let spent = 0; spent < maxSeconds; spent += WARM_WINDOW_SECONDS) {
    windowRates.push(await window());
    const n = windowRates.length;
    if (n >= 2 && Math.abs(windowRates[n - 1] - windowRates[n - 2]) <= WARM_TOLERANCE * windowRates[n - 2]) {
      return { windowRates, settled: true };
    }
  }
  return { windowRates, settled: false };
}

/** A measurement from raw latencies (ms) observed over `seconds`. */
export function summarize(name: string, concurrency: number, latenciesMs: readonly number[], seconds: number, errors = 0): Measurement {
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    name, concurrency, ops: sorted.length, errors, seconds: round(seconds),
    opsPerSec: round(sorted.length / seconds, 1),
    p50Ms: round(percentile(sorted, 50)), p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function formatRow(m: Measurement): string {
  return `${m.name.padEnd(34)} ${String(m.opsPerSec).padStart(10)} ops/s   p50 ${m.p50Ms.toFixed(3).padStart(8)} ms   p99 ${m.p99Ms.toFixed(3).padStart(8)} ms   errors ${m.errors}`;
}

/**
 * A figure the report shows: a target from an issue (`target` and whether it was `met`), or a
 * value reported for context only (no target, `met` undefined).
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly target?: string;
  readonly met?: boolean;
}

export function formatFigure(f: Figure): string {
  return f.target === undefined
    ? `report ${f.name}: ${f.value}`
    : `target ${f.name}: ${f.value} (${f.target}) ${f.met ? 'met' : 'MISSED'}`;
}

/** Documents created per query when a workload seeds its collection. */
export const INSERT_BATCH = 2000;
/** The seeded accounts' unique emails. */
export const benchEmail = (i: number): string => `user${i}@example.com`;
/** A deterministic spread of document numbers over [0, n). */
export const pick = (i: number, n: number): number => (i * 7919) % n;
