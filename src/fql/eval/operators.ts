// Arithmetic, bitwise and unary operators over FQL values, with Fauna's numeric widening:
// integer results that leave 32 bits become Long, integer results that leave 64 bits fall
// back to Double, and any Double operand makes the result a Double.
import type { BinaryOp, UnaryOp } from '../ast/nodes';
import { FALSE, TRUE, double, int, integer, long, str, LONG_MAX, LONG_MIN, INT_MAX, INT_MIN } from '../values/construct';
import type { DoubleV, IntV, LongV, Value } from '../values/value';
import { divideByZero, functionDoesNotExist, invalidArgType } from './failures';
import type { EvalContext } from './context';
import { displayString } from './display';
import { checkStringSize } from '../limits';
import { withNullHint } from './nulls';

type Num = IntV | LongV | DoubleV;
const isNum = (v: Value): v is Num => v.t === 'int' || v.t === 'long' || v.t === 'double';

/** An exact integer result: Int, Long, or (beyond 64 bits) the nearest Double. */
function fromBig(n: bigint): Num {
  if (n >= LONG_MIN && n <= LONG_MAX) return integer(n);
  return double(Number(n));
}

/** A safe JS integer result (from two Ints): Int or Long. */
function fromSafe(n: number): Num {
  return n >= INT_MIN && n <= INT_MAX ? int(n) : long(BigInt(n));
}

const big = (v: IntV | LongV): bigint => (v.t === 'int' ? BigInt(v.v) : v.v);
const toNumber = (v: Num): number => (v.t === 'long' ? Number(v.v) : v.v);
/** Bitwise operators work on the 64-bit integer value (doubles are truncated). */
const toLong = (v: Num): bigint => (v.t === 'double' ? BigInt.asIntN(64, BigInt(Math.trunc(Number.isFinite(v.v) ? v.v : 0))) : big(v));

function intOp(op: '+' | '-' | '*', a: IntV | LongV, b: IntV | LongV): Num {
  if (a.t === 'int' && b.t === 'int') {
    const r = op === '+' ? a.v + b.v : op === '-' ? a.v - b.v : a.v * b.v;
    if (Number.isSafeInteger(r)) return fromSafe(r);
  }
  const x = big(a), y = big(b);
  return fromBig(op === '+' ? x + y : op === '-' ? x - y : x * y);
}

function divide(a: Num, b: Num, rem: boolean): Num {
  if (a.t === 'double' || b.t === 'double') {
    const x = toNumber(a), y = toNumber(b);
    return double(rem ? x % y : x / y);
  }
  const x = big(a), y = big(b);
  if (y === 0n) throw divideByZero();
  // Java integer division wraps Long.MIN_VALUE / -1; BigInt.asIntN reproduces that.
  return integer(BigInt.asIntN(64, rem ? x % y : x / y));
}

function power(a: Num, b: Num): Num {
  if (a.t === 'double' || b.t === 'double') return double(Math.pow(toNumber(a), toNumber(b)));
  const x = big(a), y = big(b);
  if (y === 0n || x === 1n) return int(1);
  if (x === -1n) return int(y % 2n === 0n ? 1 : -1);
  if (x === 0n && y > 0n) return int(0);
  // Exact powers only while the result can fit in 64 bits; bigger ones are Doubles anyway.
  const bits = x < 0n ? (-x).toString(2).length : x.toString(2).length;
  if (y > 0n && y <= 64n && BigInt(bits - 1) * y < 64n) return fromBig(x ** y);
  return double(Math.pow(Number(x), Number(y)));
}

/** `"a" + x`: core concatenates the display string of any value (`"n" + 1` is `"n1"`). */
export async function concatDisplay(ctx: EvalContext, a: Value & { t: 'string' }, b: Value): Promise<Value> {
  const tail = b.t === 'string' ? b.v : await displayString(ctx, b);
  // core StringPrototype `+`: the size is checked before the string is built.
  checkStringSize(a.v.length + tail.length);
  return str(a.v + tail);
}

/** Non-short-circuit binary operators except comparisons, `==`/`!=` and `??`. */
export function arithmetic(op: Exclude<BinaryOp, '==' | '!=' | '<' | '<=' | '>' | '>=' | '??'>, a: Value, b: Value): Value {
  if (!isNum(a)) throw withNullHint(functionDoesNotExist(op, a), a);
  if (!isNum(b)) throw invalidArgType(op === '**' ? 'exponent' : 'other', 'Number', b);
  switch (op) {
    case '+': case '-': case '*':
      if (a.t === 'double' || b.t === 'double') {
        const x = toNumber(a), y = toNumber(b);
        return double(op === '+' ? x + y : op === '-' ? x - y : x * y);
      }
      return intOp(op, a, b);
    case '/': return divide(a, b, false);
    case '%': return divide(a, b, true);
    case '**': return power(a, b);
    case '&': return integer(toLong(a) & toLong(b));
    case '|': return integer(toLong(a) | toLong(b));
    case '^': return integer(toLong(a) ^ toLong(b));
  }
}

export function unary(op: UnaryOp, v: Value): Value {
  if (op === '!') {
    if (v.t !== 'boolean') throw withNullHint(functionDoesNotExist('!', v), v);
    return v.v ? FALSE : TRUE;
  }
  if (!isNum(v)) throw withNullHint(functionDoesNotExist(op, v), v);
  if (op === '-') {
    // Java negation wraps at the type's minimum value.
    if (v.t === 'int') return int(-v.v);
    if (v.t === 'long') return long(-v.v);
    return double(-v.v);
  }
  return integer(~toLong(v));
}
