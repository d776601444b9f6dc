// FQL v4 numeric functions through the `faunadb@4.8` driver. Expected values: faunadb-js
// test/query.test.js ("abs" … "tanh", "lt" … "gte"); semantics and error texts: core
// ext/model/src/main/scala/ast/functions/MathFunctions.scala, TrigFunctions.scala,
// ComparisonFunctions.scala, RenderError (BoundsError, DivideByZero, EmptyArrayArgument).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q } from 'faunadb';
import type { TestServer } from '../helpers/server';
import { v4FailsAt, useV4Server } from './v4-helpers';

describe('v4 math functions', () => {
  let server: TestServer;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  /** The raw JSON result, where the driver would hide 2.0 vs 2. */
  const rawResult = async (body: string) => {
    const r = await fetch(server.url, { method: 'POST', body, headers: { authorization: 'Bearer secret', 'x-faunadb-api-version': '4' } });
    return r.text();
  };

  useV4Server((s) => ({ server, root } = s));

  it('folds arithmetic left to right (faunadb-js "add" … "multiply")', async () => {
    await is([q.Abs(10), q.Abs(-10), q.Add(2, 3, 5), q.Subtract(2, 3, 5), q.Subtract(2), q.Multiply(2, 3, 5)], [10, 10, 10, -6, 2, 30]);
    await is([q.Divide(2), q.Divide(7, 2), q.Divide(-7, 2), q.Modulo(5, 2), q.Modulo(15, 10, 2), q.Modulo(2), q.Modulo(-7, 2)], [2, 3, -3, 1, 1, 2, -1]);
    await is([q.BitAnd(1, 0), q.BitAnd(7, 3), q.BitNot(0), q.BitNot(1), q.BitOr(0, 1, 0, 1), q.BitOr(1, 2, 4), q.BitXor(0, 1), q.BitXor(1, 2, 4)],
      [0, 3, -1, -2, 1, 7, 1, 7]);
    // An Integer fold stays Integer (wrapping like Java's long); a Double turns it Double.
    assert.equal(await rawResult('{"multiply":[4611686018427387904,2]}'), '{"resource":-9223372036854775808}');
    assert.equal(await rawResult('{"add":[1,2.5,1]}'), '{"resource":4.5}');
    assert.equal(await rawResult('{"multiply":[2,1.5]}'), '{"resource":3.0}');
    await v4FailsAt(root, q.Divide(1, 0), 'invalid argument', 'Illegal division by zero.', []);
    await v4FailsAt(root, q.Modulo(1, 0), 'invalid argument', 'Illegal division by zero.', []);
    await v4FailsAt(root, q.Add(1, 'x'), 'invalid argument', 'Number expected, String provided.', ['add', 1]);
    await v4FailsAt(root, q.Add([]), 'invalid argument', 'Non-empty array expected.', ['add']);
  });

  it('rounds, truncates and takes signs (faunadb-js "ceil", "floor", "round", "sign", "sqrt", "trunc")', async () => {
    await is([q.Ceil(1.2), q.Ceil(1.8), q.Floor(1.2), q.Floor(1.8)], [2, 2, 1, 1]);
    await is([q.Round(155.678, -1), q.Round(155.678, 0), q.Round(155.678, 1), q.Round(155.678, 2), q.Round(155.678), q.Round(155, -1)],
      [160, 156, 155.7, 155.68, 155.68, 160]);
    await is([q.Trunc(155.678, -1), q.Trunc(155.678, 0), q.Trunc(155.678, 1), q.Trunc(155.678, 2), q.Trunc(155.678)],
      [150, 155, 155.6, 155.67, 155.67]);
    await is([q.Sign(1.2), q.Sign(-1.8), q.Sign(0), q.Sign(-3)], [1, -1, 0, -1]);
    await is([q.Sqrt(16), q.Sqrt(4)], [4, 2]);
    assert.equal(await rawResult('{"round":155}'), '{"resource":155}');
    await v4FailsAt(root, q.Sqrt(-4), 'invalid argument', '-4 must be positive', []);
    await v4FailsAt(root, q.Sqrt(-2.5), 'invalid argument', '-2.5 must be positive', []);
    await v4FailsAt(root, q.Round('x'), 'invalid argument', 'Number expected, String provided.', ['round']);
    await v4FailsAt(root, q.Round(1.5, 1.5), 'invalid argument', 'Integer expected, Double provided.', ['precision']);
  });

  it('computes logarithms, powers and trigonometry (faunadb-js "acos" … "tanh")', async () => {
    await is([
      q.Trunc(q.Acos(0.5), 2), q.Trunc(q.Asin(0.5), 2), q.Trunc(q.Atan(0.5), 2), q.Cos(0), q.Trunc(q.Cosh(7.6), 1),
      q.Trunc(q.Degrees(6.29), 0), q.Trunc(q.Exp(5), 0), q.Hypot(q.Hypot(3, 4), 0), q.Trunc(q.Ln(1), 0), q.Trunc(q.Log(100), 0),
      q.Pow(3, 2), q.Pow(3), q.Trunc(q.Radians(360), 1), q.Trunc(q.Sin(0), 0), q.Trunc(q.Sinh(4), 0), q.Trunc(q.Tan(0), 0),
      q.Trunc(q.Tanh(100), 0), q.Hypot(3),
    ], [1.04, 0.52, 0.46, 1, 999, 360, 148, 5, 0, 2, 9, 9, 6.2, 0, 27, 0, 1, Math.hypot(3, 3)]);
    await v4FailsAt(root, q.Ln(0), 'invalid argument', '0 must be greater than 0', []);
    await v4FailsAt(root, q.Log(-1), 'invalid argument', '-1 must be greater than 0', []);
    await v4FailsAt(root, q.Acos(2), 'invalid argument', '2 must be between -1 and 1 inclusive', []);
    await v4FailsAt(root, q.Asin(-1.5), 'invalid argument', '-1.5 must be between -1 and 1 inclusive', []);
  });

  it('compares in index order (faunadb-js "lt" … "gte", "equals")', async () => {
    await is([q.LT(1, 2), q.LTE(1, 1), q.GT(2, 1), q.GTE(1, 1), q.LT(1, 2, 2), q.LT('a', 'b'), q.GT(1, 'a')], [true, true, true, true, false, true, false]);
    await is([q.Equals(1, 1, 1), q.Equals(1, 1, 2), q.Equals(1), q.Equals({ a: 10, b: 20 }, { a: 10, b: 20 })], [true, false, true, true]);
    // EqualsFunction compares an Integer and a Double by value.
    assert.equal(await rawResult('{"equals":[1,1.0]}'), '{"resource":true}');
    await v4FailsAt(root, q.LT([]), 'invalid argument', 'Non-empty array expected.', ['lt']);
  });
});
