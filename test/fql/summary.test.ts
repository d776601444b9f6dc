import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryCheckError } from '../../src/fql/errors';
import { parseQuery } from '../../src/fql/parse/parse';
import { SourceLines, lineCol, renderDiagnostic, renderFrame, renderLog, renderSummary } from '../../src/fql/summary';

const lines = (...ls: string[]): string => ls.join('\n');

describe('renderDiagnostic', () => {
  it('renders a single-line span', () => {
    assert.equal(
      renderDiagnostic('Collection.al()', { message: "The function `al` doesn't exist on `Collection`", span: { start: 11, end: 13 } }),
      lines(
        "error: The function `al` doesn't exist on `Collection`",
        'at *query*:1:12',
        '  |',
        '1 | Collection.al()',
        '  |            ^^',
        '  |',
      ),
    );
  });

  it('matches the abort example of the wire protocol', () => {
    assert.equal(
      renderDiagnostic('abort("oops")', { message: 'Query aborted.', span: { start: 5, end: 13 } }),
      'error: Query aborted.\nat *query*:1:6\n  |\n1 | abort("oops")\n  |      ^^^^^^^^\n  |',
    );
  });

  it('shows only the line of the span, with a wider gutter for long line numbers', () => {
    const src = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n');
    const start = src.indexOf('line11');
    assert.equal(
      renderDiagnostic(src, { message: 'boom', span: { start, end: start + 4 } }),
      lines('error: boom', 'at *query*:11:1', '   |', '11 | line11', '   | ^^^^', '   |'),
    );
    assert.equal(
      renderDiagnostic('hello\nworld', { message: 'near the EOF', span: { start: 9, end: 11 } }, 'hint'),
      lines('hint: near the EOF', 'at *query*:2:4', '  |', '2 | world', '  |    ^^', '  |'),
    );
  });

  it('clamps spans at or past the end to the last visible character', () => {
    assert.equal(
      renderDiagnostic('hello world', { message: 'this is at the EOF', span: { start: 11, end: 12 } }),
      lines('error: this is at the EOF', 'at *query*:1:12', '  |', '1 | hello world', '  |            ^', '  |'),
    );
    assert.equal(
      renderDiagnostic('foo\n   ', { message: 'eof', span: { start: 7, end: 8 } }),
      lines('error: eof', 'at *query*:1:4', '  |', '1 | foo', '  |    ^', '  |'),
    );
    assert.equal(
      renderDiagnostic('', { message: 'empty', span: { start: 0, end: 1 } }),
      lines('error: empty', 'at *query*:1:1', '  |', '1 |', '  | ^', '  |'),
    );
    assert.equal(
      renderDiagnostic('abc', { message: 'zero width', span: { start: 3, end: 3 } }),
      lines('error: zero width', 'at *query*:1:4', '  |', '1 | abc', '  |    ^', '  |'),
    );
  });

  it('brackets multi-line spans', () => {
    const src = 'Database.create({\n  name: "Foo",\n  global_id: "yu3pdd5ssyyyy"\n})';
    assert.equal(
      renderDiagnostic(src, { message: 'Failed to create Database.', span: { start: 15, end: src.length } }),
      lines(
        'error: Failed to create Database.',
        'at *query*:1:16',
        '  |',
        '1 |   Database.create({',
        '  |  ________________^',
        '2 | |   name: "Foo",',
        '3 | |   global_id: "yu3pdd5ssyyyy"',
        '4 | | })',
        '  | |__^',
        '  |',
      ),
    );
  });

  it('shows template placeholders as <value>', () => {
    assert.equal(
      renderDiagnostic('foo(\u0000value>)', { message: 'bad', span: { start: 3, end: 12 } }),
      lines('error: bad', 'at *query*:1:4', '  |', '1 | foo(<value>)', '  |    ^^^^^^^^^', '  |'),
    );
    assert.equal(
      renderDiagnostic('foo(\n  \u0000value>\n)', { message: 'bad', span: { start: 3, end: 16 } }),
      lines('error: bad', 'at *query*:1:4', '  |', '1 |   foo(', '  |  ____^', '2 | |   <value>', '3 | | )', '  | |_^', '  |'),
    );
  });

  it('renders annotations and hints', () => {
    assert.equal(
      renderDiagnostic('let let = 3', { message: 'Invalid identifier', span: { start: 4, end: 7 }, annotation: '`let` is a keyword' }),
      lines('error: Invalid identifier', 'at *query*:1:5', '  |', '1 | let let = 3', '  |     ^^^ `let` is a keyword', '  |'),
    );
    assert.equal(
      renderDiagnostic('{ a: 1,\n  a: 2 }', {
        message: 'Duplicate key', span: { start: 10, end: 11 },
        hints: [{ message: 'Key originally used here', span: { start: 2, end: 3 } }],
      }),
      lines(
        'error: Duplicate key', 'at *query*:2:3', '  |', '2 |   a: 2 }', '  |   ^', '  |',
        'hint: Key originally used here', 'at *query*:1:3', '  |', '1 | { a: 1,', '  |   ^', '  |',
      ),
    );
    assert.equal(
      renderDiagnostic('x.foo', { message: 'no', span: { start: 2, end: 5 }, hint: 'use bar' }),
      lines('error: no', 'at *query*:1:3', '  |', '1 | x.foo', '  |   ^^^', '  |', 'hint: use bar', '  |', '1 | x.foo', '  |   ^^^', '  |'),
    );
  });

  it('renders suggestion hints as edits', () => {
    const d = (suggestion: string, start: number, end: number): string =>
      renderDiagnostic('hello world', {
        message: 'm', span: { start: 0, end: 1 }, hints: [{ message: 'this is a hint', span: { start, end }, suggestion }],
      }).split('\n').slice(6).join('\n');
    assert.equal(d('', 1, 3), lines('hint: this is a hint', '  |', '1 | hello world', '  |  --', '  |'));
    assert.equal(d(' 123', 5, 5), lines('hint: this is a hint', '  |', '1 | hello 123 world', '  |      ++++', '  |'));
    assert.equal(d('foo', 6, 11), lines('hint: this is a hint', '  |', '1 | hello foo', '  |       ~~~', '  |'));
  });

  it('renders a parser failure with its cause', () => {
    const src = '{ x; let y = "foo" }';
    let err: unknown;
    try { parseQuery(src); } catch (e) { err = e; }
    assert.ok(err instanceof QueryCheckError);
    assert.equal(err.message, 'The query failed 1 validation check');
    assert.equal(
      renderSummary(src, err.diagnostics),
      lines(
        'error: Missing return expression', 'at *query*:1:20', '  |', '1 | { x; let y = "foo" }', '  |                    ^', '  |',
        'cause: Statement does not return a value', '  |', '1 | { x; let y = "foo" }', '  |      ^^^^^^^^^^^^^', '  |',
      ),
    );
  });
});

