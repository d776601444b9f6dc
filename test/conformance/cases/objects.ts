// Objects: `[]` on structs, the Object module (keys, values, entries, fromEntries, assign,
// select, hasPath, toString) on structs, documents, missing documents and index partials, plus
// static type errors (core FQL2ObjectSpec.scala, FQL2ToStringSpec.scala).
import type { ConformanceArea, ConformanceCase } from '../case';
import { I, from, uniqueNames } from '../stdlib-cases';

const o = from('FQL2ObjectSpec.scala');
const ts = from('FQL2ToStringSpec.scala');
const NOTC = { 'x-typecheck': 'false' };
const CHECK = 'The query failed 1 validation check';
/** A static type error (QueryCheckFailure) with its one diagnostic. */
const check = (q: string, diag: string): ConformanceCase => ({
  name: `${q} fails to typecheck`, query: q, error: { code: 'invalid_query', message: CHECK, summaryIncludes: `error: ${diag}` }, source: 'FQL2ObjectSpec.scala',
  todo: 'no static type checker: the query runs and fails (or not) at run time instead of failing validation',
});
const missingDoc = (q: string, arg: string): ConformanceCase => ({
  ...o.err(q, 'invalid_argument', `invalid argument \`${arg}\`: collection \`User\` does not contain document with id 0.`), headers: NOTC,
});
const P = 'Test.byX().map(.data).first()!';
const P2 = 'Test.byX().map(.data).last()!';
const NESTED = `{ a: 0, b: ${P2} }`;

