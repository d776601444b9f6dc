// `Time` values (ns since the epoch), the `Time` module and `TransactionTime()` (core Time.scala,
// TransactionTime.scala, fauna.lang.Timestamp). Instants follow java.time.Instant: arithmetic
// is exact, and results must stay within years -999999999..+999999999.
import { QueryError } from '../errors';
import { integer, int, str, txnTimeValue } from '../values/construct';
import { civilFromDays, daysFromCivil, formatTime, parseTime } from '../values/format';
import type { EvalContext } from '../eval/context';
import type { TimeV, Value } from '../values/value';
import { defineApply, defineFields, defineMethods, defineModule, type FieldImpl, type MethodDef } from './registry';
import { NUMBER, STRING, TIME, method, param, sig, type NumberV } from './native-args';
import { javaDoubleToLong } from './number';

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;

/** A time unit accepted by add/subtract/difference/epoch, as core's MidstUnit. */
export interface TimeUnit {
  readonly ns: bigint;
  /** Only whole days can be added to a Date (ChronoUnit.isDateBased). */
  readonly dateBased: boolean;
}

const UNITS: ReadonlyMap<string, TimeUnit> = new Map(
  ([
    ['day', NS_PER_DAY, true],
    ['half day', NS_PER_DAY / 2n, false],
    ['hour', 3600n * NS_PER_SECOND, false],
    ['minute', 60n * NS_PER_SECOND, false],
    ['second', NS_PER_SECOND, false],
    ['millisecond', 1_000_000n, false],
    ['microsecond', 1000n, false],
    ['nanosecond', 1n, false],
  ] as const).flatMap(([name, ns, dateBased]) => [
    [name, { ns, dateBased }],
    [name + 's', { ns, dateBased }],
  ]),
);

/** Java's String.trim: strips characters up to U+0020 at both ends. */
const javaTrim = (s: string): string => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

export function parseTimeUnit(unit: string): TimeUnit | undefined {
  return UNITS.get(javaTrim(unit));
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};

const epochNs = (days: number): bigint => BigInt(days) * NS_PER_DAY;
// java.time.Instant's range, and the narrower range Fauna allows Time values to reach.
const INSTANT_MIN = -31557014167219200n * NS_PER_SECOND;
const INSTANT_MAX = 31556889864403199n * NS_PER_SECOND + 999_999_999n;
const TIME_MIN = epochNs(daysFromCivil(-999999999, 1, 1));
const TIME_MAX = epochNs(daysFromCivil(999999999, 12, 31)) + NS_PER_DAY - 1n;

const time = (ns: bigint): TimeV => ({ t: 'time', ns });

export const timeMinOverflow = (): QueryError => new QueryError('invalid_time', 'Time exceeds the minimum value.');
export const timeMaxOverflow = (): QueryError => new QueryError('invalid_time', 'Time exceeds the maximum value.');
const invalidTimeUnit = (unit: string): QueryError =>
  new QueryError('invalid_unit', `\`${unit}\` is not a valid time unit.`);

/**
 * The signed offset in ns of `amount` units. A Double amount is split like core's
 * Timestamp.toSecondsNanos: whole units exactly, the fraction truncated to whole ns.
 * Undefined when the amount is not finite.
 */
function offsetNs(amount: NumberV, unit: TimeUnit): bigint | undefined {
  if (amount.t !== 'double') return BigInt(amount.v) * unit.ns;
  const a = amount.v;
  if (!Number.isFinite(a)) return undefined;
  if (unit.ns < NS_PER_SECOND) return decimalTimes(a, unit.ns);
  const mag = Math.abs(a);
  const whole = Math.floor(mag);
  const ns = BigInt(whole) * unit.ns + BigInt(Math.trunc(Number(unit.ns) * (mag - whole)));
  return a < 0 ? -ns : ns;
}

/**
 * Sub-second units take a Double amount by its shortest decimal form (Scala's BigDecimal(double)),
 * times the unit, truncated to whole ns: `add(9223372036854775807.0, 'nanoseconds')` moves
 * 9223372036854776000 ns (core FQL2TimeSpec "handle large units").
 */
