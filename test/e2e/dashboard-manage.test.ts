// The dashboard's Access Providers view and its collection form, in a browser: each definition
// created, listed, edited and deleted through the forms, what the server stored read back
// through /query/1 after every step, the server's own error wording (a non-HTTPS jwks_uri, a
// role that no longer exists), and a least-privilege key refused with the server's
// permission_denied. Server behaviour as in core (FQL2AccessProviderSpec, via
// src/model/identity/access-providers.ts; collection definitions via update's merge).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { browserSkipReason, signedInPage } from '../helpers/browser';
import { createDatabase, openTab, screenshot, selectDatabase, useDashboardPage } from './dashboard-helpers';

const skip = browserSkipReason();
const PREDICATE = 'claims => claims.tier == "gold"';
const JWKS = 'https://idp.example.com/.well-known/jwks.json';

describe('dashboard: access providers and collection management', { skip, timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  useDashboardPage(async (s) => {
    ({ server, browser, page } = s);
    await createDatabase(page, 'app');
    await selectDatabase(page, 'app');
    await admin().query(fql`Role.create({ name: "reader", privileges: [] })
Role.create({ name: "gold", privileges: [] })
null`);
  });

  const admin = () => server.client({ secret: 'secret:app:admin' });
  // What the server stored, read back through /query/1 with the database's admin key.
  const stored = async <T = unknown>(q: ReturnType<typeof fql>) => (await admin().query(q)).data as T;
  const status = (text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();
  /** Presses Delete in `form`, checks the confirmation's question, confirms, and waits for `done`. */
  const deleteConfirmed = async (form: string, dialog: string, question: string, done: string) => {
    await page.getByRole('form', { name: form }).getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: dialog });
    assert.equal((await confirm.locator('p').innerText()).trim(), question);
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await status(done);
  };
  const alertText = async (p: Page, text: RegExp | string) => {
    const alert = p.getByRole('alert').filter({ hasText: text });
    await alert.waitFor();
    return alert.innerText();
  };
  /** A signed-in page for a new key of `role` in database app. */
  const pageWithKey = async (role: string) => {
    const key = await stored<string>(fql`Key.create({ role: ${role} }).secret`);
    return signedInPage(browser, server.url, key);
  };

  describe('access providers', () => {
    const providers = () => page.getByRole('table', { name: 'Access providers' });

    it('shows the server\'s refusal of a non-HTTPS jwks_uri and stores nothing', async () => {
      await openTab(page, 'Access Providers');
      await page.getByText('No access providers in this database.').waitFor();
      await page.getByRole('button', { name: 'New access provider' }).click();
      const form = page.getByRole('form', { name: 'New access provider' });
      await form.getByLabel('Name', { exact: true }).fill('idp');
      await form.getByLabel('Issuer', { exact: true }).fill('https://idp.example.com/');
      await form.getByLabel('JWKS URI', { exact: true }).fill('http://idp.example.com/jwks');
      await form.getByLabel('reader role', { exact: true }).check();
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      assert.equal(await alertText(page, 'constraint_failure'),
        'constraint_failure: Failed to create AccessProvider.\njwks_uri: `http://idp.example.com/jwks` must be a valid https URI.');
      assert.equal(await stored(fql`AccessProvider.all().count()`), 0);
    });

    it('creates a provider with a plain and a predicate role; shows and copies its audience', async () => {
      const form = page.getByRole('form', { name: 'New access provider' });
      await form.getByLabel('JWKS URI', { exact: true }).fill(JWKS);
      await form.getByLabel('gold role', { exact: true }).check();
      await form.getByLabel('gold role predicate', { exact: true }).fill(PREDICATE);
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      await status('Access provider idp created. Give your identity provider its audience.');

      assert.deepEqual(await stored(fql`AccessProvider.byName("idp")! { name, issuer, jwks_uri, roles }`), {
        name: 'idp', issuer: 'https://idp.example.com/', jwks_uri: JWKS, roles: ['reader', { role: 'gold', predicate: PREDICATE }],
      });
      const audience = await stored<string>(fql`AccessProvider.byName("idp")!.audience`);
      assert.match(audience, /^https:\/\/db\.fauna\.com\/db\/\w+$/);
      const edit = page.getByRole('form', { name: 'Access provider idp' });
      const shown = edit.getByLabel('Audience', { exact: true });
      assert.equal(await shown.inputValue(), audience);
      assert.equal(await shown.getAttribute('readonly'), '');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await edit.getByRole('button', { name: 'Copy', exact: true }).click();
      await edit.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), audience);

      await providers().getByRole('row').nth(1).waitFor();
      assert.deepEqual(await providers().getByRole('row').allInnerTexts(),
        ['Name\tIssuer\tJWKS URI\tRoles', `idp\thttps://idp.example.com/\t${JWKS}\treader, gold (predicate)`]);
      await screenshot(page, 'access-providers');
    });

    it('edits the issuer and roles; the list and the server show the new values', async () => {
      await providers().getByRole('button', { name: 'idp', exact: true }).click();
      const form = page.getByRole('form', { name: 'Access provider idp' });
      assert.equal(await form.getByLabel('gold role predicate', { exact: true }).inputValue(), PREDICATE);
      await form.getByLabel('Issuer', { exact: true }).fill('https://login.example.com/');
      await form.getByLabel('reader role', { exact: true }).uncheck();
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await status('Access provider idp saved.');
      await providers().getByRole('row').filter({ hasText: 'login.example.com' }).waitFor();
      assert.deepEqual(await providers().getByRole('row').allInnerTexts(),
        ['Name\tIssuer\tJWKS URI\tRoles', `idp\thttps://login.example.com/\t${JWKS}\tgold (predicate)`]);
      assert.deepEqual(await stored(fql`AccessProvider.byName("idp")! { issuer, roles }`),
        { issuer: 'https://login.example.com/', roles: [{ role: 'gold', predicate: PREDICATE }] });
    });

    it('shows the server\'s refusal of a role deleted while the form was open; nothing changes', async () => {
      await providers().getByRole('button', { name: 'idp', exact: true }).click();
      const form = page.getByRole('form', { name: 'Access provider idp' });
      await form.getByLabel('reader role', { exact: true }).check();
      await form.getByLabel('Issuer', { exact: true }).fill('https://other.example.com/');
      await admin().query(fql`Role.byName("reader")!.delete()`);
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      assert.match(await alertText(page, 'invalid_schema'),
        /^invalid_schema: Invalid database schema update\.\n\s*error: Role `reader` does not exist$/);
      assert.equal(await stored(fql`AccessProvider.byName("idp")!.issuer`), 'https://login.example.com/');
      await form.getByRole('button', { name: 'Cancel', exact: true }).click();
    });

    it('deletes the provider after a confirmation naming it', async () => {
      await providers().getByRole('button', { name: 'idp', exact: true }).click();
      await deleteConfirmed('Access provider idp', 'Delete access provider', 'Delete access provider idp?', 'Access provider idp deleted.');
      await page.getByText('No access providers in this database.').waitFor();
      assert.equal(await stored(fql`AccessProvider.all().count()`), 0);
    });

    it('a server key sees the server\'s permission_denied on create', async () => {
      const other = await pageWithKey('server');
      await openTab(other, 'Access Providers');
      await other.getByRole('button', { name: 'New access provider' }).click();
      const form = other.getByRole('form', { name: 'New access provider' });
      await form.getByLabel('Name', { exact: true }).fill('sneaky');
      await form.getByLabel('Issuer', { exact: true }).fill('https://sneaky.example.com/');
      await form.getByLabel('JWKS URI', { exact: true }).fill(JWKS);
      // A server key reads no roles (core filters them out), so none are offered.
      await form.getByText('No user roles to offer').waitFor();
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      assert.equal(await alertText(other, 'permission_denied'), 'permission_denied: Insufficient privileges to perform the action.');
      assert.equal(await stored(fql`AccessProvider.all().count()`), 0);
      await other.context().close();
    });
  });

  describe('collections', () => {
    const indexes = () => page.getByRole('table', { name: 'Indexes' });
    const collections = () => page.getByRole('list', { name: 'Collections' });

    it('creates a collection with history, TTL and two indexes', async () => {
      await openTab(page, 'Collections');
      await page.getByRole('button', { name: 'Create collection' }).click();
      const form = page.getByRole('form', { name: 'New collection' });
      await form.getByLabel('Name', { exact: true }).fill('Order');
      await form.getByLabel('History days', { exact: true }).fill('7');
      await form.getByLabel('TTL days', { exact: true }).fill('30');
      await form.getByRole('button', { name: 'Add index' }).click();
      await form.getByLabel('Index 1 name').fill('byStatus');
      await form.getByLabel('Index 1 terms').fill('.status');
      await form.getByLabel('Index 1 values').fill('.placed desc, .total');
      await form.getByRole('button', { name: 'Add index' }).click();
      await form.getByLabel('Index 2 name').fill('byCustomer');
      await form.getByLabel('Index 2 terms').fill('.customer');
      await screenshot(page, 'collection-form');
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      await status('Collection Order created.');
      await page.getByRole('heading', { name: 'Order' }).waitFor();
      await collections().getByRole('button', { name: 'Order', exact: true }).waitFor();
      assert.equal(await page.getByTestId('retention').innerText(), 'history_days 7 · ttl_days 30');
      assert.deepEqual(await indexes().getByRole('row').allInnerTexts(),
        ['Index\tTerms\tValues\tStatus', 'byStatus\t.status\t.placed desc, .total\tcomplete', 'byCustomer\t.customer\t\tcomplete']);
      assert.deepEqual(await stored(fql`let c = Collection.byName("Order")!
{ history_days: c.history_days, ttl_days: c.ttl_days, byStatus: c.indexes.byStatus { terms, values }, byCustomer: c.indexes.byCustomer { terms, values } }`), {
        history_days: 7, ttl_days: 30,
        // The server spells out the default order, as core does.
        byStatus: { terms: [{ field: '.status' }], values: [{ field: '.placed', order: 'desc' }, { field: '.total', order: 'asc' }] },
        byCustomer: { terms: [{ field: '.customer' }], values: null },
      });
    });

    it('edits it: renamed, history changed, TTL cleared, an index changed, one removed, one added; documents kept', async () => {
      await admin().query(fql`Order.create({ status: "new", tags: ["a", "b"] })`);
      await page.getByRole('button', { name: 'Edit collection' }).click();
      const form = page.getByRole('form', { name: 'Collection Order' });
      assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'Order');
      assert.equal(await form.getByLabel('History days', { exact: true }).inputValue(), '7');
      assert.equal(await form.getByLabel('TTL days', { exact: true }).inputValue(), '30');
      assert.equal(await form.getByLabel('Index 1 values').inputValue(), '.placed desc, .total');
      await form.getByLabel('Name', { exact: true }).fill('Orders');
      await form.getByLabel('History days', { exact: true }).fill('3');
      await form.getByLabel('TTL days', { exact: true }).fill('');
      await form.getByLabel('Index 1 values').fill('.placed');
      await form.getByRole('button', { name: 'Remove index 2' }).click();
      await form.getByRole('button', { name: 'Add index' }).click();
      await form.getByLabel('Index 2 name').fill('byTag');
      await form.getByLabel('Index 2 terms').fill('mva(.tags)');
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await status('Collection Orders saved.');
      await page.getByRole('heading', { name: 'Orders' }).waitFor();
      await collections().getByRole('button', { name: 'Orders', exact: true }).waitFor();
      assert.deepEqual(await collections().getByRole('button').allInnerTexts(), ['Orders']);
      assert.equal(await page.getByTestId('retention').innerText(), 'history_days 3 · ttl_days none');
      assert.deepEqual(await indexes().getByRole('row').allInnerTexts(),
        ['Index\tTerms\tValues\tStatus', 'byStatus\t.status\t.placed\tcomplete', 'byTag\tmva(.tags)\t\tcomplete']);
      assert.deepEqual(await stored(fql`let c = Collection.byName("Orders")!
{ old: Collection.byName("Order") != null, history_days: c.history_days, ttl_days: c.ttl_days, names: Object.keys(c.indexes),
  byStatus: c.indexes.byStatus { terms, values }, byTag: c.indexes.byTag { terms, values }, docs: Orders.byTag("b").count() }`), {
        old: false, history_days: 3, ttl_days: null, names: ['byStatus', 'byTag'],
        byStatus: { terms: [{ field: '.status' }], values: [{ field: '.placed', order: 'asc' }] },
        byTag: { terms: [{ field: '.tags', mva: true }], values: null },
        docs: 1,
      });
    });

    it('deletes it after a confirmation naming it', async () => {
      await page.getByRole('button', { name: 'Edit collection' }).click();
      await deleteConfirmed('Collection Orders', 'Delete collection', 'Delete collection Orders and all its documents?', 'Collection Orders deleted.');
      await page.getByText('No collections yet.').waitFor();
      assert.equal(await stored(fql`Collection.byName("Orders") != null`), false);
    });

    it('a server-readonly key sees the server\'s permission_denied on create', async () => {
      const other = await pageWithKey('server-readonly');
      await openTab(other, 'Collections');
      await other.getByRole('button', { name: 'Create collection' }).click();
      const form = other.getByRole('form', { name: 'New collection' });
      await form.getByLabel('Name', { exact: true }).fill('Nope');
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      assert.equal(await alertText(other, 'permission_denied'), 'permission_denied: Insufficient privileges to perform the action.');
      assert.equal(await stored(fql`Collection.byName("Nope") != null`), false);
      await other.context().close();
    });
  });
});
