import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NULL, arr, double, int, long, str } from '../../src/fql/values/construct';
import { call, field, rejects } from './stdlib-support';

const s = str;

describe('String indexes count code points', () => {
  const emoji = s('f😍b');
  it('length', async () => {
    assert.deepEqual(await field(emoji, 'length'), int(3));
    assert.deepEqual(await field(s(''), 'length'), int(0));
  });
  it('at', async () => {
    assert.deepEqual(await call(emoji, 'at', int(1)), s('😍'));
    assert.deepEqual(await call(emoji, 'at', int(2)), s('b'));
    await rejects(call(emoji, 'at', int(3)), 'index_out_of_bounds', 'index 3 out of bounds for length 3');
    await rejects(call(s('abc'), 'at', int(-1)), 'index_out_of_bounds', 'index -1 out of bounds for length 3');
  });
  it('at accepts a whole Double or small Long as Int, rejects others', async () => {
    assert.deepEqual(await call(s('abc'), 'at', double(1)), s('b'));
    assert.deepEqual(await call(s('abc'), 'at', long(2n)), s('c'));
    await rejects(call(s('abc'), 'at', double(1.5)), 'invalid_argument',
      'expected value for `index` of type Int, received Double');
    await rejects(call(s('abc'), 'at', s('1')), 'invalid_argument',
      'expected value for `index` of type Int, received String');
  });
  it('indexOf / lastIndexOf report code point positions', async () => {
    assert.deepEqual(await call(emoji, 'indexOf', s('b')), int(2));
    assert.deepEqual(await call(s('abcabc'), 'indexOf', s('c'), int(3)), int(5));
    assert.deepEqual(await call(s('abc'), 'indexOf', s('x')), NULL);
    assert.deepEqual(await call(s('abcabc'), 'lastIndexOf', s('a')), int(3));
    assert.deepEqual(await call(s('abcabc'), 'lastIndexOf', s('a'), int(2)), int(0));
    await rejects(call(s('abc'), 'indexOf', s('c'), int(3)), 'index_out_of_bounds', 'index 3 out of bounds for length 3');
  });
  it('overloaded methods report all signatures of that arity', async () => {
    await rejects(call(s('abc'), 'indexOf', int(1)), 'invalid_argument',
      'expected arguments to `indexOf` of type (String), received (Int)');
    await rejects(call(s('abc'), 'slice', s('a'), int(1)), 'invalid_argument',
      'expected arguments to `slice` of type (Int, Int), received (String, Int)');
  });
  it('slice clamps out-of-range bounds', async () => {
    assert.deepEqual(await call(s('hello'), 'slice', int(1)), s('ello'));
    assert.deepEqual(await call(s('hello'), 'slice', int(1), int(3)), s('el'));
    assert.deepEqual(await call(s('hello'), 'slice', int(-2)), s('hello'));
    assert.deepEqual(await call(s('hello'), 'slice', int(3), int(100)), s('lo'));
    assert.deepEqual(await call(s('hello'), 'slice', int(4), int(2)), s(''));
    assert.deepEqual(await call(emoji, 'slice', int(1), int(2)), s('😍'));
  });
  it('insert and splitAt accept the end position', async () => {
    assert.deepEqual(await call(s('abc'), 'insert', int(3), s('!')), s('abc!'));
    assert.deepEqual(await call(emoji, 'insert', int(2), s('-')), s('f😍-b'));
    assert.deepEqual(await call(s('abc'), 'splitAt', int(1)), arr([s('a'), s('bc')]));
    await rejects(call(s('abc'), 'splitAt', int(4)), 'index_out_of_bounds', 'index 4 out of bounds for length 3');
  });
});

describe('String predicates and case', () => {
  it('startsWith / endsWith / includes', async () => {
    assert.deepEqual(await call(s('hello'), 'startsWith', s('he')), { t: 'boolean', v: true });
    assert.deepEqual(await call(s('hello'), 'endsWith', s('x')), { t: 'boolean', v: false });
    assert.deepEqual(await call(s('hello'), 'includes', s('ll')), { t: 'boolean', v: true });
  });
  it('toUpperCase / toLowerCase / toString / concat', async () => {
    assert.deepEqual(await call(s('abc'), 'toUpperCase'), s('ABC'));
    assert.deepEqual(await call(s('ÀB'), 'toLowerCase'), s('àb'));
    assert.deepEqual(await call(s('x'), 'toString'), s('x'));
    assert.deepEqual(await call(s('ab'), 'concat', s('cd')), s('abcd'));
  });
  it('casefold', async () => {
    assert.deepEqual(await call(s('Straße ＡＢＣ'), 'casefold'), s('strasse abc'));
    assert.deepEqual(await call(s('é'), 'casefold', s('NFD')), s('e\u0301'));
    assert.deepEqual(await call(s('e\u0301'), 'casefold', s('NFC')), s('é'));
    await rejects(call(s('a'), 'casefold', s('XYZ')), 'invalid_argument',
      'invalid argument `format`: expected a casefold format (one of NFKCCaseFold, NFC, NFD, NFKC, or NFKD)');
  });
});

