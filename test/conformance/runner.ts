// Runs conformance areas against a real server over /query/1: each area gets its own child
// database, its setup queries, then its cases in order, each as its own test.
import assert from 'node:assert/strict';
import type { ConformanceArea, ConformanceCase } from './case';

export interface QueryAnswer {
  readonly status: number;
  readonly body: any;
}

async function post(url: string, secret: string, query: string, headers: Readonly<Record<string, string>> = {}): Promise<QueryAnswer> {
  const r = await fetch(`${url}/query/1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'x-format': 'simple', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await r.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* keep text */ }
  return { status: r.status, body };
}

export function areaDatabase(area: ConformanceArea): string {
  return `conf_${area.area.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Creates the area's database and runs its setup; returns the secret prefix of the database. */
export async function prepareArea(url: string, rootSecret: string, area: ConformanceArea): Promise<string> {
  const db = areaDatabase(area);
  const made = await post(url, rootSecret, `Database.create({ name: ${JSON.stringify(db)} })`);
  assert.equal(made.status, 200, `creating ${db}: ${JSON.stringify(made.body)}`);
  const prefix = `${rootSecret}:${db}`;
  for (const [i, q] of (area.setup ?? []).entries()) {
    const res = await post(url, `${prefix}:admin`, q);
    assert.equal(res.status, 200, `setup ${i} of ${area.area} failed: ${q}\n${JSON.stringify(res.body)}`);
  }
  return prefix;
}

/** Whether `actual` holds every field of `expected` (objects recursively; anything else equal). */
function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.deepStrictEqual(actual, expected, path);
}

/** The secret a case runs with: a scoped secret of the area's database, or one the database mints. */
async function caseSecret(url: string, prefix: string, c: ConformanceCase): Promise<string> {
  const scope = c.database === undefined ? prefix : `${prefix}/${c.database}`;
  if (c.secretFrom === undefined) return `${scope}:${c.secret ?? 'admin'}`;
  const minted = await post(url, `${scope}:admin`, c.secretFrom);
  assert.equal(typeof minted.body?.data, 'string', `secretFrom ${c.secretFrom}\n→ ${minted.status} ${JSON.stringify(minted.body)}`);
  return minted.body.data as string;
}

export async function runCase(url: string, prefix: string, c: ConformanceCase): Promise<void> {
  const secret = await caseSecret(url, prefix, c);
  const headers = c.tagged !== undefined ? { ...c.headers, 'x-format': 'tagged' } : c.headers;
  const res = await post(url, secret, c.query, headers);
  const context = `${c.query}\n→ ${res.status} ${JSON.stringify(res.body)}\n(source: ${c.source})`;
  if (c.error) {
    assert.equal(res.status, c.error.status ?? 400, context);
    assert.equal(res.body?.error?.code, c.error.code, context);
    if (c.error.message !== undefined) assert.equal(res.body.error.message, c.error.message, context);
    if (c.error.messageIncludes !== undefined) assert.ok(String(res.body.error?.message).includes(c.error.messageIncludes), context);
    if (c.error.summary !== undefined) assert.equal(res.body.summary, c.error.summary, context);
    if (c.error.summaryIncludes !== undefined) assert.ok(String(res.body.summary).includes(c.error.summaryIncludes), context);
    return;
  }
  assert.equal(res.status, 200, context);
  if (c.result !== undefined) assert.deepStrictEqual(res.body.data, c.result, context);
  if (c.tagged !== undefined) assert.deepStrictEqual(res.body.data, c.tagged, context);
  if (c.subset !== undefined) assertSubset(res.body.data, c.subset, `data (${context})`);
  if (c.pages !== undefined) {
    const admin = `${c.database === undefined ? prefix : `${prefix}/${c.database}`}:admin`;
    const between = async (i: number) => {
      const q = c.betweenPages?.[i];
      if (q === undefined) return;
      const r = await post(url, admin, q);
      assert.equal(r.status, 200, `between pages ${i + 1} and ${i + 2}: ${q}\n→ ${JSON.stringify(r.body)}`);
    };
    await followPages(url, secret, res.body.data, c.pages, context, between);
  }
}

/**
 * Checks each page's `data` against `pages`, fetching the next with `Set.paginate(after)` after
 * `between(i)` (the case's betweenPages).
 */
async function followPages(
  url: string, secret: string, first: any, pages: readonly (readonly unknown[])[], context: string,
  between: (i: number) => Promise<void>,
): Promise<void> {
  let page = first;
  for (const [i, expected] of pages.entries()) {
    assert.deepStrictEqual(page?.data, expected, `page ${i + 1} of ${context}\n→ ${JSON.stringify(page)}`);
    const last = i === pages.length - 1;
    if (last) {
      assert.equal(page.after, undefined, `page ${i + 1} is the last of ${context}`);
      return;
    }
    assert.equal(typeof page.after, 'string', `page ${i + 1} has a cursor: ${context}`);
    await between(i);
    const next = await post(url, secret, `Set.paginate(${JSON.stringify(page.after)})`);
    assert.equal(next.status, 200, `page ${i + 2} of ${context}\n→ ${next.status} ${JSON.stringify(next.body)}`);
    page = next.body.data;
  }
}
