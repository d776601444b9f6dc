// The `Math` module (core Math.scala). Most functions compute in Double; abs, ceil, floor, max
// and min keep integer types; round and trunc turn Ints into Longs, as Fauna does.
import { double, int, long } from '../values/construct';
import type { EvalContext } from '../eval/context';
import type { SetV, Value } from '../values/value';
import { defineFields, defineMethods, defineModule, type FieldImpl, type MethodDef } from './registry';
import {
  ARRAY_OF_NUMBER, INT, NUMBER, SET_OF_NUMBER, invalidArgument, method, overloaded, param, sig,
  type NumberV, type Signature,
} from './native-args';
import { materialize } from '../eval/sets/combinators';
import { MAX_ARRAY_SIZE } from '../limits';
import { addNumbers, compareNumbers, divideNumbers, javaDoubleToLong, toDouble } from './number';

const MATH_MODULE_FIELDS: Record<string, FieldImpl> = {
  NaN: () => double(NaN),
  Infinity: () => double(Infinity),
  E: () => double(Math.E),
  PI: () => double(Math.PI),
};

const X = param('x', NUMBER);
// java.lang.Math's conversion factors, so results match the JVM bit for bit.
const RADIANS_TO_DEGREES = 57.29577951308232;
const DEGREES_TO_RADIANS = 0.017453292519943295;

/** A function of one number computed in Double. */
function unary(f: (x: number) => number): Signature {
  return sig([X], (_ctx, _self, [x]) => double(f(toDouble(x))));
}

function inUnitRange(f: (x: number) => number): Signature {
  return sig([X], (_ctx, _self, [x]) => {
    const v = toDouble(x);
    if (v < -1 || v > 1) throw invalidArgument('x', 'argument must lie in [-1, 1]');
    return double(f(v));
  });
}

function positiveLog(f: (x: number) => number): Signature {
  return sig([X], (_ctx, _self, [x]) => {
    if (compareNumbers(x, int(0)) <= 0) throw invalidArgument('x', 'x must be positive');
    return double(f(toDouble(x)));
  });
}

/** Integers are already whole: only Doubles are rounded. */
function wholeOrDouble(f: (x: number) => number): Signature {
  return sig([X], (_ctx, _self, [x]) => (x.t === 'double' ? double(f(x.v)) : x));
}

const notAllNumbers = () => invalidArgument('numbers', 'all array elements must be numbers');

function sumOf(items: readonly Value[]): NumberV {
  let acc: NumberV = int(0);
  for (const n of items) {
    if (n.t !== 'int' && n.t !== 'long' && n.t !== 'double') throw notAllNumbers();
    acc = addNumbers(acc, n);
  }
  return acc;
}

/** Sets are read eagerly: sum and mean consume the whole set (at most MAX_ARRAY_SIZE elements). */
function setItems(ctx: EvalContext, set: SetV): Promise<Value[]> {
  return materialize(ctx, set.set, MAX_ARRAY_SIZE);
}

const meanOf = (items: readonly Value[]): Value => divideNumbers(sumOf(items), double(items.length));

const NUMBERS_ARRAY = param('numbers', ARRAY_OF_NUMBER);
const NUMBERS_SET = param('numbers', SET_OF_NUMBER);
const PRECISION = param('precision', INT);

const tenTo = (p: number): number => Math.pow(10, p);
/** Java's `(int) d` for a positive power of ten: saturates at Int.MaxValue. */
const javaIntPowerOfTen = (p: number): number => Math.min(tenTo(p), 2147483647);

/** core RoundFunction.roundOff for integers: half-up rounding to a power of ten. */
function roundLong(n: bigint, p: number): bigint {
  if (p > 0) return n;
  const tmp = tenTo(p);
  return javaDoubleToLong(Number(javaDoubleToLong(Number(n) * tmp + 0.5)) / tmp);
}

/** core RoundFunction.roundOff for doubles (splits off the whole part to avoid overflow). */
function roundDouble(n: number, p: number): number {
  if (p > 0) {
    const tmp = javaIntPowerOfTen(p);
    const whole = javaDoubleToLong(n);
    const fract = javaDoubleToLong((n - Number(whole) + 0.5 / tmp) * tmp);
    return Number(whole) + Number(fract) / tmp;
  }
  const tmp = tenTo(p);
  return Number(javaDoubleToLong(Number(javaDoubleToLong(n * tmp + 0.5)) / tmp));
}

