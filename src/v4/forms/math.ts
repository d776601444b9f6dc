// Numeric functions (core MathFunctions.scala, TrigFunctions.scala): Java long arithmetic
// (wrapping, truncating division) until a Double joins the fold, then Java double arithmetic.
import { formatDouble } from '../../fql/values/format';
import { javaDoubleToLong } from '../../fql/stdlib/number';
import { type Position, V4Error } from '../errors';
import { type FormArgs, type FormSpec, defineForms } from '../evaluator';
import type { V4Value } from '../values';
import { type Num, arg, boundsError, expectInteger, expectNumber, oneOrMore, optArg } from './args';

const long = (v: bigint): V4Value => ({ t: 'long', v: BigInt.asIntN(64, v) });
const double = (v: number): V4Value => ({ t: 'double', v });
const asDouble = (n: Num): number => Number(n.v);
/** Java's `String.valueOf` of the number, as core prints it in bounds errors. */
const javaString = (n: Num): string => (n.t === 'long' ? n.v.toString() : formatDouble(n.v));

// ------------------------------------------------------------------------------ folds

interface Fold {
  readonly longs: (a: bigint, b: bigint) => bigint;
  readonly doubles: (a: number, b: number) => number;
  /** Division and modulo refuse a zero divisor (of either type). */
  readonly divides?: boolean;
}

const bitwise = (op: (a: bigint, b: bigint) => bigint): Fold => ({
  longs: op,
  // (a.toLong op b.toLong).toDouble
  doubles: (a, b) => Number(BigInt.asIntN(64, op(javaDoubleToLong(a), javaDoubleToLong(b)))),
});

const FOLDS: Readonly<Record<string, Fold>> = {
  add: { longs: (a, b) => a + b, doubles: (a, b) => a + b },
  subtract: { longs: (a, b) => a - b, doubles: (a, b) => a - b },
  multiply: { longs: (a, b) => a * b, doubles: (a, b) => a * b },
  divide: { longs: (a, b) => a / b, doubles: (a, b) => a / b, divides: true },
  modulo: { longs: (a, b) => a % b, doubles: (a, b) => a % b, divides: true },
  bitand: bitwise((a, b) => a & b),
  bitor: bitwise((a, b) => a | b),
  bitxor: bitwise((a, b) => a ^ b),
};

/** Core `NumberFolds`: the seed's type holds until a Double turns the accumulator Double. */
function fold(f: Fold, nums: readonly Num[], pos: Position): V4Value {
  let acc: Num = nums[0];
  for (const n of nums.slice(1)) {
    if (f.divides && Number(n.v) === 0) throw new V4Error('invalid argument', 'Illegal division by zero.', pos);
    acc = acc.t === 'long' && n.t === 'long'
      ? long(f.longs(acc.v, n.v)) as Num
      : double(f.doubles(asDouble(acc), asDouble(n))) as Num;
  }
  return acc;
}

const foldForm = (key: string): FormSpec => ({
  keys: [key],
  run: async (_ev, a) => fold(FOLDS[key], oneOrMore(await a.value(key), a.at(key), expectNumber), a.pos),
});

// ---------------------------------------------------------------------------- unary

/** A function of one number; `long` handles Integer arguments where core keeps them Integer. */
function unary(key: string, onDouble: (d: number) => V4Value, onLong: (l: bigint) => V4Value = (l) => onDouble(Number(l))): FormSpec {
  return {
    keys: [key],
    run: async (_ev, a) => {
      const n = await arg(a, key, expectNumber);
      return n.t === 'long' ? onLong(n.v) : onDouble(n.v);
    },
  };
}

/** A Double function defined on part of the line; outside it, `<n> must be <predicate>`. */
function bounded(key: string, f: (d: number) => number, inDomain: (d: number) => boolean, predicate: string): FormSpec {
  return {
    keys: [key],
    run: async (_ev, a) => {
      const n = await arg(a, key, expectNumber);
      if (!inDomain(asDouble(n))) throw boundsError(javaString(n), predicate, a.pos);
      return double(f(asDouble(n)));
    },
  };
}

const toDouble = (f: (d: number) => number) => (d: number): V4Value => double(f(d));

// ------------------------------------------------------------------- round and trunc

const pow10 = (dp: bigint): number => 10 ** Number(dp);
/** Java's `(int) d`: saturating, NaN → 0. */
const javaInt = (d: number): number => (Number.isNaN(d) ? 0 : Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(d))));
const toLong = (d: number): number => Number(javaDoubleToLong(d));

