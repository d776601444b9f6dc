import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../../src/fql/values/value';
import { deserializeValue, serializeValue } from '../../src/fql/values/serialize';
import { FakeModel, js, run } from './fake-model';

/** Paginate `src` (which must evaluate to a page object), then follow cursors to the end. */
async function allPages(src: string, opts: { model?: FakeModel; args?: Record<string, Value>; templateValues?: Value[] } = {}) {
  const pages: unknown[][] = [];
  let page = await run(src, opts);
  for (;;) {
    const o = js(page) as { data: unknown[]; after?: string };
    pages.push(o.data);
    if (o.after === undefined) return pages;
    // A fresh query (new context), like the driver's follow-up `Set.paginate(after)`.
    page = await run('Set.paginate(\u0000value>)', { model: opts.model, templateValues: [{ t: 'string', v: o.after }] });
  }
}

function users(): FakeModel {
  const model = new FakeModel();
  model.addCollection('User');
  for (let i = 1; i <= 5; i++) model.addDoc('User', String(100 + i), { name: { t: 'string', v: `u${i}` }, n: { t: 'int', v: i } });
  return model;
}

test('array-backed sets paginate with cursors', async () => {
  assert.deepEqual(await allPages('[1, 2, 3].toSet().paginate(2)'), [[1, 2], [3]]);
  assert.deepEqual(await allPages('Set.single(7).paginate()'), [[7]]);
  const first = js(await run('Set.sequence(0, 20).paginate()')) as { data: number[]; after: string };
  assert.equal(first.data.length, 16);
  const second = js(await run('Set.paginate(c, 2)', { args: { c: { t: 'string', v: first.after } } })) as { data: number[]; after: string };
  assert.deepEqual(second.data, [16, 17]);
  assert.deepEqual(js(await run('Set.paginate(c)', { args: { c: { t: 'string', v: second.after } } })), { data: [18, 19] });
});

test('lambdas with captured variables and template values survive cursors', async () => {
  const pages = await allPages('let k = 10\nSet.sequence(0, 10).where(x => x % 2 == 0).map(x => x * k + \u0000value>).paginate(2)', {
    templateValues: [{ t: 'int', v: 1 }],
  });
  assert.deepEqual(pages, [[1, 21], [41, 61], [81]]);
  assert.deepEqual(await allPages('[{a: 1}, {a: 2}, {a: 3}].toSet().where(.a > 1).map(.a).paginate(1)'), [[2], [3]]);
  assert.deepEqual(await allPages('x.toSet().map(v => v + y).paginate(2)', {
    args: { x: { t: 'array', v: [{ t: 'int', v: 1 }, { t: 'int', v: 2 }, { t: 'int', v: 3 }] }, y: { t: 'int', v: 100 } },
  }), [[101, 102], [103]]);
});

