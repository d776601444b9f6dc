import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { double, int, long, str } from '../../src/fql/values/construct';
import type { Value } from '../../src/fql/values/value';
import { apply, call, field, mod, rejects } from './stdlib-support';

const T = (s: string): Promise<Value> => apply('Time', str(s));
const D = (s: string): Promise<Value> => apply('Date', str(s));
const text = async (v: Value | Promise<Value>): Promise<string> => {
  const r = await call(await v, 'toString');
  assert.equal(r.t, 'string');
  return r.t === 'string' ? r.v : '';
};

describe('Time construction', () => {
  it('parses ISO times with offsets', async () => {
    assert.equal(await text(T('2023-01-01T00:00:00Z')), '2023-01-01T00:00:00Z');
    assert.equal(await text(T('2023-03-09T17:45:17.520+01:00')), '2023-03-09T16:45:17.520Z');
    assert.equal(await text(T('2023-03-09T17:45+0130')), '2023-03-09T16:15:00Z');
    assert.equal(await text(call(mod('Time'), 'fromString', str('2003-02-08T13:28:12.000555Z'))),
      '2003-02-08T13:28:12.000555Z');
  });
  it('rejects malformed times', async () => {
    await rejects(T('2023-01-01'), 'invalid_time', '`2023-01-01` is not a valid time.');
    await rejects(T('2023-02-30T00:00:00Z'), 'invalid_time', '`2023-02-30T00:00:00Z` is not a valid time.');
    await rejects(T('2023-01-01T00:00:00'), 'invalid_time', '`2023-01-01T00:00:00` is not a valid time.');
    await rejects(apply('Time', int(1)), 'invalid_argument', 'expected value for `time` of type String, received Int');
  });
  it('now() and TransactionTime() are the transaction time', async () => {
    assert.equal(await text(call(mod('Time'), 'now')), '2023-11-14T22:13:20Z');
    assert.equal(await text(apply('TransactionTime')), '2023-11-14T22:13:20Z');
  });
  it('epoch', async () => {
    assert.equal(await text(call(mod('Time'), 'epoch', int(1676030400), str('seconds'))), '2023-02-10T12:00:00Z');
    assert.equal(await text(call(mod('Time'), 'epoch', double(1.5), str('second'))), '1970-01-01T00:00:01.500Z');
    await rejects(call(mod('Time'), 'epoch', int(1), str('weeks')), 'invalid_unit', '`weeks` is not a valid time unit.');
  });
});

describe('Time fields and conversions', () => {
  it('calendar fields in UTC', async () => {
    const t = await T('2024-02-29T13:45:56.789Z');
    assert.deepEqual(await field(t, 'year'), int(2024));
    assert.deepEqual(await field(t, 'month'), int(2));
    assert.deepEqual(await field(t, 'dayOfMonth'), int(29));
    assert.deepEqual(await field(t, 'dayOfWeek'), int(4));
    assert.deepEqual(await field(t, 'dayOfYear'), int(60));
    assert.deepEqual(await field(t, 'hour'), int(13));
    assert.deepEqual(await field(t, 'minute'), int(45));
    assert.deepEqual(await field(t, 'second'), int(56));
  });
  it('before the epoch', async () => {
    const t = await T('1969-12-31T23:59:59.500Z');
    assert.deepEqual(await field(t, 'second'), int(59));
    assert.deepEqual(await field(t, 'dayOfWeek'), int(3));
    assert.deepEqual(await call(t, 'toSeconds'), int(-1));
    assert.deepEqual(await call(t, 'toMillis'), int(-500));
  });
  it('toMicros / toMillis / toSeconds narrow to Int when they fit', async () => {
    const t = await T('2023-01-01T00:00:00.123456Z');
    assert.deepEqual(await call(t, 'toMicros'), long(1672531200123456n));
    assert.deepEqual(await call(t, 'toMillis'), long(1672531200123n));
    assert.deepEqual(await call(t, 'toSeconds'), int(1672531200));
  });
});

