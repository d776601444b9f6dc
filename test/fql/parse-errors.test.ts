import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery } from '../../src/fql/parse/parse';
import { queryError, queryErrors } from './parse-helpers';

describe('parse errors', () => {
  it('reports an empty query or block', () => {
    const endOfQuery = 'Unexpected end of query. Expected statement or expression';
    assert.deepEqual(queryError(''), [endOfQuery, 0, 1]);
    assert.deepEqual(queryError('   '), [endOfQuery, 3, 4]);
    assert.deepEqual(queryError('}'), [endOfQuery, 0, 1]);
    assert.deepEqual(queryError('// only a comment\n'), [endOfQuery, 18, 19]);
    assert.deepEqual(queryError('{ ; }'), ['Unexpected end of block. Expected statement or expression', 4, 5]);
  });

  it('requires a block to end with an expression', () => {
    const check = (src: string, at: number, stmt: [number, number]): void => {
      const [d] = queryErrors(src);
      assert.equal(d.message, 'Missing return expression');
      assert.deepEqual(d.span, { start: at, end: at + 1 });
      assert.deepEqual(d.hints, [{ message: 'Statement does not return a value', span: { start: stmt[0], end: stmt[1] }, label: 'cause' }]);
    };
    check('{ x; let y = "foo" }', 19, [5, 18]);
    check('{ x; let y = "foo"\n}', 19, [5, 18]);
    check("{\n  x\n  let x = 'foo' \n}", 23, [8, 21]);
    check('let x = 1', 9, [0, 9]);
  });

  it('rejects keywords as identifiers but not as fields', () => {
    assert.deepEqual(queryError('let true = 3'), ['Invalid identifier', 4, 8]);
    assert.deepEqual(queryError('let FQL = 3'), ['Invalid identifier', 4, 7]);
    assert.deepEqual(queryError('let _ = 3\n1'), ['Invalid identifier', 4, 5]);
    assert.equal(queryErrors('let let = 3')[0].annotation, '`let` is a keyword');
    assert.deepEqual(queryError('1 + else'), ['Invalid identifier', 4, 8]);
    assert.ok(queryErrors('let.log').length > 0);
    assert.doesNotThrow(() => parseQuery('true.log'));
    assert.doesNotThrow(() => parseQuery('FQL.log'));
    assert.doesNotThrow(() => parseQuery('x.if.let'));
  });

  it('names what was expected', () => {
    assert.deepEqual(queryError('f(1'), ['Expected `)` or `,`', 3, 4]);
    assert.deepEqual(queryError('f('), ['Expected `)` or expression', 2, 3]);
    assert.deepEqual(queryError('[1 2]'), ['Expected `,` or `]`', 3, 4]);
    assert.deepEqual(queryError('{ a: 1 b: 2 }'), ['Expected `,` or `}`', 7, 8]);
    assert.deepEqual(queryError('1 2'), ['Expected end-of-input', 2, 3]);
    assert.deepEqual(queryError('x.'), ['Expected identifier', 2, 3]);
    assert.deepEqual(queryError('1 +'), ['Expected expression', 3, 4]);
    assert.deepEqual(queryError('if (x'), ['Expected `)`', 5, 6]);
    assert.deepEqual(queryError('{ 1 2 }'), ['Expected `}`', 4, 5]);
    // `(a, b)` is a tuple (core FQL2IndexSpec ranges `{ from: (100, 100) }`).
    assert.deepEqual(queryError('(a b)'), ['Expected `)`', 3, 4]);
    assert.deepEqual(queryError('x { * }'), ['Expected identifier', 4, 5]);
    assert.deepEqual(queryError('/* open'), ['Expected `*/`', 7, 8]);
    assert.deepEqual(queryError('let x 1'), ['Expected `:` or `=`', 6, 7]);
    assert.deepEqual(queryError('x isa 1 + 2'), ['Expected type', 6, 7]);
  });

  it('reports every duplicate key, continuing after the first', () => {
    const ds = queryErrors('{ a: 2, a: 3, a: 4 }');
    assert.deepEqual(ds.map((d) => [d.message, d.span.start, d.hints?.[0].span.start]), [
      ['Duplicate key', 8, 2],
      ['Duplicate key', 14, 2],
    ]);
  });

  it('prefers specific errors over a later generic one', () => {
    const ds = queryErrors('{ a: 1, a: 2 } +');
    assert.deepEqual(ds.map((d) => d.message), ['Duplicate key']);
  });

  it('rejects interpolated object keys with fix-it hints', () => {
    const [d] = queryErrors('{ "#{3}": 2 }');
    assert.equal(d.message, 'Object keys do not support interpolation');
    assert.deepEqual(d.span, { start: 5, end: 6 });
    assert.deepEqual(d.hints, [
      { message: 'Add a backslash to ignore the interpolation', span: { start: 3, end: 3 }, suggestion: '\\' },
      { message: 'Use Object.fromEntries if you need a dynamic key', span: { start: 2, end: 8 } },
    ]);
  });

  it('rejects two expressions on one line', () => {
    assert.deepEqual(queryError('let x = 1 x'), ['Missing return expression', 10, 11]);
    assert.deepEqual(queryError('a b'), ['Expected end-of-input', 2, 3]);
  });
});
