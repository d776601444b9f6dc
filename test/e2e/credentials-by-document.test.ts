// `Credential.byDocument(doc)` and `Token.byDocument(doc)` for callers with and without read
// privileges on Credential and Token, through keys of user roles and an identity token.
//
// Core: CredentialCompanion.byDocument (Credential.scala) looks the credential up without a
// privilege check (Credentials.idByDocument) and returns a reference to it, or to
// `CredentialsID(-1)` when the document has none; reading that reference is checked like any
// document read, so a caller without `read` on Credential gets a null document of cause
// "permission denied" (FQL2CredentialSpec.scala "login" / "respect permissions": `cred?.login()`
// is a ReadPermissionDenied null). TokenCompanion.byDocument (Tokens.scala) is an IndexSet, whose
// pages keep only the tokens the caller may read (ValueSet.scala IndexSet.maybeFilter,
// checkReadPermission).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentReference, NullDocument, fql, type Client } from 'fauna';
import type { TestServer } from '../helpers/server';
import { Clients, appDatabase, data, fails } from './identity-helpers';

describe('Credential.byDocument and Token.byDocument by privilege', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;
  /** A key whose role reads Person only. */
  let peopleOnly: Client;
  /** A key whose role reads Person, Credential and Token. */
  let reader: Client;
  /** A key whose role reads the credentials and tokens tagged "open" only. */
  let tagged: Client;
  /** Person 12's token: its membership role reads Person only (and, as an identity, its own credential and tokens). */
  let member: Client;
  let credential10: string;

  before(async () => {
    ({ server, clients, admin } = await appDatabase());
    await data(admin, fql`Collection.create({ name: "Person" })`);
    credential10 = await data<string>(admin, fql`Credential.create({ document: Person.create({ id: "10" }), password: "sekret", data: { tag: "open" } }).id`);
    await data(admin, fql`Person.create({ id: "11" })`);
    await data(admin, fql`Credential.create({ document: Person.create({ id: "12" }), password: "sekret" })`);
    await data(admin, fql`Token.create({ document: Person.byId("10"), data: { tag: "open" } }); Token.create({ document: Person.byId("10") })`);
    await data(admin, fql`Role.create({ name: "PeopleOnly", privileges: [{ resource: "Person", actions: { read: true } }], membership: [{ resource: "Person" }] })`);
    await data(admin, fql`Role.create({ name: "Reader", privileges: [
      { resource: "Person", actions: { read: true } }, { resource: "Credential", actions: { read: true } }, { resource: "Token", actions: { read: true } }] })`);
    await data(admin, fql`Role.create({ name: "Tagged", privileges: [
      { resource: "Person", actions: { read: true } },
      { resource: "Credential", actions: { read: "c => c.data?.tag == 'open'" } },
      { resource: "Token", actions: { read: "t => t.data?.tag == 'open'" } }] })`);
    const keyOf = async (role: string) => clients.as(await data<string>(admin, fql`Key.create({ role: ${role} }).secret`));
    peopleOnly = await keyOf('PeopleOnly');
    reader = await keyOf('Reader');
    tagged = await keyOf('Tagged');
    member = clients.as(await data<string>(admin, fql`Credential.byDocument(Person.byId("12"))!.login("sekret").secret`));
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  it('a caller without read on Credential gets a permission-denied null document (FQL2CredentialSpec)', async () => {
    for (const caller of [peopleOnly, member]) {
      const cred = await data(caller, fql`Credential.byDocument(Person.byId("10"))`);
      assert.ok(cred instanceof NullDocument, String(cred));
      assert.equal(cred.cause, 'permission denied');
      // As in core, the reference is to the credential itself.
      assert.equal((cred.ref as DocumentReference).id, credential10);
      assert.equal(await data(caller, fql`Credential.byDocument(Person.byId("10")) == null`), true);
      assert.equal(await data(caller, fql`Credential.byDocument(Person.byId("10")).exists()`), false);
      // FQL2CredentialSpec "login" / "respect permissions": `cred?.login()` is null, and no token is made.
      assert.equal(await data(caller, fql`Credential.byDocument(Person.byId("10"))?.login("sekret")`), null);
      assert.equal(await data(caller, fql`Credential.byDocument(Person.byId("10"))?.verify("sekret")`), null);
    }
    assert.equal(await data(admin, fql`Token.byDocument(Person.byId("10")).count()`), 2);
    // An identity reads its own credential whatever its roles (permissions.ts baseline).
    assert.ok(await data(member, fql`Credential.byDocument(Query.identity()!)`) instanceof DocumentReference);
  });

  it('a document without a credential names id -1, not found, whoever asks (CredentialCompanion: CredentialsID(-1))', async () => {
    for (const caller of [admin, peopleOnly, reader]) {
      const none = await data(caller, fql`Credential.byDocument(Person.byId("11"))`);
      assert.ok(none instanceof NullDocument, String(none));
      assert.equal(none.cause, 'not found');
      assert.equal((none.ref as DocumentReference).id, '-1');
      assert.equal(await data(caller, fql`Credential.byDocument(Person.byId("11")).id`), '-1');
      const e = await fails(caller, fql`Credential.byDocument(Person.byId("11"))!`, 'document_not_found');
      assert.equal(e.message, 'Collection `Credential` does not contain document with id -1.');
    }
  });

  it('a caller with read on Credential gets the credential', async () => {
    const cred = await data(reader, fql`Credential.byDocument(Person.byId("10"))`);
    assert.ok(cred instanceof DocumentReference, String(cred));
    assert.equal(cred.id, credential10);
    assert.equal(await data(reader, fql`Credential.byDocument(Person.byId("10"))!.document == Person.byId("10")`), true);
    assert.equal(await data(reader, fql`Credential.byDocument(Person.byId("10"))!.verify("sekret")`), true);
  });

  it('a read predicate decides per credential', async () => {
    assert.equal(await data(tagged, fql`Credential.byDocument(Person.byId("10"))!.data.tag`), 'open');
    const other = await data(tagged, fql`Credential.byDocument(Person.byId("12"))`);
    assert.ok(other instanceof NullDocument);
    assert.equal(other.cause, 'permission denied');
  });

  it('Token.byDocument keeps only the tokens the caller may read (IndexSet.maybeFilter)', async () => {
    assert.equal(await data(admin, fql`Token.byDocument(Person.byId("10")).count()`), 2);
    assert.equal(await data(reader, fql`Token.byDocument(Person.byId("10")).count()`), 2);
    assert.deepEqual(await data(tagged, fql`Token.byDocument(Person.byId("10")).map(.data.tag).toArray()`), ['open']);
    for (const caller of [peopleOnly, member]) {
      assert.equal(await data(caller, fql`Token.byDocument(Person.byId("10")).count()`), 0);
      assert.equal(await data(caller, fql`Token.byDocument(Person.byId("10")).first()`), null);
      assert.deepEqual(await data(caller, fql`Token.byDocument(Person.byId("10")).paginate().data`), []);
    }
    // An identity reads its own tokens (permissions.ts baseline): the one it logged in with.
    assert.equal(await data(member, fql`Token.byDocument(Query.identity()!).count()`), 1);
  });
});
