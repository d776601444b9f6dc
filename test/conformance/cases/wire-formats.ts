// Wire formats: every value type in the `simple` and `tagged` formats (core
// FQL2ValueEncoderSpec.scala: FQL2ValueEncoderSimpleSpec and FQL2ValueEncoderTaggedSpec), the
// string form of values (`toString()`, interpolation) and the `dbg`/`log` summaries
// (docs.fauna.com/fauna/current/reference/http/reference/wire-protocol,
// docs.fauna.com/fauna/current/reference/fql-api/globals/{dbg,log}).
import type { ConformanceArea, ConformanceCase } from '../case';

const ENC = 'FQL2ValueEncoderSpec.scala';
const SIMPLE = `${ENC} (FQL2ValueEncoderSimpleSpec)`;
const TAGGED = `${ENC} (FQL2ValueEncoderTaggedSpec)`;
const WIRE = 'docs.fauna.com/fauna/current/reference/http/reference/wire-protocol';
const DBG = 'docs.fauna.com/fauna/current/reference/fql-api/globals/dbg';
const LOG = 'docs.fauna.com/fauna/current/reference/fql-api/globals/log';
const TOSTRING = 'docs.fauna.com/fauna/current/reference/fql-api/string (toString, interpolation)';

/** One value in both formats. */
function both(name: string, query: string, simple: unknown, tagged: unknown, source: string): ConformanceCase[] {
  return [
    { name: `simple: ${name}`, query, result: simple, source: source === ENC ? SIMPLE : source },
    { name: `tagged: ${name}`, query, tagged, source: source === ENC ? TAGGED : source },
  ];
}

const T0 = '2023-01-01T00:00:00Z';