test('combinators paginate and resume', async () => {
  assert.deepEqual(await allPages('Set.sequence(0, 10).take(5).paginate(2)'), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(await allPages('Set.sequence(0, 6).drop(2).paginate(3)'), [[2, 3, 4], [5]]);
  assert.deepEqual(await allPages('Set.sequence(0, 3).concat([7, 8].toSet()).paginate(2)'), [[0, 1], [2, 7], [8]]);
  assert.deepEqual(await allPages('Set.sequence(1, 4).flatMap(x => [x, x * 10].toSet()).paginate(4)'), [[1, 10, 2, 20], [3, 30]]);
  assert.deepEqual(await allPages('[3, 1, 2, 5, 4].toSet().order(desc(x => x)).paginate(2)'), [[5, 4], [3, 2], [1]]);
  assert.deepEqual(await allPages('[1, 2, 1, 3, 2, 4].toSet().distinct().paginate(2)'), [[1, 2], [3, 4]]);
  assert.deepEqual(await allPages('Set.sequence(0, 5).reverse().paginate(2)'), [[4, 3], [2, 1], [0]]);
  assert.deepEqual(await allPages('Set.sequence(0, 7).pageSize(3).paginate()'), [[0, 1, 2], [3, 4, 5], [6]]);
});

test('model sets: scans, mapping and projection through cursors', async () => {
  const model = users();
  assert.deepEqual(await allPages('User.all().map(.name).paginate(2)', { model }), [['u1', 'u2'], ['u3', 'u4'], ['u5']]);
  assert.deepEqual(await allPages('let s = User.all().where(.n > 2) { name }\ns.paginate(2)', { model }), [[{ name: 'u3' }, { name: 'u4' }], [{ name: 'u5' }]]);
  assert.deepEqual(js(await run('User.all().count()', { model })), 5);
  assert.deepEqual(js(await run('User.all().first()!.name', { model })), 'u1');
  assert.deepEqual(js(await run('User.all().last()!.name', { model })), 'u5');
  assert.deepEqual(js(await run('User.all().firstWhere(.n == 3)!.id', { model })), '103');
  assert.deepEqual(js(await run('User.all().order(desc(.n)).take(2).toArray().map(.n)', { model })), [5, 4]);
});

test('eager set methods', async () => {
  assert.equal(js(await run('Set.sequence(0, 4).fold(0, (a, x) => a + x)')), 6);
  assert.equal(js(await run('Set.sequence(1, 4).reduce((a, x) => a * x)')), 6);
  assert.equal(js(await run('Set.sequence(0, 4).includes(3)')), true);
  assert.equal(js(await run('Set.sequence(0, 0).isEmpty()')), true);
  assert.equal(js(await run('Set.sequence(0, 3).any(x => x > 1)')), true);
  assert.equal(js(await run('Set.sequence(0, 3).every(x => x > 1)')), false);
  assert.equal(js(await run('Set.sequence(0, 0).first()')), null);
  assert.deepEqual(js(await run('Set.sequence(0, 3).toArray()')), [0, 1, 2]);
  assert.equal(js(await run('Set.sequence(0, 3).toString()')), '[set]');
});

test('set argument errors', async () => {
  await assert.rejects(run('Set.sequence(0, 3).take(-1)'), { code: 'invalid_bounds', message: 'expected `limit` to be greater than 0, received -1' });
  await assert.rejects(run('Set.sequence(0, 3).paginate(0)'), { code: 'invalid_bounds', message: 'expected `size` to be between 1 and 16000 (inclusive), received 0' });
  await assert.rejects(run('Set.paginate("not a cursor")'), { code: 'invalid_cursor', message: 'Cursor cursor is invalid or expired.' });
  await assert.rejects(run('Set.paginate(1)'), { code: 'invalid_argument', message: 'expected value for `cursor` of type String, received Int' });
});

test('serializeValue / deserializeValue round-trip scalars and structures', () => {
  const values: Value[] = [
    { t: 'null' }, { t: 'boolean', v: true }, { t: 'int', v: -3 }, { t: 'long', v: 1n << 40n },
    { t: 'double', v: NaN }, { t: 'double', v: -Infinity }, { t: 'string', v: 'x' },
    { t: 'bytes', v: new Uint8Array([1, 2, 3]) }, { t: 'time', ns: 123456789n }, { t: 'date', days: 19000 },
    { t: 'uuid', v: '00000000-0000-0000-0000-000000000000' }, { t: 'module', name: 'User' },
    { t: 'doc', coll: 'User', id: '1' }, { t: 'named', coll: 'Collection', name: 'User' },
    { t: 'nulldoc', coll: 'User', id: '2', cause: 'not found' },
    { t: 'array', v: [{ t: 'int', v: 1 }] }, { t: 'object', v: new Map([['a', { t: 'int', v: 1 }]]) },
  ];
  for (const v of values) {
    const json = JSON.parse(JSON.stringify(serializeValue(v)));
    assert.deepEqual(deserializeValue(json), v);
  }
});

test('errors inside lambdas rebuilt from a cursor point at the paginate call', async () => {
  const page = js(await run('[1, 2, "x"].toSet().where(x => x * 2 > 0).paginate(1)')) as { data: unknown[]; after: string };
  assert.deepEqual(page.data, [1]);
  const src = 'Set.paginate(\u0000value>)';
  await assert.rejects(run(src, { templateValues: [{ t: 'string', v: page.after }] }), (e: unknown) => {
    const err = e as { code: string; message: string; span: { start: number; end: number } };
    assert.equal(err.code, 'invalid_function_invocation');
    assert.equal(err.message, 'The function `*` does not exist on `String`');
    assert.equal(src.slice(err.span.start, err.span.end), '(\u0000value>)');
    return true;
  });
});
