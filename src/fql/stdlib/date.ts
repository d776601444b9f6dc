// `Date` values (days since 1970-01-01) and the `Date` module (core Date.scala, which follows
// java.time.LocalDate: years -999999999..+999999999, only whole days can be added).
import { QueryError } from '../errors';
import { int, long, str } from '../values/construct';
import { daysFromCivil, formatDate, parseDate } from '../values/format';
import type { DateV, Value } from '../values/value';
import { defineApply, defineFields, defineMethods, defineModule, type FieldImpl, type MethodDef } from './registry';
import { DATE, NUMBER, STRING, method, param, sig, type NumberV } from './native-args';
import { civilFields, parseTimeUnit, transactionTime } from './time';
import { javaDoubleToLong } from './number';

const MIN_DAY = daysFromCivil(-999999999, 1, 1);
const MAX_DAY = daysFromCivil(999999999, 12, 31);
const NS_PER_DAY = 86_400_000_000_000n;

const date = (days: number): DateV => ({ t: 'date', days });
const asDate = (v: Value): DateV => v as DateV;

/** Java's Math.round(double): floor(x + 0.5), saturating, NaN → 0. */
const javaRound = (x: number): bigint => (Number.isNaN(x) ? 0n : javaDoubleToLong(Math.floor(x + 0.5)));

function shift(d: DateV, amount: NumberV, unitName: string, sign: 1n | -1n): DateV {
  const unit = parseTimeUnit(unitName);
  if (!unit?.dateBased) throw new QueryError('invalid_unit', `\`${unitName}\` is not a valid date unit.`);
  const n = amount.t === 'double' ? javaRound(amount.v) : BigInt(amount.v);
  const days = BigInt(d.days) + sign * n;
  if (days < BigInt(MIN_DAY)) throw new QueryError('invalid_date', 'Date exceeds the minimum value.');
  if (days > BigInt(MAX_DAY)) throw new QueryError('invalid_date', 'Date exceeds the maximum value.');
  return date(Number(days));
}

const DATE_FIELDS: Record<string, FieldImpl> = {
  year: (_ctx, self) => int(civilFields(asDate(self).days).year),
  month: (_ctx, self) => int(civilFields(asDate(self).days).month),
  dayOfMonth: (_ctx, self) => int(civilFields(asDate(self).days).day),
  dayOfWeek: (_ctx, self) => int(civilFields(asDate(self).days).dayOfWeek),
  dayOfYear: (_ctx, self) => int(civilFields(asDate(self).days).dayOfYear),
};

const AMOUNT = param('amount', NUMBER);
const UNIT = param('unit', STRING);

const DATE_METHODS: Record<string, MethodDef> = {
  add: method(sig([AMOUNT, UNIT], (_ctx, self, [amount, unit]) => shift(asDate(self), amount, unit, 1n))),
  subtract: method(sig([AMOUNT, UNIT], (_ctx, self, [amount, unit]) => shift(asDate(self), amount, unit, -1n))),
  // Days from `start` to this date; always a Long, as in core.
  difference: method(sig([param('start', DATE)], (_ctx, self, [start]) =>
    long(BigInt(asDate(self).days - start.days)))),
  toString: method(sig([], (_ctx, self) => str(formatDate(asDate(self).days)))),
};

function fromString(s: string): DateV {
  const days = parseDate(s);
  if (days === undefined) throw new QueryError('invalid_date', `\`${s}\` is not a valid date.`);
  return date(days);
}

const FROM_STRING = method(sig([param('date', STRING)], (_ctx, _self, [s]) => fromString(s)));
const DATE_MODULE_METHODS: Record<string, MethodDef> = {
  fromString: FROM_STRING,
  // The UTC calendar day of the transaction time.
  today: method(sig([], (ctx) => {
    const ns = transactionTime(ctx).ns;
    const days = ns / NS_PER_DAY - (ns % NS_PER_DAY < 0n ? 1n : 0n);
    return date(Number(days));
  })),
};

/** Registers the members of dates and the `Date` module (called by src/fql/stdlib/index.ts). */
export function wireDate(): void {
  defineFields('date', DATE_FIELDS);
  defineMethods('date', DATE_METHODS);
  defineModule('Date');
  defineApply('Date', FROM_STRING);
  defineMethods('module:Date', DATE_MODULE_METHODS);
}
