import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MValue } from '../../src/wire/materialized';
import { encodeTagged } from '../../src/wire/encode-tagged';
import { encodeSimple } from '../../src/wire/encode-simple';
import { encodeDecorated } from '../../src/wire/encode-decorated';
import { encodeValueJson } from '../../src/wire/encode';
import { parseTime } from '../../src/fql/values/format';

const s = (v: string): MValue => ({ t: 'string', v });
const i = (v: number): MValue => ({ t: 'int', v });
const o = (entries: [string, MValue][]): MValue => ({ t: 'object', v: new Map(entries) });
const time = (iso: string): MValue => ({ t: 'time', ns: parseTime(iso)! });
const TS_US = parseTime('2023-03-09T17:45:17.520Z')! / 1000n;

const doc: MValue = {
  t: 'doc', coll: 'User', id: '1234', ts: TS_US,
  data: new Map<string, MValue>([['name', s('Ann')], ['friend', { t: 'ref', coll: 'User', id: '9' }], ['schema', { t: 'namedRef', coll: 'Collection', name: 'User' }]]),
};
const named: MValue = { t: 'named', coll: 'Collection', name: 'User', ts: TS_US, data: new Map([['indexes', o([])]]) };
const missing: MValue = { t: 'nulldoc', coll: 'User', id: '5', cause: 'not found' };

test('tagged scalars', () => {
  assert.equal(encodeTagged(i(3)), '{"@int":"3"}');
  assert.equal(encodeTagged({ t: 'long', v: 20n }), '{"@long":"20"}');
  assert.equal(encodeTagged({ t: 'double', v: 22.2 }), '{"@double":"22.2"}');
  assert.equal(encodeTagged({ t: 'double', v: 3 }), '{"@double":"3.0"}');
  assert.equal(encodeTagged({ t: 'double', v: 1e10 }), '{"@double":"1.0E10"}');
  assert.equal(encodeTagged({ t: 'double', v: NaN }), '{"@double":"NaN"}');
  assert.equal(encodeTagged({ t: 'double', v: -Infinity }), '{"@double":"-Infinity"}');
  assert.equal(encodeTagged(s('a"b')), '"a\\"b"');
  assert.equal(encodeTagged({ t: 'boolean', v: true }), 'true');
  assert.equal(encodeTagged({ t: 'null' }), 'null');
  assert.equal(encodeTagged(time('2023-03-09T17:45:17.520Z')), '{"@time":"2023-03-09T17:45:17.520Z"}');
  assert.equal(encodeTagged(time('2023-03-09T17:45:17Z')), '{"@time":"2023-03-09T17:45:17Z"}');
  assert.equal(encodeTagged({ t: 'date', days: 19341 }), '{"@date":"2022-12-15"}');
  assert.equal(encodeTagged({ t: 'bytes', v: new Uint8Array([1, 2, 3]) }), '{"@bytes":"AQID"}');
  assert.equal(encodeTagged({ t: 'uuid', v: 'u' }), '{"@uuid":"u"}');
  assert.equal(encodeTagged({ t: 'module', name: 'User' }), '{"@mod":"User"}');
  assert.equal(encodeTagged({ t: 'function', display: '[function <lambda>]' }), '"[function <lambda>]"');
  assert.equal(encodeTagged({ t: 'eventsource', token: 'tok' }), '{"@stream":"tok"}');
});

test('tagged containers wrap objects with @ keys', () => {
  assert.equal(encodeTagged({ t: 'array', v: [i(1), s('x')] }), '[{"@int":"1"},"x"]');
  assert.equal(encodeTagged(o([['a', i(1)]])), '{"a":{"@int":"1"}}');
  assert.equal(encodeTagged(o([['@foo', s('one')], ['bar', s('two')]])), '{"@object":{"@foo":"one","bar":"two"}}');
  assert.equal(encodeTagged(o([])), '{}');
});

