// Document ids (src/model/ids.ts): unique per thread by sequence, across the workers of one
// process by node number (two workers once handed out the same id in the same millisecond, and
// the second create overwrote the first document: test/e2e/durability caught it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, setIdNode } from '../../src/model/ids';

test('ids of one thread are unique and increasing, past the per-millisecond sequence', () => {
  setIdNode(0, 0);
  const ids = Array.from({ length: 50_000 }, () => BigInt(newId()));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `id ${i} does not increase`);
});

test('threads with different node numbers never hand out the same id in the same millisecond', () => {
  setIdNode(1, 0);
  const a = newId();
  setIdNode(2, 0);
  const b = newId();
  // Same millisecond and sequence position would be the same id without the node bits.
  assert.notEqual(a, b);
  assert.equal((BigInt(a) >> 14n) & 255n, 1n);
  assert.equal((BigInt(b) >> 14n) & 255n, 2n);
});
