// A headless Chromium for the dashboard's end-to-end tests: Debian's /usr/bin/chromium driven
// by playwright-core (no browser is ever downloaded), one browser per test file, with a fresh
// temporary profile. Tests skip with a clear message when the binary is absent.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium): dashboard browser tests skipped`;
  return undefined;
}

/** Fails with the fix when the dashboard has not been built. */
export function assertDashboardBuilt(): void {
  const index = resolve(__dirname, '..', '..', '..', 'dashboard', 'dist', 'index.html');
  if (!existsSync(index)) throw new Error(`the dashboard is not built (${index} missing): run \`npm run build:dashboard\``);
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A new page (own context, so its sessionStorage is its own), signed in to the dashboard. */
export async function signedInPage(browser: Browser, url: string, secret = 'secret'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${url}/`);
  await page.getByLabel('Secret', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tree', { name: 'Database tree' }).waitFor();
  return page;
}