test('tagged documents, refs, sets', () => {
  assert.equal(encodeTagged(doc),
    '{"@doc":{"id":"1234","coll":{"@mod":"User"},"ts":{"@time":"2023-03-09T17:45:17.520Z"},"name":"Ann",' +
    '"friend":{"@ref":{"id":"9","coll":{"@mod":"User"}}},"schema":{"@ref":{"name":"User","coll":{"@mod":"Collection"}}}}}');
  assert.equal(encodeTagged({ ...doc, ttl: parseTime('2024-01-01T00:00:00Z'), data: new Map() } as MValue),
    '{"@doc":{"id":"1234","coll":{"@mod":"User"},"ts":{"@time":"2023-03-09T17:45:17.520Z"},"ttl":{"@time":"2024-01-01T00:00:00Z"}}}');
  assert.equal(encodeTagged(named),
    '{"@doc":{"name":"User","coll":{"@mod":"Collection"},"ts":{"@time":"2023-03-09T17:45:17.520Z"},"indexes":{}}}');
  assert.equal(encodeTagged(missing), '{"@ref":{"id":"5","coll":{"@mod":"User"},"exists":false,"cause":"not found"}}');
  assert.equal(encodeTagged({ t: 'nulldoc', coll: 'Collection', name: 'X', cause: 'deleted' }),
    '{"@ref":{"name":"X","coll":{"@mod":"Collection"},"exists":false,"cause":"deleted"}}');
  assert.equal(encodeTagged({ t: 'page', data: [i(1)], after: 'cur' }), '{"@set":{"data":[{"@int":"1"}],"after":"cur"}}');
  assert.equal(encodeTagged({ t: 'page', data: [] }), '{"@set":{"data":[]}}');
  assert.equal(encodeTagged({ t: 'setRef', cursor: 'cur' }), '{"@set":"cur"}');
});

test('simple format', () => {
  assert.equal(encodeSimple(i(3)), '3');
  assert.equal(encodeSimple({ t: 'long', v: 9007199254740993n }), '9007199254740993');
  assert.equal(encodeSimple({ t: 'double', v: 3 }), '3.0');
  assert.equal(encodeSimple({ t: 'double', v: NaN }), '"NaN"');
  assert.equal(encodeSimple({ t: 'double', v: Infinity }), '"Infinity"');
  assert.equal(encodeSimple(time('2023-03-09T17:45:17.520Z')), '"2023-03-09T17:45:17.520Z"');
  assert.equal(encodeSimple({ t: 'date', days: 0 }), '"1970-01-01"');
  assert.equal(encodeSimple({ t: 'bytes', v: new Uint8Array([1]) }), '"AQ=="');
  assert.equal(encodeSimple({ t: 'module', name: 'User' }), '"User"');
  assert.equal(encodeSimple(o([['@foo', i(1)]])), '{"@foo":1}');
  assert.equal(encodeSimple(doc),
    '{"id":"1234","coll":"User","ts":"2023-03-09T17:45:17.520Z","name":"Ann","friend":{"id":"9","coll":"User"},' +
    '"schema":{"name":"User","coll":"Collection"}}');
  assert.equal(encodeSimple(named), '{"name":"User","coll":"Collection","ts":"2023-03-09T17:45:17.520Z","indexes":{}}');
  assert.equal(encodeSimple(missing), 'null');
  assert.equal(encodeSimple({ t: 'page', data: [i(1)], after: 'c' }), '{"data":[1],"after":"c"}');
  assert.equal(encodeSimple({ t: 'setRef', cursor: 'c' }), '"c"');
  assert.equal(encodeSimple({ t: 'eventsource', token: 't' }), '"t"');
  assert.deepEqual(JSON.parse(encodeSimple({ t: 'array', v: [i(1), { t: 'double', v: 1e21 }] })), [1, 1e21]);
});

