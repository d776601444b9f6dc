// Runs h2load (Debian's nghttp2-client) against one h2c endpoint for a fixed time and turns its
// output into a Measurement: throughput from its summary, latency percentiles from its
// per-request log (h2load itself reports only min/max/mean).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type Measurement } from './harness';

export const H2LOAD = process.env.H2LOAD ?? '/usr/bin/h2load';

export interface H2loadRun {
  readonly name: string;
  readonly url: string;
  /** POST body (sent with every request); GET without one. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Concurrent streams in all: `clients` connections × `streams` each. */
  readonly clients: number;
  readonly streams: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Cores h2load runs on (a taskset list); any when absent. */
  readonly cores?: string;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;


function run(cmd: string, args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out }));
  });
}

/** Parses h2load's summary; throws with its output when it is not there. */
export function parseSummary(out: string): { seconds: number; reqPerSec: number; succeeded: number; failed: number; non2xx: number } {
  const fin = /finished in ([\d.]+)(m?s), ([\d.]+) req\/s/.exec(out);
  const req = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  if (!fin || !req || !codes) throw new Error(`unexpected h2load output:\n${out}`);
  const seconds = Number(fin[1]) / (fin[2] === 'ms' ? 1000 : 1);
  return {
    seconds, reqPerSec: Number(fin[3]), succeeded: Number(req[1]),
    failed: Number(req[2]) + Number(req[3]) + Number(req[4]),
    non2xx: Number(codes[2]) + Number(codes[3]) + Number(codes[4]),
  };
}

export async function h2load(r: H2loadRun): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-h2load-'));
  try {
    const log = join(dir, 'requests.log');
    const args = [
      '-c', String(r.clients), '-m', String(r.streams), '-t', '1',
      '-D', `${Math.round(r.seconds * 1000)}ms`, '--warm-up-time', `${Math.round(r.warmupSeconds * 1000)}ms`,
      `--log-file=${log}`,
    ];
    if (r.body !== undefined) {
      const bodyFile = join(dir, 'body.json');
      writeFileSync(bodyFile, r.body);
      args.push('-d', bodyFile);
    }
    for (const [k, v] of Object.entries(r.headers ?? {})) args.push('-H', `${k}: ${v}`);
    args.push(r.url);
    const { code, out } = r.cores === undefined ? await run(H2LOAD, args) : await run('taskset', ['-c', r.cores, H2LOAD, ...args]);
    if (code !== 0) throw new Error(`h2load exited with ${code}:\n${out}`);
    const s = parseSummary(out);
    // Log lines: start µs since the epoch, status, µs until the end of the response.
    const ok: number[] = [];
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const [, status, micros] = line.split('\t');
      if (micros === undefined) continue;
      if (status.startsWith('2')) ok.push(Number(micros) / 1000);
    }
    const errors = s.failed + s.non2xx;
    // (The log also lists requests cut off by the end of the run, without a 2xx status.)
    if (errors > 0) process.stderr.write(`  ${r.name}: ${errors} failed or non-2xx requests\n`);
    // Latencies from the log; the count and rate from h2load's own summary.
    const good = Math.max(0, s.succeeded - s.non2xx);
    return { ...summarize(r.name, r.clients * r.streams, ok, s.seconds, errors), ops: good, opsPerSec: round(good / s.seconds, 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
