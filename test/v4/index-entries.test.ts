// Unit tests of FQL v4 index entries over a real SQLite engine (no HTTP): a v4 index built over
// existing documents, kept by writes made through FQL v10, read by key range now and, as of a
// past snapshot, recomputed from the versions visible then (as v10's index-history.ts does);
// a Match reads the same few rows however large the collection. Semantics: core
// doc/Index.scala (terms, values), faunadb-js test/query.test.js ("match").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EvalContext } from '../../src/fql/eval/context';
import type { Value } from '../../src/fql/values/value';
import { ModelTxnImpl } from '../../src/model/model-txn';
import { putDef, type NamedDef } from '../../src/model/identity/named-store';
import { MatchSet } from '../../src/v4/model/index-defs';
import { buildEntries, parseIndex } from '../../src/v4/model/index-entries';
import { type V4Value, schemaRef, str4 } from '../../src/v4/values';
import { openHarness, type ModelHarness } from '../model/harness';
import { sweepExpired } from '../../src/model/temporal/expiry';
import { prefixEnd, v4IndexKey } from '../../src/model/keys';

describe('v4 index entries', () => {
  let h: ModelHarness;
  let def: NamedDef;
  const noBindings = async (): Promise<V4Value> => { throw new Error('no bindings here'); };
  const field = (...path: string[]): Value => ({ t: 'object', v: new Map<string, Value>([['field', { t: 'array', v: path.map((p): Value => ({ t: 'string', v: p })) }]]) });

  before(async () => {
    h = await openHarness();
    await h.query('Collection.create({ name: "Item" })');
    await h.query('Set.sequence(1, 5).forEach(i => Item.create({ id: i.toString(), kind: if (i % 2 == 0) "even" else "odd", n: i }))');
    const txn = await h.engine.begin();
    const model = new ModelTxnImpl(txn, 0);
    def = putDef(model, 'Index', 'items_by_kind', new Map<string, Value>([
      ['name', { t: 'string', v: 'items_by_kind' }],
      ['source', { t: 'named', coll: 'Collection', name: 'Item' }],
      ['terms', { t: 'array', v: [field('data', 'kind')] }],
      ['values', { t: 'array', v: [field('data', 'n')] }],
    ]));
    await buildEntries(model, parseIndex(def), noBindings);
    await txn.commit();
  });
  after(async () => { await h.close(); });

  /** The values of `Match(Index("items_by_kind"), kind)`, now or as of `snapshot`. */
  async function match(kind: string, snapshot?: bigint): Promise<unknown[]> {
    const txn = await h.engine.begin({ readOnly: true });
    try {
      const model = new ModelTxnImpl(txn, 0);
      if (snapshot !== undefined) model.context = { snapshotTs: snapshot } as EvalContext;
      const set = new MatchSet(model, parseIndex(def), schemaRef('indexes', 'items_by_kind'), [str4(kind)]);
      return (await set.entries()).map((e) => (e.value.t === 'long' ? Number(e.value.v) : e.value));
    } finally {
      await txn.rollback();
    }
  }

  it('builds over existing documents and follows writes made through v10', async () => {
    assert.deepEqual(await match('odd'), [1, 3]);
    const before = (await h.run('Item.byId("1")!.update({ kind: "even" })'));
    assert.equal(before.kind, 'ok');
    await h.query('Item.byId("4")!.delete()');
    assert.deepEqual(await match('odd'), [3]);
    assert.deepEqual(await match('even'), [1, 2]);
    // As of the time before the update: the entries the versions visible then had.
    const ts = (before as { info: { txnTs: bigint } }).info.txnTs - 1n;
    assert.deepEqual(await match('odd', ts), [1, 3]);
    assert.deepEqual(await match('even', ts), [2, 4]);
  });

  it('removes the entries of expired documents with them (test/model/expiry.test.ts for v10 entries)', async () => {
    const entries = async () => {
      const txn = await h.engine.begin({ readOnly: true });
      const prefix = v4IndexKey(0, 'items_by_kind', []);
      try { return (await txn.scan({ start: prefix, end: prefixEnd(prefix) })).length; } finally { await txn.rollback(); }
    };
    const before = await entries();
    await h.query('Item.create({ id: "100", kind: "odd", n: 100, ttl: Time.now().add(300, "milliseconds") })');
    assert.equal(await entries(), before + 1);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await sweepExpired(h.engine, BigInt(Date.now()) * 1_000_000n), 1);
    assert.equal(await entries(), before);
  });

  it('reads the same rows for a match in 10 and in 2000 documents', async () => {
    await match('odd');
    const rowsRead = async () => {
      const txn = await h.engine.begin({ readOnly: true });
      const model = new ModelTxnImpl(txn, 0);
      const set = new MatchSet(model, parseIndex(def), schemaRef('indexes', 'items_by_kind'), [str4('odd')]);
      const first = await set.window({ from: [], to: [], reverse: false, limit: 1 });
      assert.equal(first.length, 1);
      const n = txn.stats.rowsRead;
      await txn.rollback();
      return n;
    };
    await h.query('Set.sequence(5, 10).forEach(i => Item.create({ id: i.toString(), kind: "odd", n: i }))');
    const small = await rowsRead();
    await h.query('Set.sequence(10, 2010).forEach(i => Item.create({ id: i.toString(), kind: "odd", n: i }))');
    assert.equal(await rowsRead(), small);
    assert.ok(small < 5, `a one-element window read ${small} rows`);
  });
});
