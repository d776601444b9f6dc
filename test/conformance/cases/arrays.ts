// Arrays: Array-only methods (at, append, entries, indexOf/indexWhere and their last* forms,
// slice, Array.sequence, ...) and the Iterable methods shared with sets, run on arrays and, where
// core's checkIter does, on `array.toSet()` too; side effects stop where core says they stop
// (core FQL2ArraySpec.scala, FQL2IterableSpec.scala).
import type { ConformanceArea, ConformanceCase } from '../case';
import { I, from, uniqueNames } from '../stdlib-cases';

const arr = from('FQL2ArraySpec.scala');
const it = from('FQL2IterableSpec.scala');
const oob = (q: string, idx: number, len: number, summary?: string) =>
  arr.err(q, 'index_out_of_bounds', `index ${idx} out of bounds for length ${len}`, summary ? { summary } : undefined);
const caret = (q: string, col: number, width: number, msg: string) =>
  `error: ${msg}\nat *query*:1:${col}\n  |\n1 | ${q}\n  | ${' '.repeat(col - 1)}${'^'.repeat(width)}\n  |`;

/** core's checkIter: the same query with `iter` bound to an array, then to a set. */
const iter = (elems: string, q: string, result: unknown): ConformanceCase[] => [
  it.ok(`let iter = [${elems}]; ${q}`, result),
  it.ok(`let iter = [${elems}].toSet(); ${q}`, result),
];
const page = (data: unknown[]) => ({ data });

// core's api FQL2ArraySpec: two-line queries whose error summaries point into line `line`.
const api = from('FQL2ArraySpec.scala (api)');
const NOTC = { 'x-typecheck': 'false' };
const STARS = "let arr = ['Luke', 'Han', 'Leia', 'Lando', 'R2-D2', 'C3-P0', 'Ackbar']";
const summary = (msg: string, line: number, col: number, text: string, width: number) =>
  `error: ${msg}\nat *query*:${line}:${col}\n  |\n${line} | ${text}\n  | ${' '.repeat(col - 1)}${'^'.repeat(width)}\n  |`;
