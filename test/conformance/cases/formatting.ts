// How values look: the simple and tagged wire formats of every type, references nested in
// documents, null documents, `toString()` and string display (core FQL2ValueEncoderSpec.scala,
// FQL2ToStringSpec.scala).
import type { ConformanceArea, ConformanceCase } from '../case';

const ENC = 'FQL2ValueEncoderSpec.scala';
const TOS = 'FQL2ToStringSpec.scala';
const simple = (query: string, result: unknown, source = ENC): ConformanceCase => ({ name: `simple: ${query}`, query, result, source });
const tagged = (query: string, result: unknown, source = ENC): ConformanceCase => ({ name: `tagged: ${query}`, query, tagged: result, source });
const str = (query: string, result: string, source = TOS): ConformanceCase => ({ name: `toString: ${query}`, query, result, source });

export const area: ConformanceArea = {
  area: 'formatting',
  setup: [
    'Collection.create({ name: "User", indexes: { addrByUser: { terms: [{ field: "username" }], values: [{ field: "address" }] } } })',
    'User.create({ id: "3", username: "bob", address: { line1: "2nd falson street", line2: "apt 303" } })',
    'User.create({ id: "4", foo: User.byId("1234"), a: User.definition })',
    'User.create({ id: "6", username: "carol", address: { line1: "x" }, extra: 1 })',
    'Role.create({ name: "NoRead", privileges: { resource: "User", actions: { create: true, read: false } } })',
  ],
  cases: [
    // Simple format.
    simple('3', 3), simple('"hilo"', 'hilo'), simple('22.2', 22.2), simple('0.0 / 0.0', 'NaN'), simple('1.0 / 0.0', 'Infinity'),
    simple('-1.0 / 0.0', '-Infinity'), simple('20000000000', 20000000000), simple('true', true), simple('false', false),
    simple('Time("2023-01-02T03:04:05.678Z")', '2023-01-02T03:04:05.678Z'), simple('Date("2023-01-02")', '2023-01-02'),
    simple('null', null), simple('["hello", "hello", "moon"]', ['hello', 'hello', 'moon']),
    simple('{ one: "two", three: "four", five: { a: "b", c: "d" } }', { one: 'two', three: 'four', five: { a: 'b', c: 'd' } }),
    simple('Bytes("AQID")', 'AQID'),
    simple('Math', 'Math'), simple('User', 'User'),
    simple('User.definition { name, coll }', { name: 'User', coll: 'Collection' }),
    simple('User.byId("4")!.foo', null, `${ENC} (ref not found renders as null)`),
    { name: 'simple: a reference nested in a document is an object', query: 'User.byId("4")!', subset: { foo: { id: '1234', coll: 'User' }, a: { name: 'User', coll: 'Collection' } }, source: `${ENC} (refs)` },
    simple('User.byId("1234")', null, `${ENC} (ref not found renders as null)`),
    { name: 'simple: a deleted document is null', query: 'User.create({}).delete()', result: null, source: `${ENC} (deleted docs render as null)` },
    { name: 'simple: an unreadable document is null', query: 'User.byId("3")', secret: '@role/NoRead', result: null, source: `${ENC} (read permission denied should render as null)` },
    { name: 'simple: a document', query: 'User.byId("3")!', subset: { id: '3', coll: 'User', username: 'bob', address: { line1: '2nd falson street', line2: 'apt 303' } }, source: ENC },
    { name: 'simple: covered values', query: 'User.addrByUser("carol").map(.data).first()', result: { username: 'carol', address: { line1: 'x' } }, source: `${ENC} (partials)`, todo: '.data of a covered document reads the whole document' },
    { name: 'simple: covered values in an object', query: 'let addr = User.addrByUser("bob").map(.address).first()\n{ addr: addr }', result: { addr: { line1: '2nd falson street', line2: 'apt 303' } }, source: `${ENC} (partials)` },
    { name: 'simple: a set is a page', query: 'Collection.all().map(.name)', result: { data: ['User'] }, source: `${ENC} (sets)` },
    { name: 'simple: a paginated set has a cursor', query: 'Set.sequence(0, 3).paginate(2).after isa String', result: true, source: `${ENC} (sets)` },
    // Tagged format.
    tagged('3', { '@int': '3' }), tagged('"hilo"', 'hilo'), tagged('22.2', { '@double': '22.2' }), tagged('0.0 / 0.0', { '@double': 'NaN' }),
    tagged('1.0 / 0.0', { '@double': 'Infinity' }), tagged('-1.0 / 0.0', { '@double': '-Infinity' }), tagged('20000000000', { '@long': '20000000000' }),
    tagged('true', true), tagged('false', false), tagged('Time("2023-01-02T03:04:05.678Z")', { '@time': '2023-01-02T03:04:05.678Z' }),
    tagged('Date("2023-01-02")', { '@date': '2023-01-02' }), tagged('Bytes("AQID")', { '@bytes': 'AQID' }), tagged('null', null),
    tagged('["hello", "moon"]', ['hello', 'moon']),
    tagged('{ one: "two", five: { a: "b" } }', { one: 'two', five: { a: 'b' } }),
    tagged('{ "@foo": "one", bar: "two" }', { '@object': { '@foo': 'one', bar: 'two' } }),
    tagged('Math', { '@mod': 'Math' }),
    tagged('User.definition { name, coll }', { name: 'User', coll: { '@mod': 'Collection' } }),
    tagged('[User.byId("4")!].map(d => Object.toString(d.foo) != "")', [true], `${ENC} (refs)`),
    tagged('User.byId("1234")', { '@ref': { id: '1234', coll: { '@mod': 'User' }, exists: false, cause: 'not found' } }, `${ENC} (ref not found)`),
    tagged('User.create({ id: "77" }).delete()', { '@ref': { id: '77', coll: { '@mod': 'User' }, exists: false, cause: 'deleted' } }, `${ENC} (deleted doc)`),
    { name: 'tagged: an unreadable document', query: 'User.byId("3")', secret: '@role/NoRead', tagged: { '@ref': { id: '3', coll: { '@mod': 'User' }, exists: false, cause: 'permission denied' } }, source: `${ENC} (read permission denied)` },
    tagged('Collection.byName("Nope")', { '@ref': { name: 'Nope', coll: { '@mod': 'Collection' }, exists: false, cause: 'not found' } }, `${ENC} (named ref not found)`),
    tagged('Set.sequence(0, 2)', { '@set': { data: [{ '@int': '0' }, { '@int': '1' }] } }, `${ENC} (sets)`),
    { name: 'tagged: a document', query: 'User.byId("3")! { id, coll }', tagged: { id: '3', coll: { '@mod': 'User' } }, source: ENC },
    // toString and display.
    str('1.toString()', '1'), str('2.0.toString()', '2'), str('2.5.toString()', '2.5'), str("'a'.toString()", 'a'),
    str("Time('1970-01-01T01:02:03Z').toString()", '1970-01-01T01:02:03Z'), str("Date('1973-02-03').toString()", '1973-02-03'),
    str('true.toString()', 'true'), str('false.toString()', 'false'), str('null.toString()', 'null'),
    str('[1, 2].toString()', '[1, 2]'), str("['a', 'b'].toString()", '["a", "b"]'), str('User.toString()', 'User'),
    str('Object.toString(User.all())', '[set]'),
    { name: 'toString: a document starts with its id, coll, ts', result: true, query: 'Object.toString(User.byId("3")!).startsWith("{ id: ID(\\"3\\"), coll: User, ts: Time(\\"")', source: `${TOS} (converts docs)` },
    { name: 'toString: a document ends with its fields', result: true, query: 'Object.toString(User.byId("3")!).endsWith("\\"), username: \\"bob\\", address: { line1: \\"2nd falson street\\", line2: \\"apt 303\\" } }")', source: `${TOS} (converts docs)` },
    { name: 'toString: a created document', query: "Object.toString(User.create({ id: '5' }))", result: '{ id: ID("5"), coll: User, ts: TransactionTime() }', source: TOS },
    { name: 'toString: an event source', query: 'Object.toString(User.all().toStream())', result: '[event source]', source: TOS },
    { name: 'toString: a ref cycle', query: "User.create({ id: '9999', x: 'a', self: User.byId('9999') })\nObject.toString(User.byId('9999')!).endsWith('x: \"a\", self: [doc 9999 in User] }')", result: true, source: `${TOS} (doesn't choke on ref cycles)` },
    { name: 'toString: a document id displays as its digits', query: 'User.byId("3")!.id.toString()', result: '3', source: `${TOS} (converts doc ids)` },
    { name: 'toString: transaction time', query: "'' + User.create({}).ts", result: '[transaction time]', source: `${TOS} (converts txn time)` },
    { name: 'toString: a set', query: '"" + Set.sequence(0, 2)', result: '[set]', source: `${TOS} (converts sets)` },
    { name: 'interpolation uses display strings', query: 'let x = [1, "a"]\n"v: #{x} #{2.0} #{null}"', result: 'v: [1, "a"] 2 null', source: TOS },
    { name: 'toString: an object', query: 'Object.toString({ a: 2, "3": 3 })', result: '{ a: 2, "3": 3 }', source: `${TOS} (toDebugString)` },
    { name: 'toString: a string in an object', query: 'Object.toString({ a: "hello" })', result: '{ a: "hello" }', source: `${TOS} (toDebugString)` },
    { name: 'toString: a module', query: 'Object.toString(Math)', result: 'Math', source: `${TOS} (toDebugString)` },
    { name: 'toString: a time', query: 'Object.toString(Time("1970-01-01T01:02:03Z"))', result: 'Time("1970-01-01T01:02:03Z")', source: `${TOS} (toDebugString)` },
    { name: 'toString: a date', query: 'Object.toString(Date("1973-02-03"))', result: 'Date("1973-02-03")', source: `${TOS} (toDebugString)` },
    { name: 'toString: a double', query: 'Object.toString(2.0)', result: '2.0', source: `${TOS} (toDebugString)` },
    { name: 'toString: TransactionTime()', query: 'Object.toString(TransactionTime())', result: 'TransactionTime()', source: `${TOS} (toDebugString)` },
    { name: 'toString: a mixed array', query: 'Object.toString(["a", "b", 3])', result: '["a", "b", 3]', source: `${TOS} (toDebugString)` },
  ],
};