describe('renderSummary, renderLog, renderFrame, lineCol', () => {
  it('joins several diagnostics with a blank line', () => {
    const out = renderSummary('a b', [
      { message: 'one', span: { start: 0, end: 1 } },
      { message: 'two', span: { start: 2, end: 3 } },
    ]);
    assert.equal(out, lines(
      'error: one', 'at *query*:1:1', '  |', '1 | a b', '  | ^', '  |', '',
      'error: two', 'at *query*:1:3', '  |', '1 | a b', '  |   ^', '  |',
    ));
    assert.equal(renderSummary('x', []), '');
  });

  it('renders log output as an info block', () => {
    assert.equal(
      renderLog('log("hello")', 'hello', { start: 3, end: 12 }),
      'info: hello\nat *query*:1:4\n  |\n1 | log("hello")\n  |    ^^^^^^^^^\n  |',
    );
    assert.equal(renderLog('', 'plain'), 'info: plain');
  });

  it('renders a trace frame with a custom source name', () => {
    assert.equal(
      renderFrame('x => Test0(x)', { start: 10, end: 13 }, '*udf:Test1*'),
      lines('at *udf:Test1*:1:11', '  |', '1 | x => Test0(x)', '  |           ^^^', '  |'),
    );
  });

  it('computes 1-based line and column', () => {
    assert.deepEqual(lineCol('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(lineCol('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineCol('ab\n\n', 4), { line: 1, column: 3 });
    assert.deepEqual(lineCol('', 10), { line: 1, column: 1 });
  });
});

describe('rendering cost', () => {
  // Each diagnostic re-split the whole source: 5,000 of them on a 5,000-line query took 5,000
  // passes over it (1.4 s), and a whitespace run inside the source cost V8's /\s+$/ quadratic
  // time (50,000 spaces: 4.4 s). The bounds below are ~50 times what the fix takes.
  const elapsed = (f: () => void): number => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };

  it('splits a source once for all its diagnostics, with the same blocks', () => {
    const n = 20_000;
    const src = Array.from({ length: n }, (_, i) => `name${i} + 1`).join('\n');
    const diags = Array.from({ length: n }, (_, i) => {
      const start = src.indexOf(`name${i} `);
      return { message: `Unbound variable \`name${i}\``, span: { start, end: start + `name${i}`.length } };
    });
    let out = '';
    const ms = elapsed(() => { out = renderSummary(src, diags); });
    const blocks = out.split('\n\n');
    assert.equal(blocks.length, n);
    assert.equal(blocks[n - 1], lines(
      'error: Unbound variable `name19999`', 'at *query*:20000:1', '      |', '20000 | name19999 + 1', '      | ^^^^^^^^^', '      |'));
    assert.equal(blocks[7], renderDiagnostic(src, diags[7]));
    assert.ok(ms < 5_000, `${Math.round(ms)} ms`);
  });

  it('strips trailing whitespace in linear time, as before', () => {
    const src = `x${' '.repeat(200_000)}y  \n\t`;
    let out = '';
    const ms = elapsed(() => { out = renderDiagnostic(src, { message: 'here', span: { start: 200_001, end: 200_002 } }); });
    assert.equal(out.split('\n')[1], 'at *query*:1:200002');
    assert.ok(out.endsWith(`${' '.repeat(200_000)}y\n  |${' '.repeat(200_002)}^\n  |`));
    assert.deepEqual(new SourceLines(src).lineCol(1_000_000), { line: 1, column: 200_003 });
    assert.ok(ms < 5_000, `${Math.round(ms)} ms`);
  });
});