/** An error on the last line of `lines`, with Fauna's summary; typechecking off as core runs it. */
const apiErr = (lines: string[], code: string, msg: string, col: number, width: number, typecheck = false): ConformanceCase => ({
  ...api.err(lines.join('\n'), code, msg, { summary: summary(msg, lines.length, col, lines[lines.length - 1], width) }),
  ...(typecheck ? {} : { headers: NOTC }),
});
const apiCases: ConformanceCase[] = [
  api.ok("let arr = ['a','b','c','d']\narr.length", 4), api.ok('let arr = []\narr.length', 0),
  api.ok("let arr = ['a','b','c','d']\narr[1]", 'b'),
  apiErr(["let arr = ['a','b','c','d']", 'arr[4]'], 'index_out_of_bounds', 'index 4 out of bounds for length 4', 4, 3),
  apiErr(["let arr = ['a','b','c','d']", 'arr[-1]'], 'index_out_of_bounds', 'index -1 out of bounds for length 4', 4, 4),
  api.ok("let arr = ['a','b','c','d']\narr.at(2)", 'c'),
  apiErr(["let arr = ['a','b','c','d']", 'arr.at(4000)'], 'index_out_of_bounds', 'index 4000 out of bounds for length 4', 7, 6, true),
  apiErr(["let arr = ['a','b','c','d']", 'arr.at(-123456)'], 'index_out_of_bounds', 'index -123456 out of bounds for length 4', 7, 9, true),
  api.ok("let arr1 = ['a','b','c','d']\nlet arr2 = ['e','f','g']\narr1.concat(arr2)", ['a', 'b', 'c', 'd', 'e', 'f', 'g']),
  api.ok(`${STARS}\narr.filter((name) => name.startsWith('L'))`, ['Luke', 'Leia', 'Lando']),
  api.ok(`${STARS}\nlet sentence = 'R2-D2 and C3-P0 are Luke\\'s droids'\narr.filter(sentence.includes)`, ['Luke', 'R2-D2', 'C3-P0']),
  apiErr([STARS, 'arr.filter(() => true)'], 'invalid_argument', '`predicate` should accept 1 parameter, provided function requires no parameters.', 11, 12),
  apiErr([STARS, "arr.filter((name) => if(name == 'Han') 'Han' else true)"], 'type_mismatch', 'expected type: Boolean, received String', 11, 45),
  api.ok('let arr = [[1],[2,3,4],[5],[],[6,7]]\narr.flatten()', [1, 2, 3, 4, 5, 6, 7]),
  apiErr(['let arr = [[1],[2,3,4],[5],"howdy",[6,7]]', 'arr.flatten()'], 'type_mismatch', 'expected type: Array<Any>, received String', 12, 2, true),
  api.ok("let arr1 = [1, 2, 3, 4]\nlet arr2 = ['a','b','c','d','e','f','g','h','i']\narr1.flatMap(x => arr2.slice(0, x))", ['a', 'a', 'b', 'a', 'b', 'c', 'a', 'b', 'c', 'd']),
  apiErr(['let arr = [0, 1, 2, 0]', "arr.flatMap(x => 'foobar')"], 'type_mismatch', 'expected type: Array<Any>, received String', 12, 15),
  apiErr(['let arr1 = [0, 1, 2, 0]', "let arr2 = [['a','b'],['c','d','e'],['f','g']]", 'arr1.flatMap((x, y) => x == y)'], 'invalid_argument',
    '`mapper` should accept 1 parameter, provided function requires exactly 2 parameters.', 13, 18),
  api.ok("let arr = ['a','ab','abc','abcd']\narr.forEach(str => str.length)", null),
  apiErr(["let arr = ['a','ab','abc','abcd']", 'arr.forEach((a, b, c) => b.length)'], 'invalid_argument',
    '`fn` should accept 1 parameter, provided function requires exactly 3 parameters.', 12, 23),
  api.ok("let arr = ['a','ab','abc','abcd']\narr.map(str => str.length)", [1, 2, 3, 4]),
  api.ok("let arr = ['a','ab','abc','abcd']\narr.map('ab'.includes)", [true, true, false, false]),
  apiErr(["let arr = ['a','ab','abc','abcd']", 'arr.map((a, b) => a.concat(b))'], 'invalid_argument',
    '`mapper` should accept 1 parameter, provided function requires exactly 2 parameters.', 8, 23),
  api.ok("let arr = ['a','bc','def','ghij']\narr.fold('SEED', (acc, str) => acc.concat(str))", 'SEEDabcdefghij'),
  api.ok("let arr = []\narr.fold('SEED', (acc, str) => acc.concat(str))", 'SEED'),
  apiErr(["let arr = ['a','bc','def','ghij']", "arr.fold('SEED', (a) => a.concat(a))"], 'invalid_argument',
    '`reducer` should accept 2 parameters, provided function requires exactly 1 parameter.', 9, 28),
  api.ok("let arr = ['a','bc','def','ghij']\narr.foldRight('SEED', (acc, str) => acc.concat(str))", 'SEEDghijdefbca'),
  api.ok("let arr = []\narr.foldRight('SEED', (acc, str) => acc.concat(str))", 'SEED'),
  apiErr(["let arr = ['a','bc','def','ghij']", "arr.foldRight('SEED', (a) => a.concat(a))"], 'invalid_argument',
    '`reducer` should accept 2 parameters, provided function requires exactly 1 parameter.', 14, 28),
  api.ok("['a','b','c','d','e','f'].slice(2, 4)", ['c', 'd']), api.ok("['a','b','c','d','e','f'].slice(5, 5000)", ['f']),
  api.ok("['a','b','c','d','e','f'].slice(8, 10)", []), api.ok("['a','b','c','d','e','f'].slice(4, 2)", []),
  api.ok("['a','b','c','d','e','f'].slice(-5, 4)", ['a', 'b', 'c', 'd']), api.ok("['a','b','c','d','e','f'].slice(4, -1)", []),
  api.ok("['a','b','c','d','e','f'].slice(-5, -1)", []),
  api.ok('Nulls.create({foo: [1, null, 2]}).foo', [1, null, 2]), api.ok('Nulls.all().first()!.foo', [1, null, 2]),
  api.ok('Nulls.byFoo(1).first()!.foo', [1, null, 2]), api.ok('Nulls.byFoo(2).first()!.foo', [1, null, 2]),
  api.ok('Nulls.byFoo(null).toArray()', []),
];

