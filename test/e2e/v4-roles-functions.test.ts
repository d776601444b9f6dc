// FQL v4 user-defined functions and roles through the `faunadb@4.8` driver, and their reach
// across languages (the same Function and Role definitions serve v4 and v10). Sources:
// faunadb-js test/query.test.js ("create_function", "call function", "create_role"),
// faunadb-jvm ClientSpec "parse function errors" (`call error` / "Calling the function resulted
// in an error." with the body's error as cause), core doc/Role.scala (PrivilegesFQL4FormatValidator:
// `invalid type` at `privileges.resource`), auth/RoleEvalAction.scala lambdaArgs (v4 predicate
// arguments: read → ref, create → newData, write → [oldData, newData, ref]), auth/Permissions.scala
// (user roles; tokens hold the roles whose membership matches their identity), fql-v4.md §5.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, type Expr, query as q, values } from 'faunadb';
import { type AbortError, type Client as Client10, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, PERMISSION_DENIED, data, fails } from './identity-helpers';
import { V4Clients, errorsOf, v4Fails, v4FailsAt } from './v4-helpers';

describe('v4 functions and roles', () => {
  let server: TestServer;
  let clients: V4Clients;
  let clients10: Clients;
  let root: Client;
  let root10: Client10;
  const post = (id: number) => q.Ref(q.Collection('posts'), String(id));
  const keyFor = async (role: unknown): Promise<string> =>
    ((await root.query(q.CreateKey({ role }))) as { secret: string }).secret;

  before(async () => {
    server = await startServer();
    clients = new V4Clients(server);
    clients10 = new Clients(server);
    root = clients.as('secret');
    root10 = clients10.as('secret');
    await root.query(q.CreateCollection({ name: 'posts' }));
    await root.query(q.CreateCollection({ name: 'users' }));
    await root.query(q.Do(
      q.Create(post(1), { data: { title: 'open', public: true, owner: 'ann' } }),
      q.Create(post(2), { data: { title: 'closed', public: false, owner: 'bob' } }),
      q.Create(q.Ref(q.Collection('users'), '10'), { data: { name: 'vip', vip: true }, credentials: { password: 'pw-vip' } }),
      q.Create(q.Ref(q.Collection('users'), '11'), { data: { name: 'plain', vip: false }, credentials: { password: 'pw-plain' } }),
    ));
  });
  after(async () => {
    await clients.close();
    clients10.close();
    await server.dispose();
  });

  describe('functions', () => {
    before(async () => {
      await root.query(q.CreateFunction({ name: 'add2', body: q.Query(q.Lambda(['a', 'b'], q.Add(q.Var('a'), q.Var('b')))) }));
    });

    it('creates, reads and calls a function by ref and by name (faunadb-js "create_function", "call function")', async () => {
      assert.equal(await root.query(q.Call(q.Function('add2'), 1, 2)), 3);
      assert.equal(await root.query(q.Call('add2', [40, 2])), 42);
      const fn = await root.query(q.Get(q.Function('add2'))) as { ref: values.Ref; name: string; body: values.Query; ts: number };
      assert.equal(String(fn.ref), 'Function("add2")');
      assert.equal(fn.name, 'add2');
      assert.ok(fn.body instanceof values.Query);
      assert.deepEqual(JSON.parse(JSON.stringify(fn.body)), { '@query': { api_version: '4', lambda: ['a', 'b'], expr: { add: [{ var: 'a' }, { var: 'b' }] } } });
      assert.equal(await root.query(q.Exists(q.Function('add2'))), true);
    });

    it('faunadb-js "call function", "call with object", "create role" and the type checks of functions and roles', async () => {
      await root.query(q.CreateFunction({ name: 'concat_with_slash', body: q.Query((a: Expr, b: Expr) => q.Concat([a, b], '/')) }));
      assert.equal(await root.query(q.Call(q.Function('concat_with_slash'), 'a', 'b')), 'a/b');
      await root.query(q.CreateFunction({
        name: 'concat_with_slash_obj',
        body: q.Query((obj: Expr) => q.Let({ a: q.Select('a', obj), b: q.Select('b', obj) }, (a: Expr, b: Expr) => q.Concat([a, b], '/'))),
      }));
      assert.equal(await root.query(q.Call(q.Function('concat_with_slash_obj'), { a: 'a', b: 'b' })), 'a/b');
      await root.query(q.CreateRole({ name: 'a_role', privileges: [{ resource: q.Databases(), actions: { read: true } }] }));
      assert.equal(await root.query(q.Exists(q.Role('a_role'))), true);
      const fn = q.Function('concat_with_slash');
      assert.deepEqual(await root.query([
        q.IsFunction(fn), q.IsFunction(q.Get(fn)), q.IsRole(q.Role('a_role')), q.IsRole(q.Get(q.Role('a_role'))),
        q.IsLambda(q.Select('body', q.Get(fn))), q.IsLambda(fn), q.IsLambda(q.Get(fn)),
      ]), [true, true, true, true, true, false, false]);
    });

    it('refuses duplicates, unknown functions and non-Query bodies with core errors', async () => {
      await v4FailsAt(root, q.CreateFunction({ name: 'add2', body: q.Query(q.Lambda('x', q.Var('x'))) }),
        'instance already exists', 'Function already exists.', []);
      await v4FailsAt(root, q.Call(q.Function('nope'), 1), 'invalid ref', "Ref refers to undefined function 'nope'", ['call']);
      const e = await v4Fails(root, q.CreateFunction({ name: 'bad', body: 'x => x' }), 'validation failed', 400, 'document data is not valid.');
      assert.deepEqual(errorsOf(e)[0].failures, [{ field: ['body'], code: 'invalid type', description: 'Invalid type String, expected type Query.' }]);
    });

    it('reports a failure inside the body as a call error with the cause at its position in the body (jvm "parse function errors")', async () => {
      await root.query(q.CreateFunction({ name: 'stop_it', body: q.Query(q.Lambda('b', q.If(q.Var('b'), q.Abort('Stopped!'), 'go'))) }));
      assert.equal(await root.query(q.Call(q.Function('stop_it'), false)), 'go');
      const e = await v4Fails(root, q.Call(q.Function('stop_it'), true), 'call error', 400, 'Calling the function resulted in an error.');
      assert.deepEqual(errorsOf(e), [{
        position: [], code: 'call error', description: 'Calling the function resulted in an error.',
        cause: [{ position: ['expr', 'then'], code: 'transaction aborted', description: 'Stopped!' }],
      }]);
    });

    it('updates, lists and deletes functions; v4 and v10 functions call each other', async () => {
      await root10.query(fql`Function.create({ name: "double", body: "x => x * 2" })`);
      const page = await root.query(q.Paginate(q.Functions())) as { data: values.Ref[] };
      const names = page.data.map(String);
      assert.ok(names.includes('Function("add2")') && names.includes('Function("double")'), names.join());
      // A v10 function from v4, a v4 function from v10 (fql-v4.md §5, migration FAQ).
      assert.equal(await root.query(q.Call(q.Function('double'), 21)), 42);
      assert.equal(await data(root10, fql`add2(20, 22)`), 42);
      // A v4 Abort inside the body is a v10 abort carrying its message.
      const aborted = await fails(root10, fql`stop_it(true)`, 'abort', 400);
      assert.equal((aborted as AbortError).abort, 'Stopped!');
      const updated = await root.query(q.Update(q.Function('add2'), { data: { kind: 'math' } })) as { data: unknown };
      assert.deepEqual(updated.data, { kind: 'math' });
      assert.equal(await root.query(q.Call(q.Function('add2'), 1, 1)), 2);
      await root.query(q.Delete(q.Function('stop_it')));
      assert.equal(await root.query(q.Exists(q.Function('stop_it'))), false);
    });
  });

  describe('roles', () => {
    it('a key with a role reads what the role allows and nothing else (core Permissions.scala RolePermissions)', async () => {
      await root.query(q.CreateRole({ name: 'reader', privileges: [{ resource: q.Collection('posts'), actions: { read: true } }] }));
      const role = await root.query(q.Get(q.Role('reader'))) as { privileges: { resource: values.Ref; actions: unknown }[] };
      assert.equal(String(role.privileges[0].resource), 'Collection("posts")');
      assert.deepEqual(role.privileges[0].actions, { read: true });
      const reader = clients.as(await keyFor(q.Role('reader')));
      assert.equal(((await reader.query(q.Get(post(2)))) as { data: { title: string } }).data.title, 'closed');
      await v4FailsAt(reader, q.Create(q.Collection('posts'), { data: { title: 'new' } }), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(reader, q.Update(post(1), { data: { title: 'x' } }), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(reader, q.Get(q.Ref(q.Collection('users'), '10')), 'permission denied', PERMISSION_DENIED, []);
    });

    it('evaluates Query(Lambda) predicates with v4 arguments (read: ref, create: newData, write: [old, new, ref])', async () => {
      await root.query(q.CreateRole({
        name: 'editor',
        privileges: [{
          resource: q.Collection('posts'),
          actions: {
            read: q.Query(q.Lambda('ref', q.Select(['data', 'public'], q.Get(q.Var('ref'))))),
            create: q.Query(q.Lambda('new', q.Equals(q.Select(['data', 'owner'], q.Var('new')), 'ann'))),
            write: q.Query(q.Lambda(['old', 'new', 'ref'], q.And(
              q.Equals(q.Select(['data', 'owner'], q.Var('old')), q.Select(['data', 'owner'], q.Var('new'))),
              q.Equals(q.Select(['id'], q.Var('ref')), '1'),
            ))),
          },
        }],
      }));
      const editor = clients.as(await keyFor('editor'));
      assert.equal(((await editor.query(q.Get(post(1)))) as { data: { title: string } }).data.title, 'open');
      await v4FailsAt(editor, q.Get(post(2)), 'permission denied', PERMISSION_DENIED, []);
      assert.equal(await editor.query(q.Exists(post(2))), false);
      const mine = await editor.query(q.Create(q.Collection('posts'), { data: { title: 'mine', owner: 'ann', public: false } })) as { ref: values.Ref };
      await v4FailsAt(editor, q.Create(q.Collection('posts'), { data: { owner: 'bob' } }), 'permission denied', PERMISSION_DENIED, []);
      // Creating with a chosen id is `create_with_id`, which the role does not grant.
      await v4FailsAt(editor, q.Create(post(3), { data: { owner: 'ann' } }), 'permission denied', PERMISSION_DENIED, []);
      await editor.query(q.Update(post(1), { data: { title: 'edited' } }));
      await v4FailsAt(editor, q.Update(post(1), { data: { owner: 'eve' } }), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(editor, q.Update(mine.ref, { data: { title: 'x' } }), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(editor, q.Delete(post(1)), 'permission denied', PERMISSION_DENIED, []);
    });

    it('index reads need `read` (entries then filtered by document read) or `unrestricted_read` on the index', async () => {
      await root.query(q.CreateIndex({ name: 'posts_by_owner', source: q.Collection('posts'), terms: [{ field: ['data', 'owner'] }], active: true }));
      const byOwner = (owner: string) => q.Select(['data'], q.Paginate(q.Match(q.Index('posts_by_owner'), owner)));
      await root.query(q.CreateRole({
        name: 'index_reader',
        privileges: [
          { resource: q.Index('posts_by_owner'), actions: { read: q.Query(q.Lambda('terms', q.Not(q.Equals(q.Var('terms'), ['eve'])))) } },
          { resource: q.Collection('posts'), actions: { read: q.Query(q.Lambda('ref', q.Select(['data', 'public'], q.Get(q.Var('ref'))))) } },
        ],
      }));
      await root.query(q.CreateRole({ name: 'index_unrestricted', privileges: [{ resource: q.Index('posts_by_owner'), actions: { unrestricted_read: true } }] }));
      const indexReader = clients.as(await keyFor('index_reader'));
      assert.deepEqual((await indexReader.query(byOwner('bob'))), []);
      assert.deepEqual((await indexReader.query(byOwner('ann'))), [new values.Ref('1', new values.Ref('posts', values.Native.COLLECTIONS))]);
      await v4FailsAt(indexReader, byOwner('eve'), 'permission denied', PERMISSION_DENIED, ['from']);
      const unrestricted = clients.as(await keyFor('index_unrestricted'));
      assert.deepEqual((await unrestricted.query(byOwner('bob'))), [new values.Ref('2', new values.Ref('posts', values.Native.COLLECTIONS))]);
      const reader = clients.as(await keyFor('reader'));
      await v4FailsAt(reader, byOwner('ann'), 'permission denied', PERMISSION_DENIED, ['from']);
    });

    it('tokens hold the roles whose membership predicate accepts their identity (Login)', async () => {
      await root.query(q.CreateRole({
        name: 'vip_reader',
        membership: [{ resource: q.Collection('users'), predicate: q.Query(q.Lambda('ref', q.Select(['data', 'vip'], q.Get(q.Var('ref'))))) }],
        privileges: [{ resource: q.Collection('posts'), actions: { read: true } }],
      }));
      const login = async (id: string, password: string) =>
        ((await root.query(q.Login(q.Ref(q.Collection('users'), id), { password }))) as { secret: string }).secret;
      const vip = clients.as(await login('10', 'pw-vip'));
      const plain = clients.as(await login('11', 'pw-plain'));
      assert.equal(((await vip.query(q.Get(post(2)))) as { data: { title: string } }).data.title, 'closed');
      await v4FailsAt(plain, q.Get(post(2)), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(vip, q.Create(q.Collection('posts'), {}), 'permission denied', PERMISSION_DENIED, []);
    });

    it('predicates see the caller: CurrentIdentity() of a token, in v4 and in v10 queries', async () => {
      await root.query(q.CreateCollection({ name: 'drafts' }));
      await root.query(q.Create(q.Ref(q.Collection('drafts'), '1'), { data: { author: q.Ref(q.Collection('users'), '10'), text: 'a' } }));
      await root.query(q.CreateRole({
        name: 'authors',
        membership: [{ resource: q.Collection('users') }],
        privileges: [{
          resource: q.Collection('drafts'),
          actions: {
            read: true,
            write: q.Query(q.Lambda(['old', 'new'], q.Equals(q.CurrentIdentity(), q.Select(['data', 'author'], q.Var('old'))))),
          },
        }],
      }));
      const login = async (id: string, password: string) =>
        ((await root.query(q.Login(q.Ref(q.Collection('users'), id), { password }))) as { secret: string }).secret;
      const [author, other] = [await login('10', 'pw-vip'), await login('11', 'pw-plain')];
      await clients.as(author).query(q.Update(q.Ref(q.Collection('drafts'), '1'), { data: { text: 'b' } }));
      await v4FailsAt(clients.as(other), q.Update(q.Ref(q.Collection('drafts'), '1'), { data: { text: 'c' } }), 'permission denied', PERMISSION_DENIED, []);
      assert.equal(await data(clients10.as(author), fql`drafts.byId("1")!.update({ text: "d" }).text`), 'd');
      await fails(clients10.as(other), fql`drafts.byId("1")!.update({ text: "e" })`, 'permission_denied', 400);
    });

    it('functions run with their role; callers need `call` (core EvalContext CallE)', async () => {
      await root.query(q.CreateFunction({ name: 'post_title', role: 'server', body: q.Query(q.Lambda('id', q.Select(['data', 'title'], q.Get(q.Ref(q.Collection('posts'), q.Var('id')))))) }));
      await root.query(q.CreateFunction({ name: 'post_title_as_caller', body: q.Query(q.Lambda('id', q.Select(['data', 'title'], q.Get(q.Ref(q.Collection('posts'), q.Var('id')))))) }));
      await root.query(q.CreateRole({
        name: 'caller',
        privileges: [
          { resource: q.Function('post_title'), actions: { call: true } },
          { resource: q.Function('post_title_as_caller'), actions: { call: q.Query(q.Lambda('id', q.Equals(q.Var('id'), '2'))) } },
        ],
      }));
      const fn = await root.query(q.Get(q.Function('post_title'))) as { role: string };
      assert.equal(fn.role, 'server');
      const caller = clients.as(await keyFor('caller'));
      assert.equal(await caller.query(q.Call(q.Function('post_title'), '2')), 'closed');
      await v4FailsAt(caller, q.Get(post(2)), 'permission denied', PERMISSION_DENIED, []);
      // Without a role the body runs as the caller, who may not read posts.
      const e = await v4Fails(caller, q.Call(q.Function('post_title_as_caller'), '2'), 'call error', 400);
      assert.deepEqual((errorsOf(e)[0] as { cause?: unknown }).cause, [{ position: ['expr', 'from'], code: 'permission denied', description: PERMISSION_DENIED }]);
      // The call predicate gets the arguments.
      await v4FailsAt(caller, q.Call(q.Function('post_title_as_caller'), '1'), 'permission denied', PERMISSION_DENIED, []);
      const client = clients.as(await keyFor('client'));
      await v4FailsAt(client, q.Call(q.Function('post_title'), '2'), 'permission denied', PERMISSION_DENIED, []);
      // A function with a user role (a Role ref) runs with that role.
      await root.query(q.CreateFunction({ name: 'as_reader', role: q.Role('reader'), body: q.Query(q.Lambda('id', q.Exists(q.Ref(q.Collection('users'), q.Var('id'))))) }));
      assert.equal(String((await root.query(q.Get(q.Function('as_reader'))) as { role: values.Ref }).role), 'Role("reader")');
      assert.equal(await root.query(q.Call(q.Function('as_reader'), '10')), false);
    });

    it('refuses v10-style roles (strings) with core PrivilegesFQL4FormatValidator failures', async () => {
      const e = await v4Fails(root, q.CreateRole({ name: 'stringy', privileges: [{ resource: 'posts', actions: { read: 'x => true' } }] }),
        'validation failed', 400, 'document data is not valid.');
      assert.deepEqual(errorsOf(e)[0].failures, [
        { field: ['privileges', 'resource'], code: 'invalid type', description: 'Invalid type String, expected type Ref.' },
        { field: ['privileges', 'actions', 'read'], code: 'invalid type', description: 'Invalid type String, expected type Query.' },
      ]);
      await v4FailsAt(root, q.CreateRole({ name: 'reader', privileges: [] }), 'instance already exists', 'Role already exists.', []);
      const server = clients.as(await keyFor('server'));
      await v4FailsAt(server, q.CreateRole({ name: 'by_server', privileges: [] }), 'permission denied', PERMISSION_DENIED, []);
    });

    it('updates and deletes roles; Roles() lists them', async () => {
      await root.query(q.CreateRole({ name: 'temp', privileges: [{ resource: q.Collection('posts'), actions: { read: true } }] }));
      const temp = clients.as(await keyFor('temp'));
      assert.equal(await temp.query(q.Exists(post(1))), true);
      await root.query(q.Update(q.Role('temp'), { privileges: [{ resource: q.Collection('posts'), actions: { read: false } }] }));
      assert.equal(await temp.query(q.Exists(post(1))), false);
      const page = await root.query(q.Paginate(q.Roles())) as { data: values.Ref[] };
      assert.ok(page.data.map(String).includes('Role("temp")'));
      // A role still referred to by a key cannot go (core ReferencesValidator).
      await v4Fails(root, q.Delete(q.Role('temp')), 'validation failed', 400);
    });

    it('privileges hold refs: they follow renamed collections and functions', async () => {
      await root.query(q.Do(
        q.CreateCollection({ name: 'notes' }),
        q.Create(q.Ref(q.Collection('notes'), '1'), { data: { text: 'hi' } }),
        q.CreateFunction({ name: 'one', body: q.Query(q.Lambda('x', 1)) }),
      ));
      await root.query(q.CreateRole({
        name: 'notes_reader',
        privileges: [{ resource: q.Collection('notes'), actions: { read: true } }, { resource: q.Function('one'), actions: { call: true } }],
      }));
      const key = clients.as(await keyFor('notes_reader'));
      await root.query(q.Do(q.Update(q.Collection('notes'), { name: 'memos' }), q.Update(q.Function('one'), { name: 'uno' })));
      const role = await root.query(q.Get(q.Role('notes_reader'))) as { privileges: { resource: values.Ref }[] };
      assert.deepEqual(role.privileges.map((p) => String(p.resource)), ['Collection("memos")', 'Function("uno")']);
      assert.equal(((await key.query(q.Get(q.Ref(q.Collection('memos'), '1')))) as { data: { text: string } }).data.text, 'hi');
      assert.equal(await key.query(q.Call(q.Function('uno'), 0)), 1);
    });
  });

  describe('across languages', () => {
    it('a v4 role restricts v10 queries, a v10 role restricts v4 queries (fql-v4.md §5, core RoleMembership)', async () => {
      // v4 role (boolean and predicate actions) → v10 query.
      const reader10 = clients10.as(await keyFor('reader'));
      assert.equal(await data(reader10, fql`posts.byId("2")!.title`), 'closed');
      await fails(reader10, fql`posts.create({ title: "v10" })`, 'permission_denied', 400);
      const editor10 = clients10.as(await keyFor('editor'));
      assert.deepEqual(await data(editor10, fql`posts.all().map(.id).toArray()`), ['1']);
      await data(editor10, fql`posts.byId("1")!.update({ title: "from v10" })`);
      await fails(editor10, fql`posts.byId("1")!.update({ owner: "eve" })`, 'permission_denied', 400);
      await data(editor10, fql`posts.create({ owner: "ann", public: true, title: "v10 ann" })`);
      await fails(editor10, fql`posts.create({ owner: "bob" })`, 'permission_denied', 400);
      // A v4 membership predicate decides a token's roles in v10 as well.
      const login = async (id: string, password: string) =>
        ((await root.query(q.Login(q.Ref(q.Collection('users'), id), { password }))) as { secret: string }).secret;
      assert.equal(await data(clients10.as(await login('10', 'pw-vip')), fql`posts.byId("2")!.title`), 'closed');
      assert.equal(await data(clients10.as(await login('11', 'pw-plain')), fql`posts.byId("2").exists()`), false);
      // A v4 `call` predicate and a v4 body with a role, called from v10.
      const caller10 = clients10.as(await keyFor('caller'));
      assert.equal(await data(caller10, fql`post_title("2")`), 'closed');
      await fails(caller10, fql`post_title_as_caller("1")`, 'permission_denied', 400);
      // v10 role → v4 query.
      await root10.query(fql`Role.create({ name: "v10reader", privileges: [{ resource: "posts", actions: { read: "doc => doc.public == true" } }] })`);
      const v10reader = clients.as(await keyFor('v10reader'));
      assert.equal(((await v10reader.query(q.Get(post(1)))) as { data: { public: boolean } }).data.public, true);
      await v4FailsAt(v10reader, q.Get(post(2)), 'permission denied', PERMISSION_DENIED, []);
      await v4FailsAt(v10reader, q.Create(q.Collection('posts'), {}), 'permission denied', PERMISSION_DENIED, []);
    });
  });
});