test('decorated scalars and strings (core FQL2ValueDecoratedSpec)', () => {
  assert.equal(encodeDecorated(i(3)), '3');
  assert.equal(encodeDecorated({ t: 'double', v: 3 }), '3.0');
  assert.equal(encodeDecorated({ t: 'double', v: 3e3 }), '3000.0');
  assert.equal(encodeDecorated({ t: 'double', v: Infinity }), 'Math.Infinity');
  assert.equal(encodeDecorated({ t: 'double', v: -Infinity }), '-Math.Infinity');
  assert.equal(encodeDecorated({ t: 'double', v: NaN }), 'Math.NaN');
  assert.equal(encodeDecorated(s('hello')), '"hello"');
  assert.equal(encodeDecorated(s('')), '""');
  assert.equal(encodeDecorated(s('escaping: \u0000')), '"escaping: \\0"');
  assert.equal(encodeDecorated(s('a#{b}')), '"a\\#{b}"');
  assert.equal(encodeDecorated(s('new\nline\n')), '<<-END\n  new\n  line\nEND');
  assert.equal(encodeDecorated(s('new\nEND\n')), '<<-END0\n  new\n  END\nEND0');
  assert.equal(encodeDecorated(s('END\nEND0\n')), '<<-END1\n  END\n  END0\nEND1');
  const all = Array.from({ length: 10 }, (_, k) => `END${k}`);
  assert.equal(encodeDecorated(s(`END\n${all.join('\n')}`)), `"END\\n${all.join('\\n')}"`);
  assert.equal(encodeDecorated(time('1970-01-01T00:01:03Z')), 'Time("1970-01-01T00:01:03Z")');
  assert.equal(encodeDecorated({ t: 'date', days: 19341 }), 'Date("2022-12-15")');
  assert.equal(encodeDecorated({ t: 'bytes', v: new Uint8Array([1, 2, 3]) }), 'Bytes("AQID")');
  assert.equal(encodeDecorated({ t: 'null' }), 'null');
  assert.equal(encodeDecorated({ t: 'function', display: '[function concat()]' }), '"[function concat]"');
});

test('decorated containers', () => {
  assert.equal(encodeDecorated({ t: 'array', v: [s('hello'), s('hello'), s('moon')] }), '[\n  "hello",\n  "hello",\n  "moon"\n]');
  assert.equal(encodeDecorated({ t: 'array', v: [] }), '[]');
  assert.equal(encodeDecorated(o([['one', s('two')], ['three', s('four')], ['five', o([['a', s('b')], ['c', s('d')]])]])),
    '{\n  one: "two",\n  three: "four",\n  five: {\n    a: "b",\n    c: "d"\n  }\n}');
  assert.equal(encodeDecorated(o([])), '{}');
  assert.equal(encodeDecorated(o([['my key', i(1)], ['multi', s('a\nb')]])),
    '{\n  "my key": 1,\n  multi: <<-END\n    a\n    b\n  END\n}');
});

test('decorated documents and refs', () => {
  assert.equal(encodeDecorated(doc),
    '{\n  id: "1234",\n  coll: User,\n  ts: Time("2023-03-09T17:45:17.520Z"),\n  name: "Ann",\n  friend: User("9"),\n  schema: Collection.byName("User")\n}');
  assert.equal(encodeDecorated({ t: 'named', coll: 'Database', name: 'demo', ts: parseTime('2025-01-01T00:00:00Z')! / 1000n, data: new Map() }),
    '{\n  name: "demo",\n  coll: Database,\n  ts: Time("2025-01-01T00:00:00Z")\n}');
  assert.equal(encodeDecorated(missing), 'User("5") /* not found */');
  assert.equal(encodeDecorated(o([['deleted', { t: 'nulldoc', coll: 'TestCol', id: '1234', cause: 'deleted' }]])),
    '{\n  deleted: TestCol("1234") /* deleted */\n}');
  assert.equal(encodeDecorated({ t: 'page', data: [i(1)], after: 'c' }), '{\n  data: [\n    1\n  ],\n  after: "c"\n}');
});

test('encodeValueJson wraps decorated text in a JSON string', () => {
  assert.equal(encodeValueJson('decorated', o([['a', i(1)]])), JSON.stringify('{\n  a: 1\n}'));
  assert.equal(encodeValueJson('tagged', i(1)), '{"@int":"1"}');
  assert.equal(encodeValueJson('simple', i(1)), '1');
});
