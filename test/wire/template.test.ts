import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateSyntaxError, TemplateValueError, VALUE_PLACEHOLDER as P, assembleQuery } from '../../src/wire/template';
import { readJson } from '../../src/wire/json-reader';

/** Tests write templates as JS literals; assembly reads what the JSON reader produces. */
const assemble = (x: unknown) => assembleQuery(readJson(JSON.stringify(x)));

test('a plain string query is the source', () => {
  assert.deepEqual(assemble('1 + 1'), { source: '1 + 1', templateValues: [] });
});

test('fql fragments concatenate; value fragments become placeholders decoded as tagged', () => {
  const r = assemble({ fql: ['let x = ', { value: { '@int': '1' } }, '; x'] });
  assert.equal(r.source, `let x = ${P}; x`);
  assert.deepEqual(r.templateValues, [{ t: 'int', v: 1 }]);
});

test('nested fql directly in fql is spliced without parentheses', () => {
  const r = assemble({ fql: ['5 + ', { fql: ['1 + 2'] }] });
  assert.equal(r.source, '5 + 1 + 2');
});

test('fql inside array/object is parenthesised; containers with queries stay literals', () => {
  const r = assemble({ array: [{ fql: ['1 + 1'] }, { value: { '@int': '2' } }] });
  assert.equal(r.source, `[(1 + 1), ${P}]`);
  assert.deepEqual(r.templateValues, [{ t: 'int', v: 2 }]);
  const o = assemble({ object: { 'a"b': { fql: ['x'] }, c: { value: 'y' } } });
  assert.equal(o.source, `{ "a\\"b": (x), "c": ${P} }`);
});

test('all-value arrays and objects collapse to one value; objects keep @ keys', () => {
  const r = assemble({
    fql: ['let x = ', {
      object: {
        a: { value: { '@int': '1' } },
        '@b': { value: { '@long': '1099511627776' } },
        arr: { array: [{ value: { '@double': '1.5' } }, { value: null }, { value: true }, { value: { '@bytes': 'AQI=' } }] },
      },
    }, '; ', { fql: ['x'] }],
  });
  assert.equal(r.source, `let x = ${P}; x`);
  assert.equal(r.templateValues.length, 1);
  const v = r.templateValues[0];
  assert.equal(v.t, 'object');
  if (v.t !== 'object') return;
  assert.deepEqual([...v.v.keys()], ['a', '@b', 'arr']);
  assert.deepEqual(v.v.get('@b'), { t: 'long', v: 1099511627776n });
  const arr = v.v.get('arr');
  assert.equal(arr?.t, 'array');
  if (arr?.t !== 'array') return;
  assert.deepEqual(arr.v.slice(0, 3), [{ t: 'double', v: 1.5 }, { t: 'null' }, { t: 'boolean', v: true }]);
  assert.deepEqual(arr.v[3], { t: 'bytes', v: new Uint8Array([1, 2]) });
});

test('an inner all-value container collapses even when the outer one cannot', () => {
  const r = assemble({ array: [{ fql: ['a'] }, { array: [{ value: 'x' }, { value: 'y' }] }] });
  assert.equal(r.source, `[(a), ${P}]`);
  assert.deepEqual(r.templateValues, [{ t: 'array', v: [{ t: 'string', v: 'x' }, { t: 'string', v: 'y' }] }]);
});

test('structure errors use core messages', () => {
  assert.throws(() => assemble({ fql: ['a'], value: 1 }), (e: unknown) =>
    e instanceof TemplateSyntaxError && e.message === "Unexpected JSON Object Field Name. Expected an object with a single key 'fql', 'value', 'array', or 'object'.");
  assert.throws(() => assemble({ nope: [] }), /single key 'fql', 'value', 'array', or 'object'/);
  assert.throws(() => assemble({ fql: ['a\u0000b'] }), /^Error: FQL strings cannot contain NUL characters$/);
  assert.throws(() => assemble(5), (e: unknown) =>
    e instanceof TemplateSyntaxError && e.message === 'Unexpected JSON Integer. Expected query template.');
  assert.throws(() => assemble({ fql: [1] }), /Unexpected JSON Integer/);
});

test('undecodable values report the placeholder span', () => {
  assert.throws(() => assemble({ fql: ['let x = ', { value: 5 }] }), (e: unknown) => {
    assert.ok(e instanceof TemplateValueError);
    assert.equal(e.message, 'numbers must be tagged');
    assert.equal(e.start, 8);
    assert.equal(e.end, 15);
    assert.equal(e.source, `let x = ${P}`);
    return true;
  });
});
