import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EvalContext } from '../../src/fql/eval/context';
import type { DocV, FqlSet, NamedDocV, Value } from '../../src/fql/values/value';
import type { DocData, ModelTxn, NamedData } from '../../src/model/model-api';
import type { NullDocV } from '../../src/fql/values/value';
import { ArraySet, SequenceSet } from '../../src/fql/eval/sets/array-set';
import { materialize } from '../../src/wire/materialize';
import { encodeTagged } from '../../src/wire/encode-tagged';

const int = (v: number): Value => ({ t: 'int', v });

function fakeCtx(reads: string[]): EvalContext {
  const model: Partial<ModelTxn> = {
    txnTs: 1n,
    async readDoc(ref: DocV): Promise<DocData | NullDocV> {
      reads.push(`${ref.coll}/${ref.id}`);
      if (ref.id === '404') return { t: 'nulldoc', coll: ref.coll, id: ref.id, cause: 'not found' };
      return { coll: ref.coll, id: ref.id, ts: 1_000_000n, data: new Map<string, Value>([['friend', { t: 'doc', coll: 'User', id: '2' }]]) };
    },
    async readNamed(ref: NamedDocV): Promise<NamedData | NullDocV> {
      reads.push(`${ref.coll}/${ref.name}`);
      return { coll: ref.coll, name: ref.name, ts: 1_000_000n, data: new Map() };
    },
  };
  return {
    source: '', templateValues: [], arguments: new Map(), model: model as ModelTxn, deadline: Infinity,
    stats: { computeOps: 0, readOps: 0, writeOps: 0, storageBytesRead: 0, storageBytesWrite: 0, contentionRetries: 0 },
    logs: [], depth: 0,
  };
}

test('documents at the top are read once; their references stay refs', async () => {
  const reads: string[] = [];
  const user: Value = { t: 'doc', coll: 'User', id: '1' };
  const m = await materialize(fakeCtx(reads), { t: 'array', v: [user, user, { t: 'doc', coll: 'User', id: '404' }, { t: 'named', coll: 'Collection', name: 'User' }] });
  assert.deepEqual(reads, ['User/1', 'User/404', 'Collection/User']);
  assert.equal(encodeTagged(m),
    '[{"@doc":{"id":"1","coll":{"@mod":"User"},"ts":{"@time":"1970-01-01T00:00:01Z"},"friend":{"@ref":{"id":"2","coll":{"@mod":"User"}}}}},' +
    '{"@doc":{"id":"1","coll":{"@mod":"User"},"ts":{"@time":"1970-01-01T00:00:01Z"},"friend":{"@ref":{"id":"2","coll":{"@mod":"User"}}}}},' +
    '{"@ref":{"id":"404","coll":{"@mod":"User"},"exists":false,"cause":"not found"}},' +
    '{"@doc":{"name":"User","coll":{"@mod":"Collection"},"ts":{"@time":"1970-01-01T00:00:01Z"}}}]');
});

test('sets page 16 items with a cursor; documents in pages are read', async () => {
  const reads: string[] = [];
  const m = await materialize(fakeCtx(reads), { t: 'set', set: new SequenceSet(0, 20) });
  assert.equal(m.t, 'page');
  if (m.t !== 'page') return;
  assert.deepEqual(m.data, Array.from({ length: 16 }, (_, i) => int(i)));
  assert.equal(typeof m.after, 'string');
  const small = await materialize(fakeCtx(reads), { t: 'set', set: new ArraySet([{ t: 'doc', coll: 'User', id: '7' }]) });
  assert.equal(small.t, 'page');
  assert.equal(small.t === 'page' && small.after, undefined);
  assert.deepEqual(reads, ['User/7']);
});

test('sets nested more than 10 deep become cursors', async () => {
  let v: Value = int(1);
  for (let i = 0; i < 11; i++) v = { t: 'set', set: new ArraySet([v]) as FqlSet };
  let m = await materialize(fakeCtx([]), v);
  for (let i = 0; i < 10; i++) {
    assert.equal(m.t, 'page', `level ${i}`);
    if (m.t !== 'page') return;
    m = m.data[0];
  }
  assert.equal(m.t, 'setRef');
});

test('functions render as display strings', async () => {
  const lambda: Value = { t: 'function', fn: { kind: 'lambda', params: [], variadic: false, body: null, env: null, source: 'x => x' } };
  const native: Value = { t: 'function', fn: { kind: 'native', name: 'concat', arity: 1, call: () => int(0) } };
  assert.equal(encodeTagged(await materialize(fakeCtx([]), { t: 'array', v: [lambda, native] })), '["[function <lambda>]","[function concat()]"]');
});
