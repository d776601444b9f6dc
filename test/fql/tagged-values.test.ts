// IDs and the transaction time are carried as tagged strings and times (values/value.ts
// StringV.id, TimeV.txn): core's Value.ID and Value.TransactionTime semantics on top of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arr, double, idValue, int, long, obj, str, txnTimeValue, typeName, withoutIds } from '../../src/fql/values/construct';
import { compare, compareRelated, equals } from '../../src/fql/values/compare';
import { displayScalar } from '../../src/fql/values/format';
import { debugString } from '../../src/fql/eval/display';
import { isA } from '../../src/fql/eval/isa';
import type { EvalContext } from '../../src/fql/eval/context';
import type { Value } from '../../src/fql/values/value';

const ctx = {} as EvalContext;
const isa = (v: Value, name: string): Promise<boolean> =>
  isA(v, { kind: 'typeName', name, args: [] } as never, async () => ({ t: 'module', name }));

describe('ID (core Value.ID)', () => {
  it('compares with numbers numerically (FQL2IDSpec comparison)', () => {
    assert.equal(equals(idValue('123'), int(123)), true);
    assert.equal(equals(int(123), idValue('123')), true);
    assert.equal(equals(idValue('123'), double(123)), true);
    assert.equal(compareRelated(idValue('123'), int(124)), -1);
    assert.equal(compareRelated(idValue('123'), int(122)), 1);
    assert.equal(compareRelated(long(10n), idValue('9')), 1);
  });
  it('compares with strings that read as a Long, else not at all', () => {
    assert.equal(equals(idValue('123'), str('123')), true);
    assert.equal(compareRelated(idValue('123'), str('124')), -1);
    assert.equal(compareRelated(str('124'), idValue('123')), 1);
    assert.equal(compareRelated(idValue('123'), str('+123')), 0);
    assert.equal(compareRelated(idValue('123'), str('abc')), undefined);
    assert.equal(equals(idValue('123'), str('abc')), false);
  });
  it('orders ids numerically, not as text', () => {
    assert.equal(compare(idValue('9'), idValue('10')), -1);
    assert.equal(compare(str('9'), str('10')), 1);
  });
  it('ranks apart from strings in the total order (core totalOrderingPosition 5)', () => {
    assert.equal(compare(idValue('1'), str('abc')), 1);
    assert.equal(compare(idValue('1'), obj([])), 1);
    assert.equal(compare(idValue('1'), { t: 'time', ns: 0n }), -1);
  });
  it('is an ID, not a String', async () => {
    assert.equal(await isa(idValue('1'), 'ID'), true);
    assert.equal(await isa(idValue('1'), 'String'), false);
    assert.equal(await isa(str('1'), 'ID'), false);
    assert.equal(typeName(idValue('1')), 'ID');
  });
  it('renders as its digits, and as ID("…") in debug text (FQL2ToStringSpec converts doc ids)', async () => {
    assert.equal(displayScalar(idValue('42')), '42');
    assert.equal(await debugString(ctx, idValue('42'), false), 'ID("42")');
    assert.equal(await debugString(ctx, arr([idValue('42'), str('42')]), false), '[ID("42"), "42"]');
  });
  it('is stored as a plain string', () => {
    const plain = withoutIds(obj([['a', idValue('1')], ['b', arr([idValue('2'), int(3)])]]));
    assert.deepEqual(plain, obj([['a', str('1')], ['b', arr([str('2'), int(3)])]]));
    const untouched = obj([['a', str('1')]]);
    assert.equal(withoutIds(untouched), untouched);
  });
});

describe('TransactionTime (core Value.TransactionTime)', () => {
  const t = txnTimeValue(1_700_000_000_000_000_000n);
  it('renders as TransactionTime() and [transaction time] (FQL2ToStringSpec converts txn time)', async () => {
    assert.equal(await debugString(ctx, t, false), 'TransactionTime()');
    assert.equal(displayScalar(t), '[transaction time]');
    assert.equal(await debugString(ctx, { t: 'time', ns: t.ns }, false), 'Time("2023-11-14T22:13:20Z")');
  });
  it('equals only itself, not the Time of the same instant (FQL2ComparisonSpec equals and hashCode works)', () => {
    assert.equal(equals(t, { t: 'time', ns: t.ns }), false);
    assert.equal(equals({ t: 'time', ns: t.ns }, t), false);
    assert.equal(equals(t, { ...t }), true);
    assert.equal(typeName(t), 'TransactionTime');
  });
});
