// FQL v4 string functions through the `faunadb@4.8` driver. Expected values: faunadb-js
// test/query.test.js ("concat" … "format"); semantics and error texts: core
// ext/model/src/main/scala/ast/functions/StringFunctions.scala, Casts.scala, RenderError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q } from 'faunadb';
import { v4FailsAt, useV4Server } from './v4-helpers';

// The driver's typings give Format one `values` argument; it takes them variadically.
const format = q.Format as unknown as (fmt: string, ...values: unknown[]) => never;

describe('v4 string functions', () => {
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);

  useV4Server((s) => ({ root } = s));

  it('concatenates, folds case and normalizes (faunadb-js "concat", "casefold")', async () => {
    await is(q.Concat(['a', 'b', 'c']), 'abc');
    await is(q.Concat([]), '');
    await is(q.Concat(['a', 'b', 'c'], '.'), 'a.b.c');
    await is(q.Casefold('Hen Wen'), 'hen wen');
    await is(q.Casefold('\u212B', 'NFD'), 'A\u030A');
    await is(q.Casefold('\u212B', 'NFC'), '\u00C5');
    await is(q.Casefold('\u1E9B\u0323', 'NFKD'), '\u0073\u0323\u0307');
    await is(q.Casefold('\u1E9B\u0323', 'NFKC'), '\u1E69');
    await is(q.Casefold('\u212B', 'NFKCCaseFold'), '\u00E5');
    // CaseFoldFunction: a list of scalars maps each string and keeps the rest.
    await is(q.Casefold(['A', 1, 'B']), ['a', 1, 'b']);
    await v4FailsAt(root, q.Casefold('x', 'NFX'), 'invalid argument',
      "String 'NFKCCaseFold', 'NFC', 'NFD', 'NFKC', or 'NFKD' expected, String provided.", ['normalizer']);
    await v4FailsAt(root, q.Concat(['a', 1]), 'invalid argument', 'String expected, Integer provided.', ['concat', 1]);
  });

  it('searches strings (faunadb-js "containsstr" … "findstrregex")', async () => {
    await is([q.ContainsStr('ABC', 'A'), q.ContainsStr('ABC', 'D'), q.ContainsStr('a big apple', 'g a')], [true, false, true]);
    await is([q.ContainsStrRegex('ABCDEFGHIJK', '[A-Z]'), q.ContainsStrRegex('1234567890', '[A-Z]'), q.ContainsStrRegex('ABCDEFGHIJK', '[a-z]')], [true, false, false]);
    await is([q.StartsWith('ABCDEFGHIJK', 'ABC'), q.StartsWith('1234567890', '1234567890'), q.StartsWith('ABCDEFGHIJK', 'BCD')], [true, true, false]);
    await is([q.EndsWith('ABCDEFGHIJK', 'IJK'), q.EndsWith('1234567890', '1234567890'), q.EndsWith('ABCDEFGHIJK', 'HIJ')], [true, true, false]);
    await is(q.RegexEscape('ABCDEF'), '\\QABCDEF\\E');
    // Pattern.quote splits a literal \E out of the quoted run.
    await is(q.RegexEscape('a\\Eb'), '\\Qa\\E\\\\E\\Qb\\E');
    await is([q.FindStr('ABC', 'A'), q.FindStr('ABC', 'A', 0), q.FindStr('ABC', 'A', 1), q.FindStr('a big apple', 'a', 2)], [0, 0, -1, 6]);
    await is(q.FindStrRegex('ABC', 'A'), [{ start: 0, end: 0, data: 'A' }]);
    await is(q.FindStrRegex('ABCAB', 'AB'), [{ start: 0, end: 1, data: 'AB' }, { start: 3, end: 4, data: 'AB' }]);
    await is(q.FindStrRegex('one fish two Fish', '[fF]ish'), [{ start: 4, end: 7, data: 'fish' }, { start: 13, end: 16, data: 'Fish' }]);
    await is(q.FindStrRegex('one fish two Fish', '[fF]ish', 5, 1), [{ start: 13, end: 16, data: 'Fish' }]);
    await v4FailsAt(root, q.FindStrRegex('abc', '('), 'invalid argument', 'Search pattern /(/ is not a valid regular expression.', ['pattern']);
    await v4FailsAt(root, q.StartsWith(1, 'a'), 'invalid argument', 'String expected, Integer provided.', ['startswith']);
  });

  it('measures, cases and trims (faunadb-js "length" … "uppercase")', async () => {
    await is([q.Length(''), q.Length('A'), q.Length('ApPle'), q.Length('two words'), q.Length('😀x')], [0, 1, 5, 9, 2]);
    await is([q.LowerCase(''), q.LowerCase('A'), q.LowerCase('ApPle'), q.LowerCase('İstanbul')], ['', 'a', 'apple', 'i̇stanbul']);
    await is([q.UpperCase('a'), q.UpperCase('abc def')], ['A', 'ABC DEF']);
    await is([q.TitleCase('one fISH tWo FISH'), q.TitleCase('ABC DEF')], ['One Fish Two Fish', 'Abc Def']);
    await is([q.LTrim(''), q.LTrim('    A'), q.LTrim('\t\n\t\n  Apple'), q.LTrim(' A B C')], ['', 'A', 'Apple', 'A B C']);
    await is([q.RTrim('A\t\n   '), q.RTrim('ABC DE F ')], ['A', 'ABC DE F']);
    await is([q.Trim('   A   '), q.Trim('\t\nABC DEF\t\n   ')], ['A', 'ABC DEF']);
    // String.strip keeps the no-break space (Character.isWhitespace is false for it).
    await is(q.Trim('\u00a0A '), '\u00a0A');
  });

  it('builds strings (faunadb-js "ngram", "repeat", "replacestr*", "space", "substring")', async () => {
    await is(q.NGram('what'), ['w', 'wh', 'h', 'ha', 'a', 'at', 't']);
    await is(q.NGram('what', 2, 3), ['wh', 'wha', 'ha', 'hat', 'at']);
    await is(q.NGram(['john', 'doe']), ['j', 'jo', 'o', 'oh', 'h', 'hn', 'n', 'd', 'do', 'o', 'oe', 'e']);
    await is(q.NGram(['john', 'doe'], 3, 4), ['joh', 'john', 'ohn', 'doe']);
    await v4FailsAt(root, q.NGram('x', 3, 1), 'invalid argument', 'min ngram size must be > 0 and <= max', []);
    await is([q.Repeat('A'), q.Repeat('ABC', 3), q.Repeat('A', -1)], ['AA', 'ABCABCABC', '']);
    await is([q.ReplaceStr('ABCDE', 'AB', 'AA'), q.ReplaceStr('One Fish Two Fish', 'Fish', 'Cat')], ['AACDE', 'One Cat Two Cat']);
    await is([q.ReplaceStrRegex('ABCDE', 'AB', 'AA'), q.ReplaceStrRegex('One Fish Two fish', '[Ff]ish', 'Cat')], ['AACDE', 'One Cat Two Cat']);
    // Matcher.replaceFirst with a group reference.
    await is(q.ReplaceStrRegex('One Fish Two fish', '([Ff])ish', '$1oo', true), 'One Foo Two fish');
    await is([q.Space(0), q.Space(5)], ['', '     ']);
    await is([q.SubString('ABCDEF', -3), q.SubString('ABCDEF', 0, 3), q.SubString('ABCDEF', 2, 0)], ['DEF', 'ABC', '']);
    await v4FailsAt(root, q.SubString('ABC', 4), 'invalid argument', 'start must be less than or equal to the string length', []);
    await v4FailsAt(root, q.SubString('ABC', 0, -1), 'invalid argument', 'length must be positive', []);
  });

  it('agrees with core StringFunctionsSpec (ext/api/src/test/scala/queries/StringFunctionsSpec.scala)', async () => {
    await is(q.Casefold(['φιλόσοφος', 'Weißkopfseeadler', 'Diyarbakır']), ['φιλόσοφοσ', 'weisskopfseeadler', 'diyarbakır']);
    await is([q.FindStr('\uD801\uDC00 ABC', 'ABC'), q.FindStr('\uD801\uDC00 ABC \uD801\uDC00 ABC', 'ABC', 3)], [2, 8]);
    await is(q.FindStrRegex('One Fish Two Fish', 'Fish', 16), []);
    await is(q.FindStrRegex('fauna,graphql,serverless,database', '^|$|database'),
      [{ start: 0, end: 0, data: '' }, { start: 25, end: 32, data: 'database' }, { start: 33, end: 33, data: '' }]);
    await is(q.FindStrRegex('\uD801\uDC00 ABC \uD801\uDC00 ABc', 'AB[cC]'), [{ start: 2, end: 4, data: 'ABC' }, { start: 8, end: 10, data: 'ABc' }]);
    await is([q.ContainsStrRegex('One 2\n3 Four', '(?m)2$'), q.ContainsStrRegex('One 2\n3 Four', '2$'), q.ContainsStrRegex('One 2\n3 Four', '\\AOne 2\n3 Four\\Z')],
      [true, false, true]);
    await is([q.LTrim('\u1680ABD'), q.RTrim('ABD\u1680'), q.Trim('\u0009ABC\u0009'), q.Space(-10), q.SubString('ABCDE', 5, 2)], ['ABD', 'ABD', 'ABC', '', '']);
    await is(q.NGram('apple', 2, 3), ['ap', 'app', 'pp', 'ppl', 'pl', 'ple', 'le']);
    await v4FailsAt(root, q.NGram('apple', 1, 3), 'invalid argument', 'max ngram size must be <= min + 1', []);
    await v4FailsAt(root, q.Concat(['4', '2'], 5 as never), 'invalid argument', 'String expected, Integer provided.', ['separator']);
    await v4FailsAt(root, q.ContainsStrRegex('', '{'), 'invalid argument', 'Search pattern /{/ is not a valid regular expression.', ['pattern']);
    await is(q.TitleCase('Bob f smith sonny Jones BILL WALSH'), 'Bob F Smith Sonny Jones Bill Walsh');
    // Format: core's bare %t, Formatter's %e/%f/%g/%G, the %@ debug form, the date/time suffixes.
    const time = q.Time('1970-03-01T15:30:45.123456789Z');
    await is(format('%t|%t|%s', q.Date('1970-03-01'), time, time), '1970-03-01|1970-03-01T15:30:45.123456789Z|1970-03-01T15:30:45.123456789Z');
    await is(format('%e %f %g|%G', 3.14, 3.14, 3.14, 31400000.5), '3.140000e+00 3.140000 3.14000|3.14000E+07');
    await is(format('%s %s %s %s|%b %b %b %b', 'str', true, false, null, true, 'str', 10, null), 'str true false null|true true true false');
    await is(format('%@', { x: 10, y: 3.14, z: ['str'] }), '{"x":10,"y":3.14,"z":["str"]}');
    await is(format('%tc|%ts|%tQ|%tI|%tl|%tj|%tC|%Tp', time, time, time, time, time, time, time, time), 'Sun Mar 01 15:30:45 Z 1970|5153445|5153445123|03|3|060|19|PM');
    await v4FailsAt(root, format('% s', ''), 'invalid argument', "Invalid conversion format '% s'.", ['format']);
    await v4FailsAt(root, format('%t', 10), 'invalid argument', 'Date or Time expected, Integer provided.', ['values', 0]);
    await v4FailsAt(root, format('%4$d', 10), 'invalid argument', 'index must be >= 1 and <= arguments size', ['format']);
  });

  it('formats with java.util.Formatter (faunadb-js "format")', async () => {
    await is(format('%3$s%1$s %2$s', 'DB', 'rocks', 'Fauna'), 'FaunaDB rocks');
    await is(format('%.4f', 3.14), '3.1400');
    await is(format('%s %d %.2f', 'Hey', 1995, 6.02), 'Hey 1995 6.02');
    await is(format('always 100%%'), 'always 100%');
    await is(format('%08.3f|%-6d|%x|%,d|%e|%g|%b|%S', 3.14159, 42, -1, 1234567, 12345.678, 0.0001234, null, 'up'),
      '0003.142|42    |ffffffffffffffff|1,234,567|1.234568e+04|0.000123400|false|UP');
    // Formatter's flags, and HALF_UP rounding of the shortest decimal form.
    await is(format('%+d|%(d|%o|%#x|%.3e|%G|%10s|%-10s|%.2s|%,.2f|%05d|% d|%.0f|%.1f',
      5, -5, 8, 255, 1234.5, 0.00001234, 'ab', 'cd', 'abcdef', 1234567.891, -42, 7, 2.5, 0.05),
    '+5|(5)|10|0xff|1.235e+03|1.23400E-05|        ab|cd        |ab|1,234,567.89|-0042| 7|3|0.1');
    await v4FailsAt(root, format('%-s', 'x'), 'invalid argument', "Invalid conversion format '%-s'.", ['format']);
    await v4FailsAt(root, format('%.2d', 1), 'invalid argument', "Invalid conversion format '%.2d'.", ['format']);
    const t = q.Time('2020-03-04T05:06:07Z');
    await is(format('%tF %tT|%tB %te', t, t, t, t), '2020-03-04 05:06:07|March 4');
    await v4FailsAt(root, format('%d', 1.5), 'invalid argument', 'Integer expected, Double provided.', ['values', 0]);
    await v4FailsAt(root, format('%f', 1), 'invalid argument', 'Number expected, Integer provided.', ['values', 0]);
    await v4FailsAt(root, format('%s %s', 'a'), 'invalid argument', 'format specifiers count must be <= arguments size', ['format']);
    await v4FailsAt(root, format('%2$s', 'a'), 'invalid argument', 'index must be >= 1 and <= arguments size', ['format']);
    await v4FailsAt(root, format('%q', 1), 'invalid argument', "Invalid conversion format '%q'.", ['format']);
    await v4FailsAt(root, format('%s %s', 'a', [1]), 'invalid argument', 'Cannot cast Array to String.', ['values', 1]);
    await v4FailsAt(root, format('%tH', q.Date('2020-01-01')), 'invalid argument', "Invalid date/time suffix '%tH'.", ['values', 0]);
  });
});
