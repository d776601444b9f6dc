// Operators: arithmetic with Fauna's numeric widening, string `+` of any value, comparison and
// equality across types (core FQL2ArithmeticOperatorsSpec.scala, FQL2ComparisonOperatorsSpec.scala,
// FQL2ComparisonSpec.scala, Strings.scala `+`).
import type { ConformanceArea, ConformanceCase } from '../case';

const ARITH = 'FQL2ArithmeticOperatorsSpec.scala';
const CMP = 'FQL2ComparisonSpec.scala';
const INTERP = 'FQL2InterpreterSpec.scala';
const NO_TC = { 'x-typecheck': 'false' };
const lines = (...l: string[]): string => l.join('\n');

// `?.` and `!` (core FQLInterpreter.evalMethodChain0): a `?.` that meets null skips the rest of
// its chain (a parenthesized group ends the chain) but keeps the null, whose cause a `!` reports;
// `!` points from the chain's last link to the bang, with the null's hint when the null was made
// elsewhere (QueryFailure.scala NullValue).
const chainCases: ConformanceCase[] = [
  { name: '?. short-circuits a field', query: 'null?.foo', result: null, source: `${INTERP} (short-circuit on nulls)` },
  { name: '?. short-circuits a method call', query: 'null?.foo()', result: null, source: `${INTERP} (short-circuit on nulls)` },
  { name: '?. short-circuits an index', query: 'null?.foo[0]', result: null, source: `${INTERP} (short-circuit on nulls)` },
  { name: '?. after a null field', query: '{ foo: { bar: null } }.foo.bar?.baz', result: null, source: `${INTERP} (short-circuit on nulls)` },
  { name: '?.() and ?.[] short-circuit', query: '[null?.(), null?.[0]]', result: [null, null], source: `${INTERP} (short-circuit function calls and index access)` },
  {
    name: 'parenthesized expression breaks the short-circuit chain',
    query: '(null?.foo).bar',
    headers: NO_TC,
    error: { code: 'invalid_null_access', message: 'Cannot access `bar` on null.', summaryIncludes: lines('at *query*:1:13', '  |', '1 | (null?.foo).bar', '  |             ^^^', '  |') },
    source: `${INTERP} (parenthesized expression breaks the short-circuit chain)`,
  },
  {
    name: 'a parenthesized ?. chain is applied, not skipped',
    query: '(null?.foo)()',
    headers: NO_TC,
    error: { code: 'type_mismatch', message: 'expected type: Function, received Null', summaryIncludes: lines('at *query*:1:12', '  |', '1 | (null?.foo)()', '  |            ^^', '  |') },
    source: 'FQLInterpreter.scala (Expr.Tuple of one element evaluates alone; evalAp on a null: InvalidType)',
  },
  { name: 'a parenthesized ?. chain is null', query: '(null?.foo)?.bar', result: null, source: `${INTERP} (parenthesized expression breaks the short-circuit chain)` },
  {
    name: 'different statements do not short-circuit',
    query: 'let foo = null?.foo.bar[0].baz()\nfoo.bar',
    headers: NO_TC,
    error: { code: 'invalid_null_access', message: 'Cannot access `bar` on null.', summaryIncludes: lines('at *query*:2:5', '  |', '2 | foo.bar', '  |     ^^^', '  |') },
    source: `${INTERP} (different statements doesn't short-circuit)`,
  },
  {
    name: 'only short-circuit if the receiver is null',
    query: 'let x = {foo: null}\nx?.foo.bar',
    headers: NO_TC,
    error: { code: 'invalid_null_access', message: 'Cannot access `bar` on null.', summaryIncludes: lines('at *query*:2:8', '  |', '2 | x?.foo.bar', '  |        ^^^', '  |') },
    source: `${INTERP} (only short-circuit if recipient evals to null)`,
  },
  {
    name: '?. does not short-circuit binary operators',
    query: 'null?.foo + 1',
    headers: NO_TC,
    error: { code: 'invalid_function_invocation', message: 'The function `+` does not exist on `Null`', summaryIncludes: lines('at *query*:1:11', '  |', '1 | null?.foo + 1', '  |           ^', '  |') },
    source: `${INTERP} (doesn't short circuit binary operators)`,
  },
  {
    name: '! after a ?. chain keeps the null cause',
    query: 'let foo = {}\n\nfoo?.bar?.baz!',
    headers: NO_TC,
    error: {
      code: 'null_value', message: 'Null value, due to missing field `bar`',
      summary: lines('error: Null value, due to missing field `bar`', 'at *query*:3:11', '  |', '3 | foo?.bar?.baz!', '  |           ^^^^', '  |',
        'hint: Null value created here', '  |', '3 | foo?.bar?.baz!', '  |      ^^^', '  |'),
    },
    source: `${INTERP} (! operator: chains with ?. correctly), QueryFailure.scala (NullValue)`,
  },
  {
    name: '! skips nothing after a ?. chain',
    query: 'null?.foo[0].bar().baz!',
    headers: NO_TC,
    error: {
      code: 'null_value', message: 'Null literal value',
      summary: lines('error: Null literal value', 'at *query*:1:19', '  |', '1 | null?.foo[0].bar().baz!', '  |                   ^^^^^', '  |',
        'hint: Null value created here', '  |', '1 | null?.foo[0].bar().baz!', '  | ^^^^', '  |'),
    },
    source: `${INTERP} (short-circuit nested things (except bang) after ?.), QueryFailure.scala (NullValue)`,
  },
  {
    name: '! on a null literal',
    query: 'null!',
    error: { code: 'null_value', message: 'Null literal value', summary: lines('error: Null literal value', 'at *query*:1:1', '  |', '1 | null!', '  | ^^^^^', '  |') },
    source: `${INTERP} (! operator: null literal)`,
  },
  {
    name: '! on a null a function returns',
    query: 'let foo = () => null\n\nfoo()!',
    error: {
      code: 'null_value', message: 'Null literal value',
      summary: lines('error: Null literal value', 'at *query*:3:4', '  |', '3 | foo()!', '  |    ^^^', '  |',
        'hint: Null value created here', 'at *query*:1:17', '  |', '1 | let foo = () => null', '  |                 ^^^^', '  |'),
    },
    source: `${INTERP} (! operator: null literal)`,
  },
  {
    name: '! on a missing field',
    query: 'let foo = {}\n\nfoo.bar!',
    headers: NO_TC,
    error: {
      code: 'null_value', message: 'Null value, due to missing field `bar`',
      summary: lines('error: Null value, due to missing field `bar`', 'at *query*:3:5', '  |', '3 | foo.bar!', '  |     ^^^^', '  |'),
    },
    source: `${INTERP} (! operator: missing field)`,
  },
  {
    name: '! on a missing field read earlier',
    query: 'let foo = {}\nlet bar = foo.bar\n\nbar!',
    headers: NO_TC,
    error: {
      code: 'null_value', message: 'Null value, due to missing field `bar`',
      summary: lines('error: Null value, due to missing field `bar`', 'at *query*:4:1', '  |', '4 | bar!', '  | ^^^^', '  |',
        'hint: Null value created here', 'at *query*:2:15', '  |', '2 | let bar = foo.bar', '  |               ^^^', '  |'),
    },
    source: `${INTERP} (! operator: missing field), QueryFailure.scala (NullValue)`,
  },
  {
    name: '! on an empty set\'s first()',
    query: 'User.where(.id == "999").first()!',
    error: { code: 'null_value', message: 'Null value, due to empty set', summaryIncludes: lines('at *query*:1:31', '  |', '1 | User.where(.id == "999").first()!', '  |                               ^^^', '  |') },
    source: `${INTERP} (! operator: empty set)`,
  },
];

