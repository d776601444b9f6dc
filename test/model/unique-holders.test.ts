// Unique constraint keys in storage (src/model/constraints/unique.ts): one key per holder of a
// value tuple, so a constraint built over kept duplicates records every one of them (core's
// backing unique index keeps a row per document: IndexWriteConfig.writeInternal builds it with
// no uniqueness check, WriteBroker.mapUniqueConstraintError fails a write on any row left);
// and the single-holder keys of stores written before are still read, and released by their
// holder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, plain, type ModelHarness } from './harness';
import { ModelTxnImpl } from '../../src/model/model-txn';
import { schemaOf } from '../../src/model/definitions/schema';
import { prefixEnd, uniquePrefix } from '../../src/model/keys';
import { decodeKey, encodeKey } from '../../src/storage/tuple';
import { toBytes } from '../../src/model/codec';

describe('unique constraint holders', () => {
  let h: ModelHarness;
  before(async () => { h = await openHarness(); });
  after(async () => { await h.close(); });

  /** The collection's id and its first constraint's fingerprint. */
  async function constraintOf(coll: string): Promise<{ collId: number; fp: string }> {
    const t = await h.engine.begin({ readOnly: true });
    try {
      const def = (await new ModelTxnImpl(t, 0).collection(coll))!;
      return { collId: def.id, fp: schemaOf(def).uniques[0].fingerprint };
    } finally {
      await t.rollback();
    }
  }

  /**
   * The constraint's keys in order: the holder id in the key (null for an older store's
   * single-holder key), the id stored, and the tuple (the key without any holder id, hex).
   */
  async function keys(collId: number, fp: string): Promise<{ holder: string | null; owner: string; tuple: string }[]> {
    const prefix = uniquePrefix(0, collId, fp);
    const t = await h.engine.begin({ readOnly: true });
    try {
      const rows = await t.scan({ start: prefix, end: prefixEnd(prefix) });
      return rows.map((r) => {
        const parts = decodeKey(r.key);
        const last = parts[parts.length - 1];
        const holder = parts.length > 4 + 1 && (typeof last === 'bigint' || typeof last === 'number') ? String(last) : null;
        const tuple = Buffer.from(encodeKey(holder === null ? parts : parts.slice(0, -1))).toString('hex');
        return { holder, owner: JSON.parse(Buffer.from(r.value).toString()) as string, tuple };
      });
    } finally {
      await t.rollback();
    }
  }

  const fails = async (q: string) => {
    const out = await h.run(q);
    assert.deepEqual(out.kind === 'queryError' ? [out.error.code, out.error.message] : out.kind, ['constraint_failure', 'Failed unique constraint.']);
  };

  it('records every duplicate a new constraint is built over, and frees the value when the last one leaves', async () => {
    await h.query('Collection.create({ name: "Dups" })');
    await h.query('Dups.create({ id: "1", x: 1 }); Dups.create({ id: "2", x: 1 }); Dups.create({ id: "3", x: 2 })');
    await h.query('Dups.definition.update({ constraints: [{ unique: ["x"] }] })');
    const { collId, fp } = await constraintOf('Dups');
    const built = await keys(collId, fp);
    assert.deepEqual(built.map((k) => [k.holder, k.owner]), [['1', '1'], ['2', '2'], ['3', '3']]);
    assert.equal(built[0].tuple, built[1].tuple);
    assert.notEqual(built[1].tuple, built[2].tuple);
    await h.query('Dups.byId("1")!.delete()');
    await fails('Dups.create({ x: 1 })');
    await h.query('Dups.byId("2")!.update({ x: 4 })');
    assert.deepEqual((await keys(collId, fp)).map((k) => [k.holder, k.owner]), [['3', '3'], ['2', '2']]);
    assert.equal(plain(await h.query('Dups.create({ id: "5", x: 1 }).x')), 1);
  });

  it('reads and releases the single-holder keys of older stores', async () => {
    await h.query('Collection.create({ name: "Old", constraints: [{ unique: ["email"] }] })');
    await h.query('Old.create({ id: "1", email: "a" })');
    const { collId, fp } = await constraintOf('Old');
    // As an older store keeps it: the tuple's key → "1", no per-holder key.
    const [held] = await keys(collId, fp);
    const tuple = Buffer.from(held.tuple, 'hex');
    const t = await h.engine.begin();
    t.delete(encodeKey([...decodeKey(tuple), 1n]));
    t.put(tuple, toBytes('1'));
    await t.commit();
    assert.deepEqual(await keys(collId, fp), [{ holder: null, owner: '1', tuple: held.tuple }]);
    await fails('Old.create({ email: "a" })');
    // Its holder moving away releases it.
    await h.query('Old.byId("1")!.update({ email: "b" })');
    const moved = await keys(collId, fp);
    assert.deepEqual(moved.map((k) => [k.holder, k.owner]), [['1', '1']]);
    assert.notEqual(moved[0].tuple, held.tuple);
    assert.equal(plain(await h.query('Old.create({ id: "2", email: "a" }).email')), 'a');
  });
});
