// Crash tests: a fixture process prints one line per thing it has made durable (a commit, a
// timestamp); it is killed with SIGKILL some time after its first line, and the lines it
// printed are what the reopened store must honour.
import { spawn } from 'node:child_process';

/** Runs `node <fixture> <dataDir>`, kills it with SIGKILL `delayMs` after its first line; resolves with its lines. */
export function runAndKill(fixture: string, dataDir: string, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const printed: string[] = [];
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() as string;
      printed.push(...lines);
      if (timer === undefined && printed.length > 0) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`${fixture} exited with ${code}: ${stderr}`));
      else resolve(printed);
    });
  });
}
