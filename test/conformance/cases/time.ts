// Time and Date: parsing, display, field accessors, epoch conversions, add/subtract with
// rounding of fractional amounts, huge amounts up to the ±999999999 year limits, overflow
// errors, differences, invalid units and inputs (core FQL2TimeSpec.scala, FQL2DateSpec.scala).
import type { ConformanceArea } from '../case';
import { DATE, I, L, T, from, uniqueNames } from '../stdlib-cases';

const t = from('FQL2TimeSpec.scala');
const d = from('FQL2DateSpec.scala');
const TS = "Time('2023-02-10T12:01:19.000Z')";
const MAX = "Time('+999999999-12-31T23:59:59.999999999Z')";
const MIN = "Time('-999999999-01-01T00:00:00Z')";
const over = (q: string, which: 'maximum' | 'minimum') => t.err(q, 'invalid_time', `Time exceeds the ${which} value.`);
const timeUnit = (q: string, unit: string) => t.err(q, 'invalid_unit', `\`${unit}\` is not a valid time unit.`);
const dateUnit = (q: string, unit: string) => d.err(q, 'invalid_unit', `\`${unit}\` is not a valid date unit.`);

export const area: ConformanceArea = {
  area: 'time',
  cases: uniqueNames([
    // Time accessors and display
    t.ok(`${TS}.toString()`, '2023-02-10T12:01:19Z'),
    t.tagged(`${TS}.dayOfWeek`, I(5)), t.ok(`${TS}.dayOfMonth`, 10), t.ok(`${TS}.dayOfYear`, 41), t.ok(`${TS}.second`, 19),
    t.ok(`${TS}.minute`, 1), t.ok(`${TS}.hour`, 12), t.ok(`${TS}.month`, 2), t.ok(`${TS}.year`, 2023),
    t.ok(`${TS}.toSeconds()`, 1676030479), t.tagged(`${TS}.toMillis()`, L(1676030479000)), t.tagged(`${TS}.toMicros()`, L(1676030479000000)),
    // add
    t.tagged("Time('2023-02-10T12:00:00.000Z').add(19, 'minutes')", T('2023-02-10T12:19:00Z')),
    t.tagged(`let ts = Time("2023-02-10T12:00:00.000Z")\n[\n  ts.add(0.5, 'seconds'),\n  ts.add(0.5, 'minutes'),\n  ts.add(-0.5, 'seconds'),\n  ts.subtract(1.5, 'hours'),\n]`,
      [T('2023-02-10T12:00:00.500Z'), T('2023-02-10T12:00:30Z'), T('2023-02-10T11:59:59.500Z'), T('2023-02-10T10:30:00Z')]),
    timeUnit("Time('2023-02-10T12:00:00.000Z').add(1, 'fortnight')", 'fortnight'),
    t.tagged("Time('1970-01-01T00:00:00Z').add(1000000000000, 'seconds')", T('+33658-09-27T01:46:40Z')),
    t.tagged("Time('1970-01-01T00:00:00Z').add(1000000000000.0, 'seconds')", T('+33658-09-27T01:46:40Z')),
    t.tagged("Time('1970-01-01T00:00:00Z').add(9223372036854775807, 'nanoseconds')", T('2262-04-11T23:47:16.854775807Z')),
    t.tagged("Time('1970-01-01T00:00:00Z').add(9223372036854775807.0, 'nanoseconds')", T('2262-04-11T23:47:16.854776Z')),
    t.tagged(`${MIN}.add(63113903968377595000000000.0, 'nanoseconds')`, T('+999999999-12-31T23:59:55Z')),
    t.tagged(`${MIN}.add(63113903968377590000000.0, 'microseconds')`, T('+999999999-12-31T23:59:50Z')),
    t.tagged(`${MIN}.add(63113903968377590000.0, 'milliseconds')`, T('+999999999-12-31T23:59:50Z')),
    t.tagged(`${MIN}.add(63113903968377592.0, 'seconds')`, T('+999999999-12-31T23:59:52Z')),
    t.tagged(`${MIN}.add(17531639991215.998, 'hours')`, T('+999999999-12-31T23:59:52.968750Z')),
    over(`${MIN}.add(9223372036854775807.0, 'hours')`, 'maximum'),
    over(`${MAX}.add(1, 'nanosecond')`, 'maximum'), over(`${MAX}.add(1.0, 'nanosecond')`, 'maximum'),
    over("Time('2023-02-10T12:00:00.000Z').add(9223372036854775807, 'days')", 'maximum'),
    over("Time('2023-02-10T12:00:00.000Z').add(1000000000000000000000000000000.0, 'days')", 'maximum'),
    // subtract
    timeUnit("Time('2023-02-10T12:00:00.000Z').subtract(1, 'scores')", 'scores'),
    t.tagged("Time('+33658-09-27T01:46:40Z').subtract(1000000000000, 'seconds')", T('1970-01-01T00:00:00Z')),
    t.tagged("Time('+33658-09-27T01:46:40Z').subtract(1000000000000.0, 'seconds')", T('1970-01-01T00:00:00Z')),
    t.tagged("Time('2262-04-11T23:47:16.854775807Z').subtract(9223372036854775807, 'nanoseconds')", T('1970-01-01T00:00:00Z')),
    t.tagged("Time('2262-04-11T23:47:16.854776Z').subtract(9223372036854775807.0, 'nanoseconds')", T('1970-01-01T00:00:00Z')),
    t.tagged(`${MAX}.subtract(63113903968377595000000000.0, 'nanoseconds')`, T('-999999999-01-01T00:00:04.999999999Z')),
    t.tagged(`${MAX}.subtract(63113903968377590000000.0, 'microseconds')`, T('-999999999-01-01T00:00:09.999999999Z')),
    t.tagged(`${MAX}.subtract(63113903968377590000.0, 'milliseconds')`, T('-999999999-01-01T00:00:09.999999999Z')),
    t.tagged(`${MAX}.subtract(63113903968377592.0, 'seconds')`, T('-999999999-01-01T00:00:07.999999999Z')),
    t.tagged(`${MAX}.subtract(17531639991215.998, 'hours')`, T('-999999999-01-01T00:00:07.031249999Z')),
    over(`${MAX}.subtract(9223372036854775807.0, 'hours')`, 'minimum'),
    over("Time('-999999999-01-01T00:00:00.000000000Z').subtract(1, 'nanosecond')", 'minimum'),
    over("Time('-999999999-01-01T00:00:00.000000000Z').subtract(1.0, 'nanosecond')", 'minimum'),
    over("Time('2023-02-10T12:00:00.000Z').subtract(9223372036854775807, 'days')", 'minimum'),
    over("Time('2023-02-10T12:00:00.000Z').subtract(1000000000000000000000000000000.0, 'days')", 'minimum'),
    // difference / fromString / epoch
    t.ok("Time('2023-02-10T12:00:00.000Z').difference(Time('2023-02-01T12:00:00.000Z'), 'days')", 9),
    t.ok("Time('2023-02-10T12:00:00.000Z').difference(Time('2023-02-10T12:00:19.000Z'), 'seconds')", -19),
    t.tagged("Time.fromString('2023-02-01T12:00:00.000Z')", T('2023-02-01T12:00:00Z')),
    t.err("Time.fromString('hey')", 'invalid_time', '`hey` is not a valid time.'),
    t.tagged("Time.epoch(1676030400, 'seconds')", T('2023-02-10T12:00:00Z')),
    timeUnit("Time.epoch(1, 'years')", 'years'),
    t.tagged("Time.epoch(19398.25, 'days')", T('2023-02-10T06:00:00Z')),
    t.ok('Time.now() isa Time', true),
    // Date
    d.ok("Date('2023-03-02').toString()", '2023-03-02'),
    d.tagged("Date('2023-02-10').dayOfWeek", I(5)), d.ok("Date('2023-02-10').dayOfMonth", 10), d.ok("Date('2023-02-10').dayOfYear", 41),
    d.ok("Date('2023-02-10').month", 2), d.ok("Date('2023-02-10').year", 2023),
    d.tagged("Date('2023-02-10').add(19, 'days')", DATE('2023-03-01')),
    dateUnit("Date('2023-02-10').add(1, 'fortnight')", 'fortnight'),
    d.tagged(`let dt = Date("2023-02-20")\n[\n  dt.add(0.5, 'days'),\n  dt.add(-0.5, 'days'),\n  dt.add(1.5, 'days'),\n  dt.add(-1.5, 'days')\n]`,
      [DATE('2023-02-21'), DATE('2023-02-20'), DATE('2023-02-22'), DATE('2023-02-19')]),
    d.tagged("Date('2023-02-10').subtract(41, 'days')", DATE('2022-12-31')),
    dateUnit("Date('2023-02-10').subtract(1, 'minutes')", 'minutes'),
    d.tagged(`let dt = Date("2023-02-20")\n[\n  dt.subtract(0.5, 'days'),\n  dt.subtract(1.5, 'days'),\n]`, [DATE('2023-02-19'), DATE('2023-02-18')]),
    d.ok("Date('2023-02-10').difference(Date('2023-01-01'))", 40), d.ok("Date('2023-02-10').difference(Date('2023-12-31'))", -324),
  ]),
};
