// The dashboard's collections and schema views and its handling of bad input, in a browser:
// documents created, edited and deleted in the FQL-value editor; cursor paging; the
// collection's indexes, constraints and computed fields; a schema error shown at its line and
// column; staged schema stage/review/commit/abandon; a revoked secret and a server restart give
// clear messages and keep what was typed. Expected values as in core's specs
// (ext/api/src/test/scala/fql2/FQL2ValueDecoratedSpec.scala for the decorated text,
// api/schema/SchemaEndpoint*Spec.scala for the schema API).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { assertDashboardBuilt, browserSkipReason, launchBrowser, signedInPage } from '../helpers/browser';
import { createDatabase, fillEditor, openTab, runInShell, screenshot, selectDatabase } from './dashboard-helpers';

const skip = browserSkipReason();

describe('dashboard: collections, schema and bad input', { skip, timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let restarted = false;

  before(async () => {
    assertDashboardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    page = await signedInPage(browser, server.url);
    await createDatabase(page, 'shop');
    await selectDatabase(page, 'shop');
    const admin = server.client({ secret: 'secret:shop:admin' });
    await admin.query(fql`Collection.create({
      name: "Product",
      indexes: { byCategory: { terms: [{ field: ".category" }], values: [{ field: ".price", order: "desc" }] } },
      constraints: [{ unique: ["sku"] }, { check: { name: "positivePrice", body: "(p) => p.price > 0" } }],
      computed_fields: { label: { body: "(p) => p.sku + ' ' + p.category", signature: "String" } }
    })`);
    await admin.query(fql`Set.sequence(0, 60).forEach(i => Product.create({ sku: "p" + i.toString(), category: "tools", price: i + 1 }))`);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    if (restarted) rmSync(server.dataDir, { recursive: true, force: true });
  });

  const table = () => page.getByRole('table', { name: 'Documents' });

  it('lists the collection definition: indexes with status, constraints, computed fields', async () => {
    await openTab(page, 'Collections');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('list', { name: 'Collections' }).getByRole('button', { name: 'Product' }).click();
    const indexes = page.getByRole('table', { name: 'Indexes' });
    assert.deepEqual(await indexes.getByRole('row').allInnerTexts(), ['Index\tTerms\tValues\tStatus', 'byCategory\t.category\t.price desc\tcomplete']);
    assert.deepEqual(await page.getByRole('list', { name: 'Constraints' }).getByRole('listitem').allInnerTexts(),
      ['unique [sku] active', 'check positivePrice: (p) => p.price > 0']);
    assert.deepEqual(await page.getByRole('list', { name: 'Computed fields' }).getByRole('listitem').allInnerTexts(),
      ['label: String = (p) => p.sku + \' \' + p.category']);
  });

  it('pages through the documents by cursor, columns from the data', async () => {
    await table().getByRole('row').nth(25).waitFor();
    assert.deepEqual(await table().getByRole('columnheader').allInnerTexts(), ['id', 'sku', 'category', 'price', 'label', 'ts']);
    assert.equal(await table().getByRole('row').count(), 26);
    assert.match(await table().getByRole('row').nth(1).innerText(), /\t"p0"\t"tools"\t1\t"p0 tools"\tTime\("/);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    assert.match(await table().getByRole('row').nth(1).innerText(), /\t"p25"\t/);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3').waitFor();
    assert.equal(await table().getByRole('row').count(), 11);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2').waitFor();
    assert.match(await table().getByRole('row').nth(1).innerText(), /\t"p25"\t/);
    await screenshot(page, 'collections');
  });

  it('creates, edits and deletes a document in the Document editor', async () => {
    await page.getByRole('button', { name: 'Create collection' }).click();
    const form = page.getByRole('form', { name: 'New collection' });
    await form.getByLabel('Name').fill('Note');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Note' }).waitFor();
    await page.getByText('No documents.').waitFor();

    await page.getByRole('button', { name: 'New document' }).click();
    await fillEditor(page, 'Document', '{ title: "First", tags: ["a", "b"], due: Date("2026-01-02") }');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Document created.' }).waitFor();
    await table().getByRole('row').filter({ hasText: '"First"' }).waitFor();
    const row = table().getByRole('row').nth(1);
    assert.match(await row.innerText(), /^\d+\t"First"\t\["a", "b"\]\tDate\("2026-01-02"\)\tTime\("/);

    await row.getByRole('button').click();
    const editor = page.getByRole('textbox', { name: 'Document' });
    await page.getByRole('heading', { name: /^Document \d+$/ }).waitFor();
    assert.equal(await editor.innerText(), '{\n  title: "First",\n  tags: [\n    "a",\n    "b"\n  ],\n  due: Date("2026-01-02")\n}');
    await fillEditor(page, 'Document', '{ title: "Second" }');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Document saved.' }).waitFor();
    await table().getByRole('row').filter({ hasText: '"Second"' }).waitFor();
    assert.match(await table().getByRole('row').nth(1).innerText(), /^\d+\t"Second"\tTime\("/);
    const admin = server.client({ secret: 'secret:shop:admin' });
    assert.deepEqual((await admin.query(fql`Note.all().map(.title).toArray()`)).data, ['Second']);

    await table().getByRole('row').nth(1).getByRole('button').click();
    await page.getByRole('heading', { name: /^Document \d+$/ }).waitFor();
    await page.getByRole('group', { name: /^Document \d+$/ }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Delete document' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Document deleted.' }).waitFor();
    await page.getByText('No documents.').waitFor();
    assert.deepEqual((await admin.query(fql`Note.all().count()`)).data, 0);
  });

  it('shows invalid document input with its caret and keeps the text', async () => {
    await page.getByRole('button', { name: 'New document' }).click();
    await fillEditor(page, 'Document', 'title: "x"');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'A document is an FQL object: { field: value, … }.' }).waitFor();
    await fillEditor(page, 'Document', '{ title: }');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'invalid_query' });
    await alert.waitFor();
    assert.match(await page.locator('pre.summary').innerText(), /^error: /);
    assert.equal(await page.getByRole('textbox', { name: 'Document' }).innerText(), '{ title: }');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a schema error at its line and column and keeps the text', async () => {
    await openTab(page, 'Schema');
    const bad = 'collection Broken {\n  history_days 0\n  index x {\n    terms [.a\n  }\n}\n';
    await fillEditor(page, 'Schema', bad);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'line 5, column 3' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /^main\.fsl: line 5, column 3: Expected `,` or `]`\n/);
    // Marked in the editor at that place, and nothing typed is lost.
    await page.locator('.cm-lintRange-error').first().waitFor();
    assert.equal((await page.getByRole('textbox', { name: 'Schema' }).innerText()).trim(), bad.trim());
    assert.equal(await page.getByRole('dialog', { name: 'Apply schema' }).count(), 0);
    await screenshot(page, 'schema-error');
  });

  it('stages a schema, reviews it, commits it; stages another and abandons it', async () => {
    await page.getByRole('button', { name: 'Revert to active' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing the active schema.' }).waitFor();
    const active = await fetch(`${server.url}/schema/1/files/main.fsl`, { headers: { authorization: 'Bearer secret:shop:admin' } });
    const content = ((await active.json()) as { content: string }).content;
    assert.match(content, /collection Product/);
    await fillEditor(page, 'Schema', `${content}\ncollection Staged {\n  history_days 0\n}\n`);
    await page.getByRole('button', { name: 'Stage', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Schema staged' }).waitFor();
    const staged = page.getByRole('region', { name: 'Staged schema' });
    assert.equal(await staged.getByTestId('staged-status').innerText(), 'ready');
    assert.match(await staged.innerText(), /\* Adding collection `Staged`/);
    const admin = server.client({ secret: 'secret:shop:admin' });
    assert.equal((await admin.query(fql`Collection.byName("Staged") != null`)).data, false);
    await staged.getByRole('button', { name: 'Commit' }).click();
    await page.getByRole('status').filter({ hasText: 'Staged schema committed: it is now active.' }).waitFor();
    assert.equal(await staged.count(), 0);
    assert.equal((await admin.query(fql`Collection.byName("Staged") != null`)).data, true);

    await fillEditor(page, 'Schema', `${content}\ncollection Staged {\n  history_days 0\n}\n\ncollection Later {}\n`);
    await page.getByRole('button', { name: 'Stage', exact: true }).click();
    await staged.getByTestId('staged-status').waitFor();
    assert.match(await staged.innerText(), /\* Adding collection `Later`/);
    await staged.getByRole('button', { name: 'Abandon' }).click();
    await page.getByRole('status').filter({ hasText: 'Staged schema abandoned.' }).waitFor();
    assert.equal((await admin.query(fql`Collection.byName("Later") != null`)).data, false);
  });

  it('a revoked secret gets a clear 401 message in the shell; the query is kept', async () => {
    const admin = server.client({ secret: 'secret:shop:admin' });
    const key = (await admin.query<{ id: string; secret: string }>(fql`Key.create({ role: "admin" }) { id, secret }`)).data;
    const other = await signedInPage(browser, server.url, key.secret);
    await openTab(other, 'Shell');
    assert.match(await runInShell(other, 'Product.all().count()'), /^60$/m);
    await admin.query(fql`Key.byId(${key.id})!.delete()`);
    const text = await runInShell(other, 'Product.all().count()');
    assert.match(text, /unauthorized \(HTTP 401\): Access token required/);
    assert.match(text, /The secret was rejected: it may have been deleted, revoked or expired, or it is mistyped\./);
    assert.equal(await other.getByRole('textbox', { name: 'Query' }).innerText(), 'Product.all().count()');
    await other.context().close();
  });

  it('a server restart gives a clear message and loses nothing typed', async () => {
    await openTab(page, 'Shell');
    await server.stop();
    const down = await runInShell(page, 'Product.all().count()');
    assert.match(down, /^Cannot reach the server \(.*\)\. Is it running\? Nothing you typed was lost; try again\.$/m);
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    restarted = true;
    const up = await runInShell(page, 'Product.all().count()');
    assert.match(up, /^60$/m);
  });

  it('creates and deletes a nested database in the explorer', async () => {
    await createDatabase(page, 'child');
    await page.getByRole('tree', { name: 'Database tree' }).getByRole('button', { name: 'child', exact: true }).click();
    await page.getByTestId('current-db').filter({ hasText: 'shop / child' }).waitFor();
    const admin = server.client({ secret: 'secret:shop:admin' });
    assert.deepEqual((await admin.query(fql`Database.all().map(.name).toArray()`)).data, ['child']);
    await page.getByRole('navigation', { name: 'Databases' }).getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete database' });
    assert.match(await confirm.innerText(), /Delete database shop \/ child and everything in it\?/);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('current-db').filter({ hasText: /^shop$/ }).waitFor();
    await page.getByRole('tree', { name: 'Database tree' }).getByRole('button', { name: 'child', exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual((await admin.query(fql`Database.all().map(.name).toArray()`)).data, []);
  });

  it('refuses a wrong secret at sign-in with a clear message and keeps it in the field', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${server.url}/`);
    await other.getByLabel('Secret', { exact: true }).fill('not-a-secret');
    await other.getByRole('button', { name: 'Sign in' }).click();
    const alert = other.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(),
      'unauthorized: Access token required — the secret was rejected (revoked, expired or mistyped?). Sign in again.');
    assert.equal(await other.getByLabel('Secret', { exact: true }).inputValue(), 'not-a-secret');
    await context.close();
  });

  it('completes collection, index and function names in the shell and recalls history', async () => {
    await openTab(page, 'Shell');
    const editor = page.getByRole('textbox', { name: 'Query' });
    await fillEditor(page, 'Query', '');
    // Typed as input events; completion opens as one types. (Key-by-key typing and Enter can
    // stall in this Playwright/Chromium pairing, so the option is clicked.)
    await editor.focus();
    await page.keyboard.insertText('Prod');
    const options = page.getByRole('listbox').getByRole('option');
    await options.first().waitFor();
    // CodeMirror ranks the exact prefix first (fuzzy matches such as AccessProvider follow).
    assert.equal((await options.allInnerTexts())[0], 'Product');
    await page.getByRole('listbox').getByRole('option', { name: 'Product', exact: true }).click();
    await page.keyboard.insertText('.byCat');
    await page.getByRole('listbox').getByRole('option', { name: 'byCategory', exact: true }).click();
    assert.equal(await editor.innerText(), 'Product.byCategory');
    await runInShell(page, 'Product.byCategory("tools").count()');
    await fillEditor(page, 'Query', 'something else');
    await page.getByLabel('History', { exact: true }).selectOption('Product.byCategory("tools").count()');
    assert.equal(await editor.innerText(), 'Product.byCategory("tools").count()');
  });

  it('signing out forgets the secret and the unsaved query', async () => {
    await fillEditor(page, 'Query', 'typed but not run');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('fql-dashboard-secret')), null);
    await page.getByLabel('Secret', { exact: true }).fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tabpanel', { name: 'Shell' }).waitFor();
    assert.equal((await page.getByRole('textbox', { name: 'Query' }).innerText()).trim(), '');
  });
});
