// The schema API (/schema/1/*) over HTTP, as the fauna CLI calls it: authentication and
// permission errors, request validation, pushing FSL to the active schema, files reconciled
// with definitions changed through FQL, the three diff formats, and the staged schema's
// status, commit and abandon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ConstraintFailureError, fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { Clients, data, fails } from './identity-helpers';
import { SCENARIO_A_FSL, SchemaApi, useSchemaServer } from './schema-fixtures';

/** Scenario A with an index added to Movie, AuthRole removed and a function added. */
const CHANGED_FSL = SCENARIO_A_FSL
  .replace('collection Movie {\n  history_days 0\n}', 'collection Movie {\n  history_days 0\n  index byTitle {\n    terms [.title]\n  }\n}')
  .replace(/\/\/ Every token[\s\S]*$/, 'function Twice(x) {\n  x * 2\n}\n');

describe('schema API', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;
  let api: SchemaApi;

  useSchemaServer('app', (s) => ({ server, clients, admin, api } = s));

  it('answers 401, 404 and 405 with a message and no code', async () => {
    const anonymous = await fetch(`${server.url}/schema/1/files`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(await anonymous.json(), { error: { message: 'Access token required' } });
    assert.deepEqual(await new SchemaApi(server.url, 'nope').request('GET', '/files'),
      { status: 401, body: { error: { message: 'Access token required' } } });
    assert.deepEqual(await api.request('GET', '/nothing'), { status: 404, body: { error: { message: 'Not found' } } });
    assert.deepEqual(await api.request('GET', '/update'), { status: 405, body: { error: { message: 'Method not allowed' } } });
  });

  it('lets server keys read the schema and only admin write it', async () => {
    const server_ = await data<{ secret: string }>(admin, fql`Key.create({ role: "server" })`);
    const client_ = await data<{ secret: string }>(admin, fql`Key.create({ role: "client" })`);
    const asServer = new SchemaApi(server.url, server_.secret);
    const read = await asServer.request('GET', '/files');
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.files, []);
    assert.deepEqual(await asServer.push({ 'main.fsl': 'collection Nope {}' }, false),
      { status: 403, body: { error: { message: 'Access denied' } } });
    assert.equal((await new SchemaApi(server.url, client_.secret).request('GET', '/files')).status, 403);
    assert.equal(await data(admin, fql`Collection.byName("Nope").exists()`), false);
  });

  it('rejects bad requests and invalid schema without changing anything', async () => {
    const plain = await fetch(`${server.url}/schema/1/update?force=true`, {
      method: 'POST', body: 'collection X {}', headers: { authorization: 'Bearer secret:app:admin', 'content-type': 'text/plain' },
    });
    assert.equal(plain.status, 400);
    assert.deepEqual(await plain.json(), { error: { message: 'Request is not a valid multipart request' } });
    assert.deepEqual((await api.push({ '../x.fsl': 'collection X {}' }, false)).body, { error: { message: 'Invalid filename `../x.fsl`' } });
    const syntax = await api.push({ 'main.fsl': 'collection X {\n  index {\n}' }, false);
    assert.equal(syntax.status, 400);
    assert.match(syntax.body.error!.message, /^error: .*\nat main\.fsl:\d+:\d+\n/);
    const badRole = await api.push({ 'main.fsl': 'collection Keep {}\n\n@role(nobody)\nfunction F() {\n  1\n}\n' }, false);
    assert.equal(badRole.status, 400);
    assert.match(badRole.body.error!.message, /Failed to create Function\.\nconstraint failures:\n {2}role: Field refers to an unknown role name `nobody`\./);
    assert.match(badRole.body.error!.message, /at main\.fsl:4:10/);
    assert.equal(await data(admin, fql`Collection.byName("Keep").exists()`), false);
    const stale = await api.request('POST', '/update', { version: '1', staged: 'false' }, { 'main.fsl': 'collection X {}' });
    assert.deepEqual(stale, { status: 409, body: { error: { message: 'Stale schema version provided' } } });
  });

  it('refuses absurdly nested FSL with a schema error, not a 500', async () => {
    // The FQL parser answers such input "The query is too deeply nested." (src/fql/parse/parse.ts);
    // the FSL parser let the engine's "Maximum call stack size exceeded" out as a 500 internal_error,
    // to any secret that may validate or diff (server-readonly included).
    const n = 100_000;
    const deep = {
      'function f() { ': '['.repeat(n) + ']'.repeat(n) + ' }\n',
      'collection D { x: ': 'Array<'.repeat(n) + 'Number' + '>'.repeat(n) + ' }\n',
      'role R { privileges D { read { predicate ': '('.repeat(n) + 'x => true' + ')'.repeat(n) + ' } } }\n',
    };
    for (const [head, rest] of Object.entries(deep)) {
      const r = await api.push({ 'main.fsl': head + rest }, false);
      assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 200));
      assert.equal(r.body.error!.message, `error: The schema is too deeply nested.\nat main.fsl:1:1\n  |\n1 | ${(head + rest).split('\n')[0]}\n  | ^\n  |`);
    }
    assert.equal(await data(admin, fql`Collection.byName("D").exists()`), false);
  });

  it('pushes FSL to the active schema and returns the pushed files', async () => {
    const pushed = await api.push({ 'main.fsl': SCENARIO_A_FSL }, false);
    assert.equal(pushed.status, 200);
    assert.equal(typeof pushed.body.version, 'number');
    const account = await data<{ indexes: Record<string, unknown>; constraints: unknown[] }>(admin, fql`Collection.byName("Account")`);
    assert.deepEqual(account.indexes, { byEmail: { terms: [{ field: '.email' }], queryable: true, status: 'complete' } });
    assert.deepEqual(account.constraints, [{ unique: ['.email'], status: 'active' }]);
    assert.equal(await data(admin, fql`Function.byName("UserLogout").body`), '() => {\n  Query.token()!.delete()\n}');
    assert.deepEqual(await data(admin, fql`Role.byName("AuthRole") { membership, privileges }`), {
      membership: [{ resource: 'Account' }],
      privileges: [{ resource: 'Movie', actions: { read: true } }, { resource: 'UserLogout', actions: { call: true } }],
    });
    const files = await api.request('GET', '/files');
    assert.deepEqual(files.body, { version: pushed.body.version, files: [{ filename: 'main.fsl' }] });
    assert.equal(await api.file('main.fsl'), SCENARIO_A_FSL);
    assert.deepEqual((await api.request('GET', '/files/other.fsl')).body, { error: { message: 'Not found' } });
    assert.equal((await api.diff({ 'main.fsl': SCENARIO_A_FSL })).body.diff, '');
  });

  it('shows definitions created or changed through FQL in the files, and push deletes what the files lack', async () => {
    await data(admin, fql`Collection.create({ name: "Extra", indexes: { byX: { terms: [{ field: ".x" }] } } })`);
    await data(admin, fql`Extra.create({ x: 1 })`);
    await data(admin, fql`Movie.definition.update({ ttl_days: 3 })`);
    await data(admin, fql`Account.definition.update({ data: { owner: "ops" } })`);
    const main = (await api.file('main.fsl'))!;
    assert.match(main, /collection Movie \{\n {2}ttl_days 3\n\}/);
    assert.match(main, /\ncollection Extra \{\n {2}index byX \{\n {4}terms \[\.x\]\n {2}\}\n\}\n$/);
    assert.match(main, /^collection Account \{\n {2}history_days 0\n/);
    const diff = (await api.diff({ 'main.fsl': SCENARIO_A_FSL })).body.diff;
    assert.equal(diff, '* Removing collection `Extra` from main.fsl:43:1:\n  * Indexes:\n  - remove index `byX`\n\n'
      + '* Modifying collection `Movie` at main.fsl:9:1:\n  * Configuration:\n  - remove ttl_days set to 3\n\n');
    assert.equal((await api.push({ 'main.fsl': SCENARIO_A_FSL }, false)).status, 200);
    assert.equal(await data(admin, fql`Collection.byName("Extra").exists()`), false);
    assert.equal(await data(admin, fql`Movie.definition.ttl_days`), null);
    assert.deepEqual(await data(admin, fql`Account.definition.data`), { owner: 'ops' });
    await data(admin, fql`Collection.create({ name: "Extra" })`);
    assert.equal(await data(admin, fql`Extra.all().count()`), 0);
    await data(admin, fql`Collection.byName("Extra")!.delete()`);
    assert.equal(await api.file('main.fsl'), SCENARIO_A_FSL);
  });

  it('renders semantic, summary and textual diffs', async () => {
    const semantic = await api.diff({ 'main.fsl': CHANGED_FSL }, { diff: 'semantic', staged: 'true' });
    assert.equal(semantic.body.diff, [
      '* Adding function `Twice` to main.fsl:39:1',
      '',
      '* Removing role `AuthRole` from main.fsl:37:1:',
      '  - remove privileges on `Movie`',
      '  - remove privileges on `UserLogout`',
      '  - remove membership on `Account`',
      '',
      '* Modifying collection `Movie` at main.fsl:9:1:',
      '  * Indexes:',
      '  + add index `byTitle`',
      '',
      '',
    ].join('\n'));
    const summary = await api.diff({ 'main.fsl': CHANGED_FSL }, { format: 'summary' });
    assert.equal(summary.body.diff, '* Adding function `Twice` to main.fsl:39:1\n'
      + '* Removing role `AuthRole` from main.fsl:37:1\n* Modifying collection `Movie` at main.fsl:9:1\n');
    const textual = (await api.diff({ 'main.fsl': CHANGED_FSL }, { format: 'textual' })).body.diff!;
    assert.match(textual, /^main\.fsl\n@ line 8 to 16\n/);
    assert.match(textual, /\n {2}collection Movie \{\n {4}history_days 0\n\+ {3}index byTitle \{\n\+ {5}terms \[\.title\]\n\+ {3}\}\n {2}\}\n/);
    assert.match(textual, /\n- role AuthRole \{\n/);
    assert.match(textual, /\n\+ function Twice\(x\) \{\n/);
  });

  it('stages a schema, shows its status, and commits or abandons it', async () => {
    assert.deepEqual((await api.request('GET', '/staged/status')).body.status, 'none');
    assert.deepEqual((await api.request('POST', '/staged/commit', { force: 'true' })).body,
      { error: { message: 'There is no staged schema to commit' } });
    assert.deepEqual((await api.request('POST', '/staged/abandon', { force: 'true' })).body,
      { error: { message: 'There is no staged schema to abandon' } });

    const staged = await api.push({ 'main.fsl': CHANGED_FSL }, true);
    assert.equal(staged.status, 200);
    assert.deepEqual(await api.request('GET', '/staged/status'), { status: 200, body: { version: staged.body.version, status: 'ready' } });
    const summary = (await api.request('GET', '/status', { format: 'summary' })).body;
    assert.equal(summary.pending_summary, '');
    assert.equal(summary.diff, '* Adding function `Twice` to main.fsl:39:1\n'
      + '* Removing role `AuthRole` from main.fsl:37:1\n* Modifying collection `Movie` at main.fsl:9:1\n');
    // Queries still see the active schema.
    assert.equal(await data(admin, fql`Role.byName("AuthRole").exists()`), true);
    assert.equal(await api.file('main.fsl'), SCENARIO_A_FSL);
    assert.equal(await api.file('main.fsl', true), CHANGED_FSL);
    assert.equal((await api.diff({ 'main.fsl': CHANGED_FSL }, { staged: 'true' })).body.diff, '');

    const stale = await api.request('POST', '/staged/commit', { version: String(staged.body.version! - 1) });
    assert.deepEqual(stale.body, { error: { message: 'Stale schema version provided' } });
    const committed = await api.request('POST', '/staged/commit', { version: String(staged.body.version) });
    assert.equal(committed.status, 200);
    assert.ok(committed.body.version! > staged.body.version!);
    assert.equal(await data(admin, fql`Role.byName("AuthRole").exists()`), false);
    assert.equal(await data(admin, fql`Twice(21)`), 42);
    assert.deepEqual(await data(admin, fql`Movie.definition.indexes.byTitle.terms`), [{ field: '.title' }]);
    assert.equal((await api.request('GET', '/status')).body.status, 'none');
    assert.equal(await api.file('main.fsl'), CHANGED_FSL);

    assert.equal((await api.push({ 'main.fsl': SCENARIO_A_FSL }, true)).status, 200);
    assert.equal((await api.request('POST', '/abandon', { force: 'true' })).status, 200);
    assert.equal((await api.request('GET', '/staged/status')).body.status, 'none');
    assert.equal(await data(admin, fql`Role.byName("AuthRole").exists()`), false);
    assert.equal(await api.file('main.fsl', true), CHANGED_FSL);
  });

  it('refuses staging in the root database but accepts active pushes there', async () => {
    const root = new SchemaApi(server.url, 'secret');
    const message = { error: { message: 'Schema cannot be staged in the root database' } };
    assert.deepEqual(await root.push({ 'main.fsl': 'collection RootColl {}' }, true), { status: 400, body: message });
    assert.deepEqual((await root.request('GET', '/staged/status')).body, message);
    assert.equal((await root.push({ 'main.fsl': 'collection RootColl {}' }, false)).status, 200);
    assert.equal(await data(clients.as('secret'), fql`Collection.byName("RootColl").exists()`), true);
    assert.equal(await data(clients.as('secret'), fql`Database.byName("app").exists()`), true);
  });
  // Short lambdas (`(.field ...)`) need their parentheses to parse, so they keep them when
  // stored: core SchemaCollectionSpec ("creates with short lambdas" for checks and computed
  // fields, "translates short lambdas from FQL to FSL": `check foo (.bar > 3)` ↔ body
  // `"(.bar > 3)"`); fauna-labs/zero-to-docrel-demo fsl-demo/main.fsl has
  // `check notNegativeQty(.quantity >= 0)`.
  // As through FQL, a pushed constraint is built over existing duplicates rather than refused:
  // core builds its backing index without a uniqueness check (IndexWriteConfig.writeInternal).
  it('pushes a unique constraint onto data that already has duplicates', async () => {
    await data(clients.as('secret'), fql`Database.create({ name: "dups" })`);
    const api2 = new SchemaApi(server.url, 'secret:dups:admin');
    const owner = clients.as('secret:dups:admin');
    assert.equal((await api2.push({ 'main.fsl': 'collection Item {\n}\n' }, false)).status, 200);
    await data(owner, fql`Item.create({ name: "a" }); Item.create({ name: "a" })`);
    const fsl = 'collection Item {\n  unique [.name]\n}\n';
    const pushed = await api2.push({ 'main.fsl': fsl }, false);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(await data(owner, fql`Item.definition.constraints`), [{ unique: ['.name'], status: 'active' }]);
    assert.equal(await data(owner, fql`Item.all().count()`), 2);
    const e = await fails(owner, fql`Item.create({ name: "a" })`, 'constraint_failure');
    assert.deepEqual((e as ConstraintFailureError).constraint_failures, [{ message: 'Failed unique constraint', paths: [['name']] }]);
    assert.equal(await data(owner, fql`Item.create({ name: "b" }).name`), 'b');
  });

  it('stores short-lambda checks, computed fields and predicates with their parentheses', async () => {
    await data(clients.as('secret'), fql`Database.create({ name: "short" })`);
    const api2 = new SchemaApi(server.url, 'secret:short:admin');
    const owner = clients.as('secret:short:admin');
    const fsl = 'collection User {\n  compute foo = (.bar + 3)\n  check positive(.bar >= 0)\n}\n\n'
      + 'role reader {\n  privileges User {\n    read {\n      predicate (.bar > 3)\n    }\n  }\n}\n';
    const pushed = await api2.push({ 'main.fsl': fsl }, false);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(await data(owner, fql`User.definition { computed_fields, constraints }`), {
      computed_fields: { foo: { body: '(.bar + 3)' } },
      constraints: [{ check: { name: 'positive', body: '(.bar >= 0)' } }],
    });
    assert.deepEqual(await data(owner, fql`Role.byName("reader")!.privileges`),
      [{ resource: 'User', actions: { read: '(.bar > 3)' } }]);
    assert.equal(await data(owner, fql`User.create({ id: "1", bar: 2 }).foo`), 5);
    await data(owner, fql`User.create({ id: "2", bar: 7 })`);
    const e = await fails(owner, fql`User.create({ bar: -1 })`, 'constraint_failure');
    assert.deepEqual((e as ConstraintFailureError).constraint_failures, [{ message: 'Document failed check constraint `positive`', paths: [] }]);
    const reader = clients.as(await data<string>(owner, fql`Key.create({ role: "reader" }).secret`));
    assert.deepEqual(await data(reader, fql`User.all().map(.id).toArray()`), ['2']);
    assert.equal(await api2.file('main.fsl'), fsl);
    assert.equal((await api2.diff({ 'main.fsl': fsl })).body.diff, '');
  });
});