describe('Time arithmetic', () => {
  it('add / subtract with singular and plural units', async () => {
    const t = await T('2023-01-01T00:00:00Z');
    assert.equal(await text(call(t, 'add', int(1), str('day'))), '2023-01-02T00:00:00Z');
    assert.equal(await text(call(t, 'add', int(3600), str('seconds'))), '2023-01-01T01:00:00Z');
    assert.equal(await text(call(t, 'add', int(1), str('half day'))), '2023-01-01T12:00:00Z');
    assert.equal(await text(call(t, 'add', double(1.5), str('hours'))), '2023-01-01T01:30:00Z');
    assert.equal(await text(call(t, 'add', double(-0.25), str('minute'))), '2022-12-31T23:59:45Z');
    assert.equal(await text(call(t, 'subtract', int(1), str('nanosecond'))), '2022-12-31T23:59:59.999999999Z');
    assert.equal(await text(call(t, 'subtract', long(2n), str(' milliseconds '))), '2022-12-31T23:59:59.998Z');
  });
  it('unit and range errors', async () => {
    const t = await T('2023-01-01T00:00:00Z');
    await rejects(call(t, 'add', int(1), str('week')), 'invalid_unit', '`week` is not a valid time unit.');
    await rejects(call(t, 'add', int(1), int(1)), 'invalid_argument', 'expected value for `unit` of type String, received Int');
    await rejects(call(t, 'add', long(400000000000n), str('days')), 'invalid_time', 'Time exceeds the maximum value.');
    await rejects(call(t, 'subtract', long(400000000000n), str('days')), 'invalid_time', 'Time exceeds the minimum value.');
    await rejects(call(t, 'add', double(Infinity), str('days')), 'invalid_time', 'Time exceeds the maximum value.');
    const nearMax = await T('+999999999-12-31T00:00:00Z');
    await rejects(call(nearMax, 'add', int(2), str('days')), 'invalid_time', 'Time exceeds the maximum value.');
  });
  it('difference truncates toward zero', async () => {
    const a = await T('2023-01-01T00:00:00Z');
    const b = await T('2023-01-02T23:59:59.999Z');
    assert.deepEqual(await call(b, 'difference', a, str('days')), int(1));
    assert.deepEqual(await call(a, 'difference', b, str('days')), int(-1));
    assert.deepEqual(await call(b, 'difference', a, str('hours')), int(47));
    assert.deepEqual(await call(b, 'difference', a, str('milliseconds')), int(172799999));
    assert.deepEqual(await call(b, 'difference', a, str('nanoseconds')), long(172799999000000n));
    await rejects(call(b, 'difference', a, str('years')), 'invalid_unit', '`years` is not a valid time unit.');
  });
});

describe('Date', () => {
  it('parses and prints', async () => {
    assert.equal(await text(D('2022-12-15')), '2022-12-15');
    assert.equal(await text(call(mod('Date'), 'fromString', str('0001-01-01'))), '0001-01-01');
    await rejects(D('2022-13-01'), 'invalid_date', '`2022-13-01` is not a valid date.');
    await rejects(D('2022-1-01'), 'invalid_date', '`2022-1-01` is not a valid date.');
    await rejects(D('10000-01-01'), 'invalid_date', '`10000-01-01` is not a valid date.');
    assert.equal(await text(D('+10000-01-01')), '+10000-01-01');
  });
  it('today is the UTC date of the transaction time', async () => {
    assert.equal(await text(call(mod('Date'), 'today')), '2023-11-14');
  });
  it('fields', async () => {
    const d = await D('2023-12-31');
    assert.deepEqual(await field(d, 'year'), int(2023));
    assert.deepEqual(await field(d, 'month'), int(12));
    assert.deepEqual(await field(d, 'dayOfMonth'), int(31));
    assert.deepEqual(await field(d, 'dayOfWeek'), int(7));
    assert.deepEqual(await field(d, 'dayOfYear'), int(365));
  });
  it('add / subtract days only; difference is a Long', async () => {
    const d = await D('2024-02-28');
    assert.equal(await text(call(d, 'add', int(1), str('day'))), '2024-02-29');
    assert.equal(await text(call(d, 'add', double(1.5), str('days'))), '2024-03-01');
    assert.equal(await text(call(d, 'subtract', int(59), str('days'))), '2023-12-31');
    await rejects(call(d, 'add', int(1), str('hours')), 'invalid_unit', '`hours` is not a valid date unit.');
    assert.deepEqual(await call(await D('2024-03-01'), 'difference', d), long(2n));
    await rejects(call(d, 'difference', int(1)), 'invalid_argument', 'expected value for `start` of type Date, received Int');
  });
});
