// Time and date functions (core TimeFunctions.scala): Now/Time("now") are the transaction time;
// units are core's MidstUnit names (`hour(s)`, `half day(s)`, ...), echoed as given in errors.
import { parseDate, parseTime } from '../../fql/values/format';
import { type TimeUnit, civilFields, parseTimeUnit, unitsBetween } from '../../fql/stdlib/time';
import { type Position, V4Error, invalidArgument } from '../errors';
import { type FormArgs, type FormSpec, defineForms } from '../evaluator';
import type { V4Query } from '../query-context';
import type { V4Value } from '../values';
import { long4 } from '../values';
import { arg, boundsError, expectInteger, expectString } from './args';

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;
// java.time.Instant.MIN and MAX, the range of Time values.
const INSTANT_MIN = -31557014167219200n * NS_PER_SECOND;
const INSTANT_MAX = 31556889864403199n * NS_PER_SECOND + 999_999_999n;
// java.time.LocalDate's range, in days since the epoch.
const DATE_MIN = -365243219162;
const DATE_MAX = 365241780471;

export const now = (q: V4Query): V4Value => ({ t: 'time', ns: q.model.txnTs * 1000n });

/** Core TimeFunction: an ISO instant (trimmed), or `Cannot cast 'x' to a time.` */
export function timeOf(s: string, pos: Position): V4Value {
  const ns = parseTime(s.trim());
  if (ns === undefined) throw new V4Error('invalid argument', `Cannot cast '${s}' to a time.`, pos);
  return { t: 'time', ns };
}

/** Core DateFunction: an ISO date (trimmed), or `Cannot cast 'x' to a date.` */
export function dateOf(s: string, pos: Position): V4Value {
  const days = parseDate(s.trim());
  if (days === undefined) throw new V4Error('invalid argument', `Cannot cast '${s}' to a date.`, pos);
  return { t: 'date', days };
}

interface Unit extends TimeUnit { readonly original: string }

/** Core `Casts.MidstUnit`. */
function expectUnit(v: V4Value, pos: Position): Unit {
  const unit = v.t === 'string' ? parseTimeUnit(v.v) : undefined;
  if (!unit) throw invalidArgument(['Time Unit'], v, pos);
  return { ...unit, original: (v as { v: string }).v };
}

type Temporal = Extract<V4Value, { t: 'time' | 'date' }>;

/** Core `Casts.Temporal`. */
function expectTemporal(v: V4Value, pos: Position): Temporal {
  if (v.t !== 'time' && v.t !== 'date') throw invalidArgument(['Temporal'], v, pos);
  return v;
}

/** Core `Casts.Timestamp`: a Time, or an Integer of microseconds. */
function expectTimestamp(v: V4Value, pos: Position): bigint {
  if (v.t === 'time') return v.ns;
  if (v.t === 'long') return v.v * 1000n;
  throw invalidArgument(['Time'], v, pos);
}

const outOfRange = (pos: Position): V4Error =>
  boundsError('dates and times', 'between -1000000000-01-01T00:00:00Z and +1000000000-12-31T23:59:59.999999999Z', pos);

function timeIn(ns: bigint, pos: Position): V4Value {
  if (ns < INSTANT_MIN || ns > INSTANT_MAX) throw outOfRange(pos);
  return { t: 'time', ns };
}

const invalidTimeUnit = (unit: Unit, pos: Position): V4Error =>
  new V4Error('invalid argument', `Invalid time unit '${unit.original}'.`, pos);

async function shift(a: FormArgs, key: 'time_add' | 'time_subtract'): Promise<V4Value> {
  const base = await arg(a, key, expectTemporal);
  const offset = await arg(a, 'offset', expectInteger);
  const unit = await arg(a, 'unit', expectUnit);
  const delta = (key === 'time_add' ? 1n : -1n) * offset * unit.ns;
  if (base.t === 'time') return timeIn(base.ns + delta, a.at('offset'));
  if (!unit.dateBased) throw invalidTimeUnit(unit, a.at('unit'));
  const days = base.days + Number(delta / NS_PER_DAY);
  if (days < DATE_MIN || days > DATE_MAX) throw outOfRange(a.at('offset'));
  return { t: 'date', days };
}

