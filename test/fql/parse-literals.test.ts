import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NumberLit, StringLit } from '../../src/fql/ast/nodes';
import { parseExpression, parseQuery } from '../../src/fql/parse/parse';
import { queryError, showExpr, showQuery } from './parse-helpers';

const num = (src: string): NumberLit => {
  const e = parseExpression(src);
  assert.equal(e.kind, 'number');
  return e as NumberLit;
};

describe('number literals', () => {
  it('classifies integers by size', () => {
    assert.deepEqual([num('0').numType, num('0').value], ['int', 0]);
    assert.equal(num('2147483647').numType, 'int');
    assert.equal(num('2147483648').numType, 'long');
    assert.equal(num('-2147483648').numType, 'int');
    const long = num('9223372036854775807');
    assert.equal(long.numType, 'long');
    assert.equal(long.big, 9223372036854775807n);
    assert.equal(num('-9223372036854775808').big, -9223372036854775808n);
  });

  it('reads underscores, hex, octal and binary', () => {
    assert.equal(num('1_000_000').value, 1000000);
    assert.equal(num('0x1F').value, 31);
    assert.equal(num('0xff_ff').value, 65535);
    assert.equal(num('0o17').value, 15);
    assert.equal(num('0b1010').value, 10);
    assert.equal(num('0x1F').raw, '0x1F');
  });

  it('reads doubles with fractions and exponents', () => {
    assert.deepEqual([num('1.5').numType, num('1.5').value], ['double', 1.5]);
    assert.equal(num('1e3').value, 1000);
    assert.equal(num('1E-2').value, 0.01);
    assert.equal(num('2.5e+2').value, 250);
    assert.equal(num('1_0.2_5').value, 10.25);
    assert.equal(num('1e3').numType, 'double');
  });

  it('folds a sign into the literal, even with blanks between', () => {
    const n = num('- 1');
    assert.deepEqual([n.value, n.raw, n.span], [-1, '- 1', { start: 0, end: 3 }]);
    assert.equal(num('+1.5').value, 1.5);
    assert.equal(showExpr('-2 ** 2'), '(** int:-2 int:2)');
    assert.equal(showExpr('-x ** 2'), '(** (- x) int:2)');
  });

  it('keeps `1.foo` a member access on 1', () => {
    assert.equal(showExpr('1.foo'), '(. int:1 foo)');
    assert.equal(showExpr('-1.abs()'), '(call (. int:-1 abs))');
  });

  it('rejects malformed numbers', () => {
    assert.deepEqual(queryError('1e'), ['Expected digit', 2, 3]);
    assert.deepEqual(queryError('0x'), ['Expected hex digit', 2, 3]);
  });
});

const str = (src: string): string => {
  const e = parseExpression(src);
  assert.equal(e.kind, 'string', JSON.stringify(e));
  return (e as StringLit).value;
};

describe('string literals', () => {
  it('reads single- and double-quoted strings with escapes', () => {
    assert.equal(str(`'abc'`), 'abc');
    assert.equal(str(`"abc"`), 'abc');
    assert.equal(str(`"a\\nb\\tc\\"d\\'e\\\\f\\#g"`), 'a\nb\tc"d\'e\\f#g');
    assert.equal(str(`'\\r\\v\\b\\f\\0\\\`'`), '\r\u000b\b\f\u0000`');
    assert.equal(str(`"\\u0041\\u{1F600}\\x41"`), 'A\u{1F600}A');
    assert.equal(str(`''`), '');
    assert.equal(str(`"it's"`), "it's");
    assert.equal(str(`'say "hi"'`), 'say "hi"');
  });

  it('interpolates only in double quotes', () => {
    assert.equal(str(`'#{x}'`), '#{x}');
    assert.equal(str(`"a # b"`), 'a # b');
    assert.equal(str(`"\\#{x}"`), '#{x}');
    assert.equal(showExpr(`"a#{x + 1}b#{y}"`), '(tpl "a" (+ x int:1) "b" y)');
    assert.equal(showExpr(`"#{ "inner #{z}" }"`), '(tpl (tpl "inner " z))');
    const t = parseExpression(`"foo#{123}bar"`);
    assert.deepEqual(t.span, { start: 0, end: 14 });
    assert.ok(t.kind === 'template' && typeof t.parts[1] !== 'string' && t.parts[1].span.start === 6);
  });

  it('allows line breaks inside strings', () => {
    assert.equal(str('"a\nb"'), 'a\nb');
  });

  it('reads heredocs, removing common indentation', () => {
    assert.equal(str('<<-END\n  a multiline\n  string\nEND'), 'a multiline\nstring\n');
    assert.equal(str('<<-END\n  a\n    b\n  END'), 'a\n  b\n');
    assert.equal(str('<<-END\nENDOR\nAPPEND\nEND'), 'ENDOR\nAPPEND\n');
    assert.equal(str('<<-END\na string #{str}\nEND'), 'a string #{str}\n');
    assert.equal(str('<<-END\nEND'), '');
    assert.equal(showExpr('<<+END\n  a #{x}\n  b\nEND'), '(tpl "a " x "\\nb\\n")');
    assert.equal(str('<<+END\nplain\nEND'), 'plain\n');
    const e = parseExpression('<<-END\na multiline\nstring\nEND');
    assert.deepEqual(e.span, { start: 0, end: 29 });
  });

  it('reports bad escapes and unterminated strings', () => {
    assert.deepEqual(queryError(`"\\q"`), ['Expected "u", "x", or escape code', 2, 3]);
    assert.deepEqual(queryError(`"\\u{110000}"`), ['Invalid escape', 1, 11]);
    assert.deepEqual(queryError(`"\\uD800"`), ['Invalid escape', 1, 7]);
    assert.deepEqual(queryError(`"abc`), ['Expected `"`', 4, 5]);
    assert.deepEqual(queryError(`'abc`), ["Expected `'`", 4, 5]);
  });
});

describe('other literals', () => {
  it('reads true, false, null, arrays and objects', () => {
    assert.equal(showQuery('[true, false, null, [], [1,]]'), '[true, false, null, [], [int:1]]');
    assert.equal(showQuery(`{ a: 1, 'b c': 2, "d": 3, if: 4 }`), '{a: int:1, b c: int:2, d: int:3, if: int:4}');
    assert.equal(showQuery('{}'), '{}');
    assert.equal(showQuery('{\n  a: 1,\n  b: 2,\n}'), '{a: int:1, b: int:2}');
  });

  it('numbers template placeholders in source order', () => {
    const src = 'f(\u0000value>, [\u0000value>])';
    assert.equal(showQuery(src), '(call f <value0> [<value1>])');
    const { body } = parseQuery(src);
    assert.ok(body.result?.kind === 'call');
    assert.deepEqual(body.result.args[0].span, { start: 2, end: 9 });
  });

  it('rejects a NUL that is not a placeholder', () => {
    assert.deepEqual(queryError('1 + \u0000x'), ['Expected expression', 4, 5]);
  });
});
