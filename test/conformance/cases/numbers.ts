// Numbers: unary minus, bitwise operators (doubles truncate), modulo and power, the Math module
// (exact results, argument checks, approximations within core's tolerance) and number display
// (core FQL2NumberSpec.scala, FQL2MathSpec.scala, FQL2ToStringSpec.scala).
import type { ConformanceArea, ConformanceCase } from '../case';
import { D, I, L, from, uniqueNames } from '../stdlib-cases';

const num = from('FQL2NumberSpec.scala');
const math = from('FQL2MathSpec.scala');
const str = from('FQL2ToStringSpec.scala');
const more = from('FQL2MathSpec.scala (same functions on further inputs: java.lang.Math semantics)');
const widen = from('FQL2ArithmeticOperatorsSpec.scala + https://docs.fauna.com/fauna/current/reference/fql/types/ (Int, Long, Double)');

/** core's checkOkApprox: within 0.01 of the expected value. */
const approx = (q: string, expected: string): ConformanceCase =>
  ({ name: `${q} ≈ ${expected}`, query: `Math.abs((${q}) - ${expected}) < 0.01`, result: true, source: 'FQL2MathSpec.scala (checkOkApprox, tol 0.01)' });
const badArg = (q: string, reason: string) => math.err(q, 'invalid_argument', `invalid argument \`x\`: ${reason}`);
const int = from('FQL2IntSpec.scala (api)');
const enc = from('FQL2EncodedResultSpec.scala (api)');
/** core's api FQL2IntSpec: [query, result] per operator. */
const INT_CMP: readonly [string, boolean][] = [
  ['1 == 1', true], ['1 == 1.0', true], ['1 == 2', false], ['1 == 1.5', false], ["1 == 'hi'", false], ['1 == true', false],
  ['1 != 1', false], ['1 != 1.0', false], ['1 != 2', true], ['1 != 1.5', true], ["1 != 'hi'", true], ['1 != true', true],
  ['1 < 1', false], ['1 < 1.0', false], ['1 < 2', true], ['1 < 1.5', true], ["2 < 'hi'", false], ['2 < true', false],
  ['1 > 1', false], ['1 > 1.0', false], ['1 > 2', false], ['2 > 1', true], ['2 > 1.5', true], ["2 > 'hi'", false], ['2 > true', false],
  ['1 <= 1', true], ['1 <= 1.0', true], ['1 <= 2', true], ['2 <= 1', false], ['1 <= 1.5', true], ["1 <= 'hi'", false], ['1 <= true', false],
  ['1 >= 1', true], ['1 >= 1.0', true], ['1 >= 2', false], ['2 >= 1', true], ['2 >= 1.5', true], ["1 >= 'hi'", false], ['1 >= true', false],
];
const isa = (q: string, type: string, src = math) => src.ok(`(${q}) isa ${type}`, true);

