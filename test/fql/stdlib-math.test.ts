import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { double, int, long, str, arr, TRUE, FALSE } from '../../src/fql/values/construct';
import type { NumberV } from '../../src/fql/stdlib/native-args';
import {
  addNumbers, bitNot, compareNumbers, divideNumbers, modulusNumbers, multiplyNumbers, negateNumber,
  powNumbers, subtractNumbers,
} from '../../src/fql/stdlib/number';
import { call, field, mod, rejects } from './stdlib-support';

const M = mod('Math');

describe('Math constants', () => {
  it('PI, E, Infinity, NaN are Doubles', async () => {
    assert.deepEqual(await field(M, 'PI'), double(Math.PI));
    assert.deepEqual(await field(M, 'E'), double(Math.E));
    assert.deepEqual(await field(M, 'Infinity'), double(Infinity));
    assert.deepEqual(await field(M, 'NaN'), double(NaN));
  });
});

describe('Math keeps integer types where Fauna does', () => {
  it('abs', async () => {
    assert.deepEqual(await call(M, 'abs', int(-3)), int(3));
    assert.deepEqual(await call(M, 'abs', long(-5000000000n)), long(5000000000n));
    assert.deepEqual(await call(M, 'abs', double(-2.5)), double(2.5));
  });
  it('ceil / floor: integers unchanged, Doubles stay Doubles', async () => {
    assert.deepEqual(await call(M, 'ceil', int(3)), int(3));
    assert.deepEqual(await call(M, 'ceil', double(1.2)), double(2));
    assert.deepEqual(await call(M, 'floor', double(-1.2)), double(-2));
  });
  it('max / min return the original value', async () => {
    assert.deepEqual(await call(M, 'max', int(1), double(2.5)), double(2.5));
    assert.deepEqual(await call(M, 'min', int(1), long(7n)), int(1));
    assert.deepEqual(await call(M, 'max', double(NaN), int(1)), double(NaN));
  });
  it('round and trunc make Longs of integers', async () => {
    assert.deepEqual(await call(M, 'round', int(1234), int(-2)), long(1200n));
    assert.deepEqual(await call(M, 'round', int(1250), int(-2)), long(1300n));
    assert.deepEqual(await call(M, 'round', int(5), int(2)), long(5n));
    assert.deepEqual(await call(M, 'round', double(3.14159), int(2)), double(3.14));
    assert.deepEqual(await call(M, 'round', double(2.5), int(0)), double(3));
    assert.deepEqual(await call(M, 'round', double(1234.5), int(-2)), double(1200));
    assert.deepEqual(await call(M, 'trunc', double(3.789), int(1)), double(3.7));
    assert.deepEqual(await call(M, 'trunc', int(1299), int(-2)), long(1200n));
  });
  it('sign is an Int', async () => {
    assert.deepEqual(await call(M, 'sign', double(-3.5)), int(-1));
    assert.deepEqual(await call(M, 'sign', int(0)), int(0));
    assert.deepEqual(await call(M, 'sign', long(9n)), int(1));
  });
});

