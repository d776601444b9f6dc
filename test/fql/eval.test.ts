import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeModel, js, run, runWithContext } from './fake-model';

async function val(src: string, opts = {}) {
  return js(await run(src, opts));
}

test('literals, arithmetic and numeric widening', async () => {
  assert.equal(await val('1 + 2 * 3'), 7);
  assert.deepEqual(await run('2147483647 + 1'), { t: 'long', v: 2147483648n });
  assert.deepEqual(await run('9223372036854775807 + 1'), { t: 'double', v: 9223372036854775808 });
  assert.deepEqual(await run('1 + 1.5'), { t: 'double', v: 2.5 });
  assert.equal(await val('7 / 2'), 3);
  assert.equal(await val('-7 / 2'), -3);
  assert.equal(await val('-7 % 3'), -1);
  assert.equal(await val('7.0 / 2'), 3.5);
  assert.equal(await val('2 ** 10'), 1024);
  assert.deepEqual(await run('2 ** 40'), { t: 'long', v: 1099511627776n });
  assert.deepEqual(await run('2 ** -1'), { t: 'double', v: 0.5 });
  assert.equal(await val('6 & 3'), 2);
  assert.equal(await val('6 | 3'), 7);
  assert.equal(await val('6 ^ 3'), 5);
  assert.equal(await val('~5'), -6);
  assert.equal(await val('-(3)'), -3);
  assert.equal(await val('"a" + "b"'), 'ab');
});

test('comparison and equality', async () => {
  assert.equal(await val('1 == 1.0'), true);
  assert.equal(await val('[1, {a: "x"}] == [1, {a: "x"}]'), true);
  assert.equal(await val('{a: 1, b: 2} == {b: 2, a: 1}'), true);
  assert.equal(await val('1 != "1"'), true);
  assert.equal(await val('1 < 2'), true);
  assert.equal(await val('"a" < "b"'), true);
  assert.equal(await val('1 < "a"'), false);
  assert.equal(await val('1 >= "a"'), false);
  assert.equal(await val('null == null'), true);
  assert.equal(await val('[1, 2] < [1, 3]'), true);
});

test('logical operators short-circuit and require booleans', async () => {
  assert.equal(await val('false && abort(1)'), false);
  assert.equal(await val('true || abort(1)'), true);
  assert.equal(await val('true && false'), false);
  await assert.rejects(run('1 && true'), { code: 'type_mismatch', message: 'expected type: Boolean, received Int' });
});

test('null coalescing, optional chaining and non-null assertion', async () => {
  assert.equal(await val('null ?? 5'), 5);
  assert.equal(await val('3 ?? 5'), 3);
  assert.equal(await val('let o = null; o?.a.b.c'), null);
  assert.equal(await val('let o = {a: null}; o.a?.b'), null);
  assert.equal(await val('let o = {a: {b: 2}}; o?.a.b'), 2);
  assert.equal(await val('let f = null; f?.(1)'), null);
  assert.equal(await val('{a: 1}!.a'), 1);
  await assert.rejects(run('let o = {a: 1}\no.b!'), { code: 'null_value', message: 'Null value, due to missing field `b`' });
  await assert.rejects(run('null!'), { code: 'null_value', message: 'Null literal value' });
  await assert.rejects(run('[].first()!'), { code: 'null_value', message: 'Null value, due to empty array' });
});

test('blocks, let shadowing, if/else', async () => {
  assert.equal(await val('let x = 1\nlet x = x + 1\nx'), 2);
  assert.equal(await val('{ let a = 2; a * 3 }'), 6);
  assert.equal(await val('if (1 < 2) "yes" else "no"'), 'yes');
  assert.equal(await val('if (false) 1'), null);
  await assert.rejects(run('if (1) 2'), { code: 'type_mismatch', message: 'expected type: Boolean, received Int' });
});

