// Security findings of issue 9 about identity, through the real server and the official driver:
//   3.  keys are bound to the identity of their database and role, not to names;
//   8.  computed fields used in indexes may not read other documents;
//   10b. collection aliases and function names may not collide.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails } from './identity-helpers';

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
    // Core FQL2KeySpec "validate FK" / FQL2RoleSpec "delete validates foreign keys": a role or
    // database that a key refers to cannot be deleted (Validators.FKValidationHook; the
    // Database collection declares Src("name")(Target(Location.Key)("database"))).
    it('deleting a database a key refers to is refused, so its key never reaches a new database of that name', async () => {
      await data(root, fql`Database.create({ name: "tenant1" })`);
      const key = await newKey('{ role: "admin", database: "tenant1" }');
      await data(clients.as(key.secret), fql`Collection.create({ name: "Mine" })`);
      const e = await fails(root, fql`Database.byName("tenant1")!.delete()`, 'constraint_failure');
      assert.equal(e.message, 'Failed to delete Database `tenant1`.');
      assert.deepEqual(e.constraint_failures, [
        { paths: [['name']], message: `The key \`${key.id}\` refers to this document by its previous identifier \`tenant1\`.` },
      ]);
      assert.deepEqual(await data(clients.as(key.secret), fql`Collection.all().map(.name).toArray()`), ['Mine']);
      // Without the key, the database goes; the old secret is then refused.
      await data(root, fql`Key.byId(${key.id})!.delete()`);
      await data(root, fql`Database.byName("tenant1")!.delete()`);
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
});
