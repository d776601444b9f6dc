// Shared by the application end-to-end suites (app-*.test.ts): the published `fauna` CLI run
// against the test server with HOME in a scratch directory, and assertions on the errors an
// application sees (`abort()` values, constraint failures).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AbortError, ConstraintFailureError, type Client, type Query, type QueryValue } from 'fauna';
import { fails } from './identity-helpers';

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

/** Assert that a query ends in `abort(value)`: code "abort", "Query aborted.", the value. */
export async function aborts(client: Client, query: Query<QueryValue>, value: QueryValue): Promise<void> {
  const e = await fails(client, query, 'abort');
  assert.ok(e instanceof AbortError);
  assert.equal(e.message, 'Query aborted.');
  assert.deepEqual(e.abort, value);
}

/**
 * Assert a constraint_failure with its message and failures ({ message, paths? }); `message`
 * null leaves the top-level message to a separate (todo) step.
 */
export async function violates(
  client: Client, query: Query<QueryValue>, message: string | null, failures: { message: string; paths?: (string | number)[][] }[],
): Promise<void> {
  const e = await fails(client, query, 'constraint_failure');
  assert.ok(e instanceof ConstraintFailureError);
  if (message !== null) assert.equal(e.message, message);
  assert.deepEqual(e.constraint_failures.map((f) => (f.paths ? { message: f.message, paths: f.paths } : { message: f.message })), failures);
}