/** Core TimeDiffFunction: whole units from the first to the second, of the same kind. */
async function diff(a: FormArgs): Promise<V4Value> {
  const start = await arg(a, 'time_diff', expectTemporal);
  const finish = await arg(a, 'other', expectTemporal);
  const unit = await arg(a, 'unit', expectUnit);
  if (start.t === 'time' && finish.t === 'time') return long4(unitsBetween(start.ns, finish.ns, unit));
  if (start.t === 'date' && finish.t === 'date') {
    if (!unit.dateBased) throw invalidTimeUnit(unit, a.at('unit'));
    return long4(finish.days - start.days);
  }
  throw new V4Error('invalid argument', 'Incompatible time arguments.', a.at('time_diff'));
}

const floorDiv = (x: bigint, y: bigint): bigint => (x >= 0n ? x / y : -((-x + y - 1n) / y));

/** A number derived from a timestamp (Time or µs), in UTC. */
function fromTimestamp(key: string, f: (ns: bigint) => bigint | number): FormSpec {
  return { keys: [key], run: async (_ev, a) => long4(f(await arg(a, key, expectTimestamp))) };
}

const civil = (ns: bigint) => civilFields(Number(floorDiv(ns, NS_PER_DAY)));
const secondOfDay = (ns: bigint): number => Number(floorDiv(ns - floorDiv(ns, NS_PER_DAY) * NS_PER_DAY, NS_PER_SECOND));

const TIME_FORMS: readonly FormSpec[] = [
  { keys: ['now'], run: async (ev) => now(ev.q) },
  {
    keys: ['time'],
    run: async (ev, a) => {
      const s = await arg(a, 'time', expectString);
      return s === 'now' ? now(ev.q) : timeOf(s, a.pos);
    },
  },
  { keys: ['date'], run: async (_ev, a) => dateOf(await arg(a, 'date', expectString), a.pos) },
  {
    keys: ['epoch', 'unit'],
    run: async (_ev, a) => {
      const n = await arg(a, 'epoch', expectInteger);
      return timeIn(n * (await arg(a, 'unit', expectUnit)).ns, a.pos);
    },
  },
  { keys: ['time_add', 'offset', 'unit'], run: (_ev, a) => shift(a, 'time_add') },
  { keys: ['time_subtract', 'offset', 'unit'], run: (_ev, a) => shift(a, 'time_subtract') },
  { keys: ['time_diff', 'other', 'unit'], run: (_ev, a) => diff(a) },
  fromTimestamp('to_micros', (ns) => floorDiv(ns, 1000n)),
  fromTimestamp('to_millis', (ns) => floorDiv(ns, 1_000_000n)),
  fromTimestamp('to_seconds', (ns) => floorDiv(ns, NS_PER_SECOND)),
  fromTimestamp('second', (ns) => secondOfDay(ns) % 60),
  fromTimestamp('minute', (ns) => Math.floor(secondOfDay(ns) / 60) % 60),
  fromTimestamp('hour', (ns) => Math.floor(secondOfDay(ns) / 3600)),
  fromTimestamp('day_of_month', (ns) => civil(ns).day),
  fromTimestamp('day_of_week', (ns) => civil(ns).dayOfWeek),
  fromTimestamp('day_of_year', (ns) => civil(ns).dayOfYear),
  fromTimestamp('month', (ns) => civil(ns).month),
  fromTimestamp('year', (ns) => civil(ns).year),
];

/** Registers the time and date forms (called by src/v4/forms/index.ts). */
export function wireTimeForms(): void {
  defineForms(TIME_FORMS);
}
