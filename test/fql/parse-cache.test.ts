// The parse cache (src/fql/parse/parse-cache.ts) is bounded by the bytes of source it keeps
// (issue 9, finding 2: a few huge texts used to pin ~1 GB each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseCache } from '../../src/fql/parse/parse-cache';
import { QueryCheckError } from '../../src/fql/errors';
import { parseQuery } from '../../src/fql/parse/parse';

test('parses each text once and keeps the most recently used', () => {
  let calls = 0;
  const cache = new ParseCache((s: string) => { calls++; return s.length; }, { byteBudget: 10, entryLimit: 8, maxEntries: 100 });
  assert.equal(cache.get('aaaa'), 4);
  assert.equal(cache.get('aaaa'), 4);
  assert.equal(calls, 1);
  cache.get('bbbb');
  cache.get('aaaa'); // most recent now
  cache.get('cccc'); // 12 bytes > 10: the least recently used ('bbbb') goes
  assert.equal(cache.heldBytes, 8);
  calls = 0;
  cache.get('aaaa');
  cache.get('cccc');
  assert.equal(calls, 0);
  cache.get('bbbb');
  assert.equal(calls, 1);
});

test('never keeps a text over the entry limit, and never more bytes than the budget', () => {
  const cache = new ParseCache((s: string) => s.length, { byteBudget: 1000, entryLimit: 100, maxEntries: 100 });
  cache.get('x'.repeat(101));
  assert.equal(cache.heldBytes, 0);
  for (let i = 0; i < 100; i++) cache.get(`${i}`.padEnd(50, 'y'));
  assert.ok(cache.heldBytes <= 1000);
});

test('keeps failed parses as their QueryCheckError', () => {
  const cache = new ParseCache(parseQuery);
  const e = cache.get('1 +');
  assert.ok(e instanceof QueryCheckError);
  assert.equal(cache.get('1 +'), e);
});