test('lambdas, closures, variadics and short lambdas', async () => {
  assert.equal(await val('let add = (a, b) => a + b\nadd(2, 3)'), 5);
  assert.equal(await val('let mk = (n) => (x) => x + n\nlet add2 = mk(2)\nadd2(40)'), 42);
  assert.deepEqual(await val('let f = (...xs) => xs\nf(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(await val('let f = (a, ...xs) => [a, xs]\nf(1)'), [1, []]);
  assert.deepEqual(await val('[{a: 1}, {a: 2}].map(.a * 10)'), [10, 20]);
  assert.deepEqual(await val('let y = 1\nlet f = () => y\nlet y = 2\n[f(), y]'), [1, 2]);
});

test('arity errors', async () => {
  await assert.rejects(run('let f = (x) => x\nf(1, 2)'), {
    code: 'invalid_function_invocation',
    message: 'callee function expects exactly 1 argument, but 2 were provided.',
  });
  await assert.rejects(run('[1].map((a, b) => a)'), {
    code: 'invalid_argument',
    message: '`mapper` should accept 1 parameter, provided function requires exactly 2 parameters.',
  });
  await assert.rejects(run('[1].at()'), {
    code: 'invalid_function_invocation',
    message: 'callee function expects exactly 1 argument, but 0 were provided.',
  });
});

test('objects, arrays and indexing', async () => {
  assert.equal(await val('{a: {b: 3}}.a.b'), 3);
  assert.equal(await val('{a: 1}.missing'), null);
  assert.equal(await val('{a: 1}["a"]'), 1);
  assert.equal(await val('[1, 2, 3][1]'), 2);
  await assert.rejects(run('[1, 2, 3][5]'), { code: 'index_out_of_bounds', message: 'index 5 out of bounds for length 3' });
  assert.equal(await val('"#{1 + 1} and #{[1, "x"]}"'), '2 and [1, "x"]');
  assert.equal(await val('[1, 2].length'), 2);
});

test('projection of objects, arrays and aliases', async () => {
  assert.deepEqual(await val('{a: 1, b: 2, c: {d: 4, e: 5}} { a, c { d } }'), { a: 1, c: { d: 4 } });
  assert.deepEqual(await val('[{a: 1, b: 2}, {a: 3}] { a, x: .a + 1 }'), [{ a: 1, x: 2 }, { a: 3, x: 4 }]);
  assert.equal(await val('null { a }'), null);
});

test('isa', async () => {
  assert.equal(await val('1 isa Number'), true);
  assert.equal(await val('1 isa Int'), true);
  assert.equal(await val('1.0 isa Int'), false);
  assert.equal(await val('"x" isa String'), true);
  assert.equal(await val('{} isa Object'), true);
  const model = new FakeModel();
  model.addCollection('User');
  model.addDoc('User', '1', {});
  assert.equal(await val('User.byId("1") isa User', { model }), true);
});

test('documents: fields, null docs, equality with null', async () => {
  const model = new FakeModel();
  model.addCollection('User');
  model.addDoc('User', '101', { name: { t: 'string', v: 'Ann' } });
  assert.equal(await val('User.byId("101").name', { model }), 'Ann');
  assert.equal(await val('User.byId("101").id', { model }), '101');
  assert.equal(await val('User.byId("101").coll', { model }), '@User');
  assert.equal(await val('User.byId("101").nothing', { model }), null);
  assert.equal(await val('User.byId("999") == null', { model }), true);
  assert.equal(await val('User.byId("101") == null', { model }), false);
  assert.equal(await val('User.byId("999")?.name', { model }), null);
  assert.equal(await val('User.byId("999") ?? "none"', { model }), 'none');
  await assert.rejects(run('User.byId("999").name', { model }), {
    code: 'document_not_found',
    message: 'Collection `User` does not contain document with id 999.',
  });
  assert.deepEqual(await val('User.byId("101") { name, id }', { model }), { name: 'Ann', id: '101' });
});

test('missing methods and null receivers', async () => {
  await assert.rejects(run('[1].nope()'), {
    code: 'invalid_function_invocation',
    message: 'The function `nope` does not exist on `Array<Any>`',
  });
  await assert.rejects(run('null.foo()'), { code: 'invalid_null_access', message: 'Cannot access `foo` on null.' });
  await assert.rejects(run('let x = null\nx.foo'), { code: 'invalid_null_access', message: 'Cannot access `foo` on null.' });
  await assert.rejects(run('2 + "2"'), { code: 'invalid_argument', message: 'expected value for `other` of type Number, received String' });
  await assert.rejects(run('true + 1'), { code: 'invalid_function_invocation', message: 'The function `+` does not exist on `Boolean`' });
  await assert.rejects(run('1 / 0'), { code: 'divide_by_zero', message: 'Attempted integer division by zero.' });
  assert.deepEqual(await run('1 / 0.0'), { t: 'double', v: Infinity });
});

test('error spans point at the failing call', async () => {
  const src = 'let a = [1, 2]\na.at(7)';
  const err = await run(src).then(() => undefined, (e: unknown) => e as { span: { start: number; end: number } });
  assert.ok(err);
  // Method-call errors point at the argument list (core FQL2ArraySpec: `[1, 2].at(2)` → span of `(2)`).
  assert.equal(src.slice(err.span.start, err.span.end), '(7)');
  const err2 = await run('abort("oops")').then(() => undefined, (e: unknown) => e as { span: { start: number; end: number }; code: string; extra: { abort: unknown } });
  assert.equal(err2?.code, 'abort');
  assert.deepEqual(err2?.extra.abort, { t: 'string', v: 'oops' });
  assert.equal('abort("oops")'.slice(err2!.span.start, err2!.span.end), '("oops")');
});

test('unbound variables: check error by default, runtime error when asked', async () => {
  await assert.rejects(run('foo + bar'), (e: unknown) => {
    const err = e as { code: string; message: string; diagnostics: { message: string }[] };
    assert.equal(err.code, 'invalid_query');
    assert.equal(err.message, 'The query failed 2 validation checks');
    assert.deepEqual(err.diagnostics.map((d) => d.message), ['Unbound variable `foo`', 'Unbound variable `bar`']);
    return true;
  });
  assert.equal(await val('let f = () => nope()\n1', { checkUnbound: false }), 1);
  await assert.rejects(run('let f = () => nope()\nf()', { checkUnbound: false }), { code: 'unbound_variable', message: 'Unbound variable `nope`' });
});

test('arguments and template values', async () => {
  assert.equal(await val('x + 1', { args: { x: { t: 'int', v: 41 } } }), 42);
  assert.equal(await val('\u0000value> * 2', { templateValues: [{ t: 'int', v: 21 }] }), 42);
});

test('globals: log, dbg, newId', async () => {
  const { value, ctx } = await runWithContext('log("a", 1)\ndbg({x: "y"})');
  assert.deepEqual(js(value), { x: 'y' });
  assert.deepEqual(ctx.logs.map((l) => l.text), ['a 1', '{ x: "y" }']);
  const id = js(await run('newId()')) as string;
  assert.match(id, /^\d{17,19}$/);
});

test('stack overflow and deadline', async () => {
  await assert.rejects(run('let f = (g, n) => g(g, n + 1)\nf(f, 0)'), {
    code: 'stack_overflow',
    message: 'number of stack frames exceeded limit of 2048',
  });
  await assert.rejects(run('Array.sequence(0, 1000).map(x => x)', { deadline: performance.now() - 1 }), { message: 'query timed out' });
});

test('at() sets the snapshot for the body only', async () => {
  const model = new FakeModel();
  const { value, ctx } = await runWithContext('at (Time.epoch(0, "second")) 1', { model });
  assert.equal(js(value), 1);
  assert.equal(ctx.snapshotTs, undefined);
  await assert.rejects(run('at (Time.epoch(9999999999, "second")) 1'), { code: 'invalid_argument', message: 'invalid argument `at_time`: cannot evaluate `at` in the future' });
});
