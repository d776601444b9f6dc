// Int, Long and Double: the shared `number` methods and Fauna's numeric arithmetic (core
// Numbers.scala). Integer math is done in 64 bits; a result that overflows a Long falls back to
// Double arithmetic, and integer results are narrowed to Int whenever they fit.
import { QueryError } from '../errors';
import { double, int, integer, long, str } from '../values/construct';
import { displayScalar } from '../values/format';
import { defineMethods, defineModule, type MethodDef } from './registry';
import { method, sig, type NumberV } from './native-args';
import { compareNumbers } from '../values/compare';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const TWO_63 = 2 ** 63;

/** Java's `(long) d`: truncation toward zero, saturating at the Long range, NaN → 0. */
export function javaDoubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= TWO_63) return LONG_MAX;
  if (d <= -TWO_63) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

export function toDouble(n: NumberV): number {
  return n.t === 'long' ? Number(n.v) : n.v;
}

const asBig = (n: NumberV): bigint | undefined =>
  n.t === 'int' ? BigInt(n.v) : n.t === 'long' ? n.v : undefined;

export { compareNumbers };

function exactOrDouble(r: bigint, fallback: () => number): NumberV {
  return r >= LONG_MIN && r <= LONG_MAX ? integer(r) : double(fallback());
}

export function addNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x !== undefined && y !== undefined) return exactOrDouble(x + y, () => Number(x) + Number(y));
  return double(toDouble(a) + toDouble(b));
}

export function subtractNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x !== undefined && y !== undefined) return exactOrDouble(x - y, () => Number(x) - Number(y));
  return double(toDouble(a) - toDouble(b));
}

export function multiplyNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x !== undefined && y !== undefined) return exactOrDouble(x * y, () => Number(x) * Number(y));
  return double(toDouble(a) * toDouble(b));
}

const divideByZero = (): QueryError =>
  new QueryError('divide_by_zero', 'Attempted integer division by zero.');

/** Integer division truncates toward zero (Long.MinValue / -1 wraps, as on the JVM). */
export function divideNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x !== undefined && y !== undefined) {
    if (y === 0n) throw divideByZero();
    return integer(BigInt.asIntN(64, x / y));
  }
  return double(toDouble(a) / toDouble(b));
}

export function modulusNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x !== undefined && y !== undefined) {
    if (y === 0n) throw divideByZero();
    return integer(x % y);
  }
  return double(toDouble(a) % toDouble(b));
}

/** Integer powers stay exact while they fit a Long; larger ones become Doubles. */
export function powNumbers(a: NumberV, b: NumberV): NumberV {
  const x = asBig(a), y = asBig(b);
  if (x === undefined || y === undefined) return double(Math.pow(toDouble(a), toDouble(b)));
  if (y === 0n || x === 1n) return int(1);
  if (x === -1n) return int(y % 2n === 0n ? 1 : -1);
  if (x === 0n && y > 0n) return int(0);
  if (y > 0n && y <= 2147483646n) {
    // Beyond ~1100 bits the exact power is only needed as ±Infinity; skip computing it.
    const bits = Math.log2(Math.abs(Number(x))) * Number(y);
    if (bits > 1100) return double(x < 0n && y % 2n === 1n ? -Infinity : Infinity);
    const r = x ** y;
    return r >= LONG_MIN && r <= LONG_MAX ? integer(r) : double(Number(r));
  }
  return double(Math.pow(Number(x), Number(y)));
}

export function negateNumber(a: NumberV): NumberV {
  switch (a.t) {
    case 'int': return int(-a.v);
    case 'long': return long(-a.v);
    case 'double': return double(-a.v);
  }
}

const asLong = (n: NumberV): bigint => (n.t === 'double' ? javaDoubleToLong(n.v) : BigInt(n.v));

export const bitAnd = (a: NumberV, b: NumberV): NumberV => integer(asLong(a) & asLong(b));
export const bitOr = (a: NumberV, b: NumberV): NumberV => integer(asLong(a) | asLong(b));
export const bitXor = (a: NumberV, b: NumberV): NumberV => integer(asLong(a) ^ asLong(b));
export const bitNot = (a: NumberV): NumberV => integer(~asLong(a));

const NUMBER_METHODS: Record<string, MethodDef> = {
  toString: method(sig([], (_ctx, self) => str(displayScalar(self) ?? ''))),
};

/** Registers the number modules and the members of numbers (called by src/fql/stdlib/index.ts). */
export function wireNumber(): void {
  for (const name of ['Number', 'Int', 'Long', 'Double', 'Float']) defineModule(name);
  defineMethods('number', NUMBER_METHODS);
}
