// Writes are no existence oracle (security review 7): a caller that holds no grant at all for a
// write (no privilege on the collection for that action, outright or by a predicate) is refused
// with permission_denied before the server looks at what exists, so the answer is the same
// whether the document id is taken or the document has a credential. Before, an unprivileged
// key learnt it from `document_id_exists` ("Collection `Secret` already contains document with
// id 1."), FQL v4's "instance already exists", and a credential's "The document already has a
// credential." (FQL v4: "instance not unique"), the last after paying for a bcrypt hash. Callers
// with the grant keep Fauna's answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { type Client as V4Client, query as q } from 'faunadb';
import type { TestServer } from '../helpers/server';
import { Clients, appDatabase, PERMISSION_DENIED, data, fails } from './identity-helpers';
import { V4Clients, v4Fails } from './v4-helpers';

describe('security: writes refused for want of privileges reveal nothing', () => {
  let server: TestServer;
  let clients: Clients;
  let v4: V4Clients;
  let admin: Client;
  /** A user role with no privilege on Secret, Person or Credential. */
  let outsider: Client;
  let outsider4: V4Client;
  /** A user role that may create Secret documents with an id of its choosing. */
  let withId: Client;
  let server4: V4Client;

  before(async () => {
    ({ server, clients, admin } = await appDatabase());
    v4 = new V4Clients(server);
    await data(admin, fql`Collection.create({ name: "Secret" })`);
    await data(admin, fql`Collection.create({ name: "Person" })`);
    await data(admin, fql`Collection.create({ name: "Note" })`);
    await data(admin, fql`Secret.create({ id: "1", text: "topsecret" })`);
    await data(admin, fql`Credential.create({ document: Person.create({ id: "10" }), password: "sekret" })`);
    await data(admin, fql`Person.create({ id: "11" })`);
    await data(admin, fql`Role.create({ name: "NotesOnly", privileges: { resource: "Note", actions: { read: true, create: true, create_with_id: true } } })`);
    await data(admin, fql`Role.create({ name: "SecretMaker", privileges: { resource: "Secret", actions: { create_with_id: true } } })`);
    const secretOf = async (role: string) => data<string>(admin, fql`Key.create({ role: ${role} }).secret`);
    const notes = await secretOf('NotesOnly');
    outsider = clients.as(notes);
    outsider4 = v4.as(notes);
    withId = clients.as(await secretOf('SecretMaker'));
    server4 = v4.as(await secretOf('server'));
  });
  after(async () => {
    clients.close();
    await v4.close();
    await server.dispose();
  });

  it('creating with a taken id or a free one is the same permission_denied', async () => {
    for (const id of ['1', '2']) {
      const e = await fails(outsider, fql`Secret.create({ id: ${id}, text: "mine" })`, 'permission_denied');
      assert.equal(e.message, PERMISSION_DENIED);
    }
    for (const id of ['1', '2']) {
      await v4Fails(outsider4, q.Create(q.Ref(q.Collection('Secret'), id), { data: {} }), 'permission denied', 403, PERMISSION_DENIED);
    }
    assert.deepEqual(await data(admin, fql`Secret.all().map(.id).toArray()`), ['1']);
  });

  it('a caller granted create_with_id still learns that the id is taken, as in Fauna', async () => {
    const e = await fails(withId, fql`Secret.create({ id: "1" })`, 'document_id_exists');
    assert.equal(e.message, 'Collection `Secret` already contains document with id 1.');
    await fails(outsider, fql`Note.create({ id: "5" }); Note.create({ id: "5" })`, 'document_id_exists');
  });

  it('creating a credential is permission_denied whether the document has one or not', async () => {
    for (const id of ['10', '11']) {
      const e = await fails(outsider, fql`Credential.create({ document: Person.byId(${id}), password: "x" })`, 'permission_denied');
      assert.equal(e.message, PERMISSION_DENIED);
      await v4Fails(outsider4, q.Create(q.Credentials(), { instance: q.Ref(q.Collection('Person'), id), password: 'x' }),
        'permission denied', 403, PERMISSION_DENIED);
    }
    assert.equal(await data(admin, fql`Credential.all().count()`), 1);
  });

  it('a caller who may create credentials still gets Fauna\'s answer', async () => {
    const e = await fails(admin, fql`Credential.create({ document: Person.byId("10"), password: "x" })`, 'constraint_failure');
    assert.deepEqual(e.constraint_failures, [{ paths: [['document']], message: 'The document already has a credential.' }]);
    await v4Fails(server4, q.Create(q.Credentials(), { instance: q.Ref(q.Collection('Person'), '10'), password: 'x' }),
      'instance not unique', 400, 'document is not unique.');
  });
});
