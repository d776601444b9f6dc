// User-defined roles, predicates and user-defined functions (in-process).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newService, ROOT, type TestService } from './service';

const denied = { ok: false, status: 400, code: 'permission_denied', message: 'Insufficient privileges to perform the action.' };

describe('roles and functions', () => {
  let svc: TestService;
  before(async () => {
    svc = await newService();
    await svc.data(ROOT, 'Collection.create({ name: "User" })');
    await svc.data(ROOT, 'Collection.create({ name: "Post" })');
    await svc.data(ROOT, 'User.create({ id: "1", name: "ann", admin: true })');
    await svc.data(ROOT, 'User.create({ id: "2", name: "bob" })');
    await svc.data(ROOT, 'Post.create({ id: "10", owner: User.byId("1"), text: "ann post", public: true })');
    await svc.data(ROOT, 'Post.create({ id: "11", owner: User.byId("2"), text: "bob post", public: false })');
  });
  after(async () => { await svc.close(); });

  it('validates role definitions', async () => {
    const bad = await svc.run(ROOT, 'Role.create({ name: "Bad", privileges: { resource: "Post", actions: { fly: true } } })');
    assert.equal(!bad.ok && bad.code, 'constraint_failure');
    const badPred = await svc.run(ROOT, 'Role.create({ name: "Bad", privileges: { resource: "Post", actions: { read: "(x) =>" } } })');
    assert.equal(!badPred.ok && badPred.code, 'constraint_failure');
    const role = await svc.data(ROOT, 'Role.create({ name: "Reader", privileges: [{ resource: "Post", actions: { read: "(p) => p.public" } }] })');
    assert.equal(role.name, 'Reader');
    assert.deepEqual(role.privileges, [{ resource: 'Post', actions: { read: '(p) => p.public' } }]);
    assert.deepEqual(await svc.data(ROOT, 'Role.all().map(.name).toArray()'), ['Reader']);
  });

  it('read predicates filter sets and deny byId', async () => {
    const key = (await svc.data(ROOT, 'Key.create({ role: "Reader" })')).secret;
    assert.deepEqual(await svc.data(key, 'Post.all().map(.text).toArray()'), ['ann post']);
    assert.equal(await svc.data(key, 'Post.byId("11") == null'), true);
    // core FQL2ABACSpec.assertDenied: `!` on an unreadable document is a permission-denied null.
    assert.deepEqual(await svc.run(key, 'Post.byId("11")!.text'), { ok: false, status: 400, code: 'null_value', message: 'Null value, due to permission denied' });
    assert.deepEqual(await svc.run(key, 'Post.create({ text: "x" })'), denied);
    assert.deepEqual(await svc.data(key, 'User.all().toArray()'), []);
    // The failed write rolled back nothing visible.
    assert.equal(await svc.data(ROOT, 'Post.all().toArray().length'), 2);
  });

  it('write, create and delete predicates get Fauna\'s arguments', async () => {
    await svc.data(ROOT, `Role.create({ name: "Editor", privileges: [{ resource: "Post", actions: {
      read: true,
      create: "(p) => p.text != 'spam'",
      create_with_id: false,
      write: "(oldP, newP) => oldP.text != 'locked' && newP.text != 'bad'",
      delete: "(p) => p.public == true"
    } }] })`);
    const key = (await svc.data(ROOT, 'Key.create({ role: "Editor" })')).secret;
    assert.equal((await svc.data(key, 'Post.create({ text: "fine" })')).text, 'fine');
    assert.deepEqual(await svc.run(key, 'Post.create({ text: "spam" })'), denied);
    assert.deepEqual(await svc.run(key, 'Post.create({ id: "99", text: "fine" })'), denied);
    await svc.data(key, 'Post.byId("10")!.update({ text: "edited" })');
    assert.deepEqual(await svc.run(key, 'Post.byId("10")!.update({ text: "bad" })'), denied);
    await svc.data(ROOT, 'Post.byId("11")!.update({ text: "locked" })');
    assert.deepEqual(await svc.run(key, 'Post.byId("11")!.update({ text: "free" })'), denied);
    assert.deepEqual(await svc.run(key, 'Post.byId("11")!.delete()'), denied);
    await svc.data(key, 'Post.byId("10")!.delete()');
  });

  it('predicates are read-only', async () => {
    await svc.data(ROOT, `Role.create({ name: "Sneaky", privileges: [{ resource: "Post", actions: { read: "(p) => { User.create({ name: 'x' }); true }" } }] })`);
    const key = (await svc.data(ROOT, 'Key.create({ role: "Sneaky" })')).secret;
    assert.deepEqual(await svc.data(key, 'Post.all().toArray()'), []);
    assert.equal(await svc.data(ROOT, 'User.all().toArray().length'), 2);
  });

  it('membership with a predicate decides which tokens hold a role', async () => {
    await svc.data(ROOT, `Role.create({ name: "Admins", membership: [{ resource: "User", predicate: "(u) => u.admin == true" }],
      privileges: [{ resource: "User", actions: { read: true } }] })`);
    const ann = (await svc.data(ROOT, 'Token.create({ document: User.byId("1") })')).secret;
    const bob = (await svc.data(ROOT, 'Token.create({ document: User.byId("2") })')).secret;
    assert.deepEqual(await svc.data(ann, 'User.all().map(.name).toArray()'), ['ann', 'bob']);
    assert.deepEqual(await svc.data(bob, 'User.all().toArray()'), []);
    // Identity-relative predicates.
    await svc.data(ROOT, `Role.create({ name: "Owners", membership: { resource: "User" },
      privileges: { resource: "Post", actions: { read: "(p) => p.owner == Query.identity()" } } })`);
    assert.deepEqual(await svc.data(bob, 'Post.all().map(.text).toArray()'), ['locked']);
  });

  it('functions run with the caller\'s privileges or their role', async () => {
    await svc.data(ROOT, 'Function.create({ name: "PostCount", body: "() => Post.all().toArray().length" })');
    await svc.data(ROOT, 'Function.create({ name: "PostCountServer", body: "() => Post.all().toArray().length", role: "server" })');
    await svc.data(ROOT, `Role.create({ name: "Caller", privileges: [
      { resource: "PostCount", actions: { call: true } },
      { resource: "PostCountServer", actions: { call: true } }] })`);
    const key = (await svc.data(ROOT, 'Key.create({ role: "Caller" })')).secret;
    const total = await svc.data(ROOT, 'PostCount()');
    assert.equal(await svc.data(key, 'PostCount()'), 0);
    assert.equal(await svc.data(key, 'PostCountServer()'), total);
    // Back in the caller's privileges after the call.
    assert.deepEqual(await svc.data(key, 'PostCountServer(); Post.all().toArray()'), []);
    const fn = await svc.data(ROOT, 'PostCountServer.definition');
    assert.equal(fn.name, 'PostCountServer');
    assert.equal(fn.role, 'server');
    assert.equal(fn.body, '() => Post.all().toArray().length');
  });

  it('calls need the call privilege, optionally with a predicate on the arguments', async () => {
    await svc.data(ROOT, 'Function.create({ name: "Add", body: "(a, b) => a + b" })');
    await svc.data(ROOT, `Role.create({ name: "SmallAdder", privileges: { resource: "Add", actions: { call: "(a, b) => a < 10" } } })`);
    const key = (await svc.data(ROOT, 'Key.create({ role: "SmallAdder" })')).secret;
    assert.equal(await svc.data(key, 'Add(1, 2)'), 3);
    assert.deepEqual(await svc.run(key, 'Add(11, 2)'), denied);
    const ro = (await svc.data(ROOT, 'Key.create({ role: "server-readonly" })')).secret;
    assert.deepEqual(await svc.run(ro, 'Add(1, 2)'), denied);
    const arity = await svc.run(ROOT, 'Add(1)');
    assert.equal(!arity.ok && arity.code, 'invalid_function_invocation');
  });

  it('functions can be updated, renamed and deleted', async () => {
    await svc.data(ROOT, 'Function.create({ name: "Greet", body: "(n) => \'hi \' + n" })');
    assert.equal(await svc.data(ROOT, 'Greet("x")'), 'hi x');
    await svc.data(ROOT, 'Function.byName("Greet")!.update({ body: "(n) => \'hello \' + n" })');
    assert.equal(await svc.data(ROOT, 'Greet("x")'), 'hello x');
    assert.ok((await svc.data(ROOT, 'Function.all().map(.name).toArray()')).includes('Greet'));
    await svc.data(ROOT, 'Function.byName("Greet")!.delete()');
    const gone = await svc.run(ROOT, 'Greet("x")');
    assert.ok(!gone.ok && ['invalid_query', 'unbound_variable'].includes(gone.code), JSON.stringify(gone));
    const bad = await svc.run(ROOT, 'Function.create({ name: "Broken", body: "(x) => " })');
    assert.equal(!bad.ok && bad.code, 'constraint_failure');
  });

  it('recursion ends in stack_overflow', async () => {
    await svc.data(ROOT, 'Function.create({ name: "Forever", body: "(n) => Forever(n + 1)" })');
    const r = await svc.run(ROOT, 'Forever(0)');
    assert.equal(!r.ok && r.code, 'stack_overflow');
  });
});