describe('String regexes', () => {
  it('includesRegex / indexOfRegex', async () => {
    assert.deepEqual(await call(s('abc123'), 'includesRegex', s('\\d+')), { t: 'boolean', v: true });
    assert.deepEqual(await call(s('😍a1'), 'indexOfRegex', s('[0-9]')), int(2));
    assert.deepEqual(await call(s('a1b2'), 'indexOfRegex', s('\\d'), int(2)), int(3));
    assert.deepEqual(await call(s('abc'), 'indexOfRegex', s('\\d')), NULL);
  });
  it('matches / matchIndexes', async () => {
    assert.deepEqual(await call(s('a1b22c333'), 'matches', s('\\d+')), arr([s('1'), s('22'), s('333')]));
    assert.deepEqual(await call(s('😍1 2'), 'matchIndexes', s('\\d')),
      arr([arr([int(1), s('1')]), arr([int(3), s('2')])]));
  });
  it('Java-only syntax', async () => {
    assert.deepEqual(await call(s('ABC'), 'includesRegex', s('(?i)abc')), { t: 'boolean', v: true });
    assert.deepEqual(await call(s('a-b'), 'matches', s('\\-')), arr([s('-')]));
    assert.deepEqual(await call(s('a.b'), 'matches', s('\\Q.\\E')), arr([s('.')]));
    assert.deepEqual(await call(s('abc'), 'matches', s('\\p{Alpha}+')), arr([s('abc')]));
    assert.deepEqual(await call(s('abc'), 'includesRegex', s('\\Aabc\\z')), { t: 'boolean', v: true });
  });
  it('invalid regexes', async () => {
    await rejects(call(s('abc'), 'matches', s('(ab')), 'invalid_regex', 'Invalid regular expression. Unclosed group at index 3');
    await rejects(call(s('abc'), 'includesRegex', s('a++')), 'invalid_regex', /^Invalid regular expression\. .* at index 3$/);
  });
});

describe('String replace and split', () => {
  it('replace replaces the first match, or `amount` matches', async () => {
    assert.deepEqual(await call(s('aaa'), 'replace', s('a'), s('b')), s('baa'));
    assert.deepEqual(await call(s('aaa'), 'replace', s('a'), s('b'), int(2)), s('bba'));
    assert.deepEqual(await call(s('abc'), 'replace', s(''), s('x'), int(3)), s('xxxabc'));
    await rejects(call(s('aaa'), 'replace', s('a'), s('b'), int(0)), 'invalid_argument',
      'invalid argument `count`: must be greater than or equal to 1');
  });
  it('replaceAll / replaceRegex / replaceAllRegex', async () => {
    assert.deepEqual(await call(s('a.b.c'), 'replaceAll', s('.'), s('-')), s('a-b-c'));
    assert.deepEqual(await call(s('a1b22'), 'replaceRegex', s('\\d+'), s('#')), s('a#b22'));
    assert.deepEqual(await call(s('a1b22'), 'replaceAllRegex', s('\\d+'), s('#')), s('a#b#'));
    // Each search runs on the unmatched remainder, so `^` anchors repeatedly.
    assert.deepEqual(await call(s('aaa'), 'replaceAllRegex', s('^a'), s('b')), s('bbb'));
  });
  it('an endlessly repeating empty match grows the string too large', async () => {
    await rejects(call(s('abc'), 'replaceAll', s(''), s('xy')), 'value_too_large',
      'Value too large: string size 16777218 exceeds limit 16777216.');
  });
  it('split behaves like JavaScript', async () => {
    assert.deepEqual(await call(s('f b '), 'split', s(' ')), arr([s('f'), s('b'), s('')]));
    assert.deepEqual(await call(s(' f b'), 'split', s(' ')), arr([s(''), s('f'), s('b')]));
    assert.deepEqual(await call(s(' '), 'split', s(' ')), arr([s(''), s('')]));
    assert.deepEqual(await call(s('abc'), 'split', s('')), arr([s('a'), s('b'), s('c')]));
    assert.deepEqual(await call(s(''), 'split', s(',')), arr([s('')]));
    assert.deepEqual(await call(s('a1b22c'), 'splitRegex', s('\\d+')), arr([s('a'), s('b'), s('c')]));
  });
});

describe('String number parsing', () => {
  it('parseInt / parseLong', async () => {
    assert.deepEqual(await call(s('-42'), 'parseInt'), int(-42));
    assert.deepEqual(await call(s('+7'), 'parseInt'), int(7));
    assert.deepEqual(await call(s('ff'), 'parseInt', int(16)), int(255));
    assert.deepEqual(await call(s('2147483648'), 'parseInt'), NULL);
    assert.deepEqual(await call(s('1.5'), 'parseInt'), NULL);
    assert.deepEqual(await call(s('12'), 'parseLong'), long(12n));
    assert.deepEqual(await call(s('9223372036854775807'), 'parseLong'), long(9223372036854775807n));
    assert.deepEqual(await call(s('9223372036854775808'), 'parseLong'), NULL);
    await rejects(call(s('1'), 'parseInt', int(37)), 'invalid_argument',
      'invalid argument `format`: invalid radix, expected a number from 2-36');
  });
  it('parseDouble follows Double.parseDouble', async () => {
    assert.deepEqual(await call(s(' 1.5 '), 'parseDouble'), double(1.5));
    assert.deepEqual(await call(s('1e3'), 'parseDouble'), double(1000));
    assert.deepEqual(await call(s('2f'), 'parseDouble'), double(2));
    assert.deepEqual(await call(s('-Infinity'), 'parseDouble'), double(-Infinity));
    assert.deepEqual(await call(s('0x1.8p1'), 'parseDouble'), double(3));
    assert.deepEqual(await call(s('abc'), 'parseDouble'), NULL);
  });
  it('parseNumber picks the narrowest type', async () => {
    assert.deepEqual(await call(s('12'), 'parseNumber'), int(12));
    assert.deepEqual(await call(s('3000000000'), 'parseNumber'), long(3000000000n));
    assert.deepEqual(await call(s('1.25'), 'parseNumber'), double(1.25));
    assert.deepEqual(await call(s('x'), 'parseNumber'), NULL);
  });
});