/** core TruncFunction.trunc for integers. */
function truncLong(n: bigint, p: number): bigint {
  if (p > 0) return n;
  const tmp = tenTo(p);
  return javaDoubleToLong(Number(javaDoubleToLong(Number(n) * tmp)) / tmp);
}

/** core TruncFunction.truncDouble. */
function truncDouble(n: number, p: number): number {
  if (p > 0) {
    const tmp = javaIntPowerOfTen(p);
    const whole = javaDoubleToLong(n);
    const fract = javaDoubleToLong((n - Number(whole)) * tmp);
    return Number(whole) + Number(fract) / tmp;
  }
  const tmp = tenTo(p);
  return Number(javaDoubleToLong(n * tmp)) / tmp;
}

const MATH_MODULE_METHODS: Record<string, MethodDef> = {
  abs: method(sig([X], (_ctx, _self, [x]) => {
    switch (x.t) {
      case 'int': return int(Math.abs(x.v));
      case 'long': return long(x.v < 0n ? -x.v : x.v);
      case 'double': return double(Math.abs(x.v));
    }
  })),
  acos: method(inUnitRange(Math.acos)),
  asin: method(inUnitRange(Math.asin)),
  atan: method(unary(Math.atan)),
  ceil: method(wholeOrDouble(Math.ceil)),
  cos: method(unary(Math.cos)),
  cosh: method(unary(Math.cosh)),
  degrees: method(unary((x) => x * RADIANS_TO_DEGREES)),
  exp: method(unary(Math.exp)),
  floor: method(wholeOrDouble(Math.floor)),
  hypot: method(sig([X, param('y', NUMBER)], (_ctx, _self, [x, y]) =>
    double(Math.hypot(toDouble(x), toDouble(y))))),
  log: method(positiveLog(Math.log)),
  log10: method(positiveLog(Math.log10)),
  max: method(sig([X, param('y', NUMBER)], (_ctx, _self, [x, y]) => (compareNumbers(x, y) < 0 ? y : x))),
  mean: overloaded('mean',
    sig([NUMBERS_ARRAY], (_ctx, _self, [a]) => meanOf(a.v)),
    sig([NUMBERS_SET], async (ctx, _self, [s]) => meanOf(await setItems(ctx, s)))),
  min: method(sig([X, param('y', NUMBER)], (_ctx, _self, [x, y]) => (compareNumbers(x, y) <= 0 ? x : y))),
  pow: method(sig([X, param('power', NUMBER)], (_ctx, _self, [x, y]) =>
    double(Math.pow(toDouble(x), toDouble(y))))),
  radians: method(unary((x) => x * DEGREES_TO_RADIANS)),
  round: method(sig([X, PRECISION], (_ctx, _self, [x, p]) =>
    x.t === 'double' ? double(roundDouble(x.v, p)) : long(roundLong(BigInt(x.v), p)))),
  sign: method(sig([X], (_ctx, _self, [x]) => int(compareNumbers(x, int(0))))),
  sin: method(unary(Math.sin)),
  sinh: method(unary(Math.sinh)),
  sqrt: method(sig([X], (_ctx, _self, [x]) => {
    if (compareNumbers(x, int(0)) < 0) throw invalidArgument('x', 'x must be nonnegative');
    return double(Math.sqrt(toDouble(x)));
  })),
  sum: overloaded('sum',
    sig([NUMBERS_ARRAY], (_ctx, _self, [a]) => sumOf(a.v)),
    sig([NUMBERS_SET], async (ctx, _self, [s]) => sumOf(await setItems(ctx, s)))),
  tan: method(unary(Math.tan)),
  tanh: method(unary(Math.tanh)),
  trunc: method(sig([X, PRECISION], (_ctx, _self, [x, p]) =>
    x.t === 'double' ? double(truncDouble(x.v, p)) : long(truncLong(BigInt(x.v), p)))),
};

/** Registers the `Math` module (called by src/fql/stdlib/index.ts). */
export function wireMath(): void {
  defineModule('Math');
  defineFields('module:Math', MATH_MODULE_FIELDS);
  defineMethods('module:Math', MATH_MODULE_METHODS);
}
