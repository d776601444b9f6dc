// Security findings of issue 9 about identity, through the real server and the official driver:
//   3.   keys (and tokens) are bound to the identity of their database, role and identity
//        collection, not to names: references block deletes and follow renames;
//   8.   computed fields used in indexes may not read other documents;
//   10b. collection and function names and aliases may not collide.
// Core sources (fauna/faunadb, read through its public mirror): ext/model/src/main/scala/schema/
// ForeignKey.scala, Validators.scala (FKValidationHook), FKUpdateHook.scala, NativeCollection.scala
// (Database foreignKeys), GlobalNamespaceValidator.scala; fql/env/SchemaTypeValidator.scala; tests
// ext/model/src/test/scala/fql2/FQL2KeySpec.scala, FQL2RoleSpec.scala, FQL2ComputedFieldsSpec.scala.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails } from './identity-helpers';
import { SchemaApi } from './schema-fixtures';

describe('security: identity', () => {
  let server: TestServer;
  let clients: Clients;
  let root: Client;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    root = clients.as('secret');
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  const newKey = async (spec: string): Promise<{ id: string; secret: string }> =>
    data(root, fql([`Key.create(${spec}) { id, secret }`]));

  describe('3. keys are bound to database and role identities', () => {
    // Core DatabaseSchemaHooks (OnDelete → deleteSiblingKeys): deleting a database first deletes
    // the keys bound to it, so the Key foreign-key check (Validators.FKValidationHook, Database
    // Src("name")(Target(Location.Key)("database"))) finds none. The reported reproduction
    // (delete tenant1, recreate it, reuse the old key) then fails at the reuse: the key is gone.
    // The faunadb-js suite relies on this (test/util.js deletes its database with its keys).
    it('deleting a database deletes its keys, so an old key never reaches a new database of that name', async () => {
      await data(root, fql`Database.create({ name: "tenant1" })`);
      const key = await newKey('{ role: "admin", database: "tenant1" }');
      await data(clients.as(key.secret), fql`Collection.create({ name: "Mine" })`);
      await data(root, fql`Database.byName("tenant1")!.delete()`);
      assert.equal(await data(root, fql`Key.byId(${key.id}).exists()`), false);
      await data(root, fql`Database.create({ name: "tenant1" })`);
      await data(clients.as('secret:tenant1:admin'), fql`Collection.create({ name: "SomeoneElses" })`);
      await fails(clients.as(key.secret), fql`Collection.all().toArray()`, 'unauthorized', 401);
    });

    it('renaming a database keeps its keys working with the new name; a new database taking the old name is not theirs', async () => {
      await data(root, fql`Database.create({ name: "acme" })`);
      const key = await newKey('{ role: "admin", database: "acme" }');
      await data(clients.as(key.secret), fql`Collection.create({ name: "AcmeData" })`);
      await data(root, fql`Database.byName("acme")!.update({ name: "acme_archive" })`);
      assert.equal(await data(root, fql`Key.byId(${key.id})!.database`), 'acme_archive');
      await data(root, fql`Database.create({ name: "acme" })`);
      await data(clients.as('secret:acme:admin'), fql`Collection.create({ name: "NewOwner" })`);
      assert.deepEqual(await data(clients.as(key.secret), fql`Collection.all().map(.name).toArray()`), ['AcmeData']);
    });

    it('deleting a role that a key refers to is refused, so the key never gets a recreated role\'s privileges', async () => {
      await data(root, fql`Collection.create({ name: "Payroll" })`);
      await data(root, fql`Payroll.create({ salary: 100 })`);
      await data(root, fql`Role.create({ name: "Auditor" })`);
      const key = await newKey('{ role: "Auditor" }');
      const e = await fails(root, fql`Role.byName("Auditor")!.delete()`, 'constraint_failure');
      assert.equal(e.message, 'Failed to delete Role `Auditor`.');
      assert.deepEqual(e.constraint_failures, [
        { paths: [['name']], message: `The key \`${key.id}\` refers to this document by its previous identifier \`Auditor\`.` },
      ]);
      // "Recreating" it with more privileges cannot happen: the name is still taken.
      const dup = await fails(root, fql`Role.create({ name: "Auditor", privileges: [{ resource: "Payroll", actions: { read: true } }] })`, 'constraint_failure');
      assert.equal(dup.message, 'Failed to create Role.');
      assert.deepEqual(await data(clients.as(key.secret), fql`Payroll.all().toArray()`), []);
    });

    it('renaming a role keeps its keys working and shows the new name; a new role taking the old name grants them nothing', async () => {
      await data(root, fql`Collection.create({ name: "Ledger" })`);
      await data(root, fql`Ledger.create({ amount: 5 })`);
      await data(root, fql`Role.create({ name: "Clerk", privileges: [{ resource: "Ledger", actions: { read: true } }] })`);
      const key = await newKey('{ role: "Clerk" }');
      await data(root, fql`Function.create({ name: "clerkFn", body: "() => Ledger.all().count()", role: "Clerk" })`);
      await data(root, fql`Role.byName("Clerk")!.update({ name: "Bookkeeper" })`);
      // Core FQL2RoleSpec "update validates foreign keys": references follow the rename.
      assert.equal(await data(root, fql`Key.byId(${key.id})!.role`), 'Bookkeeper');
      assert.equal(await data(root, fql`Function.byName("clerkFn")!.role`), 'Bookkeeper');
      assert.equal(await data(clients.as(key.secret), fql`Ledger.all().count()`), 1);
      await data(root, fql`Role.create({ name: "Clerk", privileges: [{ resource: "Ledger", actions: { read: true, create: true, delete: true } }] })`);
      await fails(clients.as(key.secret), fql`Ledger.create({ amount: 6 })`, 'permission_denied');
    });

    it("a token is bound to its identity's collection: a recreated collection's document with the same id is not its identity", async () => {
      // Core stores a token's identity as a DocID (collection id + document id).
      await data(root, fql`Collection.create({ name: "Member" })`);
      await data(root, fql`Member.create({ id: "42", name: "first owner" })`);
      const token = await data<{ secret: string }>(root, fql`Token.create({ document: Member.byId("42") }) { secret }`);
      assert.equal(await data(clients.as(token.secret), fql`Query.identity() == Member.byId("42")`), true);
      await data(root, fql`Collection.byName("Member")!.delete()`);
      await data(root, fql`Collection.create({ name: "Member" })`);
      await data(root, fql`Member.create({ id: "42", name: "someone else" })`);
      await fails(clients.as(token.secret), fql`Query.identity() == Member.byId("42")`, 'unauthorized', 401);
    });

    it('renaming a role carries access providers along', async () => {
      // Core FQL2RoleSpec "update validates foreign keys / access providers".
      await data(root, fql`Database.create({ name: "apdb" })`);
      const api = new SchemaApi(server.url, 'secret:apdb:admin');
      const pushed = await api.push({
        'main.fsl': 'role Partner {\n}\n\naccess provider Idp {\n  issuer "https://idp.example"\n  jwks_uri "https://idp.example/jwks"\n  role Partner\n}\n',
      }, false);
      assert.equal(pushed.status, 200);
      await data(clients.as('secret:apdb:admin'), fql`Role.byName("Partner")!.update({ name: "Affiliate" })`);
      const main = (await api.file('main.fsl'))!;
      assert.match(main, /access provider Idp \{\n  issuer "https:\/\/idp\.example"\n  jwks_uri "https:\/\/idp\.example\/jwks"\n  role Affiliate\n\}/);
    });

    it('a role that a function refers to cannot be deleted either', async () => {
      await data(root, fql`Role.create({ name: "Runner" })`);
      await data(root, fql`Function.create({ name: "runnerFn", body: "() => 1", role: "Runner" })`);
      const e = await fails(root, fql`Role.byName("Runner")!.delete()`, 'constraint_failure');
      assert.equal(e.message, 'Failed to delete Role `Runner`.');
      assert.deepEqual(e.constraint_failures, [
        { paths: [['name']], message: 'The function `runnerFn` refers to this document by its previous identifier `Runner`.' },
      ]);
      await data(root, fql`Function.byName("runnerFn")!.delete()`);
      await data(root, fql`Role.byName("Runner")!.delete()`);
      assert.equal(await data(root, fql`Role.byName("Runner").exists()`), false);
    });
  });
  describe('8. computed fields used by indexes cannot read', () => {
    // Core fql.env.SchemaTypeValidator.postcheckIndexedComputedFields and its tests in
    // FQL2ComputedFieldsSpec ("cannot call UDFs (typecheck)", "cannot access collections",
    // "cannot use computed fields", "doesn't allow indexing if the ts field is used"): code
    // `invalid_schema`, message "Invalid database schema update." then one error per use. The
    // location lines point into the computed field's body (core's source name for it) rather
    // than into a generated main.fsl.
    const refusal = (coll: string, field: string, body: string, message: string, col: number, width: number) =>
      `Invalid database schema update.\n    error: ${message}\n    at *computed_field:${coll}:${field}*:1:${col}\n` +
      `      |\n    1 | ${body}\n      | ${' '.repeat(col - 1)}${'^'.repeat(width)}\n      |`;

    it('refuses an indexed computed field that calls a UDF, on create and on update', async () => {
      await data(root, fql`Function.create({ name: "one", body: "_ => 1" })`);
      const create = await fails(root, fql`Collection.create({
        name: "CfUdf", computed_fields: { a: { body: "_ => 1 + one(0)" } }, indexes: { byA: { terms: [{ field: ".a" }] } } })`, 'invalid_schema');
      assert.equal(create.message, refusal('CfUdf', 'a', '_ => 1 + one(0)', 'Computed fields used in indexes or constraints cannot call UDFs', 10, 3));
      assert.equal(await data(root, fql`Collection.byName("CfUdf").exists()`), false);
      // Not indexed, the field may call UDFs; indexing it later is refused.
      await data(root, fql`Collection.create({ name: "CfUdf", computed_fields: { a: { body: "_ => 1 + one(0)" } } })`);
      const update = await fails(root, fql`CfUdf.definition.update({ indexes: { byA: { terms: [{ field: ".a" }] } } })`, 'invalid_schema');
      assert.equal(update.message, create.message);
      const unique = await fails(root, fql`CfUdf.definition.update({ constraints: [{ unique: [".a"] }] })`, 'invalid_schema');
      assert.equal(unique.message, create.message);
    });

    it('refuses an indexed computed field that reads a collection', async () => {
      await data(root, fql`Collection.create({ name: "Salary" })`);
      const e = await fails(root, fql`Collection.create({
        name: "CfRead", computed_fields: { s: { body: "doc => Salary.byId(doc.sid)!.amount" } }, indexes: { byS: { terms: [{ field: ".s" }] } } })`, 'invalid_schema');
      assert.equal(e.message, refusal('CfRead', 's', 'doc => Salary.byId(doc.sid)!.amount', 'Computed fields used in indexes or constraints cannot access collections', 8, 6));
    });

    it("refuses an indexed computed field that uses another computed field or the document's ts", async () => {
      const cf = await fails(root, fql`Collection.create({
        name: "CfCf", computed_fields: { a: { body: "_ => 1" }, b: { body: "doc => { let f = doc; f.a }" } }, indexes: { byB: { values: [{ field: ".b" }] } } })`, 'invalid_schema');
      assert.equal(cf.message, refusal('CfCf', 'b', 'doc => { let f = doc; f.a }', 'Computed fields used in indexes or constraints cannot use computed fields', 25, 1));
      const ts = await fails(root, fql`Collection.create({
        name: "CfTs", computed_fields: { a: { body: "doc => doc.ts" } }, indexes: { byA: { terms: [{ field: ".a" }] } } })`, 'invalid_schema');
      assert.equal(ts.message, refusal('CfTs', 'a', 'doc => doc.ts', "Computed fields used in indexes or constraints cannot use a doc's ts field", 12, 2));
      // An object's ts and data.ts are fine (core "allowed indexing if an object's ts field is used").
      await data(root, fql`Collection.create({
        name: "CfOk", computed_fields: { a: { body: "_ => { ts: 0 }.ts" }, b: { body: "doc => doc.x + 1" } },
        indexes: { byA: { terms: [{ field: ".a" }] }, byB: { terms: [{ field: ".b" }] } } })`);
      await data(root, fql`CfOk.create({ x: 1 })`);
      assert.deepEqual(await data(root, fql`[CfOk.byA(0).count(), CfOk.byB(2).count()]`), [1, 1]);
    });

    it('refuses it in an FSL push through the schema API', async () => {
      await data(root, fql`Database.create({ name: "cfpush" })`);
      const api = new SchemaApi(server.url, 'secret:cfpush:admin');
      const pushed = await api.push({ 'main.fsl': 'function two(x) {\n  2\n}\n\ncollection CfPush {\n  compute t = (doc) => two(doc)\n  index byT {\n    terms [.t]\n  }\n}\n' }, false);
      assert.equal(pushed.status, 400);
      assert.match(pushed.body.error!.message, /Invalid database schema update\.\n {4}error: Computed fields used in indexes or constraints cannot call UDFs\n/);
      assert.equal(await data(clients.as('secret:cfpush:admin'), fql`Collection.byName("CfPush").exists()`), false);
    });

    it('checks the whole schema: a new collection or function cannot make an indexed field impure', async () => {
      await data(root, fql`Collection.create({
        name: "Probe", computed_fields: { v: { body: "doc => Vault.byId(doc.vid)!.pin" } }, indexes: { byV: { terms: [{ field: ".v" }] } } })`);
      const e = await fails(root, fql`Collection.create({ name: "Vault" })`, 'invalid_schema');
      assert.equal(e.message, refusal('Probe', 'v', 'doc => Vault.byId(doc.vid)!.pin', 'Computed fields used in indexes or constraints cannot access collections', 8, 5));
      const f = await fails(root, fql`Function.create({ name: "Vault", body: "x => x" })`, 'invalid_schema');
      assert.equal(f.message, refusal('Probe', 'v', 'doc => Vault.byId(doc.vid)!.pin', 'Computed fields used in indexes or constraints cannot call UDFs', 8, 5));
    });

    it('at run time, what an indexed computed field cannot compute without reading is indexed as null', async () => {
      // Reads the static check cannot see (here: keys) still fail when the entry is computed,
      // so the index answers nothing about what it would have read.
      await data(root, fql`Collection.create({
        name: "KeyProbe", computed_fields: { n: { body: "_ => Key.all().count()" } }, indexes: { byN: { terms: [{ field: ".n" }] } } })`);
      await data(root, fql`KeyProbe.create({})`);
      const keys = await data<number>(root, fql`Key.all().count()`);
      assert.ok(keys > 0);
      assert.equal(await data(root, fql`KeyProbe.byN(${keys}).count()`), 0);
      // Read normally, the field still computes (reads are allowed outside indexes).
      assert.equal(await data(root, fql`KeyProbe.all().first()!.n`), keys);
      // Core "cannot use Time.now() because it's a read (runtime)".
      await data(root, fql`Collection.create({
        name: "ByMonth", computed_fields: { m: { body: "_ => Time.now().month" } }, indexes: { byMonth: { terms: [{ field: ".m" }] } } })`);
      await data(root, fql`ByMonth.create({})`);
      const month = await data<number>(root, fql`Time.now().month`);
      assert.equal(await data(root, fql`ByMonth.byMonth(${month}).count()`), 0);
    });
  });
  describe('10b. collections and functions share one namespace', () => {
    // Core GlobalNamespaceValidator (ext/model/src/main/scala/schema/GlobalNamespaceValidator.scala):
    // collection names, collection aliases, function names, function aliases, first conflict.
    const conflict = (e: { message: string; constraint_failures?: unknown }, message: string, path: string, failure: string) => {
      assert.equal(e.message, message);
      assert.deepEqual(e.constraint_failures, [{ paths: [[path]], message: failure }]);
    };

    it('a collection alias cannot shadow a function name or alias', async () => {
      await data(root, fql`Function.create({ name: "lookup", alias: "find", body: "x => x" })`);
      conflict(await fails(root, fql`Collection.create({ name: "Things", alias: "lookup" })`, 'constraint_failure'),
        'Failed to create Collection.', 'alias', 'A Function already exists with the name `lookup`');
      conflict(await fails(root, fql`Collection.create({ name: "Things", alias: "find" })`, 'constraint_failure'),
        'Failed to create Collection.', 'alias', 'A Function already exists with the alias `find`');
      conflict(await fails(root, fql`Collection.create({ name: "find" })`, 'constraint_failure'),
        'Failed to create Collection.', 'name', 'A Function already exists with the alias `find`');
      await data(root, fql`Collection.create({ name: "Things" })`);
      conflict(await fails(root, fql`Things.definition.update({ alias: "lookup" })`, 'constraint_failure'),
        'Failed to update Collection `Things`.', 'alias', 'A Function already exists with the name `lookup`');
      assert.equal(await data(root, fql`lookup(7)`), 7);
    });

    it('a function cannot take the name or alias of a collection or a collection alias', async () => {
      await data(root, fql`Collection.create({ name: "Orders", alias: "Purchases" })`);
      conflict(await fails(root, fql`Function.create({ name: "Orders", body: "x => x" })`, 'constraint_failure'),
        'Failed to create Function.', 'name', 'A Collection already exists with the name `Orders`');
      conflict(await fails(root, fql`Function.create({ name: "Purchases", body: "x => x" })`, 'constraint_failure'),
        'Failed to create Function.', 'name', 'A Collection already exists with the alias `Purchases`');
      conflict(await fails(root, fql`Function.create({ name: "buy", alias: "Orders", body: "x => x" })`, 'constraint_failure'),
        'Failed to create Function.', 'alias', 'A Collection already exists with the name `Orders`');
      await data(root, fql`Function.create({ name: "buy", body: "x => x" })`);
      conflict(await fails(root, fql`Function.byName("buy")!.update({ name: "Purchases" })`, 'constraint_failure'),
        'Failed to update Function `buy`.', 'name', 'A Collection already exists with the alias `Purchases`');
      assert.equal(await data(root, fql`Orders.all().count()`), 0);
    });
  });
});
