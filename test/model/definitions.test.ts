// Defined fields of collection definitions: defaults filled on create, signatures validated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';

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

  it('refuses an unparsable signature', async () => {
    const out = await h.run('Collection.create({ name: "Bad", fields: { x: { signature: "Strin g |" } } })');
    assert.equal(out.kind, 'queryError');
    assert.equal(out.kind === 'queryError' && out.error.code, 'constraint_failure');
  });
});
