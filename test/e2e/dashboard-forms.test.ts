// Seed scenario A's cookbook variant (shared/spec/seed-scenarios.md: the UDFs run as
// `role server`, the key's role may only call them) done through the dashboard's forms: the
// collections pushed in the schema editor, the three functions created in the Functions tab,
// both roles in the Roles tab's privileges matrix; then key, register, login, read movies as
// the token, logout and 401; a permission-denied result when running as the limited role; and
// the Metrics view (charts from /metrics?format=json, and its 401 message for other secrets).
// Expected results as in core (ext/api/src/test/scala/fql2/*Spec.scala, via
// test/e2e/seed-scenario-a.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { browserSkipReason } from '../helpers/browser';
import { SCENARIO_A_COLLECTIONS_FSL } from './schema-fixtures';
import { createDatabase, fillEditor, openTab, runInShell, screenshot, secretIn, selectDatabase, useDashboardPage } from './dashboard-helpers';

const skip = browserSkipReason();


const FUNCTIONS: [string, string][] = [
  ['UserRegistration', `(email, password) => {
  let acc = Account.create({ email: email })
  Credential.create({ document: acc, password: password })
}`],
  ['UserLogin', `(email, password) => {
  let acc = Account.byEmail(email)!.first()
  Credential.byDocument(acc)!.login(password, Time.now().add(3600, "second"))
}`],
  ['UserLogout', '() => Query.token()!.delete()'],
];