/** [query, simple result, FQL type of the result] */
const ARITHMETIC: readonly [string, unknown, string][] = [
  ['2 + 2', 4, 'Int'], ['987 + -382', 605, 'Int'], ['1000000000 + 2000000000', 3000000000, 'Long'],
  ['5 + 3000000000', 3000000005, 'Long'], ['3000000000 + 5', 3000000005, 'Long'], ['8000000000 + 1000000000', 9000000000, 'Long'],
  ['9000000000000000000 + 9000000000000000000', 18.0e18, 'Double'], ['5 + 9.8', 14.8, 'Double'], ['5.8 + 9', 14.8, 'Double'],
  ['8000000000 + 12.345', 8000000012.345, 'Double'], ['54.321 + 8000000000', 8000000054.321, 'Double'],
  ['3.14159265358979323846 + 1.618033988749894', 4.759626642339687, 'Double'], ['1.7e308 + 1.7e308', 'Infinity', 'Double'],
  ['2 + 9 + 83', 94, 'Int'],
  ['7 - 18', -11, 'Int'], ['389-203', 186, 'Int'], ['-1000000000 - 2000000000', -3000000000, 'Long'],
  ['5 - 3000000000', -2999999995, 'Long'], ['3000000000 - 5', 2999999995, 'Long'], ['8000000000 - 1000000000', 7000000000, 'Long'],
  ['-9000000000000000000 - 9000000000000000000', -18.0e18, 'Double'], ['5 - 9.8', -4.800000000000001, 'Double'], ['5.8 - 9', -3.2, 'Double'],
  ['8000000000 - 12.345', 7999999987.655, 'Double'], ['54.321 - 8000000000', -7999999945.679, 'Double'],
  ['3.14159265358979323846 - 2.71828182845904523536', 0.423310825130748, 'Double'], ['-1.7e308 - 1.7e308', '-Infinity', 'Double'],
  ['2 - 9 - 83', -90, 'Int'],
  ['2 * 7', 14, 'Int'], ['987 * -382', -377034, 'Int'], ['2000000000 * 2', 4000000000, 'Long'], ['-5 * 3000000000', -15000000000, 'Long'],
  ['3000000000 * 5', 15000000000, 'Long'], ['2 * 9000000000000000000', 18.0e18, 'Double'], ['9000000000000000000 * 2', 18.0e18, 'Double'],
  ['2147483648 * 2147483648', 4611686018427387904, 'Long'], ['9000000000000000000 * 9000000000000000000', 81.0e36, 'Double'],
  ['3 * 9.8', 29.400000000000002, 'Double'], ['5.8 * 9', 52.199999999999996, 'Double'], ['8000000000 * 1.2', 9.6e9, 'Double'],
  ['54.321 * 8000000000', 4.34568e11, 'Double'], ['3.14159265358979323846 * 1.618033988749894', 5.083203692315257, 'Double'],
  ['1.7e308 * 1.7e308', 'Infinity', 'Double'], ['1.7e308 * -1.7e308', '-Infinity', 'Double'], ['2 * 9 * 83', 1494, 'Int'],
  ['18 / 2', 9, 'Int'], ['987/-382', -2, 'Int'], ['234 / 0.0', 'Infinity', 'Double'], ['-234 / 0.0', '-Infinity', 'Double'],
  ['-5 / 3000000000', 0, 'Number'], ['300000000000 / 5', 60000000000, 'Long'], ['70000000000 / 0.0', 'Infinity', 'Double'],
  ['-70000000000 / 0.0', '-Infinity', 'Double'], ['2147483648 / 2147483648', 1, 'Number'], ['3 / 9.8', 0.3061224489795918, 'Double'],
  ['5.8 / 9', 0.6444444444444444, 'Double'], ['8000000000 / 1.2', 6.666666666666667e9, 'Double'], ['54.321 / 8000000000', 6.790125e-9, 'Double'],
  ['2.71828182845904523536 / 3.14159265358979323846', 0.8652559794322651, 'Double'], ['1.0 / 2.0', 0.5, 'Double'],
  ['1.7e308 / 1.7e-308', 'Infinity', 'Double'], ['-1.7e308 / 1.7e-308', '-Infinity', 'Double'], ['2.34 / 0', 'Infinity', 'Double'],
  ['-2.34 / 0', '-Infinity', 'Double'], ['234e-9 / 0.0', 'Infinity', 'Double'], ['-234e-9 / 0.0', '-Infinity', 'Double'], ['81 / 9 / 9', 1, 'Int'],
];