describe('Math in Double', () => {
  it('trigonometry, exp, logs, powers', async () => {
    assert.deepEqual(await call(M, 'cos', int(0)), double(1));
    assert.deepEqual(await call(M, 'degrees', double(Math.PI)), double(180));
    assert.deepEqual(await call(M, 'radians', int(180)), double(Math.PI));
    assert.deepEqual(await call(M, 'hypot', int(3), int(4)), double(5));
    assert.deepEqual(await call(M, 'pow', int(2), int(10)), double(1024));
    assert.deepEqual(await call(M, 'sqrt', int(16)), double(4));
    assert.deepEqual(await call(M, 'log10', int(1000)), double(3));
    assert.deepEqual(await call(M, 'exp', int(0)), double(1));
  });
  it('domain errors', async () => {
    await rejects(call(M, 'acos', int(2)), 'invalid_argument', 'invalid argument `x`: argument must lie in [-1, 1]');
    await rejects(call(M, 'log', int(0)), 'invalid_argument', 'invalid argument `x`: x must be positive');
    await rejects(call(M, 'sqrt', int(-1)), 'invalid_argument', 'invalid argument `x`: x must be nonnegative');
    await rejects(call(M, 'abs', str('1')), 'invalid_argument', 'expected value for `x` of type Number, received String');
  });
  it('sum and mean', async () => {
    assert.deepEqual(await call(M, 'sum', arr([int(1), int(2), double(0.5)])), double(3.5));
    assert.deepEqual(await call(M, 'sum', arr([int(2147483647), int(1)])), long(2147483648n));
    assert.deepEqual(await call(M, 'sum', arr([])), int(0));
    assert.deepEqual(await call(M, 'mean', arr([int(1), int(2)])), double(1.5));
    await rejects(call(M, 'sum', arr([int(1), str('x')])), 'invalid_argument',
      'invalid argument `numbers`: all array elements must be numbers');
    await rejects(call(M, 'mean', int(1)), 'invalid_argument',
      'expected arguments to `mean` of type (Array<Number>) | (Set<Number>), received (Int)');
  });
  it('sum over a set', async () => {
    const set = {
      t: 'set' as const,
      set: {
        label: '[1, 2, 3].toSet()',
        describe: () => undefined,
        async *iterate() { for (const v of [1, 2, 3]) yield { value: int(v), pos: v }; },
      },
    };
    assert.deepEqual(await call(M, 'sum', set), int(6));
    assert.deepEqual(await call(M, 'mean', set), double(2));
  });
});

describe('number arithmetic', () => {
  const n = (v: number | bigint): NumberV => (typeof v === 'bigint' ? long(v) : Number.isInteger(v) ? int(v) : double(v));
  it('integer results narrow to Int, overflow falls back to Double', () => {
    assert.deepEqual(addNumbers(long(5n), int(3)), int(8));
    assert.deepEqual(multiplyNumbers(int(65536), int(65536)), long(4294967296n));
    assert.deepEqual(addNumbers(long(2n ** 63n - 1n), int(1)), double(2 ** 63));
    assert.deepEqual(subtractNumbers(n(1), n(0.5)), double(0.5));
  });
  it('division truncates and rejects integer division by zero', async () => {
    assert.deepEqual(divideNumbers(int(-7), int(2)), int(-3));
    assert.deepEqual(modulusNumbers(int(-7), int(2)), int(-1));
    assert.deepEqual(divideNumbers(int(1), double(0)), double(Infinity));
    await rejects(async () => divideNumbers(int(1), int(0)), 'divide_by_zero', 'Attempted integer division by zero.');
  });
  it('powers, negation, bitwise, comparison', () => {
    assert.deepEqual(powNumbers(int(2), int(10)), int(1024));
    assert.deepEqual(powNumbers(int(2), int(62)), long(2n ** 62n));
    assert.deepEqual(powNumbers(int(2), int(64)), double(2 ** 64));
    assert.deepEqual(powNumbers(int(2), int(-1)), double(0.5));
    assert.deepEqual(negateNumber(long(3n)), long(-3n));
    assert.deepEqual(bitNot(int(0)), int(-1));
    assert.equal(compareNumbers(double(-0), int(0)), -1);
    assert.equal(compareNumbers(long(3n), double(2.5)), 1);
  });
  it('toString', async () => {
    assert.deepEqual(await call(int(42), 'toString'), str('42'));
    assert.deepEqual(await call(long(-9n), 'toString'), str('-9'));
    assert.deepEqual(await call(double(2), 'toString'), str('2'));
    assert.deepEqual(await call(double(1.5), 'toString'), str('1.5'));
    assert.deepEqual(await call(double(1e21), 'toString'), str('1000000000000000000000'));
    assert.deepEqual(await call(double(1.5e-7), 'toString'), str('1.5E-7'));
    assert.deepEqual(await call(double(NaN), 'toString'), str('NaN'));
    assert.deepEqual(await call(TRUE, 'toString'), str('true'));
    assert.deepEqual(await call(FALSE, 'toString'), str('false'));
  });
});
