// The official `fauna` CLI (fauna-shell) against our server: `fauna query` in its default FQL
// (decorated) output and with --json (simple format), and how it shows query errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer, TestServer } from '../helpers/server';

const run = promisify(execFile);
const FAUNA = resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'fauna');

describe('fauna CLI', () => {
  let server: TestServer;
  let home: string;
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      const r = await run(FAUNA, [...args, '--url', server.url, '--secret', 'secret'], {
        env: { ...process.env, HOME: home, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1', CI: '1' },
        timeout: 60_000,
      });
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
    }
  };
  before(async () => {
    server = await startServer();
    home = mkdtempSync(join(tmpdir(), 'fql-cli-home-'));
  });
  after(async () => {
    await server?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('prints results as FQL', async () => {
    const r = await cli('query', '1 + 1');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^2$/m);
    const coll = await cli('query', 'Collection.create({ name: "CliColl" })');
    assert.equal(coll.code, 0, coll.out);
    assert.match(coll.out, /name: "CliColl",\n\s+coll: Collection,\n\s+ts: Time\("[^"]+"\)/);
  });

  it('prints results as JSON with --json', async () => {
    const r = await cli('query', '{ a: 1, b: [true, null], c: "x" }', '--json');
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(JSON.parse(r.out.slice(r.out.indexOf('{'))), { a: 1, b: [true, null], c: 'x' });
  });

  it('shows the error summary of a failing query', async () => {
    const r = await cli('query', 'abort("stop")');
    assert.notEqual(r.code, 0);
    assert.match(r.out, /Query aborted\./);
    assert.match(r.out, /at \*query\*:1:6/);
  });
});