/** Core RoundFunction.roundOff / TruncFunction.trunc on Integers: only negative precisions act. */
function roundLong(num: bigint, dp: bigint, half: number): bigint {
  if (dp > 0n) return num;
  const tmp = pow10(dp);
  return javaDoubleToLong(toLong(Number(num) * tmp + half) / tmp);
}

/** Core RoundFunction.roundOff(Double) / TruncFunction.truncDouble, step by step. */
function roundDouble(num: number, dp: bigint, half: boolean): number {
  if (dp > 0n) {
    const tmp = javaInt(pow10(dp));
    const wnum = toLong(num);
    const fract = toLong((num - wnum + (half ? 0.5 / tmp : 0)) * tmp);
    return wnum + fract / tmp;
  }
  const tmp = pow10(dp);
  const scaled = toLong(num * tmp + (half ? 0.5 : 0));
  return half ? toLong(scaled / tmp) : scaled / tmp;
}

function rounding(key: 'round' | 'trunc'): FormSpec {
  const half = key === 'round';
  return {
    keys: [key],
    optional: ['precision'],
    run: async (_ev, a) => {
      const n = await arg(a, key, expectNumber);
      const dp = await optArg(a, 'precision', expectInteger);
      if (n.t === 'long') return dp === undefined ? n : long(roundLong(n.v, dp, half ? 0.5 : 0));
      return double(roundDouble(n.v, dp ?? 2n, half));
    },
  };
}

async function pairOf(a: FormArgs, key: string, second: string): Promise<[number, number | undefined]> {
  const x = await arg(a, key, expectNumber);
  const y = await optArg(a, second, expectNumber);
  return [asDouble(x), y === undefined ? undefined : asDouble(y)];
}

const MATH_FORMS: readonly FormSpec[] = [
  ...['add', 'subtract', 'multiply', 'divide', 'modulo', 'bitand', 'bitor', 'bitxor'].map(foldForm),
  unary('abs', (d) => double(Math.abs(d)), (l) => long(l < 0n ? -l : l)),
  unary('bitnot', (d) => long(~javaDoubleToLong(d)), (l) => long(~l)),
  unary('ceil', (d) => double(Math.ceil(d)), (l) => long(l)),
  unary('floor', (d) => double(Math.floor(d)), (l) => long(l)),
  // Doubles: negative → -1, anything else (NaN included) → 1.
  unary('sign', (d) => long(d < 0 ? -1n : 1n), (l) => long(l === 0n ? 0n : l > 0n ? 1n : -1n)),
  bounded('sqrt', Math.sqrt, (d) => d >= 0, 'positive'),
  bounded('ln', Math.log, (d) => d > 0, 'greater than 0'),
  bounded('log', Math.log10, (d) => d > 0, 'greater than 0'),
  bounded('acos', Math.acos, (d) => d >= -1 && d <= 1, 'between -1 and 1 inclusive'),
  bounded('asin', Math.asin, (d) => d >= -1 && d <= 1, 'between -1 and 1 inclusive'),
  unary('atan', toDouble(Math.atan)),
  unary('cos', toDouble(Math.cos)),
  unary('cosh', toDouble(Math.cosh)),
  unary('sin', toDouble(Math.sin)),
  unary('sinh', toDouble(Math.sinh)),
  unary('tan', toDouble(Math.tan)),
  unary('tanh', toDouble(Math.tanh)),
  unary('exp', toDouble(Math.exp)),
  // java.lang.Math.toDegrees/toRadians multiply by a constant factor.
  unary('degrees', toDouble((d) => d * (180 / Math.PI))),
  unary('radians', toDouble((d) => d * (Math.PI / 180))),
  rounding('round'),
  rounding('trunc'),
  {
    keys: ['hypot'], optional: ['b'],
    run: async (_ev, a) => {
      const [x, y] = await pairOf(a, 'hypot', 'b');
      return double(Math.hypot(x, y ?? x));
    },
  },
  {
    keys: ['pow'], optional: ['exp'],
    run: async (_ev, a) => {
      const [x, e] = await pairOf(a, 'pow', 'exp');
      return double(x ** (e ?? 2));
    },
  },
];

/** Registers the numeric forms (called by src/v4/forms/index.ts). */
export function wireMathForms(): void {
  defineForms(MATH_FORMS);
}