export const area: ConformanceArea = {
  area: 'arrays',
  setup: [
    ['IwUser', 'LiwUser', 'AnyArr', 'AnySet', 'AnyArr2', 'AnySet2', 'EveryArr', 'EverySet', 'EveryArr2', 'EverySet2', 'EachArr', 'EachSet', 'MapArr', 'MapSet']
      .map((n) => `Collection.create({ name: "${n}" })`).join('\n'),
    'Collection.create({ name: "Nulls", indexes: { byFoo: { terms: [{ field: "foo", mva: true }] } } })',
  ],
  cases: uniqueNames([
    // at / []
    arr.tagged('[1, 2].at(0)', I(1)), arr.ok('[1, 2].at(1)', 2), arr.ok('[1, 2][0]', 1), arr.ok('[1, 2][1]', 2),
    oob('[].at(0)', 0, 0, caret('[].at(0)', 6, 3, 'index 0 out of bounds for length 0')),
    oob('[][0]', 0, 0, caret('[][0]', 3, 3, 'index 0 out of bounds for length 0')),
    oob('{ let i = 0; [][i] }', 0, 0), oob('[1, 2].at(2)', 2, 2, caret('[1, 2].at(2)', 10, 3, 'index 2 out of bounds for length 2')),
    oob('[1, 2][2]', 2, 2), oob('{ let i = 2; [1, 2][i] }', 2, 2),
    oob('[].at(-1)', -1, 0), oob('{ let i = -1; [][i] }', -1, 0), oob('[1, 2].at(-3)', -3, 2), oob('{ let i = -3; [1, 2][i] }', -3, 2),
    oob('[].at(2147483647)', 2147483647, 0),
    arr.err('[].at(2147483648)', 'invalid_argument', 'expected value for `index` of type Int, received Long'),
    oob('[].at(-2147483648)', -2147483648, 0),
    arr.err('[].at(-2147483649)', 'invalid_argument', 'expected value for `index` of type Int, received Long'),
    oob('[1, 2].at(-2147483648)', -2147483648, 2),
    // append / prepend / entries
    arr.ok('[].append(5)', [5]), arr.ok('[1, 2].append(3)', [1, 2, 3]),
    arr.ok('[].prepend(5)', [5]), arr.ok('[2, 3].prepend(1)', [1, 2, 3]),
    arr.ok("['a', 'b', 'c'].entries()", [[0, 'a'], [1, 'b'], [2, 'c']]),
    // filter / flatten
    arr.ok('[1, 2, 3, 4].filter(v => v >= 3)', [3, 4]), arr.ok('[true, false, null].filter(v => v)', [true]),
    arr.ok('[[1, 2], [3, 4]].flatten()', [1, 2, 3, 4]), arr.ok('[].flatten()', []), arr.ok('[[], []].flatten()', []),
    arr.ok('[[1, 2], [], []].flatten()', [1, 2]), arr.ok('[[], [3, 4]].flatten()', [3, 4]),
    // indexOf / indexWhere
    arr.tagged("['a', 'b', 'c', 'b'].indexOf('a')", I(0)), arr.ok("['a', 'b', 'c', 'b'].indexOf('b')", 1), arr.ok("['a', 'b', 'c', 'b'].indexOf('c')", 2),
    arr.ok("['a', 'b', 'c'].indexOf('d')", null),
    arr.ok("['a', 'b', 'b', 'd'].indexOf('b', 0)", 1), arr.ok("['a', 'b', 'b', 'd'].indexOf('b', 1)", 1),
    arr.ok("['a', 'b', 'b', 'd'].indexOf('b', 2)", 2), arr.ok("['a', 'b', 'b', 'd'].indexOf('b', 3)", null),
    oob("['a', 'b', 'b', 'd'].indexOf('b', -1)", -1, 4), oob("['a', 'b', 'b', 'd'].indexOf('b', 100)", 100, 4), oob("['a', 'b', 'b', 'd'].indexOf('b', -50)", -50, 4),
    arr.ok("['a', 'b', 'c', 'b'].indexWhere(v => v == 'a')", 0), arr.ok("['a', 'b', 'c', 'b'].indexWhere(v => v == 'b')", 1),
    arr.ok("['a', 'b', 'c', 'b'].indexWhere(v => v == 'c')", 2),
    arr.ok("['a', 'b', 'c'].indexWhere(v => false)", null), arr.ok("['a', 'b', 'c'].indexWhere(v => null)", null),
    arr.ok("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', 0)", 1), arr.ok("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', 1)", 1),
    arr.ok("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', 2)", 2), arr.ok("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', 3)", null),
    oob("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', -1)", -1, 4),
    arr.ok("['a', 'b', 'b', 'd'].indexWhere(v => {\n  IwUser.create({ value: v })\n  v == 'b'\n})", 1),
    arr.ok('IwUser.all().map(.value).toArray()', ['a', 'b']),
    oob("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', 100)", 100, 4), oob("['a', 'b', 'b', 'd'].indexWhere(v => v == 'b', -50)", -50, 4),
    // lastIndexOf / lastIndexWhere
    arr.ok("['a', 'b', 'c', 'b'].lastIndexOf('a')", 0), arr.ok("['a', 'b', 'c', 'b'].lastIndexOf('b')", 3), arr.ok("['a', 'b', 'c', 'b'].lastIndexOf('c')", 2),
    arr.ok("['a', 'b', 'c'].lastIndexOf('d')", null),
    arr.ok("['a', 'b', 'b', 'd'].lastIndexOf('b', 0)", null), arr.ok("['a', 'b', 'b', 'd'].lastIndexOf('b', 1)", 1),
    arr.ok("['a', 'b', 'b', 'd'].lastIndexOf('b', 2)", 2), arr.ok("['a', 'b', 'b', 'd'].lastIndexOf('b', 3)", 2),
    oob("['a', 'b', 'b', 'd'].lastIndexOf('b', -1)", -1, 4), oob("['a', 'b', 'b', 'd'].lastIndexOf('b', 100)", 100, 4), oob("['a', 'b', 'b', 'd'].lastIndexOf('b', -50)", -50, 4),
    arr.ok("['a', 'b', 'c', 'b'].lastIndexWhere(v => v == 'a')", 0), arr.ok("['a', 'b', 'c', 'b'].lastIndexWhere(v => v == 'b')", 3),
    arr.ok("['a', 'b', 'c', 'b'].lastIndexWhere(v => v == 'c')", 2),
    arr.ok("['a', 'b', 'c'].lastIndexWhere(v => false)", null), arr.ok("['a', 'b', 'c'].lastIndexWhere(v => null)", null),
    arr.ok("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', 0)", null), arr.ok("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', 1)", 1),
    arr.ok("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', 2)", 2), arr.ok("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', 3)", 2),
    oob("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', -1)", -1, 4),
    arr.ok("['a', 'b', 'b', 'd'].lastIndexWhere(v => {\n  LiwUser.create({ value: v })\n  v == 'b'\n})", 2),
    arr.ok('LiwUser.all().map(.value).toArray()', ['d', 'b']),
    oob("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', 100)", 100, 4), oob("['a', 'b', 'b', 'd'].lastIndexWhere(v => v == 'b', -50)", -50, 4),
    // length / slice / sequence / toSet
    arr.tagged('[].length', I(0)), arr.ok('[1].length', 1), arr.ok('[1, 2].length', 2),
    arr.ok('[1, 2, 3].slice(0, 0)', []), arr.ok('[1, 2, 3].slice(0, 1)', [1]), arr.ok('[1, 2, 3].slice(0, 2)', [1, 2]),
    arr.ok('[1, 2, 3].slice(0, 3)', [1, 2, 3]), arr.ok('[1, 2, 3].slice(0, 4)', [1, 2, 3]),
    arr.ok('[1, 2, 3].slice(0)', [1, 2, 3]), arr.ok('[1, 2, 3].slice(1)', [2, 3]), arr.ok('[1, 2, 3].slice(2)', [3]), arr.ok('[1, 2, 3].slice(3)', []),
    arr.ok('[1, 2].slice(0, 100)', [1, 2]), arr.ok('[1, 2].slice(100, 200)', []), arr.ok('[1, 2].slice(-50, 100)', [1, 2]),
    arr.tagged('Array.sequence(0, 4)', [I(0), I(1), I(2), I(3)]), arr.ok('Array.sequence(4, 0)', []),
    arr.err('Array.sequence(0, 16001)', 'value_too_large', 'Value too large: range size 16001 exceeds limit 16000.'),
    arr.ok('[].toSet().paginate()', page([])), arr.ok('[1, 2].toSet().paginate()', page([1, 2])),
    { ...arr.ok('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17].toSet().paginate()', undefined), result: undefined, subset: { data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] } },
    arr.ok('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17].toSet().paginate().after != null', true),
    // Iterable: aggregate / any / every
    ...iter('1, 2, 3, 4', 'iter.aggregate(0, (a, b) => a + b)', 10), ...iter('', 'iter.aggregate(0, (a, b) => a + b)', 0),
    it.tagged('Set.sequence(1, 10).map(i => [i]).aggregate([], (a, b) => a.concat(b))[0]', I(1)),
    ...iter('1, 2, 3', 'iter.any(v => v == 2)', true), ...iter('1, 2, 3', 'iter.any(v => v == 100)', false), ...iter('1, 2, 3', 'iter.any(v => null)', false),
    it.ok('[1, 2, 3].any(v => {\n  AnyArr.create({ foo: v })\n  v == 2\n})', true), it.ok('AnyArr.all().map(.foo).toArray()', [1, 2]),
    it.ok('[1, 2, 3].toSet().any(v => {\n  AnySet.create({ foo: v })\n  v == 2\n})', true), it.ok('AnySet.all().map(.foo).toArray()', [1, 2]),
    it.ok('[1, 2, 3].any(v => {\n  AnyArr2.create({ foo: v })\n  v == 100\n})', false), it.ok('AnyArr2.all().map(.foo).toArray()', [1, 2, 3]),
    it.ok('[1, 2, 3].toSet().any(v => {\n  AnySet2.create({ foo: v })\n  v == 100\n})', false), it.ok('AnySet2.all().map(.foo).toArray()', [1, 2, 3]),
    ...iter('1, -2, 3', 'iter.every(v => v > 0)', false), ...iter('1, 2, 3', 'iter.every(v => v > 0)', true), ...iter('1, 2, 3', 'iter.every(v => null)', false),
    it.ok('[1, -2, 3].every(v => {\n  EveryArr.create({ foo: v })\n  v > 0\n})', false), it.ok('EveryArr.all().map(.foo).toArray()', [1, -2]),
    it.ok('[1, -2, 3].toSet().every(v => {\n  EverySet.create({ foo: v })\n  v > 0\n})', false), it.ok('EverySet.all().map(.foo).toArray()', [1, -2]),
    it.ok('[1, 2, 3].every(v => {\n  EveryArr2.create({ foo: v })\n  v > 0\n})', true), it.ok('EveryArr2.all().map(.foo).toArray()', [1, 2, 3]),
    it.ok('[1, 2, 3].toSet().every(v => {\n  EverySet2.create({ foo: v })\n  v > 0\n})', true), it.ok('EverySet2.all().map(.foo).toArray()', [1, 2, 3]),
    // concat / distinct / drop
    it.ok('[1, 2].concat([3, 4])', [1, 2, 3, 4]), it.ok('[1, 2].toSet().concat([3, 4].toSet()).paginate()', page([1, 2, 3, 4])),
    it.ok('[].toSet().concat([].toSet()).paginate()', page([])), it.ok('[1, 2].toSet().concat([].toSet()).paginate()', page([1, 2])),
    it.ok('[].toSet().concat([3, 4].toSet()).paginate()', page([3, 4])),
    it.ok('[1, 1, 2, 3, 3].distinct()', [1, 2, 3]), it.ok('[1, 1, 2, 3, 3].toSet().distinct().paginate()', page([1, 2, 3])),
    it.ok('[1, 2, 3, 4, 5].drop(2)', [3, 4, 5]), it.ok('[1, 2, 3, 4, 5].toSet().drop(2).toArray()', [3, 4, 5]),
    it.ok('[1, 2, 3, 4, 5].drop(100)', []), it.ok('[1, 2, 3, 4, 5].toSet().drop(100).toArray()', []),
    // first / firstWhere / last / lastWhere
    ...iter('1', 'iter.first()', 1), ...iter('1, 2', 'iter.first()', 1), ...iter('', 'iter.first()', null),
    ...iter('1, 2, 3, 4', 'iter.firstWhere(v => v > 2)', 3), ...iter('', 'iter.firstWhere(v => v > 2)', null),
    ...iter('1, 2, 3, 4', 'iter.firstWhere(v => v > 10)', null), ...iter('1, 2, 3, 4', 'iter.firstWhere(v => null)', null),
    ...iter('1', 'iter.last()', 1), ...iter('1, 2', 'iter.last()', 2), ...iter('', 'iter.last()', null),
    ...iter('1, 2, 3, 4', 'iter.lastWhere(v => v > 2)', 4), ...iter('', 'iter.lastWhere(v => v > 2)', null),
    ...iter('1, 2, 3, 4', 'iter.lastWhere(v => v > 10)', null),
    // flatMap / fold / foldRight
    it.ok('[1, 2, 3, 4].flatMap(v => [v, v + 10])', [1, 11, 2, 12, 3, 13, 4, 14]),
    it.ok('[1, 2, 3, 4].toSet().flatMap(v => [v, v + 10].toSet()).paginate()', page([1, 11, 2, 12, 3, 13, 4, 14])),
    ...iter('1, 2, 3', 'iter.fold(100, (value, elem) => value + elem)', 106), ...iter('1, 2, 3', 'iter.fold([], (value, elem) => value.concat([elem]))', [1, 2, 3]),
    ...iter('', 'iter.fold(0, (a, b) => 100)', 0),
    it.ok('Set.sequence(1, 10).map(i => [i]).fold([], (a, b) => a.concat(b))[0]', 1), it.ok('Set.sequence(1, 10).fold([], (a, b) => a.append(b))[0]', 1),
    ...iter('1, 2, 3', 'iter.foldRight(100, (value, elem) => value + elem)', 106),
    ...iter('1, 2, 3', 'iter.foldRight([], (value, elem) => value.concat([elem]))', [3, 2, 1]), ...iter('', 'iter.foldRight(0, (a, b) => 100)', 0),
    // forEach
    it.ok('[1, 2, 3].forEach(v => {\n  EachArr.create({ foo: v })\n})', null), it.ok('EachArr.all().map(.foo).toArray().order()', [1, 2, 3]),
    it.ok('[1, 2, 3, 4].toSet().forEach(v => {\n  EachSet.create({ foo: v })\n})\n\n"some result"', 'some result'),
    it.ok('EachSet.all().map(.foo).toArray().order()', [1, 2, 3, 4]),
    // isEmpty / nonEmpty / includes
    ...iter('', 'iter.isEmpty()', true), ...iter('1, 2', 'iter.take(0).isEmpty()', true), ...iter('1', 'iter.isEmpty()', false), ...iter('1, 2', 'iter.isEmpty()', false),
    ...iter('', 'iter.nonEmpty()', false), ...iter('1, 2', 'iter.take(0).nonEmpty()', false), ...iter('1', 'iter.nonEmpty()', true), ...iter('1, 2', 'iter.nonEmpty()', true),
    ...iter('1, 2, 3', 'iter.includes(2)', true), ...iter('1, 2, 3', 'iter.includes(100)', false),
    // map
    it.ok('[1, 2, 3, 4].map(v => v + 2)', [3, 4, 5, 6]), it.ok('[1, 2, 3, 4].toSet().map(v => v + 2).paginate()', page([3, 4, 5, 6])),
    it.ok('[].map(v => v + 2)', []), it.ok('[].toSet().map(v => v + 2).paginate()', page([])),
    it.ok('[1, 2, 3, 4].map(v => {\n  MapArr.create({ foo: v })\n})\n\n"some result"', 'some result'), it.ok('MapArr.all().count()', 4),
    it.ok('[1, 2, 3, 4].toSet().map(v => {\n  MapSet.create({ foo: v })\n})\n\n"some result"', 'some result'), it.ok('MapSet.all().count()', 0),
    // reduce / reduceRight
    ...iter('1, 2, 3', 'iter.reduce((value, elem) => value + elem)', 6), ...iter('1, 2, 3', 'iter.map(v => [v]).reduce((acc, elem) => acc.concat(elem))', [1, 2, 3]),
    ...iter('1', 'iter.reduce((acc, elem) => 500)', 1), ...iter('', 'iter.reduce((acc, elem) => 100)', null),
    it.ok('Set.sequence(1, 10).map(i => [i]).reduce((a, b) => a.concat(b))[1]', 2),
    ...iter('1, 2, 3', 'iter.reduceRight((acc, elem) => acc + elem)', 6), ...iter('1, 2, 3', 'iter.map(v => [v]).reduceRight((acc, elem) => acc.concat(elem))', [3, 2, 1]),
    ...iter('1', 'iter.reduceRight((acc, elem) => 500)', 1), ...iter('', 'iter.reduceRight((a, b) => 100)', null),
    // reverse / order
    it.ok('[1, 2, 3].reverse()', [3, 2, 1]), it.ok('[1, 2, 3].toSet().reverse().toArray()', [3, 2, 1]),
    it.ok('[1, 2, 3].reverse().reverse()', [1, 2, 3]), it.ok('[1, 2, 3].toSet().reverse().reverse().toArray()', [1, 2, 3]),
    it.ok('[3, 2, 4, 1].toSet().order().toArray()', [1, 2, 3, 4]), it.ok('[3, 2, 4, 1].order()', [1, 2, 3, 4]),
    it.ok('[1, 2, 3, 4].toSet().order(asc(v => v)).paginate()', page([1, 2, 3, 4])), it.ok('[1, 2, 3, 4].toSet().order(desc(v => v)).paginate()', page([4, 3, 2, 1])),
    it.ok('[1, 2, 3, 4].order(asc(v => v))', [1, 2, 3, 4]), it.ok('[1, 2, 3, 4].order(desc(v => v))', [4, 3, 2, 1]),
    it.ok('[3, 1, 2, 4].toSet().order(asc(v => v)).paginate()', page([1, 2, 3, 4])), it.ok('[3, 1, 2, 4].toSet().order(desc(v => v)).paginate()', page([4, 3, 2, 1])),
    it.ok('[3, 1, 2, 4].order(asc(v => v))', [1, 2, 3, 4]), it.ok('[3, 1, 2, 4].order(desc(v => v))', [4, 3, 2, 1]),
    it.ok('[{ name: "Bob", age: 30 }, { name: "Dave", age: 20 }, { name: "Alice", age: 20 }, { name: "Carol", age: 30 }].order(asc(.age), asc(.name))',
      [{ name: 'Alice', age: 20 }, { name: 'Dave', age: 20 }, { name: 'Bob', age: 30 }, { name: 'Carol', age: 30 }]),
    it.ok('[{ name: "Bob", age: 30 }, { name: "Dave", age: 20 }, { name: "Alice", age: 20 }, { name: "Carol", age: 30 }].toSet().order(asc(.age), asc(.name)).paginate()',
      page([{ name: 'Alice', age: 20 }, { name: 'Dave', age: 20 }, { name: 'Bob', age: 30 }, { name: 'Carol', age: 30 }])),
    // take / toSet / where / toString
    it.ok('[1].take(1)', [1]), it.ok('[1, 2].take(1)', [1]), it.ok('[1].toSet().take(1).toArray()', [1]), it.ok('[1, 2].toSet().take(1).toArray()', [1]),
    it.ok('[1].take(0)', []), it.ok('[1, 2].take(0)', []), it.ok('[1].toSet().take(0).toArray()', []), it.ok('[1, 2].toSet().take(0).toArray()', []),
    it.ok('[1].take(10)', [1]), it.ok('[1, 2].take(10)', [1, 2]), it.ok('[1].toSet().take(10).toArray()', [1]), it.ok('[1, 2].toSet().take(10).toArray()', [1, 2]),
    ...iter('', 'iter.toSet().paginate()', page([])), ...iter('1', 'iter.toSet().paginate()', page([1])), ...iter('1, 2', 'iter.toSet().paginate()', page([1, 2])),
    it.ok('[1, 2, 3, 4].where(v => v > 2)', [3, 4]), it.ok('[1, 2, 3, 4].toSet().where(v => v > 2).paginate()', page([3, 4])),
    it.ok('[].where(v => v > 2)', []), it.ok('[].toSet().where(v => v > 2).paginate()', page([])), it.ok('[true, false, null].where(v => v)', [true]),
    it.ok('[1, 2].toString()', '[1, 2]'), it.ok("['a', 'b'].toString()", '["a", "b"]'),
    it.ok('[1, 2].toSet().toString()', '[set]'), it.ok("['a', 'b'].toSet().toString()", '[set]'),
    ...apiCases,
  ]),
};
