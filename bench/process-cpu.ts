// A server process's CPU use, and pinning it to cores, for the h2load section (issue 12: "every
// core used"): CPU seconds from /proc/<pid>/stat (all threads: the coordinator and the query
// workers), cores from `taskset` (util-linux). Linux only, like h2load itself.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's utime and stime. */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds the process (every thread of it) has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Every core of the machine, as a taskset list ("0-1"). */
export function allCores(): string {
  return `0-${cpus().length - 1}`;
}

/** Restricts every thread of `pid` to `cores` (threads started later inherit it). */
export function pinProcess(pid: number, cores: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
}

/**
 * Runs `body` and reports the CPU seconds `pid` used per wall second meanwhile, counted from
 * `skipSeconds` in (a load generator's warm-up: worker start-up and JIT are not the steady state).
 */
export async function cpuPerWallSecond<T>(
  pid: number, body: () => Promise<T>, skipSeconds = 0,
): Promise<{ result: T; cpuPerWall: number; cpuSeconds: number }> {
  let c0 = processCpuSeconds(pid);
  let t0 = process.hrtime.bigint();
  const skip = setTimeout(() => {
    c0 = processCpuSeconds(pid);
    t0 = process.hrtime.bigint();
  }, skipSeconds * 1000);
  const result = await body().finally(() => clearTimeout(skip));
  const cpuSeconds = processCpuSeconds(pid) - c0;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { result, cpuPerWall: Math.round((cpuSeconds / wall) * 1000) / 1000, cpuSeconds };
}
