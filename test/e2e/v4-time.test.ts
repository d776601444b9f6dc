// FQL v4 time and date functions through the `faunadb@4.8` driver. Expected values: faunadb-js
// test/query.test.js ("time" … "second", "now"); semantics and error texts: core
// ext/model/src/main/scala/ast/functions/TimeFunctions.scala, Casts.scala (Temporal, Timestamp,
// MidstUnit), lang/MidstUnit.scala, RenderError (InvalidTimeUnit, IncompatibleTimeArguments).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q, values } from 'faunadb';
import { v4FailsAt, useV4Server } from './v4-helpers';

const time = (s: string) => new values.FaunaTime(s);
const date = (s: string) => new values.FaunaDate(s);

describe('v4 time functions', () => {
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);

  useV4Server((s) => ({ root } = s));

  it('makes times and dates (faunadb-js "time", "epoch", "date", "now")', async () => {
    await is(q.Time('1970-01-01T00:00:00.123456789Z'), time('1970-01-01T00:00:00.123456789Z'));
    await is([q.Epoch(12, 'second'), q.Epoch(123456789, 'nanosecond'), q.Epoch(1, 'half day')],
      [time('1970-01-01T00:00:12Z'), time('1970-01-01T00:00:00.123456789Z'), time('1970-01-01T12:00:00Z')]);
    await is(q.Date('1970-01-01'), date('1970-01-01'));
    await is([q.Equals(q.Now(), q.Time('now')), q.LTE(q.Time('2020-01-01T00:00:00Z'), q.Now())], [true, true]);
    await v4FailsAt(root, q.Time('nope'), 'invalid argument', "Cannot cast 'nope' to a time.", []);
    await v4FailsAt(root, q.Date('2020-13-01'), 'invalid argument', "Cannot cast '2020-13-01' to a date.", []);
    await v4FailsAt(root, q.Epoch(1, 'fortnight'), 'invalid argument', 'Time Unit expected, String provided.', ['unit']);
    await v4FailsAt(root, q.Epoch(9007199254740991, 'day'), 'invalid argument',
      'dates and times must be between -1000000000-01-01T00:00:00Z and +1000000000-12-31T23:59:59.999999999Z', []);
  });

  it('adds, subtracts and measures (faunadb-js "time_add", "time_subtract", "time_diff")', async () => {
    await is([q.TimeAdd(q.Epoch(0, 'second'), 1, 'hour'), q.TimeAdd(q.Date('1970-01-01'), 1, 'day')],
      [time('1970-01-01T01:00:00Z'), date('1970-01-02')]);
    await is([q.TimeSubtract(q.Epoch(0, 'second'), 1, 'hour'), q.TimeSubtract(q.Date('1970-01-01'), 1, 'day')],
      [time('1969-12-31T23:00:00Z'), date('1969-12-31')]);
    await is([
      q.TimeDiff(q.Epoch(0, 'second'), q.Epoch(1, 'second'), 'second'),
      q.TimeDiff(q.Date('1970-01-01'), q.Date('1970-01-02'), 'day'),
      q.TimeDiff(q.Epoch(0, 'second'), q.Epoch(5399, 'second'), 'hours'),
      q.TimeDiff(q.Epoch(5399, 'second'), q.Epoch(0, 'second'), 'hours'),
    ], [1, 1, 1, -1]);
    // Dates take day-based units only; the unit is echoed as given.
    await v4FailsAt(root, q.TimeAdd(q.Date('1970-01-01'), 1, 'hour'), 'invalid argument', "Invalid time unit 'hour'.", ['unit']);
    await v4FailsAt(root, q.TimeDiff(q.Date('1970-01-01'), q.Date('1970-01-02'), 'minutes'), 'invalid argument', "Invalid time unit 'minutes'.", ['unit']);
    await v4FailsAt(root, q.TimeDiff(q.Date('1970-01-01'), q.Epoch(0, 'second'), 'day'), 'invalid argument', 'Incompatible time arguments.', ['time_diff']);
    await v4FailsAt(root, q.TimeAdd('1970-01-01', 1, 'day'), 'invalid argument', 'Temporal expected, String provided.', ['time_add']);
    await v4FailsAt(root, q.TimeAdd(q.Now(), 1.5, 'day'), 'invalid argument', 'Integer expected, Double provided.', ['offset']);
  });

  it('reads parts of timestamps given as Times or microseconds (faunadb-js "to_millis" … "second")', async () => {
    const big = q.Epoch(2147483648, 'second');
    await is([q.ToMillis(q.Time('1970-01-01T00:00:00Z')), q.ToMillis(q.Epoch(2147483648000, 'millisecond')), q.ToMillis(0), q.ToMillis(2147483648000000)],
      [0, 2147483648000, 0, 2147483648000]);
    await is([q.ToSeconds(q.Epoch(0, 'second')), q.ToSeconds(big), q.ToSeconds(0), q.ToSeconds(2147483648000000)], [0, 2147483648, 0, 2147483648]);
    await is([q.ToMicros(q.Epoch(0, 'second')), q.ToMicros(q.Epoch(2147483648000000, 'microsecond')), q.ToMicros(0), q.ToMicros(2147483648000000)],
      [0, 2147483648000000, 0, 2147483648000000]);
    await is([q.DayOfMonth(q.Epoch(0, 'second')), q.DayOfMonth(big), q.DayOfMonth(0), q.DayOfMonth(2147483648000000)], [1, 19, 1, 19]);
    await is([q.DayOfWeek(q.Epoch(0, 'second')), q.DayOfWeek(big), q.DayOfWeek(0), q.DayOfWeek(2147483648000000)], [4, 2, 4, 2]);
    await is([q.DayOfYear(q.Epoch(0, 'second')), q.DayOfYear(big), q.DayOfYear(0), q.DayOfYear(2147483648000000)], [1, 19, 1, 19]);
    await is([q.Month(q.Epoch(0, 'second')), q.Month(big), q.Year(q.Epoch(0, 'second')), q.Year(big), q.Year(2147483648000000)], [1, 1, 1970, 2038, 2038]);
    await is([q.Hour(q.Epoch(0, 'second')), q.Minute(q.Epoch(0, 'second')), q.Second(q.Epoch(0, 'second'))], [0, 0, 0]);
    await is([q.Hour(big), q.Minute(big), q.Second(big)], [3, 14, 8]);
    await v4FailsAt(root, q.Hour(q.Date('2020-01-01')), 'invalid argument', 'Time expected, Date provided.', ['hour']);
  });
});