function decimalTimes(a: number, unitNs: bigint): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(a));
  if (!m) return BigInt(Math.trunc(a * Number(unitNs)));
  const digits = BigInt(m[2] + (m[3] ?? ''));
  const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const scaled = digits * unitNs;
  const ns = exp >= 0 ? scaled * 10n ** BigInt(exp) : scaled / 10n ** BigInt(-exp);
  return m[1] === '-' ? -ns : ns;
}

/**
 * Time ± amount. Failures inside the JVM's arithmetic (non-finite amounts, leaving Instant's
 * range) report `overflow`; results inside Instant's range but beyond Fauna's report which
 * bound they crossed.
 */
function shift(t: TimeV, amount: NumberV, unitName: string, sign: 1n | -1n, overflow: () => QueryError): TimeV {
  const unit = parseTimeUnit(unitName);
  if (!unit) throw invalidTimeUnit(unitName);
  const offset = offsetNs(amount, unit);
  if (offset === undefined) throw overflow();
  const ns = t.ns + sign * offset;
  if (ns < INSTANT_MIN || ns > INSTANT_MAX) throw overflow();
  if (ns < TIME_MIN) throw timeMinOverflow();
  if (ns > TIME_MAX) throw timeMaxOverflow();
  return time(ns);
}

const splitSeconds = (ns: bigint): [bigint, bigint] => {
  const s = floorDiv(ns, NS_PER_SECOND);
  return [s, ns - s * NS_PER_SECOND];
};