export const area: ConformanceArea = {
  area: 'wire-formats',
  setup: [
    'Collection.create({ name: "User", indexes: { addrByUser: { terms: [{ field: "username" }], values: [{ field: "address" }] } } })',
    'Collection.create({ name: "Books" })',
    'Collection.create({ name: "A" })',
    'Collection.create({ name: "B" })',
    'User.create({ id: "1", username: "bob", address: { line1: "2nd falson street", line2: "apt 303" } })',
    'User.create({ id: "2", a: User.definition, foo: User.byId("1234"), other: User.byId("1") })',
    'User.create({ id: "3", n: 1 })',
    'Books.create({ id: "1", title: "t" })',
    'Role.create({ name: "TestRole", privileges: { resource: "Books", actions: { create: true, read: false } } })',
  ],
  cases: [
    // Scalars.
    ...both('an int', '3', 3, { '@int': '3' }, ENC),
    ...both('a negative int', '-3', -3, { '@int': '-3' }, ENC),
    ...both('zero', '0', 0, { '@int': '0' }, ENC),
    ...both('the largest int', '2147483647', 2147483647, { '@int': '2147483647' }, WIRE),
    ...both('the smallest int', '-2147483648', -2147483648, { '@int': '-2147483648' }, WIRE),
    ...both('a long just past int', '2147483648', 2147483648, { '@long': '2147483648' }, WIRE),
    ...both('a negative long', '-2147483649', -2147483649, { '@long': '-2147483649' }, WIRE),
    { name: 'tagged: the largest long', query: '9223372036854775807', tagged: { '@long': '9223372036854775807' }, source: WIRE },
    { name: 'tagged: the smallest long', query: '-9223372036854775808', tagged: { '@long': '-9223372036854775808' }, source: WIRE },
    ...both('a string', '"hilo"', 'hilo', 'hilo', ENC),
    ...both('an empty string', '""', '', '', ENC),
    ...both('a string with quotes', '"a\\"b"', 'a"b', 'a"b', ENC),
    ...both('a unicode string', '"héllo ☃"', 'héllo ☃', 'héllo ☃', ENC),
    ...both('a double', '22.2', 22.2, { '@double': '22.2' }, ENC),
    ...both('a negative double', '-1.5', -1.5, { '@double': '-1.5' }, ENC),
    ...both('a double sum', '0.1 + 0.2', 0.30000000000000004, { '@double': '0.30000000000000004' }, ENC),
    ...both('pi', 'Math.PI', 3.141592653589793, { '@double': '3.141592653589793' }, ENC),
    ...both('NaN', '0.0 / 0.0', 'NaN', { '@double': 'NaN' }, `${ENC} (render special double values)`),
    ...both('+Infinity', '1.0 / 0.0', 'Infinity', { '@double': 'Infinity' }, `${ENC} (render special double values)`),
    ...both('-Infinity', '-1.0 / 0.0', '-Infinity', { '@double': '-Infinity' }, `${ENC} (render special double values)`),
    ...both('Math.Infinity', 'Math.Infinity', 'Infinity', { '@double': 'Infinity' }, `${ENC} (render special double values)`),
    ...both('Math.NaN', 'Math.NaN', 'NaN', { '@double': 'NaN' }, `${ENC} (render special double values)`),
    ...both('true', 'true', true, true, ENC),
    ...both('false', 'false', false, false, ENC),
    ...both('null', 'null', null, null, ENC),
    ...both('a time', `Time("${T0}")`, T0, { '@time': T0 }, ENC),
    ...both('a time with nanoseconds', 'Time("2023-01-01T00:00:00.123456789Z")', '2023-01-01T00:00:00.123456789Z', { '@time': '2023-01-01T00:00:00.123456789Z' }, ENC),
    ...both('a time with milliseconds', 'Time("2023-05-06T07:08:09.100Z")', '2023-05-06T07:08:09.100Z', { '@time': '2023-05-06T07:08:09.100Z' }, ENC),
    ...both('a time from an offset', 'Time("2023-01-01T02:00:00+02:00")', T0, { '@time': T0 }, ENC),
    ...both('a time from epoch seconds', 'Time.epoch(0, "second")', '1970-01-01T00:00:00Z', { '@time': '1970-01-01T00:00:00Z' }, ENC),
    ...both('a date', 'Date("2023-01-01")', '2023-01-01', { '@date': '2023-01-01' }, ENC),
    ...both('a leap date', 'Date("2024-02-29")', '2024-02-29', { '@date': '2024-02-29' }, ENC),
    ...both('bytes', 'Bytes("AQID")', 'AQID', { '@bytes': 'AQID' }, `${ENC} (render bytes)`),
    ...both('bytes from a string', 'Bytes.fromBase64("aGVsbG8=")', 'aGVsbG8=', { '@bytes': 'aGVsbG8=' }, `${ENC} (render bytes)`),
    // Containers.
    ...both('an array', '["hello", "hello", "moon"]', ['hello', 'hello', 'moon'], ['hello', 'hello', 'moon'], `${ENC} (render array)`),
    ...both('an empty array', '[]', [], [], `${ENC} (render array)`),
    ...both('an array of mixed values', '[1, 2.5, "s", true, null]', [1, 2.5, 's', true, null], [{ '@int': '1' }, { '@double': '2.5' }, 's', true, null], `${ENC} (render array)`),
    ...both('nested arrays', '[[1], [[2]]]', [[1], [[2]]], [[{ '@int': '1' }], [[{ '@int': '2' }]]], `${ENC} (render array)`),
    ...both('a struct', '{ one: "two", three: "four", five: { a: "b", c: "d" } }', { one: 'two', three: 'four', five: { a: 'b', c: 'd' } }, { one: 'two', three: 'four', five: { a: 'b', c: 'd' } }, `${ENC} (render struct)`),
    ...both('an empty struct', '{}', {}, {}, `${ENC} (render struct)`),
    ...both('a struct of tagged values', '{ n: 1, d: Date("2023-01-01") }', { n: 1, d: '2023-01-01' }, { n: { '@int': '1' }, d: { '@date': '2023-01-01' } }, `${ENC} (render struct)`),
    ...both('a key starting with @', '{ "@foo": "one", bar: "two" }', { '@foo': 'one', bar: 'two' }, { '@object': { '@foo': 'one', bar: 'two' } }, `${ENC} (render struct with a key starting with @)`),
    ...both('a nested key starting with @', '{ a: { "@b": 1 } }', { a: { '@b': 1 } }, { a: { '@object': { '@b': { '@int': '1' } } } }, `${ENC} (render struct with a key starting with @)`),
    ...both('a key that is a tag name', '{ "@int": "1" }', { '@int': '1' }, { '@object': { '@int': '1' } }, WIRE),
    ...both('an @ key in an array', '[{ "@x": true }]', [{ '@x': true }], [{ '@object': { '@x': true } }], WIRE),
    // Modules.
    ...both('a collection module', 'User', 'User', { '@mod': 'User' }, WIRE),
    ...both('the Math module', 'Math', 'Math', { '@mod': 'Math' }, WIRE),
    ...both('the Collection module', 'Collection', 'Collection', { '@mod': 'Collection' }, WIRE),
    ...both('the Function module', 'Function', 'Function', { '@mod': 'Function' }, WIRE),
    ...both('the Key module', 'Key', 'Key', { '@mod': 'Key' }, WIRE),
    ...both('a document\'s coll', 'User.byId("1")!.coll', 'User', { '@mod': 'User' }, WIRE),
    // Documents and references.
    ...both('a projected document', 'User.byId("1") { id, coll }', { id: '1', coll: 'User' }, { id: '1', coll: { '@mod': 'User' } }, `${ENC} (refs)`),
    ...both('a projected schema document', 'Collection.byName("User") { name, coll }', { name: 'User', coll: 'Collection' }, { name: 'User', coll: { '@mod': 'Collection' } }, `${ENC} (refs)`),
    { name: 'tagged: a schema reference inside a document is @ref', query: 'User.byId("2")', headers: { 'x-format': 'tagged' }, subset: { '@doc': { id: '2', coll: { '@mod': 'User' }, a: { '@ref': { name: 'User', coll: { '@mod': 'Collection' } } } } }, source: `${TAGGED} (refs)` },
    { name: 'tagged: a missing reference inside a document is a plain @ref', query: 'User.byId("2")', headers: { 'x-format': 'tagged' }, subset: { '@doc': { foo: { '@ref': { id: '1234', coll: { '@mod': 'User' } } } } }, source: `${TAGGED} (refs)` },
    { name: 'tagged: a reference inside a document is @ref', query: 'User.byId("2")', headers: { 'x-format': 'tagged' }, subset: { '@doc': { other: { '@ref': { id: '1', coll: { '@mod': 'User' } } } } }, source: `${TAGGED} (render docs recursively correctly)` },
    { name: 'simple: a schema reference inside a document', query: 'User.byId("2")', subset: { id: '2', coll: 'User', a: { name: 'User', coll: 'Collection' }, foo: { id: '1234', coll: 'User' }, other: { id: '1', coll: 'User' } }, source: `${SIMPLE} (refs)` },
    { name: 'simple: a created document with references', query: 'User.create({ id: "4", a: User.definition, foo: User.byId("1234") })', subset: { id: '4', coll: 'User', a: { name: 'User', coll: 'Collection' }, foo: { id: '1234', coll: 'User' } }, source: `${SIMPLE} (refs)` },
    { name: 'tagged: a created document with references', query: 'User.create({ id: "5", a: User.definition, foo: User.byId("1234") })', headers: { 'x-format': 'tagged' }, subset: { '@doc': { id: '5', coll: { '@mod': 'User' }, a: { '@ref': { name: 'User', coll: { '@mod': 'Collection' } } }, foo: { '@ref': { id: '1234', coll: { '@mod': 'User' } } } } }, source: `${TAGGED} (refs)` },
    ...both('a field read off a reference is the document', 'User.byId("2")!.other { id, coll }', { id: '1', coll: 'User' }, { id: '1', coll: { '@mod': 'User' } }, `${ENC} (refs)`),
    ...both('a missing reference read as a field', 'User.byId("2")!.foo', null, { '@ref': { id: '1234', coll: { '@mod': 'User' }, exists: false, cause: 'not found' } }, `${ENC} (refs)`),
    ...both('a missing document', 'User.byId("1234")', null, { '@ref': { id: '1234', coll: { '@mod': 'User' }, exists: false, cause: 'not found' } }, `${ENC} (refs: ref not found)`),
    ...both('a missing document in an array', '[User.byId("1234")]', [null], [{ '@ref': { id: '1234', coll: { '@mod': 'User' }, exists: false, cause: 'not found' } }], `${ENC} (refs: ref not found)`),
    { name: 'simple: a permission-denied document', query: 'Books.byId("1")', secret: '@role/TestRole', result: null, source: `${ENC} (refs: read permission denied)` },
    { name: 'tagged: a permission-denied document', query: 'Books.byId("1")', secret: '@role/TestRole', tagged: { '@ref': { id: '1', coll: { '@mod': 'Books' }, exists: false, cause: 'permission denied' } }, source: `${ENC} (refs: read permission denied)` },
    { name: 'simple: a deleted document', query: 'User.create({ id: "90" })\nUser.byId("90")!.delete()', result: null, source: `${ENC} (refs: deleted docs render as null)` },
    { name: 'tagged: a deleted document', query: 'User.create({ id: "91" })\nUser.byId("91")!.delete()', tagged: { '@ref': { id: '91', coll: { '@mod': 'User' }, exists: false, cause: 'deleted' } }, source: `${ENC} (refs: deleted doc has exists and cause)` },
    { name: 'simple: a document has id, coll and ts first', query: 'Object.keys(User.byId("3")!)', result: ['id', 'coll', 'ts', 'n'], source: WIRE },
    { name: 'tagged: a document', query: 'User.byId("3")! { id, coll, n }', tagged: { id: '3', coll: { '@mod': 'User' }, n: { '@int': '1' } }, source: TAGGED },
    { name: 'simple: a document', query: 'let d = User.byId("3")!\nd.ts isa Time', result: true, source: SIMPLE },
    { name: 'simple: a whole document', query: 'User.byId("3")!', subset: { id: '3', coll: 'User', n: 1 }, source: SIMPLE },
    // Partial documents from index values.
    { name: 'simple: index value partials', query: 'User.addrByUser("bob").map(.address).first()', result: { line1: '2nd falson street', line2: 'apt 303' }, source: `${ENC} (partials)` },
    { name: 'simple: index partial in a struct', query: 'let addr = User.addrByUser("bob").map(.address).first()\n{ addr: addr }', result: { addr: { line1: '2nd falson street', line2: 'apt 303' } }, source: `${ENC} (partials)` },
    { name: 'simple: index partial in an array', query: 'let addr = User.addrByUser("bob").map(.address).first()\n[addr]', result: [{ line1: '2nd falson street', line2: 'apt 303' }], source: `${ENC} (partials)` },
    // Sets.
    { name: 'simple: a set is a page', query: 'Collection.all().map(.name).where(n => n == "A" || n == "B")', result: { data: ['A', 'B'] }, source: `${ENC} (sets)` },
    { name: 'tagged: a set is @set', query: 'Collection.all().map(.name).where(n => n == "A" || n == "B")', tagged: { '@set': { data: ['A', 'B'] } }, source: `${ENC} (sets)` },
    { name: 'simple: a set of documents', query: 'Collection.all().where(.name == "A" || .name == "B").map(c => c { name, coll })', result: { data: [{ name: 'A', coll: 'Collection' }, { name: 'B', coll: 'Collection' }] }, source: `${ENC} (sets)` },
    { name: 'tagged: an empty set', query: '[].toSet()', tagged: { '@set': { data: [] } }, source: `${ENC} (sets)` },
    { name: 'simple: an empty set', query: '[].toSet()', result: { data: [] }, source: `${ENC} (sets)` },
    { name: 'tagged: a set of ints', query: '[1, 2].toSet()', tagged: { '@set': { data: [{ '@int': '1' }, { '@int': '2' }] } }, source: `${ENC} (sets)` },
    { name: 'simple: a page has an after cursor', query: 'let p = [1, 2, 3].toSet().paginate(2)\n[p.data, p.after isa String]', result: [[1, 2], true], source: `${ENC} (sets: paginate)` },
    { name: 'simple: the last page has no after', query: 'Object.keys([1, 2].toSet().paginate(5))', result: ['data'], source: `${ENC} (sets)` },
    { name: 'simple: a page object', query: '[1, 2].toSet().paginate(5)', result: { data: [1, 2] }, source: `${ENC} (sets)` },
    { name: 'tagged: a page object is a plain object', query: '[1, 2].toSet().paginate(5)', tagged: { data: [{ '@int': '1' }, { '@int': '2' }] }, source: `${ENC} (sets)` },
    { name: 'simple: a set inside an array stays a set', query: '[[1].toSet()]', result: [{ data: [1] }], source: `${ENC} (sets)` },
    { name: 'tagged: a set inside a struct', query: '{ s: [1].toSet() }', tagged: { s: { '@set': { data: [{ '@int': '1' }] } } }, source: `${ENC} (sets)` },
    { name: 'simple: a set of a missing document', query: '[User.byId("1234")].toSet()', result: { data: [null] }, source: `${ENC} (sets)` },
    { name: 'tagged: a paginated set has a string after', query: 'let p = [1, 2, 3].toSet().paginate(1)\np.after isa String', tagged: true, source: `${ENC} (sets)` },
    // toString of each type.
    { name: 'toString: int', query: '3.toString()', result: '3', source: TOSTRING },
    { name: 'toString: negative int', query: '(-3).toString()', result: '-3', source: TOSTRING },
    { name: 'toString: long', query: '9223372036854775807.toString()', result: '9223372036854775807', source: TOSTRING },
    { name: 'toString: double', query: '1.5.toString()', result: '1.5', source: TOSTRING },
    { name: 'toString: boolean true', query: 'true.toString()', result: 'true', source: TOSTRING },
    { name: 'toString: boolean false', query: 'false.toString()', result: 'false', source: TOSTRING },
    { name: 'toString: null', query: 'null.toString()', result: 'null', source: TOSTRING },
    { name: 'toString: string', query: '"abc".toString()', result: 'abc', source: TOSTRING },
    { name: 'toString: time', query: `Time("${T0}").toString()`, result: T0, source: 'docs.fauna.com/fauna/current/reference/fql-api/time/tostring' },
    { name: 'toString: time with fraction', query: 'Time("2023-01-01T00:00:00.5Z").toString()', result: '2023-01-01T00:00:00.500Z', source: 'docs.fauna.com/fauna/current/reference/fql-api/time/tostring' },
    { name: 'toString: date', query: 'Date("2023-01-01").toString()', result: '2023-01-01', source: 'docs.fauna.com/fauna/current/reference/fql-api/date/tostring' },
    { name: 'toString: bytes', query: 'Bytes("AQID").toString()', result: 'AQID', source: 'docs.fauna.com/fauna/current/reference/fql-api/bytes/tostring' },
    { name: 'toString: array', query: '[1, "a"].toString()', result: '[1, "a"]', source: 'docs.fauna.com/fauna/current/reference/fql-api/array/tostring' },
    { name: 'toString: empty array', query: '[].toString()', result: '[]', source: 'docs.fauna.com/fauna/current/reference/fql-api/array/tostring' },
    { name: 'toString: nested array', query: '[[1, 2], [true]].toString()', result: '[[1, 2], [true]]', source: 'docs.fauna.com/fauna/current/reference/fql-api/array/tostring' },
    { name: 'toString: a lambda', query: '(x => x).toString()', result: '[function <lambda>]', source: TOSTRING },
    // Interpolation uses the same string forms.
    { name: 'interpolate an int', query: '"n=#{1}"', result: 'n=1', source: TOSTRING },
    { name: 'interpolate a double', query: '"n=#{2.5}"', result: 'n=2.5', source: TOSTRING },
    { name: 'interpolate a boolean', query: '"b=#{true}"', result: 'b=true', source: TOSTRING },
    { name: 'interpolate null', query: '"x=#{null}"', result: 'x=null', source: TOSTRING },
    { name: 'interpolate a date', query: '"d=#{Date("2023-01-01")}"', result: 'd=2023-01-01', source: TOSTRING },
    { name: 'interpolate a time', query: `"t=#{Time("${T0}")}"`, result: `t=${T0}`, source: TOSTRING },
    { name: 'interpolate an array', query: '"a=#{[1, 2]}"', result: 'a=[1, 2]', source: TOSTRING },
    { name: 'interpolate a string', query: 'let s = "x"\n"s=#{s}"', result: 's=x', source: TOSTRING },
    { name: 'interpolate an expression', query: '"sum=#{1 + 2}"', result: 'sum=3', source: TOSTRING },
    // dbg returns its argument and logs it; log logs and returns null.
    { name: 'dbg returns its value', query: 'dbg(1 + 1)', result: 2, source: DBG },
    { name: 'dbg returns a struct', query: 'dbg({ a: 1 })', result: { a: 1 }, source: DBG },
    { name: 'dbg keeps the tagged type', query: 'dbg(1 + 1)', tagged: { '@int': '2' }, source: DBG },
    { name: 'log returns null', query: 'log("hi")', result: null, source: LOG },
    { name: 'log inside an expression', query: 'let x = log("hi")\nx == null', result: true, source: LOG },
  ],
};