const arithmeticCases: ConformanceCase[] = ARITHMETIC.flatMap(([q, r, type]): ConformanceCase[] => [
  { name: `${q}`, query: q, result: r, source: ARITH },
  { name: `${q} isa ${type}`, query: `(${q}) isa ${type}`, result: true, source: ARITH },
]);

const divideByZero = (q: string, col: number): ConformanceCase => ({
  name: `${q} divides by zero`, query: q,
  error: { code: 'divide_by_zero', message: 'Attempted integer division by zero.', summary: `error: Attempted integer division by zero.\nat *query*:1:${col}\n  |\n1 | ${q}\n  | ${' '.repeat(col - 1)}^\n  |` },
  source: ARITH,
});

/** Values that are all different from each other (core FQL2ComparisonSpec "equals and hashCode works"). */
const DISTINCT = [
  'null', 'ID(0)', '1', '0x10ffffffff', '3.0', '"hi"', 'true', 'Time("2020-01-01T00:00:00Z")', 'Time.now()', 'Date("2020-01-01")',
  'User(0)', '[1, 2]', '{ a: 2, b: 3 }', 'Time.now', 'Collection', 'TransactionTime()', 'User.all()',
];

const equalityCases: ConformanceCase[] = DISTINCT.flatMap((a, i): ConformanceCase[] => [
  { name: `equality row ${a}`, query: `[${DISTINCT.map((b) => `${a} == ${b}`).join(', ')}]`, result: DISTINCT.map((_, j) => i === j), source: `${CMP} (equals and hashCode works)` },
  { name: `inequality row ${a}`, query: `[${DISTINCT.map((b) => `${a} != ${b}`).join(', ')}]`, result: DISTINCT.map((_, j) => i !== j), source: `${CMP} (equals and hashCode works)` },
]);