/** java.time.Instant.until(end, unit): whole units from start to end, truncated toward zero. */
export function unitsBetween(start: bigint, end: bigint, unit: TimeUnit): bigint {
  const [s0, n0] = splitSeconds(start);
  const [s1, n1] = splitSeconds(end);
  let secs = s1 - s0;
  const nanos = n1 - n0;
  switch (unit.ns) {
    case 1n: return end - start;
    case 1000n: return secs * 1_000_000n + nanos / 1000n;
    case 1_000_000n: return secs * 1000n + nanos / 1_000_000n;
    default:
      if (secs > 0n && nanos < 0n) secs--;
      else if (secs < 0n && nanos > 0n) secs++;
      return secs / (unit.ns / NS_PER_SECOND);
  }
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A Long result; the JVM's exact arithmetic fails rather than wrap past the Long range. */
function exactLong(n: bigint): Value {
  if (n < LONG_MIN || n > LONG_MAX) throw new QueryError('invalid_argument', 'Time difference exceeds the range of a Long.');
  return integer(n);
}

interface Civil { year: number; month: number; day: number; dayOfWeek: number; dayOfYear: number }

/** Calendar fields of a day number (days since 1970-01-01, a Thursday). */
export function civilFields(days: number): Civil {
  const [year, month, day] = civilFromDays(days);
  return {
    year, month, day,
    dayOfWeek: (((days + 3) % 7) + 7) % 7 + 1,
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
  };
}

const timeDays = (t: TimeV): number => Number(floorDiv(t.ns, NS_PER_DAY));
const secondOfDay = (t: TimeV): number => Number(floorDiv(t.ns - floorDiv(t.ns, NS_PER_DAY) * NS_PER_DAY, NS_PER_SECOND));
const asTime = (v: Value): TimeV => v as TimeV;

const TIME_FIELDS: Record<string, FieldImpl> = {
  year: (_ctx, self) => int(civilFields(timeDays(asTime(self))).year),
  month: (_ctx, self) => int(civilFields(timeDays(asTime(self))).month),
  dayOfMonth: (_ctx, self) => int(civilFields(timeDays(asTime(self))).day),
  dayOfWeek: (_ctx, self) => int(civilFields(timeDays(asTime(self))).dayOfWeek),
  dayOfYear: (_ctx, self) => int(civilFields(timeDays(asTime(self))).dayOfYear),
  hour: (_ctx, self) => int(Math.floor(secondOfDay(asTime(self)) / 3600)),
  minute: (_ctx, self) => int(Math.floor(secondOfDay(asTime(self)) / 60) % 60),
  second: (_ctx, self) => int(secondOfDay(asTime(self)) % 60),
};

const AMOUNT = param('amount', NUMBER);
const UNIT = param('unit', STRING);

const TIME_METHODS: Record<string, MethodDef> = {
  add: method(sig([AMOUNT, UNIT], (_ctx, self, [amount, unit]) =>
    shift(asTime(self), amount, unit, 1n, timeMaxOverflow))),
  subtract: method(sig([AMOUNT, UNIT], (_ctx, self, [amount, unit]) =>
    shift(asTime(self), amount, unit, -1n, timeMinOverflow))),
  difference: method(sig([param('start', TIME), UNIT], (_ctx, self, [start, unitName]) => {
    const unit = parseTimeUnit(unitName);
    if (!unit) throw invalidTimeUnit(unitName);
    return exactLong(unitsBetween(start.ns, asTime(self).ns, unit));
  })),
  toMicros: method(sig([], (_ctx, self) => integer(floorDiv(asTime(self).ns, 1000n)))),
  toMillis: method(sig([], (_ctx, self) => integer(floorDiv(asTime(self).ns, 1_000_000n)))),
  toSeconds: method(sig([], (_ctx, self) => integer(floorDiv(asTime(self).ns, NS_PER_SECOND)))),
  toString: method(sig([], (_ctx, self) => str(formatTime(asTime(self).ns)))),
};

/** The query's transaction (snapshot) time: `txnTs` is in µs. */
export const transactionTime = (ctx: EvalContext): TimeV => time(ctx.model.txnTs * 1000n);

function fromString(s: string): TimeV {
  const ns = parseTime(s);
  if (ns === undefined) throw new QueryError('invalid_time', `\`${s}\` is not a valid time.`);
  return time(ns);
}

/**
 * Time.epoch: integer offsets are exact; a Double offset becomes a scala Duration, rounded to
 * whole ns, and a non-finite one yields Instant.MAX (core's `Timestamp + Duration.Inf`).
 */
function epoch(amount: NumberV, unitName: string): TimeV {
  const unit = parseTimeUnit(unitName);
  if (!unit) throw invalidTimeUnit(unitName);
  let ns: bigint;
  if (amount.t === 'double') {
    const nanos = Number(unit.ns) * amount.v;
    if (!Number.isFinite(nanos)) return time(INSTANT_MAX);
    ns = javaDoubleToLong(nanos + 0.5);
    if (Math.abs(nanos) >= 2 ** 63) throw nanos > 0 ? timeMaxOverflow() : timeMinOverflow();
  } else {
    ns = BigInt(amount.v) * unit.ns;
  }
  if (ns > INSTANT_MAX) throw timeMaxOverflow();
  if (ns < INSTANT_MIN) throw timeMinOverflow();
  return time(ns);
}

const FROM_STRING = method(sig([param('time', STRING)], (_ctx, _self, [s]) => fromString(s)));
const TIME_MODULE_METHODS: Record<string, MethodDef> = {
  fromString: FROM_STRING,
  now: method(sig([], (ctx) => transactionTime(ctx))),
  epoch: method(sig([param('offset', NUMBER), UNIT], (_ctx, _self, [offset, unit]) => epoch(offset, unit))),
};

/** Registers the members of times and the `Time` and `TransactionTime` modules (called by src/fql/stdlib/index.ts). */
export function wireTime(): void {
  defineFields('time', TIME_FIELDS);
  defineMethods('time', TIME_METHODS);
  defineModule('Time');
  defineModule('TransactionTime');
  defineApply('Time', FROM_STRING);
  defineMethods('module:Time', TIME_MODULE_METHODS);
  // core TransactionTimeCompanion: a value of its own (construct.ts txnTimeValue) that stands
  // for the commit time; `Time.now()` is a plain Time.
  defineApply('TransactionTime', method(sig([], (ctx) => txnTimeValue(transactionTime(ctx).ns))));
}