describe('dashboard: scenario A (server UDFs) through the Functions and Roles forms; Metrics', { skip, timeout: 240_000 }, () => {
  let server: TestServer;
  let page: Page;
  let keySecret: string;
  let tokenSecret: string;

  useDashboardPage(async (s) => {
    ({ server, page } = s);
    await createDatabase(page, 'auth');
    await selectDatabase(page, 'auth');
  });

  it('pushes the collections in the schema editor', async () => {
    await openTab(page, 'Schema');
    await fillEditor(page, 'Schema', SCENARIO_A_COLLECTIONS_FSL);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog', { name: 'Apply schema' }).getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Schema saved' }).waitFor();
  });

  it('creates the three functions with role server in the Functions tab', async () => {
    await openTab(page, 'Functions');
    for (const [name, body] of FUNCTIONS) {
      await page.getByRole('button', { name: 'New function' }).click();
      const form = page.getByRole('form', { name: 'New function' });
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Role', { exact: true }).selectOption('server');
      await fillEditor(page, 'Body', body);
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `Function ${name} created.` }).waitFor();
    }
    const rows = page.getByRole('table', { name: 'Functions' }).getByRole('row');
    await rows.nth(3).waitFor();
    assert.deepEqual((await rows.allInnerTexts()).map((r) => r.split('\t').slice(0, 2).join(' ')),
      ['Name Role', 'UserLogin server', 'UserLogout server', 'UserRegistration server']);
    await screenshot(page, 'functions');
    const admin = server.client({ secret: 'secret:auth:admin' });
    assert.equal((await admin.query(fql`UserLogout.definition.role`)).data, 'server');
  });

  it('creates UnAuthRole (call only) and AuthRole (membership, read, call) in the Roles matrix', async () => {
    await openTab(page, 'Roles');
    await page.getByRole('button', { name: 'New role' }).click();
    let form = page.getByRole('form', { name: 'New role' });
    await form.getByLabel('Name', { exact: true }).fill('UnAuthRole');
    await form.getByLabel('UserRegistration call', { exact: true }).check();
    await form.getByLabel('UserLogin call', { exact: true }).check();
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Role UnAuthRole created.' }).waitFor();

    await page.getByRole('button', { name: 'New role' }).click();
    form = page.getByRole('form', { name: 'New role' });
    await form.getByLabel('Name', { exact: true }).fill('AuthRole');
    await form.getByLabel('Movie read', { exact: true }).check();
    await form.getByLabel('UserLogout call', { exact: true }).check();
    await form.getByLabel('Account membership', { exact: true }).check();
    await screenshot(page, 'roles');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Role AuthRole created.' }).waitFor();

    const admin = server.client({ secret: 'secret:auth:admin' });
    const roles = await admin.query(fql`Role.all().map(r => { name: r.name, privileges: r.privileges, membership: r.membership }).toArray()`);
    const byName = (roles.data as { name: string }[]).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(byName, [
      { name: 'AuthRole', privileges: [
        { resource: 'Movie', actions: { read: true } }, { resource: 'UserLogout', actions: { call: true } },
      ], membership: [{ resource: 'Account' }] },
      { name: 'UnAuthRole', privileges: [
        { resource: 'UserRegistration', actions: { call: true } }, { resource: 'UserLogin', actions: { call: true } },
      ], membership: [] },
    ]);
  });

  it('edits a privilege with a predicate in the matrix', async () => {
    await page.getByRole('table', { name: 'Roles' }).getByRole('button', { name: 'AuthRole', exact: true }).click();
    const form = page.getByRole('form', { name: 'Role AuthRole' });
    assert.equal(await form.getByLabel('Movie read', { exact: true }).isChecked(), true);
    await form.getByLabel('Movie read predicate', { exact: true }).fill('doc => doc.release > 1980');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Role AuthRole saved.' }).waitFor();
    const admin = server.client({ secret: 'secret:auth:admin' });
    assert.deepEqual((await admin.query(fql`Role.byName("AuthRole")!.privileges`)).data,
      [{ resource: 'Movie', actions: { read: 'doc => doc.release > 1980' } }, { resource: 'UserLogout', actions: { call: true } }]);
  });

  it('runs the guide with a key of role UnAuthRole; the token reads what the predicate allows', async () => {
    await openTab(page, 'Keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('form', { name: 'New key' });
    await form.getByLabel('Role').selectOption('UnAuthRole');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    keySecret = (await page.getByRole('region', { name: 'New secret' }).locator('code').innerText()).trim();

    await openTab(page, 'Shell');
    await runInShell(page, `Movie.create({ title: "Alien", release: 1979 })
Movie.create({ title: "Heat", release: 1995 })
Movie.create({ title: "Up", release: 2009 })`);
    // With server UDFs the key may call them but reads nothing itself.
    // The credential is created, but the key's role may not read it (core decorates it so).
    assert.match(await runInShell(page, 'UserRegistration("bob@example.com", "pass123456")', { secret: keySecret }),
      /^Credential\("\d+"\) \/\* permission denied \*\/$/m);
    assert.match(await runInShell(page, 'Movie.all().toArray()', { secret: keySecret }), /^\[\]$/m);
    tokenSecret = secretIn(await runInShell(page, 'UserLogin("bob@example.com", "pass123456")', { secret: keySecret }));
    assert.match(await runInShell(page, 'Movie.all().map(.title).toArray()', { secret: tokenSecret }), /^\[\n {2}"Heat",\n {2}"Up"\n\]$/m);
    assert.match(await runInShell(page, 'UserLogout()', { secret: tokenSecret }), /\/\* deleted \*\//);
    assert.match(await runInShell(page, 'Movie.all()', { secret: tokenSecret }), /unauthorized \(HTTP 401\): Access token required/);
  });

  it('running as the limited role shows permission denied in the Result region', async () => {
    const text = await runInShell(page, 'Movie.create({ title: "Nope" })', { role: 'UnAuthRole' });
    assert.match(text, /permission_denied \(HTTP 400\): Insufficient privileges to perform the action\./);
    assert.match(text, /Ran as\nrole UnAuthRole/);
    const reads = await runInShell(page, 'Account.all().count()', 'Server read-only');
    assert.match(reads, /^1$/m);
    const ro = await runInShell(page, 'Movie.create({ title: "Nope" })', 'Server read-only');
    assert.match(ro, /permission_denied/);
    // Run as a document identity (`secret:db:@doc/Account/id`): AuthRole applies by membership.
    const id = /^"(\d+)"$/m.exec(await runInShell(page, 'Account.byEmail("bob@example.com")!.first()!.id', 'Admin'))![1];
    const asDoc = await runInShell(page, 'Movie.all().map(.title).toArray()', { doc: `Account/${id}` });
    assert.match(asDoc, /^\[\n {2}"Heat",\n {2}"Up"\n\]$/m);
    assert.match(asDoc, new RegExp(`Ran as\\nAccount/${id}\\n`));
  });

  it('charts the server metrics for the root secret', async () => {
    const now = Date.now();
    const points = Array.from({ length: 12 }, (_, i) => ({
      t: now - (11 - i) * 10_000, queries: i * 10, qps: i, p50_ms: 1 + i, p95_ms: 5 + i, p99_ms: 9 + i,
      errors: i % 3 === 0 ? { permission_denied: 1 } : {}, compute_ops: i * 3, read_ops: i * 2, write_ops: i, storage_bytes: 1000 + i,
    }));
    // The view's rendering is checked on a known series; the real endpoint is checked below.
    await page.route('**/metrics?format=json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ interval_s: 10, points }) }));
    await openTab(page, 'Metrics');
    const panel = page.getByRole('tabpanel', { name: 'Metrics' });
    for (const title of ['Queries per second', 'Latency', 'Errors by code', 'Operations', 'Storage size']) {
      await panel.getByRole('figure', { name: title }).locator('canvas').waitFor();
    }
    assert.match(await panel.innerText(), /one point every 10 s; 110 queries in the last interval/);
    assert.match(await panel.getByRole('figure', { name: 'Errors by code' }).innerText(), /permission_denied/);
    await screenshot(page, 'metrics');
    await page.unroute('**/metrics?format=json');

    await page.route('**/metrics?format=json', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"Access token required"}}' }));
    await openTab(page, 'Shell');
    await openTab(page, 'Metrics');
    await panel.getByRole('alert').filter({ hasText: 'Metrics are available to the root secret only' }).waitFor();
    await page.unroute('**/metrics?format=json');
  });

  it('reads the real /metrics endpoint, or says the server has none', async () => {
    const real = await fetch(`${server.url}/metrics?format=json`, { headers: { authorization: 'Bearer secret' } });
    await openTab(page, 'Shell');
    await openTab(page, 'Metrics');
    const panel = page.getByRole('tabpanel', { name: 'Metrics' });
    if (real.status === 404) {
      await panel.getByRole('alert').filter({ hasText: 'This server does not expose metrics (GET /metrics answered 404).' }).waitFor();
    } else {
      assert.equal(real.status, 200);
      await panel.getByRole('figure', { name: 'Queries per second' }).locator('canvas').waitFor();
    }
  });
});