const cmp = (q: string, r: boolean, source = CMP): ConformanceCase => ({ name: q, query: q, result: r, source });

export const area: ConformanceArea = {
  area: 'operators',
  setup: ['Collection.create({ name: "User" })', 'User.create({ id: 0 })', 'User.create({ id: 1 })', 'User.create({ id: 2 })'],
  cases: [
    ...arithmeticCases,
    ...chainCases,
    divideByZero('234 / 0', 7),
    divideByZero('70000000000 / 0', 15),
    { name: '% by zero', query: '5 % 0', error: { code: 'divide_by_zero', message: 'Attempted integer division by zero.' }, source: 'QueryFailure.scala (DivideByZero)' },
    // String + any value (core StringPrototype "+": the other operand's display string).
    { name: 'string + int', query: '"foo" + 3', result: 'foo3', source: 'Strings.scala (defOp "+" other: Any)' },
    { name: 'string + int, typechecking off', query: '"foo" + 3', headers: { 'x-typecheck': 'false' }, result: 'foo3', source: 'Strings.scala (defOp "+" other: Any)' },
    { name: 'string + double', query: '"x" + 2.5', result: 'x2.5', source: 'Strings.scala (defOp "+")' },
    { name: 'string + integral double', query: '"x" + 2.0', result: 'x2', source: 'Strings.scala + FQL2ToStringSpec.scala (2.0 displays as 2)' },
    { name: 'string + long', query: '"x" + 3000000000', result: 'x3000000000', source: 'Strings.scala (defOp "+")' },
    { name: 'string + boolean', query: '"x" + true', result: 'xtrue', source: 'Strings.scala (defOp "+")' },
    { name: 'string + null', query: '"x" + null', result: 'xnull', source: 'Strings.scala (defOp "+")' },
    { name: 'string + array', query: '"x" + [1, "a"]', result: 'x[1, "a"]', source: 'Strings.scala + FQL2ToStringSpec.scala (arrays use debug formatting)' },
    { name: 'string + object', query: '"x" + { a: 1 }', result: 'x{ a: 1 }', source: 'Strings.scala + FQL2ToStringSpec.scala' },
    { name: 'string + time', query: '"x" + Time("1970-01-01T01:02:03Z")', result: 'x1970-01-01T01:02:03Z', source: 'Strings.scala + FQL2ToStringSpec.scala' },
    { name: 'string + date', query: '"x" + Date("1973-02-03")', result: 'x1973-02-03', source: 'Strings.scala + FQL2ToStringSpec.scala' },
    { name: 'string + module', query: '"x" + Math', result: 'xMath', source: 'Strings.scala + FQL2ToStringSpec.scala' },
    { name: 'string + string', query: '"foo" + "bar"', result: 'foobar', source: 'Strings.scala (defOp "+")' },
    { name: 'int + string is not defined', query: '3 + "foo"', error: { code: 'invalid_argument', message: 'expected value for `other` of type Number, received String' }, source: 'Numbers.scala (defOp "+" other: Number)' },
    { name: 'null + 1', query: 'null + 1', error: { code: 'invalid_function_invocation', message: 'The function `+` does not exist on `Null`' }, source: 'QueryFailure.scala (FunctionDoesNotExist)' },
    { name: 'string - string', query: '"a" - "b"', error: { code: 'invalid_function_invocation', message: 'The function `-` does not exist on `String`' }, source: 'QueryFailure.scala (FunctionDoesNotExist)' },
    // Comparisons.
    // core Value.TransactionTime is a type of its own (totalOrderingPosition 8, after Time's 7):
    // unrelated to a Time for the relational operators, sorted after every Time.
    cmp('TransactionTime() < Time("2999-01-01T00:00:00Z")', false, `${CMP} (unrelated types behavior); Value.scala (TransactionTime)`),
    cmp('TransactionTime() > Time("1999-01-01T00:00:00Z")', false, `${CMP} (unrelated types behavior); Value.scala (TransactionTime)`),
    cmp('TransactionTime() >= TransactionTime()', true, `${CMP} (equals and hashCode works)`),
    {
      name: 'the transaction time sorts after every Time', query: '[TransactionTime(), Time("2999-01-01T00:00:00Z")].toSet().order().map(t => t == TransactionTime()).toArray()',
      result: [false, true], source: 'Value.scala (totalOrderingPosition: Time 7, TransactionTime 8)',
    },
    { name: '1.33 == 1.33', query: '1.33 == 1.33', result: true, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: '1.33 == 1.34', query: '1.33 == 1.34', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: '1.33 == 1', query: '1.33 == 1', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: '1.0 == 1', query: '1.0 == 1', result: true, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: "1.33 == 'hi'", query: "1.33 == 'hi'", result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: '1.33 == true', query: '1.33 == true', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: 'null == null', query: 'null == null', result: true, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: 'null == 5', query: 'null == 5', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: "null == 'hi'", query: "null == 'hi'", result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: 'null == true', query: 'null == true', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    { name: 'null == 5.4', query: 'null == 5.4', result: false, source: 'FQL2ComparisonOperatorsSpec.scala' },
    cmp('[2 == 2, 2 != 2, 2 > 2, 2 < 2, 2 >= 2, 2 <= 2] == [true, false, false, false, true, true]', true),
    cmp('[2 == 3, 2 != 3, 2 > 3, 2 < 3, 2 >= 3, 2 <= 3] == [false, true, false, true, false, true]', true),
    cmp("'a' == 2", false), cmp("'a' != 2", true), cmp("'a' > 2", false), cmp("'a' < 2", false), cmp("'a' >= 2", false), cmp("'a' <= 2", false),
    cmp("['a'] < [2]", false),
    ...['==', '!='].flatMap((op) => {
      const eq = op === '==';
      return [
        cmp(`[] ${op} [2]`, !eq), cmp(`['a'] ${op} [2]`, !eq), cmp(`['a', 'b'] ${op} [2]`, !eq),
        cmp(`[] ${op} []`, eq), cmp(`[2] ${op} [2]`, eq), cmp(`[2, 3] ${op} [2, 3]`, eq),
        cmp(`{} ${op} { a: 2 }`, !eq), cmp(`{ a: 'foo' } ${op} { a: 2 }`, !eq), cmp(`{ a: 'foo' } ${op} { b: 'foo' }`, !eq),
        cmp(`{ a: 'foo', b: 'b' } ${op} { a: 2 }`, !eq), cmp(`{} ${op} {}`, eq), cmp(`{ a: 2 } ${op} { a: 2 }`, eq),
        cmp(`{ a: 2, b: 2 } ${op} { a: 2, b: 2 }`, eq), cmp(`{ a: 2, b: 2 } ${op} { b: 2, a: 2 }`, eq),
      ];
    }),
    cmp('[2] < [2, 3]', true), cmp('[2] < [3, 3]', true), cmp('[2, 5] < [3, 3]', true), cmp('[2, 5] < [3]', true),
    cmp('[3, 5] > [2]', true), cmp('[3, 5] > [2, 5]', true), cmp('[3, 5] > [3, 4]', true), cmp('[4] > [3, 5]', true),
    cmp("[1] < ['hi']", true), cmp("[1] > ['hi']", false),
    cmp('{ a: 2 } < { a: 2, b: 3 }', true), cmp('{ a: 2 } < { a: 3, b: 3 }', true), cmp('{ a: 2, b: 5 } < { a: 3, b: 3 }', true),
    cmp('{ a: 2, b: 5 } < { a: 3 }', true), cmp('{ a: 3, b: 5 } > { a: 2 }', true), cmp('{ a: 3, b: 5 } > { a: 2, b: 5 }', true),
    cmp('{ a: 3, b: 5 } > { a: 3, b: 4 }', true), cmp('{ a: 4 } > { a: 3, b: 5 }', true), cmp('{ a: 3 } < { b: 2 }', true), cmp('{ a: 2 } < { b: 3 }', true),
    cmp('Collection < Time', true), cmp('Collection > Time', false),
    ...equalityCases,
    // Logical and null-coalescing operators.
    { name: 'true && false', query: 'true && false', result: false, source: 'FQL2InterpreterSpec.scala' },
    { name: 'false || true', query: 'false || true', result: true, source: 'FQL2InterpreterSpec.scala' },
    { name: '&& short-circuits', query: 'false && abort("no")', result: false, source: 'FQL2InterpreterSpec.scala' },
    { name: '|| short-circuits', query: 'true || abort("no")', result: true, source: 'FQL2InterpreterSpec.scala' },
    { name: '!true', query: '!true', result: false, source: 'Booleans.scala' },
    { name: '?? on null', query: 'null ?? 1', result: 1, source: 'FQL2InterpreterSpec.scala' },
    { name: '?? on a value', query: '0 ?? 1', result: 0, source: 'FQL2InterpreterSpec.scala' },
    { name: '?? on a missing document', query: 'User.byId("999") ?? "none"', result: 'none', source: 'FQL2InterpreterSpec.scala' },
    { name: 'unary minus', query: '-(3)', result: -3, source: 'Numbers.scala' },
    { name: 'power', query: '2 ** 10', result: 1024, source: 'Numbers.scala' },
    { name: 'modulo', query: '7 % 3', result: 1, source: 'Numbers.scala' },
    { name: 'bitwise and', query: '6 & 3', result: 2, source: 'Numbers.scala' },
    { name: 'bitwise or', query: '6 | 3', result: 7, source: 'Numbers.scala' },
    { name: 'bitwise xor', query: '6 ^ 3', result: 5, source: 'Numbers.scala' },
    { name: 'bitwise not', query: '~6', result: -7, source: 'Numbers.scala' },
    { name: 'hex literal', query: '0x10ffffffff', result: 73014444031, source: CMP },
    { name: 'precedence of * over +', query: '2 + 3 * 4', result: 14, source: 'Parser.scala' },
  ],
};
