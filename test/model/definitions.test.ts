// Defined fields of collection definitions: defaults filled on create, signatures validated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';
import type { QueryError } from '../../src/fql/errors';

describe('defined fields', () => {
  let h: ModelHarness;
  before(async () => { h = await openHarness(); });
  after(async () => { await h.close(); });

  it('fills defaults on create and keeps given values', async () => {
    await h.query(`Collection.create({
      name: "Order",
      fields: { status: { signature: "String", default: "'new'" }, qty: { signature: "Int", default: "1 + 1" } }
    })`);
    assert.deepEqual(plain(await h.query('let o = Order.create({ qty: 5 }); [o.status, o.qty]')), ['new', 5]);
    assert.deepEqual(plain(await h.query('let o = Order.create({}); [o.status, o.qty]')), ['new', 2]);
  });

  it('fills defaults on replace but not on update (core: defaults inserted on replace)', async () => {
    const id = plain(await h.query('Order.create({ status: "paid", qty: 3 }).id'));
    assert.deepEqual(plain(await h.query(`let o = Order.byId("${id}")!.update({ qty: 4 }); [o.status, o.qty]`)), ['paid', 4]);
    assert.deepEqual(plain(await h.query(`let o = Order.byId("${id}")!.replace({ qty: 7 }); [o.status, o.qty]`)), ['new', 7]);
  });

  it('names a refused value by its literal when a literal type expected its kind (core SchemaType.validate)', async () => {
    await h.query(`Collection.create({ name: "Tiered", fields: { tier: { signature: "\\"standard\\" | \\"gold\\"" }, n: { signature: "1 | 2" } } })`);
    const failures = async (q: string) => {
      const out = await h.run(q);
      assert.equal(out.kind, 'queryError');
      return out.kind === 'queryError' ? (out.error as QueryError).extra.constraintFailures?.map((f) => f.message) : undefined;
    };
    assert.deepEqual(await failures('Tiered.create({ tier: "platinum", n: 1 })'), ['Expected "standard" | "gold", provided "platinum"']);
    assert.deepEqual(await failures('Tiered.create({ tier: true, n: 2.5 })'),
      ['Expected "standard" | "gold", provided Boolean', 'Expected 1 | 2, provided 2.5']);
  });

  it('walks nested objects, arrays and unions as core does (SchemaType.validate, checkUnion)', async () => {
    await h.query(`Collection.create({ name: "Shaped", fields: {
      box: { signature: "{ w: Int, h: Int }" },
      list: { signature: "Array<Int>?" },
      either: { signature: "{ a: Int } | { b: Int } | Null" }
    } })`);
    const failures = async (q: string) => {
      const out = await h.run(q);
      assert.equal(out.kind, 'queryError');
      return out.kind === 'queryError' ? (out.error as QueryError).extra.constraintFailures : undefined;
    };
    assert.deepEqual(await failures('Shaped.create({ box: { w: 1, h: "2", d: 3 }, list: [1, 2, 3.5] })'), [
      { paths: [['box', 'h']], message: 'Expected Int, provided String' },
      { paths: [['box', 'd']], message: 'Unexpected field provided' },
      { paths: [['list', 2]], message: 'Expected Int, provided Double' },
    ]);
    assert.deepEqual(await failures('Shaped.create({ box: { w: 1 } })'), [{ paths: [['box', 'h']], message: 'Missing required field of type Int' }]);
    assert.deepEqual(await failures('Shaped.create({ box: { w: 1, h: 1 }, either: {} })'),
      [{ paths: [['either']], message: 'Union requires fields [a] or [b]' }]);
    assert.deepEqual(await failures('Shaped.create({ box: [1, 2] })'),
      [{ paths: [['box']], message: 'Expected { w: Int, h: Int }, provided [Int, Int]' }]);
  });

  it('refuses an unparsable signature', async () => {
    const out = await h.run('Collection.create({ name: "Bad", fields: { x: { signature: "Strin g |" } } })');
    assert.equal(out.kind, 'queryError');
    assert.equal(out.kind === 'queryError' && out.error.code, 'constraint_failure');
  });
});
