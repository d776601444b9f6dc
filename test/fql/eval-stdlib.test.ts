import { test } from 'node:test';
import assert from 'node:assert/strict';
import { js, run } from './fake-model';

const val = async (src: string) => js(await run(src));

test('array methods', async () => {
  assert.deepEqual(await val('[1, 2, 3].map(x => x * 2)'), [2, 4, 6]);
  assert.deepEqual(await val('[1, 2, 3, 4].where(x => x % 2 == 0)'), [2, 4]);
  assert.deepEqual(await val('[1, 2, 3, 4].filter(x => x > 2)'), [3, 4]);
  assert.deepEqual(await val('[[1], [2, 3]].flatMap(x => x)'), [1, 2, 3]);
  assert.deepEqual(await val('[[1], [2, 3]].flatten()'), [1, 2, 3]);
  assert.equal(await val('[1, 2, 3].fold(0, (a, x) => a + x)'), 6);
  assert.equal(await val('["a", "b"].foldRight("", (a, x) => a + x)'), 'ba');
  assert.equal(await val('[1, 2, 3].reduce((a, x) => a - x)'), -4);
  assert.equal(await val('[1, 2, 3].reduceRight((a, x) => a - x)'), 0);
  assert.equal(await val('[].reduce((a, x) => a)'), null);
  assert.equal(await val('[1, 2, 3].aggregate(0, (a, b) => a + b)'), 6);
  assert.equal(await val('[1, 2, 3].first()'), 1);
  assert.equal(await val('[1, 2, 3].last()'), 3);
  assert.equal(await val('[1, 2, 3].firstWhere(x => x > 1)'), 2);
  assert.equal(await val('[1, 2, 3].lastWhere(x => x < 3)'), 2);
  assert.equal(await val('[1, 2, 3].at(1)'), 2);
  assert.equal(await val('[1, 2, 1].indexOf(1)'), 0);
  assert.equal(await val('[1, 2, 1].indexOf(1, 1)'), 2);
  assert.equal(await val('[1, 2, 1].lastIndexOf(1)'), 2);
  assert.equal(await val('[1, 2, 1].indexOf(5)'), null);
  assert.equal(await val('[1, 2, 3].indexWhere(x => x > 1)'), 1);
  assert.equal(await val('[1, 2, 3].lastIndexWhere(x => x > 1)'), 2);
  assert.equal(await val('[1, 2, 3].includes(2)'), true);
  assert.equal(await val('[1, 2, 3].any(x => x > 2)'), true);
  assert.equal(await val('[1, 2, 3].every(x => x > 2)'), false);
  assert.deepEqual(await val('[1, 2, 3].slice(1)'), [2, 3]);
  assert.deepEqual(await val('[1, 2, 3].slice(-5, 2)'), [1, 2]);
  assert.deepEqual(await val('[1, 2, 3].take(2)'), [1, 2]);
  assert.deepEqual(await val('[1, 2, 3].drop(2)'), [3]);
  assert.deepEqual(await val('[1, 2].concat([3])'), [1, 2, 3]);
  assert.deepEqual(await val('[1, 2].append(3).prepend(0)'), [0, 1, 2, 3]);
  assert.deepEqual(await val('[1, 2, 1, 3].distinct()'), [1, 2, 3]);
  assert.deepEqual(await val('[1, 2, 3].reverse()'), [3, 2, 1]);
  assert.deepEqual(await val('["a", "b"].entries()'), [[0, 'a'], [1, 'b']]);
  assert.equal(await val('[].isEmpty()'), true);
  assert.equal(await val('[1].nonEmpty()'), true);
  assert.equal(await val('[1, 2].forEach(x => x)'), null);
  assert.deepEqual(await val('[3, 1, 2].order()'), [1, 2, 3]);
  assert.deepEqual(await val('[3, 1, 2].order(x => x)'), [1, 2, 3]);
  assert.deepEqual(await val('[{n: "b", a: 1}, {n: "a", a: 2}].order(asc(.n)).map(.a)'), [2, 1]);
  assert.deepEqual(await val('[3, "a", null, 1.5, true].order(x => x)'), [1.5, 3, 'a', true, null]);
  assert.deepEqual(await val('Array.sequence(1, 4)'), [1, 2, 3]);
  assert.equal(await val('[1, "a", {b: 2}].toString()'), '[1, "a", { b: 2 }]');
  await assert.rejects(run('[1].at(3)'), { code: 'index_out_of_bounds', message: 'index 3 out of bounds for length 1' });
  await assert.rejects(run('[1].map(1)'), { code: 'invalid_argument', message: 'expected value for `mapper` of type Function, received Int' });
  await assert.rejects(run('[1].where(x => 1)'), { code: 'type_mismatch', message: 'expected type: Boolean, received Int' });
  await assert.rejects(run('Array.sequence(0, 20000)'), { code: 'value_too_large', message: 'Value too large: range size 20000 exceeds limit 16000.' });
});

test('object module', async () => {
  assert.deepEqual(await val('Object.keys({a: 1, b: 2})'), ['a', 'b']);
  assert.deepEqual(await val('Object.values({a: 1, b: 2})'), [1, 2]);
  assert.deepEqual(await val('Object.entries({a: 1})'), [['a', 1]]);
  assert.deepEqual(await val('Object.fromEntries([["a", 1], ["b", 2]])'), { a: 1, b: 2 });
  assert.deepEqual(await val('Object.assign({a: 1, b: 1}, {b: 2, c: 3})'), { a: 1, b: 2, c: 3 });
  assert.equal(await val('Object.hasPath({a: {b: [1, 2]}}, ["a", "b", 1])'), true);
  assert.equal(await val('Object.hasPath({a: {b: 1}}, ["a", "c"])'), false);
  assert.equal(await val('Object.select({a: {b: 5}}, ["a", "b"])'), 5);
  assert.equal(await val('Object.toString({a: "x", "b c": [1]})'), '{ a: "x", "b c": [1] }');
});

test('functions as values and bound methods', async () => {
  assert.deepEqual(await val('let m = [1, 2].map\nm(x => x + 1)'), [2, 3]);
  assert.equal(await val('let o = {f: x => x * 2}\no.f(21)'), 42);
  assert.equal(await val('(x => x).toString()'), '[function <lambda>]');
  await assert.rejects(run('let o = {f: 1}\no.f()'), { code: 'invalid_function_invocation', message: '`f`: Expected a function, found `Int`' });
  await assert.rejects(run('{}.nope()'), { code: 'invalid_function_invocation', message: 'The function `nope` does not exist on `{ *: Any }`' });
});
