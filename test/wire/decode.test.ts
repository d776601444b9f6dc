import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidValueError, decodeTagged } from '../../src/wire/tagged-decode';
import { decodeSimple } from '../../src/wire/simple-decode';
import { parseTime } from '../../src/fql/values/format';
import { readJson } from '../../src/wire/json-reader';

/** Tests write values as JS literals; the decoders read what the JSON reader produces. */
const tagged = (x: unknown) => decodeTagged(readJson(JSON.stringify(x)));
const simple = (x: unknown) => decodeSimple(readJson(JSON.stringify(x)));

function fails(json: unknown, message: string): void {
  assert.throws(() => tagged(json), (e: unknown) => e instanceof InvalidValueError && e.message === message);
}

test('tagged scalars', () => {
  assert.deepEqual(tagged({ '@int': '-5' }), { t: 'int', v: -5 });
  assert.deepEqual(tagged({ '@long': '9223372036854775807' }), { t: 'long', v: 9223372036854775807n });
  assert.deepEqual(tagged({ '@double': '1.2676506002282294e+30' }), { t: 'double', v: 1.2676506002282294e30 });
  assert.deepEqual(tagged({ '@double': 'NaN' }).t, 'double');
  assert.deepEqual(tagged({ '@date': '2022-12-15' }), { t: 'date', days: 19341 });
  assert.deepEqual(tagged({ '@time': '2003-02-08T13:28:12.000555+00:00' }), { t: 'time', ns: parseTime('2003-02-08T13:28:12.000555Z') });
  assert.deepEqual(tagged({ '@bytes': 'AQID' }), { t: 'bytes', v: new Uint8Array([1, 2, 3]) });
  assert.deepEqual(tagged({ '@mod': 'User' }), { t: 'module', name: 'User' });
  assert.deepEqual(tagged('s'), { t: 'string', v: 's' });
  assert.deepEqual(tagged(null), { t: 'null' });
  assert.deepEqual(tagged(false), { t: 'boolean', v: false });
});

test('tagged objects, @object and arrays', () => {
  const v = tagged({ '@object': { '@int': { '@int': '1' }, b: [true] } });
  assert.equal(v.t, 'object');
  if (v.t !== 'object') return;
  assert.deepEqual(v.v.get('@int'), { t: 'int', v: 1 });
  assert.deepEqual(v.v.get('b'), { t: 'array', v: [{ t: 'boolean', v: true }] });
});

test('documents and references', () => {
  assert.deepEqual(tagged({ '@ref': { id: '0123', coll: { '@mod': 'User' } } }), { t: 'doc', coll: 'User', id: '123' });
  assert.deepEqual(tagged({ '@doc': { name: 'User', coll: { '@mod': 'Collection' } } }), { t: 'named', coll: 'Collection', name: 'User' });
  assert.deepEqual(tagged({ '@doc': 'User:12' }), { t: 'doc', coll: 'User', id: '12' });
  assert.deepEqual(tagged({ '@doc': 'Function:double' }), { t: 'named', coll: 'Function', name: 'double' });
  fails({ '@ref': { id: 'x', coll: { '@mod': 'User' } } }, "@ref field 'id' must be an integer");
  fails({ '@ref': { id: '1' } }, "@ref field 'coll' is required");
  fails({ '@ref': { id: '1', coll: 'User' } }, "@ref field 'coll' requires a module value");
  fails({ '@ref': { coll: { '@mod': 'Collection' } } }, "@ref field 'name' is required");
  fails({ '@doc': 'a:b:c' }, 'doc id must be in the format <coll>:<id>');
  fails({ '@doc': 'User:x' }, "invalid document id 'x'");
  fails({ '@doc': 5 }, 'numbers must be tagged');
  fails({ '@doc': true }, '@doc requires an object value');
});

test('tagged errors use core messages', () => {
  fails(1, 'numbers must be tagged');
  fails({ x: 1.5 }, 'numbers must be tagged');
  fails({ '@int': '1', x: 'y' }, 'too many keys in tagged value');
  fails({ '@set': 'abc' }, "invalid tag '@set'");
  fails({ '@stream': 'abc' }, "invalid tag '@stream'");
  fails({ '@uuid': 'abc' }, "invalid tag '@uuid'");
  fails({ '@int': 1 }, '@int requires a string value');
  fails({ '@int': '2147483648' }, 'invalid integer');
  fails({ '@long': '1.5' }, 'invalid long');
  fails({ '@double': 'abc' }, 'invalid double');
  fails({ '@time': 'yesterday' }, 'invalid time');
  fails({ '@date': '2023-02-30' }, 'invalid date');
  fails({ '@bytes': 'A' }, 'invalid bytes');
  fails({ '@object': [] }, '@object requires an object value');
});

test('simple decoding leaves tags alone and sizes integers', () => {
  assert.deepEqual(simple(5), { t: 'int', v: 5 });
  assert.deepEqual(simple(2 ** 40), { t: 'long', v: 2n ** 40n });
  assert.deepEqual(simple(1.5), { t: 'double', v: 1.5 });
  const v = simple({ '@int': '5', a: [null, 'x', true] });
  assert.equal(v.t, 'object');
  if (v.t !== 'object') return;
  assert.deepEqual(v.v.get('@int'), { t: 'string', v: '5' });
  assert.deepEqual(v.v.get('a'), { t: 'array', v: [{ t: 'null' }, { t: 'string', v: 'x' }, { t: 'boolean', v: true }] });
});
