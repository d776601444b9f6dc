// Steps the dashboard tests share, each done the way a person would: through labels, roles
// and accessible names only (the names issue 14 fixes), never through the page's internals.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { assertDashboardBuilt, launchBrowser, signedInPage } from '../helpers/browser';

/**
 * A suite's server and a browser page signed in to its dashboard, started before the suite's
 * tests and closed after them; `use` receives them (then, e.g., opens a database).
 */
export function useDashboardPage(use: (s: { server: TestServer; browser: Browser; page: Page }) => Promise<void> | void): void {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    assertDashboardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await use({ server, browser, page: await signedInPage(browser, server.url) });
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });
}

export type RunAsChoice = 'Admin' | 'Server' | 'Server read-only' | { role: string } | { secret: string } | { doc: string };

export function result(page: Page): Locator {
  return page.getByRole('region', { name: 'Result' });
}

export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.getByRole('tabpanel', { name }).waitFor();
}

export async function selectDatabase(page: Page, name: string): Promise<void> {
  await page.getByRole('tree', { name: 'Database tree' }).getByRole('button', { name, exact: true }).click();
  await page.getByTestId('current-db').filter({ hasText: name }).waitFor();
}

export async function createDatabase(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create database' }).click();
  const form = page.getByRole('form', { name: 'New database' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('tree', { name: 'Database tree' }).getByRole('button', { name, exact: true }).waitFor();
}

/** Runs `query` in the shell (already open) as `as`; returns the Result region's text. */
export async function runInShell(page: Page, query: string, as: RunAsChoice = 'Admin'): Promise<string> {
  const runAs = page.getByLabel('Run as', { exact: true });
  if (typeof as === 'string') await runAs.selectOption({ label: as });
  else if ('role' in as) await runAs.selectOption({ label: `Role: ${as.role}` });
  else if ('secret' in as) {
    await runAs.selectOption({ label: 'Secret…' });
    await page.getByLabel('Secret to run as').fill(as.secret);
  } else {
    await runAs.selectOption({ label: 'Document identity…' });
    await page.getByLabel('Identity document').fill(as.doc);
  }
  await fillEditor(page, 'Query', query);
  const region = result(page);
  const before = Number(await region.getAttribute('data-runs'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator(`section[aria-label="Result"][data-runs="${before + 1}"]`).waitFor();
  return region.innerText();
}

/** `secret: "…"` in a decorated result. */
export function secretIn(text: string): string {
  const m = /secret: "([^"]+)"/.exec(text);
  if (!m) throw new Error(`no secret in:\n${text}`);
  return m[1];
}

/**
 * Fills a CodeMirror editor found by its label. An editor that has just mounted may not have
 * synced its selection with the DOM yet, so that "select all, then type" inserts instead of
 * replacing: the text is checked and the fill repeated.
 */
export async function fillEditor(page: Page, label: string, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: label, exact: true });
  for (let attempt = 0; ; attempt++) {
    await editor.fill(text);
    const now = await editor.innerText();
    if (now.trim() === text.trim() || attempt === 4) return;
    await page.waitForTimeout(100);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = resolve(__dirname, '..', '..', '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: resolve(dir, `${name}.png`) });
}
