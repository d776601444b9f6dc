// receiveBody under its limits, over an in-memory stream standing in for a Node request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { BodyBudget } from '../../src/server/body-budget';
import { receiveBody } from '../../src/server/receive-body';

function fakeRequest(headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string> } {
  return Object.assign(new PassThrough(), { headers });
}

test('a body is received whole and holds its bytes of the budget until released', async () => {
  const budget = new BodyBudget(100);
  const req = fakeRequest();
  const outcome = receiveBody(req, { timeoutMs: 1000, budget });
  req.write('{"query":');
  req.end('"1"}');
  const o = await outcome;
  assert.equal(o.kind, 'body');
  if (o.kind !== 'body') return;
  assert.equal(o.body.toString(), '{"query":"1"}');
  assert.equal(budget.inUse, 13);
  o.release();
  o.release();
  assert.equal(budget.inUse, 0);
});

test('a body that does not fit the budget is refused and gives its bytes back', async () => {
  const budget = new BodyBudget(10);
  assert.ok(budget.take(4));
  const req = fakeRequest();
  const outcome = receiveBody(req, { timeoutMs: 1000, budget });
  req.write('abcd');
  req.write('efgh');
  assert.equal((await outcome).kind, 'overBudget');
  assert.equal(budget.inUse, 4);
  req.destroy();
});

test('bodies not complete in time, declared too large, or aborted', async () => {
  const budget = new BodyBudget(100);
  const slow = fakeRequest();
  const slowOutcome = receiveBody(slow, { timeoutMs: 50, budget });
  slow.write('abc');
  assert.equal((await slowOutcome).kind, 'timeout');
  slow.destroy();

  const big = fakeRequest({ 'content-length': String(9 * 1024 * 1024) });
  assert.equal((await receiveBody(big, { timeoutMs: 1000, budget })).kind, 'tooLarge');
  big.destroy();

  const gone = fakeRequest();
  const goneOutcome = receiveBody(gone, { timeoutMs: 1000, budget });
  gone.write('abc');
  gone.destroy();
  assert.equal((await goneOutcome).kind, 'aborted');
  assert.equal(budget.inUse, 0);
});

test('a declared length allocates nothing until bytes arrive; the body grows into one buffer as they do', async () => {
  // Found by probing (session 16): a buffer of the declared length was allocated as soon as the
  // headers were in, so streams that declared 8 MiB and sent nothing held gigabytes.
  const budget = new BodyBudget(64 * 1024 * 1024);
  const declared = 8 * 1024 * 1024;
  const before = process.memoryUsage().arrayBuffers;
  const idle = Array.from({ length: 50 }, () => fakeRequest({ 'content-length': String(declared) }));
  const outcomes = idle.map((r) => receiveBody(r, { timeoutMs: 1000, budget }));
  const grew = process.memoryUsage().arrayBuffers - before;
  assert.ok(grew < 10 * 1024 * 1024, `50 idle requests declaring 8 MiB took ${grew} bytes`);
  for (const r of idle) r.destroy();
  for (const o of outcomes) assert.equal((await o).kind, 'aborted');

  // Sent in pieces, the body is whole and correct, in one buffer of its exact length.
  const req = fakeRequest({ 'content-length': String(300_000) });
  const outcome = receiveBody(req, { timeoutMs: 1000, budget });
  const sent = Buffer.alloc(300_000);
  for (let i = 0; i < sent.length; i++) sent[i] = i % 251;
  for (let at = 0; at < sent.length; at += 7_000) req.write(sent.subarray(at, Math.min(sent.length, at + 7_000)));
  req.end();
  const o = await outcome;
  assert.equal(o.kind, 'body');
  if (o.kind !== 'body') return;
  assert.ok(o.body.equals(sent));
  o.release();
  assert.equal(budget.inUse, 0);
});
