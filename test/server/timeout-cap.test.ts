// The operator's bound on query timeouts (src/server/timeout-cap.ts): longer or absent timeout
// headers become the cap; headers the endpoint refuses stay as they are, so the client still
// gets Fauna's error (core RequestParams: "Must be less than or equal to 600000.").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capTimeoutHeader } from '../../src/server/timeout-cap';
import type { ServerRequest } from '../../src/server/http-types';

const req = (headers: Record<string, string>): ServerRequest =>
  ({ method: 'POST', path: '/query/1', headers, body: Buffer.alloc(0), remoteAddress: '127.0.0.1', receivedAt: 0 }) as unknown as ServerRequest;
const capped = (headers: Record<string, string>, cap: number): string | undefined =>
  capTimeoutHeader(req(headers), 'x-query-timeout-ms', cap).headers['x-query-timeout-ms'];

test('a longer timeout, or none (2 minutes), becomes the cap', () => {
  assert.equal(capped({ 'x-query-timeout-ms': '600000' }, 30_000), '30000');
  assert.equal(capped({}, 30_000), '30000');
  assert.equal(capped({ 'x-query-timeout-ms': '5000' }, 30_000), '5000');
  assert.equal(capped({ 'x-query-timeout-ms': '30000' }, 30_000), '30000');
  // A cap above the 2-minute default leaves a request without the header at the default.
  assert.equal(capped({}, 300_000), undefined);
});

test('without a cap below Fauna\'s maximum, requests are untouched', () => {
  const r = req({ 'x-query-timeout-ms': '600000' });
  assert.equal(capTimeoutHeader(r, 'x-query-timeout-ms', 600_000), r);
});

test('headers the endpoint refuses are left for it to refuse', () => {
  for (const v of ['abc', '0', '-5', '600001', '1e9']) assert.equal(capped({ 'x-query-timeout-ms': v }, 30_000), v);
});
