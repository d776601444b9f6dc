// The published `fauna` CLI (fauna-shell) run against a test server, with HOME and a schema
// directory in a scratch directory of its own.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FAUNA = resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'fauna');

/** A scratch directory holding one schema directory and the CLI's HOME. */
export class FaunaCli {
  readonly scratch = mkdtempSync(join(tmpdir(), 'fql-app-'));
  readonly schemaDir = join(this.scratch, 'schema');

  constructor(private readonly url: string) {
    mkdirSync(join(this.scratch, 'home'));
    mkdirSync(this.schemaDir);
  }

  /** Writes `files` (name → FSL) into the schema directory. */
  writeSchema(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.schemaDir, name), text);
  }

  /** Runs the CLI with `secret`; `stdin` answers its prompts. */
  run(args: string[], secret: string, stdin = ''): Promise<{ code: number; out: string }> {
    return new Promise((done, fail) => {
      const child = spawn(FAUNA, [...args, '--url', this.url, '--secret', secret], {
        env: { ...process.env, HOME: join(this.scratch, 'home'), NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1', CI: '1' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('error', fail);
      child.on('close', (code) => done({ code: code ?? 1, out }));
      child.stdin.end(stdin);
    });
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