export const area: ConformanceArea = {
  area: 'objects',
  setup: [
    `Collection.create({ name: 'User' })
     Collection.create({ name: 'Test', indexes: { byX: { values: [{ field: 'x' }] } } })`,
    `Test.create({ x: 'a', y: 0 }); User.create({ id: '3' })`,
  ],
  cases: uniqueNames([
    // []
    o.tagged("{ foo: 3 }['foo']", I(3)), o.ok("{ '3': 5 }['3']", 5), check("{ foo: 3 }['baz']", 'Type `{ foo: 3 }` does not have field `baz`'),
    o.ok("{ let x = 'baz'; { foo: 3 }[x] }", null), check("{}['[]']", 'Type `{}` does not have field `[]`'),
    o.ok("{ let x = '[]'; {}[x] }", null), o.ok("{ '[]': 3 }['[]']", 3),
    // keys
    o.ok('Object.keys({ })', []), o.ok("Object.keys({ 'a' : 0 })", ['a']), o.ok("Object.keys({ 'a' : 0, 'b' : 0 })", ['a', 'b']),
    o.ok("Object.keys({ 'a' : 0, 'b' : 0, 'c' : 0 })", ['a', 'b', 'c']), o.ok("Object.keys({ 'a' : 0, 'b': 0 })", ['a', 'b']),
    o.ok("Object.keys({ 'b' : 0, 'a': 0 })", ['b', 'a']),
    o.ok('Object.keys(User.create({ id: 1234 }))', ['id', 'coll', 'ts']),
    missingDoc("Object.keys(User.byId('0'))", 'object'),
    // values
    o.ok('Object.values({})', []), o.ok('Object.values({ a: 0 })', [0]), o.ok("Object.values({ a: 0, b: 'x' })", [0, 'x']),
    o.ok('Object.values({ a: 0, b: 1 })', [0, 1]), o.ok('Object.values({ b: 1, a: 0 })', [1, 0]),
    o.ok('Object.values(User.create({ id: 1235 })).includes(ID(1235))', true),
    check("Object.values(User.byId('0'))", 'Type `Null` is not a subtype of `{ *: Any }`'),
    missingDoc("Object.values(User.byId('0'))", 'object'),
    // entries
    o.ok('Object.entries({})', []), o.ok('Object.entries({ a: 0 })', [['a', 0]]), o.ok("Object.entries({ a: 0, b: 'x' })", [['a', 0], ['b', 'x']]),
    o.ok('Object.entries({ a: 0, b: 1 })', [['a', 0], ['b', 1]]), o.ok('Object.entries({ b: 1, a: 0 })', [['b', 1], ['a', 0]]),
    o.ok("Object.entries(User.create({ id: 1236 })).firstWhere(v => v[0] == 'id')", ['id', '1236']),
    check("Object.entries(User.byId('0'))", 'Type `Null` is not a subtype of `{ *: Any }`'),
    missingDoc("Object.entries(User.byId('0'))", 'object'),
    // fromEntries
    o.ok('Object.fromEntries([])', {}), o.ok("Object.fromEntries([['a', 0], ['b', 'x']])", { a: 0, b: 'x' }),
    check("Object.fromEntries([['a', 0], 'x'])", 'Type `String` is not a subtype of `[String, Any]`'),
    check("Object.fromEntries([['a', 0], []])", 'Tuple does not contain enough elements. Expected 2, received 0'),
    check("Object.fromEntries([['a', 0], ['a']])", 'Tuple does not contain enough elements. Expected 2, received 1'),
    check("Object.fromEntries([['a', 0], ['a', 0, 1]])", 'Tuple contains too many elements. Expected 2, received 3'),
    check("Object.fromEntries([['a', 0], [0, 0]])", 'Type `Int` is not a subtype of `String`'),
    o.ok("Object.fromEntries([['a', 0], ['b', 1]])", { a: 0, b: 1 }), o.ok("Object.fromEntries([['b', 1], ['a', 0]])", { b: 1, a: 0 }),
    o.ok("Object.keys(Object.fromEntries([['b', 1], ['a', 0]]))", ['b', 'a']),
    o.ok("Object.fromEntries([['a', 0], ['b', 'x'], ['a', 2], ['b', 'y'], ['a', 3]])", { a: 3, b: 'y' }),
    // assign
    o.ok('Object.assign({}, {})', {}), o.ok("Object.assign({ 'a' : 0 }, {})", { a: 0 }), o.ok("Object.assign({}, { 'a' : 0 })", { a: 0 }),
    o.ok("Object.assign({ 'a' : 0 }, { 'b' : 'x' })", { a: 0, b: 'x' }), o.ok("Object.assign({ 'a' : 0, 'b' : 1 }, { 'b' : 'x' })", { a: 0, b: 'x' }),
    o.ok("Object.keys(Object.assign({ 'a' : 0, 'b' : 1 }, { 'b' : 1, 'a' : 0 }))", ['a', 'b']),
    o.ok('Object.assign(User.create({ id: 1237 }), { ts: 3, coll: 4 })', { id: '1237', coll: 4, ts: 3 }),
    o.ok('Object.assign({ foo: 3 }, User.create({ id: 1238 })) { foo, id }', { foo: 3, id: '1238' }),
    check("Object.assign(User.byId('0'), { ts: 3, coll: 4 })", 'Type `Null` is not a subtype of `{ *: Any }`'),
    check("Object.assign({ foo: 3 }, User.byId('0'))", 'Type `Null` is not a subtype of `{ *: Any }`'),
    missingDoc("Object.assign(User.byId('0'), { ts: 3, coll: 4 })", 'destination'),
    missingDoc("Object.assign({ foo: 3 }, User.byId('0'))", 'source'),
    // select / hasPath
    o.ok("Object.select({}, ['a']) ?? 0", 0), o.ok("Object.select({ a: null }, ['a']) == null", true), o.ok("Object.select({ a : 'x' }, ['a'])", 'x'),
    o.ok("Object.select({ a : { b : 'x' } }, ['a'])", { b: 'x' }), o.ok("Object.select({ a : { b : 'x' } }, ['a', 'b'])", 'x'),
    o.ok("Object.select({ a : { b : 'x' } }, ['a', 'c']) ?? 0", 0), o.ok("Object.select({ a : { b : 'x' } }, ['a', 'b', 'c']) ?? 0", 0),
    check("Object.select({ a : { b : 'x' } }, ['a', 1])", 'Type `Int` is not a subtype of `String`'),
    o.ok("Object.hasPath({}, ['a'])", false), o.ok("Object.hasPath({ a: null }, ['a'])", true), o.ok("Object.hasPath({ a : 'x' }, ['a'])", true),
    o.ok("Object.hasPath({ a : { b : 'x' } }, ['a'])", true), o.ok("Object.hasPath({ a : { b : 'x' } }, ['a', 'b'])", true),
    o.ok("Object.hasPath({ a : { b : 'x' } }, ['a', 'c'])", false), o.ok("Object.hasPath({ a : { b : 'x' } }, ['a', 'b', 'c'])", false),
    check("Object.hasPath({ a : { b : 'x' } }, ['a', 1])", 'Type `Int` is not a subtype of `String`'),
    // partials (index values)
    o.ok(P, { x: 'a', y: 0 }),
    o.ok(`Object.keys(${P})`, ['x', 'y']), o.ok(`Object.values(${P})`, ['a', 0]), o.ok(`Object.entries(${P})`, [['x', 'a'], ['y', 0]]),
    o.ok(`Object.assign(${P}, { 'z' : 0 })`, { x: 'a', y: 0, z: 0 }), o.ok(`Object.assign({ 'z' : 0 }, ${P})`, { z: 0, x: 'a', y: 0 }),
    o.ok(`Object.assign(${P}, { 'y' : 1 })`, { x: 'a', y: 1 }), o.ok(`Object.assign({ 'y' : 1 }, ${P})`, { y: 0, x: 'a' }),
    o.ok(`${P}['y']`, 0), o.ok(`${P}['z']`, null), o.ok(`Object.select(${P}, ['y'])`, 0), o.ok(`Object.select(${P}, ['z'])`, null),
    o.ok(`Object.hasPath(${P}, ['y'])`, true), o.ok(`Object.hasPath(${P}, ['z'])`, false),
    o.ok(`Object.toString(${P})`, '{ x: "a", y: 0 }'),
    o.ok("Test.create({ x: 'b', y: { z: [{ vv: 0, ww: 1 }]} }) != null", true),
    o.ok(`Object.keys(${NESTED})`, ['a', 'b']), o.ok(`Object.keys(${NESTED}.b) == Object.keys(${P2})`, true),
    o.ok(`Object.keys(${NESTED}.b.y.z.at(0))`, ['vv', 'ww']), o.ok(`Object.values(${NESTED}.b.y.z.at(0))`, [0, 1]),
    o.ok(`Object.values(${NESTED}.b) == Object.values(${P2})`, true),
    o.ok(`Object.entries(${NESTED}.b.y)`, [['z', [{ vv: 0, ww: 1 }]]]), o.ok(`Object.entries(${NESTED}.b) == Object.entries(${P2})`, true),
    o.ok(`Object.assign(${NESTED}, { b: 1, c: 2 }) == { a: 0, b: 1, c: 2}`, true),
    o.ok(`Object.assign({ b: 1, c: 2 }, ${NESTED}) == { a:0, b: ${P2}, c: 2}`, true),
    o.ok(`Object.select(${NESTED}, ['b', 'y', 'z']).at(0).vv == 0`, true), o.ok(`Object.select(${NESTED}, ['b', 'y', 'zz'])`, null),
    o.ok(`Object.select(${NESTED}, ['b']) == ${P2}`, true),
    o.ok(`Object.hasPath(${NESTED}, ['b', 'y', 'z'])`, true), o.ok(`Object.hasPath(${NESTED}, ['b', 'y', 'zz'])`, false),
    o.ok(`Object.toString(${NESTED})`, '{ a: 0, b: { x: "b", y: { z: [{ vv: 0, ww: 1 }] } } }'),
    // toString of documents and sets
    // core creates id 3 here; this area's setup already holds it (the cases below read it).
    ts.ok("Object.toString(User.create({ id: '30' }))", '{ id: ID("30"), coll: User, ts: TransactionTime() }'),
    ts.ok("Object.toString(User.byId('3')).startsWith('{ id: ID(\"3\"), coll: User, ts: Time(\"')", true),
    ts.ok("Object.toString(User.byId('3')).endsWith('\") }')", true),
    ts.ok('Object.toString(User.all())', '[set]'), ts.ok('User.toString()', 'User'),
    ts.ok("Object.toString(User.create({ id: '9999', x: 'a', self: User.byId('9999') })).endsWith(', x: \"a\", self: [doc 9999 in User] }')", true),
  ]),
};
