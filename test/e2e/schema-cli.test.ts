// The published fauna CLI (fauna-shell 4.0.0) against our server: `fauna database
// create/list/delete` (plain FQL) and the `fauna schema` commands (push staged and --active,
// status, diff, commit, pull, abandon), with HOME in a scratch directory.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { FaunaCli } from '../helpers/fauna-cli';
import { Clients, data } from './identity-helpers';
import { SCENARIO_A_FSL } from './schema-fixtures';

const ADMIN = 'secret:shop:admin';

describe('fauna CLI: databases and schema', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;
  let fauna: FaunaCli;
  let scratch: string;
  let dir: string;

  /** Runs the CLI; `stdin` answers its prompts. */
  const cli = (args: string[], secret: string, stdin = ''): Promise<{ code: number; out: string }> => fauna.run(args, secret, stdin);

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    admin = clients.as(ADMIN);
    fauna = new FaunaCli(server.url);
    scratch = fauna.scratch;
    dir = fauna.schemaDir;
    fauna.writeSchema({ 'main.fsl': SCENARIO_A_FSL });
  });
  after(async () => {
    clients.close();
    await server?.dispose();
    fauna.dispose();
  });

  it('creates, lists and deletes databases', async () => {
    for (const name of ['shop', 'scratch_db']) {
      const created = await cli(['database', 'create', '--name', name], 'secret');
      assert.equal(created.code, 0, created.out);
    }
    const listed = await cli(['database', 'list'], 'secret');
    assert.equal(listed.code, 0, listed.out);
    assert.match(listed.out, /^scratch_db$/m);
    assert.match(listed.out, /^shop$/m);
    const deleted = await cli(['database', 'delete', '--name', 'scratch_db'], 'secret');
    assert.equal(deleted.code, 0, deleted.out);
    assert.match(deleted.out, /Database 'scratch_db' was successfully deleted\./);
    assert.deepEqual(await data(clients.as('secret'), fql`Database.all().map(.name).toArray()`), ['shop']);
  });

  it('stages a schema with push, shows status and diffs, and commits it', async () => {
    const pushed = await cli(['schema', 'push', '--dir', dir, '--no-input'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    assert.equal(await data(admin, fql`Collection.byName("Account").exists()`), false);

    const status = await cli(['schema', 'status', '--dir', dir], ADMIN);
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /Staged changes: ready/);
    assert.match(status.out, /\* Adding collection `Account` to main\.fsl:1:1/);
    assert.match(status.out, /Local changes: none/);

    const local = await cli(['schema', 'diff', '--dir', dir], ADMIN);
    assert.equal(local.code, 0, local.out);
    assert.match(local.out, /Differences from the remote, staged schema to the local schema:\nNo schema differences\./);
    const staged = await cli(['schema', 'diff', '--staged', '--dir', dir], ADMIN);
    assert.match(staged.out, /Differences from the remote, active schema to the remote, staged schema:\n\* Adding collection `Account` to main\.fsl:1:1:\n {2}\* Indexes:\n {2}\+ add index `byEmail`/);

    const committed = await cli(['schema', 'commit', '--no-input'], ADMIN);
    assert.equal(committed.code, 0, committed.out);
    assert.match(committed.out, /Schema has been committed/);
    assert.equal(await data(admin, fql`Account.definition.indexes.byEmail.terms[0].field`), '.email');
    assert.equal(await data(admin, fql`UserLogout.definition.body`), '() => {\n  Query.token()!.delete()\n}');
  });

  it('pulls the schema files', async () => {
    const out = join(scratch, 'pulled');
    mkdirSync(out);
    const pulled = await cli(['schema', 'pull', '--dir', out], ADMIN, 'y\n');
    assert.equal(pulled.code, 0, pulled.out);
    assert.match(pulled.out, /Pulling active schema will make the following changes:\nadd: {7}main\.fsl/);
    assert.equal(readFileSync(join(out, 'main.fsl'), 'utf8'), SCENARIO_A_FSL);
  });

  it('pushes to the active schema with --active, and abandons a staged schema', async () => {
    const changed = SCENARIO_A_FSL.replace('collection Movie {\n  history_days 0\n}', 'collection Movie {\n  history_days 0\n  index byTitle {\n    terms [.title]\n  }\n}');
    writeFileSync(join(dir, 'main.fsl'), changed);
    const diff = await cli(['schema', 'diff', '--active', '--dir', dir], ADMIN);
    assert.match(diff.out, /\* Modifying collection `Movie` at main\.fsl:9:1:\n {2}\* Indexes:\n {2}\+ add index `byTitle`/);
    const active = await cli(['schema', 'push', '--dir', dir, '--no-input', '--active'], ADMIN);
    assert.equal(active.code, 0, active.out);
    assert.deepEqual(await data(admin, fql`Movie.definition.indexes.byTitle.terms`), [{ field: '.title' }]);

    writeFileSync(join(dir, 'main.fsl'), SCENARIO_A_FSL);
    assert.equal((await cli(['schema', 'push', '--dir', dir, '--no-input'], ADMIN)).code, 0);
    const abandoned = await cli(['schema', 'abandon', '--no-input'], ADMIN);
    assert.equal(abandoned.code, 0, abandoned.out);
    assert.match(abandoned.out, /Schema has been abandoned\./);
    assert.deepEqual(await data(admin, fql`Movie.definition.indexes.byTitle.terms`), [{ field: '.title' }]);
    const again = await cli(['schema', 'abandon', '--no-input'], ADMIN);
    assert.notEqual(again.code, 0);
    assert.match(again.out, /There is no staged schema to abandon/);
  });

  it('reports schema errors and refuses to stage in the root database', async () => {
    writeFileSync(join(dir, 'main.fsl'), 'collection Broken {\n  index {\n}\n');
    const broken = await cli(['schema', 'push', '--dir', dir, '--no-input', '--active'], ADMIN);
    assert.notEqual(broken.code, 0);
    assert.match(broken.out, /main\.fsl:\d+:\d+/);
    writeFileSync(join(dir, 'main.fsl'), SCENARIO_A_FSL);
    const root = await cli(['schema', 'push', '--dir', dir, '--no-input'], 'secret');
    assert.notEqual(root.code, 0);
    assert.match(root.out, /Schema cannot be staged in the root database/);
  });
});