export const area: ConformanceArea = {
  area: 'numbers',
  cases: uniqueNames([
    // unary minus
    num.tagged('-5', I(-5)), num.ok('-(5)', -5), num.ok('-(-5)', 5), num.ok('let a = 5; -a', -5), num.ok('--5', 5), num.ok('---5', -5),
    // bitwise
    num.tagged('(1 + 2 + 4) & (1 + 4)', I(5)), num.tagged('(1 + 2 + 4) | (1 + 4)', I(7)), num.tagged('(1 + 2 + 4) ^ (1 + 4)', I(2)), num.tagged('~(1 + 2 + 4)', I(-8)),
    num.ok('(1 + 2 + 4.1) & (1.2 + 4)', 5), num.ok('(1.4 + 2 + 4) | (1 + 4.2)', 7), num.ok('(1 + 2.5 + 4) ^ (1.1 + 4)', 2), num.ok('~(1.3 + 2 + 4.2)', -8),
    // modulo
    num.tagged('1 % 2', I(1)), num.ok('2 % 1', 0), num.ok('3 % 4', 3), num.ok('4 % 3', 1), num.ok('0.5 % 0.25', 0),
    num.err('1 % 0', 'divide_by_zero', 'Attempted integer division by zero.',
      { summary: 'error: Attempted integer division by zero.\nat *query*:1:5\n  |\n1 | 1 % 0\n  |     ^\n  |' }),
    num.tagged('1 % 0.0', D('NaN')), num.tagged('1.0 % 0', D('NaN')), num.tagged('1.0 % 0.0', D('NaN')),
    // power
    num.tagged('2 ** 2', I(4)), num.tagged('2 ** 1', I(2)), num.tagged('2 ** 0', I(1)), num.tagged('2 ** 2147483646', D('Infinity')),
    num.tagged('2 ** 3 ** 2', I(512)),
    // Math constants
    math.ok('Math.PI', Math.PI), math.ok('Math.E', Math.E), math.tagged('Math.Infinity', D('Infinity')), math.tagged('Math.NaN', D('NaN')),
    isa('Math.PI', 'Number'), isa('Math.E', 'Double'),
    // abs / sign
    math.tagged('Math.abs(-1)', I(1)), math.tagged('Math.abs(0)', I(0)), math.tagged('Math.abs(1)', I(1)),
    math.tagged('Math.abs(-1.0)', D('1.0')), math.tagged('Math.abs(0.0)', D('0.0')), math.tagged('Math.abs(1.0)', D('1.0')),
    math.ok('Math.abs(-2147483648)', -2147483648),
    math.ok('Math.sign(-101)', -1), math.ok('Math.sign(0)', 0), math.ok('Math.sign(2.98)', 1),
    // sqrt
    approx('Math.sqrt(0)', '0.0'), approx('Math.sqrt(2) * Math.sqrt(2)', '2.0'), badArg('Math.sqrt(-4)', 'x must be nonnegative'),
    // sum / mean
    math.ok('Math.sum([1, 2, 3, 4, 5])', 15), math.ok('Math.sum([1, 2, 3, 4, 5].toSet())', 15), approx('Math.mean([1, 2, 3, 4])', '2.5'),
    // ceil / floor / round / trunc
    math.ok('Math.ceil(12.345)', 13), math.ok('Math.floor(12.345)', 12),
    math.ok('Math.round(12.345, 0)', 12), math.ok('Math.round(12.345, 2)', 12.35), math.ok('Math.round(12.345, 5)', 12.345),
    math.ok('Math.round(12.345, -1)', 10), math.ok('Math.round(12.345, -3)', 0),
    math.ok('Math.trunc(12.345, 0)', 12), math.ok('Math.trunc(12.345, 2)', 12.34), math.ok('Math.trunc(12.345, 5)', 12.345),
    math.ok('Math.trunc(12.345, -1)', 10), math.ok('Math.trunc(12.345, -3)', 0),
    // min / max
    math.ok('Math.min(1.0, 2)', 1), math.ok('Math.max(1.0, 2)', 2),
    // trigonometry
    approx('Math.cos(0)', '1.0'), approx('Math.cos(Math.PI / 2)', '0.0'), approx('Math.cos(Math.PI)', '-1.0'),
    approx('Math.sin(0)', '0.0'), approx('Math.sin(Math.PI / 2)', '1.0'), approx('Math.sin(Math.PI)', '0.0'),
    approx('Math.tan(0)', '0.0'), approx('Math.tan(Math.PI / 4)', '1.0'), approx('Math.tan(Math.PI)', '0.0'),
    approx('Math.tan(Math.PI / 2)', '16331239353195370.0'),
    approx('Math.acos(0)', '1.5707963267948966'), approx('Math.acos(1)', '0.0'), approx('Math.acos(-1)', '3.141592653589793'),
    badArg('Math.acos(2)', 'argument must lie in [-1, 1]'),
    approx('Math.asin(0)', '0.0'), approx('Math.asin(1)', '1.5707963267948966'), approx('Math.asin(-1)', '-1.5707963267948966'),
    badArg('Math.asin(-2)', 'argument must lie in [-1, 1]'),
    approx('Math.atan(0)', '0.0'), approx('Math.atan(1)', '0.7853981633974483'), approx('Math.atan(-1)', '-0.7853981633974483'),
    approx('Math.degrees(Math.PI / 2)', '90.0'), approx('Math.radians(90)', '1.5707963267948966'), approx('Math.hypot(3, 4.0)', '5.0'),
    approx('Math.exp(0)', '1.0'), approx('Math.exp(1)', '2.718281828459045'), approx('Math.exp(-1)', '0.36787944117144233'),
    approx('Math.pow(1, 10)', '1.0'), approx('Math.pow(2, 5)', '32.0'), approx('Math.pow(-3, 3)', '-27.0'),
    approx('Math.log(1)', '0.0'), approx('Math.log(Math.E)', '1.0'), approx('Math.log(Math.exp(2))', '2.0'), approx('Math.pow(100, Math.log10(8))', '64.0'),
    badArg('Math.log(0)', 'x must be positive'), badArg('Math.log(-1)', 'x must be positive'),
    approx('Math.log10(1)', '0.0'), approx('Math.log10(10)', '1.0'),
    approx('Math.cosh(1)', '1.5430806348152437'), approx('Math.sinh(1)', '1.1752011936438014'), approx('Math.tanh(1)', '0.7615941559557649'),
    // results are Doubles where core's signatures say so
    ...['Math.cos(0)', 'Math.sqrt(4)', 'Math.mean([1, 2, 3, 4])', 'Math.pow(2, 5)', 'Math.exp(0)', 'Math.log10(10)', 'Math.hypot(3, 4.0)'].map((q) => isa(q, 'Double')),
    // display strings
    str.ok('1.toString()', '1'), str.ok('2.0.toString()', '2'), str.ok('2.5.toString()', '2.5'),
    str.ok('3000000000.toString()', '3000000000'), str.ok('(-7).toString()', '-7'),
    // further inputs
    more.ok('Math.abs(-5)', 5), more.ok('Math.ceil(7.004)', 8), more.ok('Math.floor(7.8)', 7), more.ok('Math.max(1, 2)', 2), more.ok('Math.min(1, 2)', 1),
    more.ok('Math.sum([1, 2, 3])', 6), more.ok('Math.mean([1, 2, 3])', 2), more.ok('Math.sign(-3)', -1),
    more.ok('Math.round(5.42, 1)', 5.4), more.ok('Math.trunc(5.42, 1)', 5.4), more.ok('Math.hypot(3, 4)', 5), more.ok('Math.pow(2, 3)', 8),
    more.ok('Math.sqrt(9)', 3), more.ok('Math.degrees(0)', 0), more.ok('Math.radians(0)', 0),
    // comparisons of Ints with other numbers and other types
    ...INT_CMP.map(([q, r]) => int.ok(q, r)),
    // literals as encoded in results
    enc.tagged('1', I(1)), enc.ok('9223372036854775807', 9223372036854775807), enc.tagged('9223372036854775808', D('9.223372036854776E18')),
    enc.ok('9223372036854775808', 9.223372036854776e18), enc.tagged('1.0', D('1.0')),
    enc.ok('Math.abs', '[function abs()]'), enc.ok('x => x', '[function <lambda>]'), enc.ok('Math', 'Math'),
    // widening (Int → Long → Double) at the edges
    widen.tagged('2147483647 + 1', L(2147483648)), widen.tagged('-2147483648 - 1', L(-2147483649)), widen.tagged('2147483647', I(2147483647)),
    widen.tagged('2147483648', L(2147483648)), widen.tagged('9223372036854775807', L('9223372036854775807')),
    widen.tagged('1.5', D('1.5')), widen.tagged('1.0', D('1.0')), widen.tagged('1e3', D('1000.0')),
  ]),
};
