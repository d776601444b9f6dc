import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_CONTENTION_RETRIES, DEFAULT_QUERY_TIMEOUT_MS, parseFormat, parseLastTxnTs, parseLinearized,
  parseMaxContentionRetries, parsePerformanceHints, parseQueryTags, parseQueryTimeoutMs, parseTypecheck,
} from '../../src/server/query-headers';

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof Error && e.message === message);
}

test('x-format', () => {
  assert.equal(parseFormat(undefined), 'simple');
  assert.equal(parseFormat('tagged'), 'tagged');
  assert.equal(parseFormat('decorated'), 'decorated');
  rejects(() => parseFormat('json'), "Invalid header 'x-format': Invalid format json");
});

test('boolean headers', () => {
  assert.equal(parseTypecheck(undefined), undefined);
  assert.equal(parseTypecheck('TRUE'), true);
  assert.equal(parseTypecheck('false'), false);
  rejects(() => parseTypecheck('yes'), "Invalid header 'x-typecheck': Must be a boolean value.");
  assert.equal(parseLinearized(undefined), false);
  rejects(() => parseLinearized('1'), "Invalid header 'x-linearized': Must be a boolean value.");
  assert.equal(parsePerformanceHints('true'), true);
  rejects(() => parsePerformanceHints('x'), "Invalid header 'x-performance-hints': Must be a boolean value.");
});

test('x-query-timeout-ms', () => {
  assert.equal(parseQueryTimeoutMs(undefined), DEFAULT_QUERY_TIMEOUT_MS);
  assert.equal(DEFAULT_QUERY_TIMEOUT_MS, 120000);
  assert.equal(parseQueryTimeoutMs('5000'), 5000);
  assert.equal(parseQueryTimeoutMs('600000'), 600000);
  rejects(() => parseQueryTimeoutMs('0'), "Invalid header 'x-query-timeout-ms': Must be greater than 0.");
  rejects(() => parseQueryTimeoutMs('600001'), "Invalid header 'x-query-timeout-ms': Must be less than or equal to 600000.");
  rejects(() => parseQueryTimeoutMs('abc'), "Invalid header 'x-query-timeout-ms': Invalid number 'abc'.");
});

test('x-max-contention-retries', () => {
  assert.equal(parseMaxContentionRetries(undefined), DEFAULT_MAX_CONTENTION_RETRIES);
  assert.equal(parseMaxContentionRetries('7'), 7);
  rejects(() => parseMaxContentionRetries('8'), "Invalid header 'x-max-contention-retries': Must be between 0 and 7.");
  rejects(() => parseMaxContentionRetries('-1'), "Invalid header 'x-max-contention-retries': Must be between 0 and 7.");
  rejects(() => parseMaxContentionRetries('x'), "Invalid header 'x-max-contention-retries': Invalid number 'x'.");
});

test('x-last-txn-ts', () => {
  assert.equal(parseLastTxnTs(undefined), undefined);
  assert.equal(parseLastTxnTs('1700000000000000'), 1700000000000000n);
  rejects(() => parseLastTxnTs('soon'), "Invalid timestamp 'soon'.".replace(/^/, "Invalid header 'x-last-txn-ts': "));
});

test('x-query-tags', () => {
  assert.equal(parseQueryTags(undefined), undefined);
  assert.equal(parseQueryTags(''), undefined);
  assert.equal(parseQueryTags('project=teapot'), 'project=teapot');
  // Core re-serialises its map, built right to left.
  assert.equal(parseQueryTags('t1=v1,t2=v2'), 't2=v2,t1=v1');
  rejects(() => parseQueryTags('a=b,c'), "Invalid header 'x-query-tags': invalid tags");
  rejects(() => parseQueryTags('a-b=c'), "Invalid header 'x-query-tags': invalid tags");
  rejects(() => parseQueryTags('a=1,a=2'), "Invalid header 'x-query-tags': duplicate key");
  rejects(() => parseQueryTags(`${'k'.repeat(41)}=v`), "Invalid header 'x-query-tags': invalid key");
  rejects(() => parseQueryTags(`k=${'v'.repeat(81)}`), "Invalid header 'x-query-tags': invalid value");
  rejects(() => parseQueryTags(Array.from({ length: 26 }, (_, i) => `k${i}=v`).join(',')), "Invalid header 'x-query-tags': too many tags");
  rejects(() => parseQueryTags('k=' + 'v'.repeat(3000)), "Invalid header 'x-query-tags': header is too long");
});
