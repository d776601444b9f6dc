// Privileges that must not stand in for others (security review 9), through the real server
// and the official drivers:
//   - creating a document with a chosen id needs `create_with_id`, or else both `create` and
//     `history_write` (core ext/model/src/main/scala/auth/Auth.scala checkCreateWithIDPermission;
//     predicate arguments from auth/RoleEvalAction.scala HistoryWrite: [ref, ts, action, data]).
//     `history_write` alone let a role without `create` make documents;
//   - the built-in server role holds no `unrestricted_read` (core auth/Permissions.scala
//     ServerPermissions: `case _: UnrestrictedIndexRead => Query.False`), so FQL v4 index entries
//     are read as their documents are: an index over Keys() showed a server key every key's ref,
//     role and data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { query as q } from 'faunadb';
import type { TestServer } from '../helpers/server';
import { Clients, appDatabase, PERMISSION_DENIED, data, fails } from './identity-helpers';
import { V4Clients, v4Fails } from './v4-helpers';

describe('security: one privilege does not stand in for another', () => {
  let server: TestServer;
  let clients: Clients;
  let v4: V4Clients;
  let admin: Client;
  /** Key secrets by role name. */
  const keys: Record<string, string> = {};

  before(async () => {
    ({ server, clients, admin } = await appDatabase());
    v4 = new V4Clients(server);
    await data(admin, fql`Collection.create({ name: "Book" })`);
    const roles: Record<string, string> = {
      HistOnly: '{ history_write: true }',
      CreateOnly: '{ create: true }',
      CreateHist: '{ create: true, history_write: true }',
      WithId: '{ create_with_id: true }',
      CreateWithId: '{ create: true, create_with_id: true }',
      // The history_write predicate sees the write as history: [ref, ts, "create", data].
      CreateHistPredicate: `{ create: true, history_write: "(ref, ts, action, data) => action == 'create' && data.data.title == 'ok' && ref.id == '500'" }`,
    };
    for (const [name, actions] of Object.entries(roles)) {
      await data(admin, fql`Role.create({ name: ${name}, privileges: { resource: "Book", actions: ${fql([actions])} } })`);
      keys[name] = await data<string>(admin, fql`Key.create({ role: ${name} }).secret`);
    }
  });
  after(async () => {
    clients.close();
    await v4.close();
    await server.dispose();
  });

  const bookIds = () => data<string[]>(admin, fql`Book.all().toArray().map(.id)`);

  describe('create_with_id (core Auth.checkCreateWithIDPermission)', () => {
    it('history_write alone creates nothing, with or without an id, in FQL v10 and v4', async () => {
      const hist = clients.as(keys.HistOnly);
      const e = await fails(hist, fql`Book.create({ id: "100", title: "forged" })`, 'permission_denied');
      assert.equal(e.message, PERMISSION_DENIED);
      await fails(hist, fql`Book.create({ title: "forged" })`, 'permission_denied');
      await v4Fails(v4.as(keys.HistOnly), q.Create(q.Ref(q.Collection('Book'), '101'), { data: {} }), 'permission denied', 403, PERMISSION_DENIED);
      assert.deepEqual(await bookIds(), []);
    });

    it('create alone picks no id', async () => {
      await fails(clients.as(keys.CreateOnly), fql`Book.create({ id: "200" })`, 'permission_denied');
      await data(clients.as(keys.CreateOnly), fql`Book.create({ title: "unnamed" })`);
      assert.deepEqual(await data(admin, fql`Book.all().toArray().map(.title)`), ['unnamed']);
    });

    it('create_with_id, or create with history_write, picks the id (core FQL2RoleSpec "create_with_id is checked")', async () => {
      assert.equal(await data(clients.as(keys.CreateWithId), fql`Book.create({ id: "300" }).id`), '300');
      assert.equal(await data(clients.as(keys.CreateHist), fql`Book.create({ id: "301" }).id`), '301');
    });

    it('create_with_id without create picks an id in FQL v4 only (core WriteAdaptor.create vs FQLInterpreter checkCreatePermission)', async () => {
      await fails(clients.as(keys.WithId), fql`Book.create({ id: "302" })`, 'permission_denied');
      const made = await v4.as(keys.WithId).query<{ ref: { id: string } }>(q.Create(q.Ref(q.Collection('Book'), '303'), { data: {} }));
      assert.equal(made.ref.id, '303');
      assert.ok(!(await bookIds()).includes('302'));
    });

    it("a history_write predicate gets core's HistoryWrite arguments and decides", async () => {
      const pred = clients.as(keys.CreateHistPredicate);
      await fails(pred, fql`Book.create({ id: "501", title: "ok" })`, 'permission_denied');
      await fails(pred, fql`Book.create({ id: "500", title: "no" })`, 'permission_denied');
      assert.equal(await data(pred, fql`Book.create({ id: "500", title: "ok" }).id`), '500');
    });
  });

  describe('FQL v4 index reads by a server key (core ServerPermissions)', () => {
    before(async () => {
      const root4 = v4.as('secret:app:admin');
      await root4.query(q.CreateIndex({ name: 'all_keys', source: q.Keys(), values: [{ field: ['ref'] }, { field: ['role'] }, { field: ['data'] }] }));
      await root4.query(q.CreateIndex({ name: 'all_books', source: q.Collection('Book'), values: [{ field: ['ref'] }] }));
      await data(admin, fql`Key.create({ role: "admin", data: { note: "the deploy key" } })`);
    });

    it('an index over Keys() shows a server key no key, as reading the keys would not', async () => {
      const server4 = v4.as(await data<string>(admin, fql`Key.create({ role: "server" }).secret`));
      await v4Fails(server4, q.Get(q.Ref(q.Keys(), (await data<string[]>(admin, fql`Key.all().toArray().map(.id)`))[0])), 'permission denied', 403);
      assert.deepEqual(await server4.query(q.Paginate(q.Match(q.Index('all_keys')))), { data: [] });
      // The admin key sees them all.
      const all = await v4.as('secret:app:admin').query<{ data: unknown[] }>(q.Paginate(q.Match(q.Index('all_keys'))));
      assert.ok(all.data.length > 1);
    });

    it('an index over a collection still shows a server key its documents', async () => {
      const server4 = v4.as(await data<string>(admin, fql`Key.create({ role: "server" }).secret`));
      const books = await data<string[]>(admin, fql`Book.all().toArray().map(.id)`);
      assert.ok(books.length > 0);
      const page = await server4.query<{ data: { id: string }[] }>(q.Paginate(q.Match(q.Index('all_books'))));
      assert.deepEqual(page.data.map((r) => r.id).sort(), [...books].sort());
    });
  });
});
