// String methods: indexes in code points (surrogate pairs count once), regex methods with Java
// syntax, parse* conversions, casefold, slicing quirks (core model FQL2StringSpec.scala and
// api FQL2StringSpec.scala; docs.fauna.com/fauna/current/reference/fql-api/string/).
import type { ConformanceArea } from '../case';
import { D, I, L, from, uniqueNames } from '../stdlib-cases';

const m = from('FQL2StringSpec.scala (model)');
const api = from('FQL2StringSpec.scala (api)');
const NOTC = { 'x-typecheck': 'false' };
const oob = (q: string, idx: number, len: number) => m.err(q, 'index_out_of_bounds', `index ${idx} out of bounds for length ${len}`);
const COUNT = 'invalid argument `count`: must be greater than or equal to 1';

export const area: ConformanceArea = {
  area: 'strings',
  cases: uniqueNames([
    // + and concat
    m.ok(`'foo' + 'bar'`, 'foobar'), m.ok(`'foo' + ''`, 'foo'), m.ok(`'' + 'bar'`, 'bar'),
    { ...m.ok(`'foo' + 3`, 'foo3'), headers: NOTC }, { ...m.ok(`'foo' + true`, 'footrue'), headers: NOTC },
    { ...m.ok(`'foo' + 2.5`, 'foo2.5'), headers: NOTC }, { ...m.ok(`'foo' + Date('1970-01-01')`, 'foo1970-01-01'), headers: NOTC },
    m.ok(`'foo'.concat('bar')`, 'foobar'), m.ok(`'foo'.concat('')`, 'foo'), m.ok(`''.concat('bar')`, 'bar'),
    api.ok(`'foo' + 'bar' + 'baz'`, 'foobarbaz'),
    { ...api.ok(`'foo ' + null + ' bar ' + null`, 'foo null bar null'), headers: NOTC },
    api.ok(`'foo ' + null.toString() + ' bar ' + null.toString()`, 'foo null bar null'),
    { ...api.ok(`'foo ' + 10 + ' bar ' + 3.14159`, 'foo 10 bar 3.14159'), headers: NOTC },
    api.ok(`'foo ' + 10.toString() + ' bar ' + 3.14159.toString()`, 'foo 10 bar 3.14159'),
    { ...api.ok(`'foo ' + true + ' bar ' + false`, 'foo true bar false'), headers: NOTC },
    api.ok(`'foo ' + true.toString() + ' bar ' + false.toString()`, 'foo true bar false'),
    { ...api.ok(`'foo ' + [1, 2, 3] + ' bar ' + {x: 10}`, 'foo [1, 2, 3] bar { x: 10 }'), headers: NOTC },
    api.ok(`'foo ' + [1, 2, 3].toString() + ' bar ' + Object.toString({x: 10})`, 'foo [1, 2, 3] bar { x: 10 }'),
    m.err(`let str = "Lorem ipsum dolor sit amet,Lorem ipsum dolor sit amet"; [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0].fold(str, (acc, val) => acc.concat(acc))`,
      'value_too_large', 'Value too large: string size 27787264 exceeds limit 16777216.'),
    // at / []
    m.ok(`'foo'[0]`, 'f'), m.ok(`'foo'[1]`, 'o'), m.ok(`'foo'[2]`, 'o'),
    m.ok(`'foo'.at(0)`, 'f'), m.ok(`'foo'.at(1)`, 'o'), m.ok(`'foo'.at(2)`, 'o'),
    m.ok(`'fo😍o'[0]`, 'f'), m.ok(`'fo😍o'[1]`, 'o'), m.ok(`'fo😍o'[2]`, '😍'), m.ok(`'fo😍o'[3]`, 'o'),
    oob(`'fo😍o'[4]`, 4, 4), oob(`'fo😍o'[5]`, 5, 4), oob(`'fo😍😍'[5]`, 5, 4), oob(`'fo😍o'[-1]`, -1, 4),
    api.ok(`let str = 'abcd'\nstr[1]`, 'b'), api.ok(`let str = 'abcd'\nstr.at(2)`, 'c'),
    api.err(`let str = 'abcd'\nstr[4]`, 'index_out_of_bounds', 'index 4 out of bounds for length 4',
      { summary: 'error: index 4 out of bounds for length 4\nat *query*:2:4\n  |\n2 | str[4]\n  |    ^^^\n  |' }),
    api.err(`let str = 'abcd'\nstr[-1]`, 'index_out_of_bounds', 'index -1 out of bounds for length 4',
      { summary: 'error: index -1 out of bounds for length 4\nat *query*:2:4\n  |\n2 | str[-1]\n  |    ^^^^\n  |' }),
    api.err(`let str = 'abcd'\nstr.at(4000)`, 'index_out_of_bounds', 'index 4000 out of bounds for length 4',
      { summary: 'error: index 4000 out of bounds for length 4\nat *query*:2:7\n  |\n2 | str.at(4000)\n  |       ^^^^^^\n  |' }),
    api.err(`let str = 'abcd'\nstr.at(-123456)`, 'index_out_of_bounds', 'index -123456 out of bounds for length 4',
      { summary: 'error: index -123456 out of bounds for length 4\nat *query*:2:7\n  |\n2 | str.at(-123456)\n  |       ^^^^^^^^^\n  |' }),
    // casefold
    m.ok(`'FQL-X'.casefold()`, 'fql-x'), m.ok(`'foobar'.casefold()`, 'foobar'),
    m.ok(String.raw`'\u0130stanbul'.casefold()`, 'i̇stanbul'), m.ok(`'John Doe'.casefold()`, 'john doe'),
    m.ok(`'İstanbul'.casefold()`, 'i̇stanbul'), m.ok(`'Diyarbakır'.casefold()`, 'diyarbakır'),
    m.ok(`'φιλόσοφος'.casefold()`, 'φιλόσοφοσ'), m.ok(`'Weißkopfseeadler'.casefold()`, 'weisskopfseeadler'),
    m.ok(`'foo'.casefold('NFKCCaseFold')`, 'foo'), m.ok(`'foo'.casefold('NFC')`, 'foo'), m.ok(`'foo'.casefold('NFD')`, 'foo'),
    m.ok(`'foo'.casefold('NFKC')`, 'foo'), m.ok(`'foo'.casefold('NFKD')`, 'foo'),
    m.err(`'foo'.casefold('wrong')`, 'invalid_argument', 'invalid argument `format`: expected a casefold format (one of NFKCCaseFold, NFC, NFD, NFKC, or NFKD)'),
    // endsWith / startsWith / includes
    m.ok(`'foo'.endsWith('o')`, true), m.ok(`'foo'.endsWith('b')`, false), m.ok(`'foo'.endsWith('foo')`, true), m.ok(`'foo'.endsWith('barfoo')`, false),
    api.ok(`'foobar'.endsWith('bar')`, true), api.ok(`'foobar'.endsWith('foo')`, false),
    m.ok(`'foo'.startsWith('f')`, true), m.ok(`'foo'.startsWith('b')`, false), m.ok(`'foo'.startsWith('foo')`, true), m.ok(`'foo'.startsWith('foobar')`, false),
    api.ok(`'foobar'.startsWith('foo')`, true), api.ok(`'foobar'.startsWith('bar')`, false),
    m.ok(`'foo'.includes('o')`, true), m.ok(`'foo'.includes('f')`, true), m.ok(`'foo'.includes('foo')`, true),
    m.ok(`'foo'.includes('b')`, false), m.ok(`'foo'.includes('bar')`, false), m.ok(`'foo'.includes('fooo')`, false),
    api.ok(`'foobar'.includes('oba')`, true), api.ok(`'foobar'.includes('baz')`, false),
    m.ok(`'foo'.includesRegex('f')`, true), m.ok(`'foo'.includesRegex('.')`, true), m.ok(`'foo'.includesRegex('[a-z]')`, true),
    m.ok(`'foo'.includesRegex('b')`, false), m.ok(`''.includesRegex('.')`, false), m.ok(`''.includesRegex('[a-z]')`, false),
    // insert
    m.ok(`'foo'.insert(0, 'bar')`, 'barfoo'), m.ok(`'foo'.insert(1, 'bar')`, 'fbaroo'), m.ok(`'foo'.insert(2, 'bar')`, 'fobaro'), m.ok(`'foo'.insert(3, 'bar')`, 'foobar'),
    m.ok(`'f😍o'.insert(0, 'bar')`, 'barf😍o'), m.ok(`'f😍o'.insert(1, 'bar')`, 'fbar😍o'), m.ok(`'f😍o'.insert(2, 'bar')`, 'f😍baro'), m.ok(`'f😍o'.insert(3, 'bar')`, 'f😍obar'),
    oob(`'foo'.insert(4, 'bar')`, 4, 3), oob(`'f😍o'.insert(4, 'bar')`, 4, 3), oob(`'f😍😍'.insert(4, 'bar')`, 4, 3), oob(`'foo'.insert(-1, 'bar')`, -1, 3),
    // indexOf / indexOfRegex / lastIndexOf
    m.tagged(`'foo'.indexOf('o')`, I(1)), m.ok(`'foo'.indexOf('f')`, 0), m.ok(`'foo'.indexOf('bar')`, null),
    m.ok(`'foo'.indexOf('o', 0)`, 1), m.ok(`'foo'.indexOf('o', 1)`, 1), m.ok(`'foo'.indexOf('o', 2)`, 2),
    m.ok(`'f😍o'.indexOf('f')`, 0), m.ok(`'f😍o'.indexOf('😍')`, 1), m.ok(`'f😍o'.indexOf('o')`, 2),
    m.ok(`'f😍😍'.indexOf('😍', 0)`, 1), m.ok(`'f😍😍'.indexOf('😍', 1)`, 1), m.ok(`'f😍😍'.indexOf('😍', 2)`, 2),
    oob(`'foo'.indexOf('o', 5)`, 5, 3), oob(`'f😍😍'.indexOf('😍', 5)`, 5, 3),
    m.ok(`'foo 123'.indexOfRegex('o')`, 1), m.ok(`'foo 123'.indexOfRegex('f')`, 0), m.ok(`'foo 123'.indexOfRegex('[0-9]')`, 4),
    m.ok(`'foo 123'.indexOfRegex('$')`, 7), m.ok(String.raw`'foo'.indexOfRegex('\\W')`, null),
    m.ok(`'foo'.indexOfRegex('o', 0)`, 1), m.ok(`'foo'.indexOfRegex('o', 1)`, 1), m.ok(`'foo'.indexOfRegex('o', 2)`, 2),
    m.ok(`'f😍o'.indexOfRegex('f')`, 0), m.ok(`'f😍o'.indexOfRegex('😍')`, 1), m.ok(`'f😍o'.indexOfRegex('o')`, 2),
    m.ok(`'f😍😍'.indexOfRegex('😍', 0)`, 1), m.ok(`'f😍😍'.indexOfRegex('😍', 1)`, 1), m.ok(`'f😍😍'.indexOfRegex('😍', 2)`, 2),
    oob(`'foo'.indexOfRegex('o', 5)`, 5, 3), oob(`'f😍😍'.indexOfRegex('😍', 5)`, 5, 3),
    m.ok(`'foo'.lastIndexOf('o')`, 2), m.ok(`'foo'.lastIndexOf('f')`, 0), m.ok(`'foo'.lastIndexOf('bar')`, null),
    m.ok(`'foobar'.lastIndexOf('o', 0)`, null), m.ok(`'foobar'.lastIndexOf('o', 1)`, 1), m.ok(`'foobar'.lastIndexOf('o', 2)`, 2),
    m.ok(`'foobar'.lastIndexOf('o', 3)`, 2), m.ok(`'foobar'.lastIndexOf('o', 4)`, 2), m.ok(`'foobar'.lastIndexOf('o', 5)`, 2),
    m.ok(`'f😍o'.lastIndexOf('f')`, 0), m.ok(`'f😍o'.lastIndexOf('😍')`, 1), m.ok(`'f😍o'.lastIndexOf('o')`, 2),
    m.ok(`'f😍😍'.lastIndexOf('😍', 0)`, null), m.ok(`'f😍😍'.lastIndexOf('😍', 1)`, 1), m.ok(`'f😍😍'.lastIndexOf('😍', 2)`, 2),
    oob(`'foo'.lastIndexOf('o', 5)`, 5, 3), oob(`'f😍😍'.lastIndexOf('😍', 5)`, 5, 3),
    // length
    m.tagged(`''.length`, I(0)), m.ok(`'foo'.length`, 3), m.ok(`'fo😍o'.length`, 4), m.ok(`'fo😍😍'.length`, 4),
    api.ok(`'foobar'.length`, 6), api.ok(`'foobarbaz'.length`, 9),
    // matches / matchIndexes
    m.ok(String.raw`'foo bar baz'.matches('\\w+')`, ['foo', 'bar', 'baz']),
    m.err(`'foo bar baz'.matches('+')`, 'invalid_regex', "Invalid regular expression. Dangling meta character '+' at index 0"),
    m.ok(String.raw`'foo bar baz'.matchIndexes('\\w+')`, [[0, 'foo'], [4, 'bar'], [8, 'baz']]),
    m.ok(String.raw`'f😍😍 bar baz'.matchIndexes('\\S+')`, [[0, 'f😍😍'], [4, 'bar'], [8, 'baz']]),
    m.err(`'foo bar baz'.matchIndexes('+')`, 'invalid_regex', "Invalid regular expression. Dangling meta character '+' at index 0"),
    // core reports java.util.regex's description and index (QueryRuntimeFailure.InvalidRegex)
    ...([["'*'", '*', 0], ["'a|?'", '?', 2], ["'(+)'", '+', 1]] as const).map(([re, c, i]) =>
      from('QueryRuntimeFailure.scala (InvalidRegex) + java.util.regex.Pattern').err(`'abc'.matches(${re})`, 'invalid_regex',
        `Invalid regular expression. Dangling meta character '${c}' at index ${i}`)),
    // parse*
    m.tagged(`'3'.parseDouble()`, D('3.0')), m.tagged(`'4294967297'.parseDouble()`, D('4.294967297E9')),
    m.tagged(`'50.0'.parseNumber()`, D('50.0')), m.tagged(`'50.123'.parseNumber()`, D('50.123')), m.ok(`'5a'.parseDouble()`, null),
    m.tagged(`'3'.parseInt()`, I(3)), m.ok(`'4294967297'.parseInt()`, null), m.ok(`'50.0'.parseInt()`, null), m.ok(`'5a'.parseInt()`, null),
    m.tagged(`'1a3'.parseInt(16)`, I(0x1a3)), m.ok(`'1az3'.parseInt(16)`, null),
    m.tagged(`'3'.parseLong()`, L(3)), m.tagged(`'4294967297'.parseLong()`, L(4294967297)), m.ok(`'50.0'.parseLong()`, null), m.ok(`'5a'.parseLong()`, null),
    m.tagged(`'1a3'.parseLong(16)`, L(0x1a3)), m.ok(`'1az3'.parseLong(16)`, null),
    m.tagged(`'3'.parseNumber()`, I(3)), m.tagged(`'4294967297'.parseNumber()`, L(4294967297)), m.ok(`'5a'.parseNumber()`, null),
    // replace*
    m.ok(`'foobar'.replace('foo', 'bar')`, 'barbar'), m.ok(`'foobar'.replace('o', 'oo')`, 'fooobar'),
    m.ok(`'foobar'.replace('o', 'oo', 1)`, 'fooobar'), m.ok(`'foobar'.replace('o', 'oo', 2)`, 'foooobar'), m.ok(`'foobar'.replace('o', 'oo', 3)`, 'foooobar'),
    m.err(`'foo bar'.replace('o', 'z', 0)`, 'invalid_argument', COUNT),
    m.ok(String.raw`'foo bar'.replaceRegex('\\w+', 'bar')`, 'bar bar'), m.ok(`'foo1234bar'.replaceRegex('[0-9]', 'z')`, 'fooz234bar'),
    m.ok(String.raw`'foo bar'.replaceRegex('\\w', 'z', 1)`, 'zoo bar'), m.ok(String.raw`'foo bar'.replaceRegex('\\w', 'z', 2)`, 'zzo bar'),
    m.ok(String.raw`'foo bar'.replaceRegex('\\w', 'z', 3)`, 'zzz bar'), m.ok(String.raw`'foo bar'.replaceRegex('\\w', 'z', 4)`, 'zzz zar'),
    m.err(String.raw`'foo bar'.replaceRegex('\\w', 'z', 0)`, 'invalid_argument', COUNT),
    m.ok(`'foobar'.replaceAll('foo', 'bar')`, 'barbar'), m.ok(`'foobar'.replaceAll('o', 'oo')`, 'foooobar'),
    m.ok(String.raw`'foobar'.replaceAllRegex('\\w', 'z')`, 'zzzzzz'), m.ok(String.raw`'1 2 3'.replaceAllRegex('\\W', '::')`, '1::2::3'),
    // slice
    m.ok(`'foo'.slice(0, 0)`, ''), m.ok(`'foo'.slice(0, 1)`, 'f'), m.ok(`'foo'.slice(0, 2)`, 'fo'), m.ok(`'foo'.slice(1, 0)`, ''),
    m.ok(`'foo'.slice(1, 1)`, ''), m.ok(`'foo'.slice(1, 2)`, 'o'), m.ok(`'foo'.slice(0, 3)`, 'foo'), m.ok(`'foo'.slice(-1, 3)`, 'foo'),
    m.ok(`'foo'.slice(-1, 10)`, 'foo'), m.ok(`'foo'.slice(0)`, 'foo'), m.ok(`'foo'.slice(1)`, 'oo'), m.ok(`'foo'.slice(2)`, 'o'),
    m.ok(`'foo'.slice(3)`, ''), m.ok(`'foo'.slice(4)`, ''),
    m.ok(`'f😍o'.slice(0)`, 'f😍o'), m.ok(`'f😍o'.slice(1)`, '😍o'), m.ok(`'f😍o'.slice(2)`, 'o'), m.ok(`'f😍o'.slice(3)`, ''), m.ok(`'f😍o'.slice(4)`, ''),
    m.ok(`'fo😍o'.slice(0, 0)`, ''), m.ok(`'fo😍o'.slice(0, 1)`, 'f'), m.ok(`'fo😍o'.slice(0, 2)`, 'fo'), m.ok(`'fo😍o'.slice(0, 3)`, 'fo😍'),
    m.ok(`'fo😍o'.slice(0, 4)`, 'fo😍o'), m.ok(`'fo😍o'.slice(0, 5)`, 'fo😍o'),
    m.ok(`'fo😍😍'.slice(0, 0)`, ''), m.ok(`'fo😍😍'.slice(0, 1)`, 'f'), m.ok(`'fo😍😍'.slice(0, 2)`, 'fo'), m.ok(`'fo😍😍'.slice(0, 3)`, 'fo😍'),
    m.ok(`'fo😍😍'.slice(0, 4)`, 'fo😍😍'), m.ok(`'fo😍😍'.slice(0, 5)`, 'fo😍😍'),
    // split*
    m.ok(`'foo bar baz'.split(' ')`, ['foo', 'bar', 'baz']), m.ok(`'foo::bar'.split(':')`, ['foo', '', 'bar']),
    m.ok(`'1:2:'.split(':')`, ['1', '2', '']), m.ok(`':1:2'.split(':')`, ['', '1', '2']), m.ok(`':1:2:'.split(':')`, ['', '1', '2', '']),
    m.ok(`'foo'.split('')`, ['f', 'o', 'o']), m.ok(`'12'.split('')`, ['1', '2']),
    m.ok(String.raw`'foo bar  \t  baz'.splitRegex('\\W+')`, ['foo', 'bar', 'baz']), m.ok(`'foo::bar'.splitRegex(':')`, ['foo', '', 'bar']),
    m.ok(`'1:2:'.splitRegex(':')`, ['1', '2', '']), m.ok(`':1:2'.splitRegex(':')`, ['', '1', '2']), m.ok(`':1:2:'.splitRegex(':')`, ['', '1', '2', '']),
    m.ok(`'foo'.splitRegex('')`, ['f', 'o', 'o']), m.ok(`'12'.splitRegex('(1|)')`, ['', '2', '']), m.ok(`'12'.splitRegex('')`, ['1', '2']),
    m.ok(`'foobar'.splitAt(3)`, ['foo', 'bar']), m.ok(`'foobar'.splitAt(0)`, ['', 'foobar']), m.ok(`'foobar'.splitAt(6)`, ['foobar', '']),
    // toString / case
    m.ok(`'FQL-X'.toString()`, 'FQL-X'), m.ok(`'foobar'.toString()`, 'foobar'),
    m.ok(`'FQL-X'.toLowerCase()`, 'fql-x'), m.ok(`'foobar'.toLowerCase()`, 'foobar'),
    m.ok(`'FQL-X'.toUpperCase()`, 'FQL-X'), m.ok(`'foobar'.toUpperCase()`, 'FOOBAR'),
    // equality
    api.ok(`'hello' == 'hello'`, true), api.ok(`'hello' == 'chello'`, false), api.ok(`'hello' == 1`, false),
    api.ok(`'hello' == true`, false), api.ok(`'hello' == 1.0`, false),
    api.ok(`'hello' != 'hello'`, false), api.ok(`'hello' != 'chello'`, true), api.ok(`'hello' != 1`, true),
    api.ok(`'hello' != true`, true), api.ok(`'hello' != 1.0`, true),
  ]),
};
