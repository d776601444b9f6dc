// Unique constraints through the fauna driver: Fauna's failure shape, whole-query rollback,
// updates, multi-field and mva constraints, and many clients racing for the same value.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

function isUniqueFailure(paths: string[][]) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, 'constraint_failure');
    assert.equal(e.message, 'Failed unique constraint.');
    assert.deepEqual(e.constraint_failures, [{ paths, message: 'Failed unique constraint' }]);
    return true;
  };
}

describe('unique constraints', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await client.query(fql`Collection.create({
      name: "Account",
      indexes: { byEmail: { terms: [{ field: ".email" }] } },
      constraints: [{ unique: ["email"] }]
    })`);
  });
  after(async () => { await server?.dispose(); });

  it('refuses a duplicate with constraint_failure and rolls back the whole query', async () => {
    await client.query(fql`Account.create({ email: "a@b.c" })`);
    await assert.rejects(
      client.query(fql`Account.create({ email: "first@b.c" }); Account.create({ email: "a@b.c" })`),
      isUniqueFailure([['email']]),
    );
    const left = await client.query<number>(fql`Account.byEmail("first@b.c").count()`);
    assert.equal(left.data, 0);
  });

  it('lets a document keep its own value and frees values on update and delete', async () => {
    const doc = await client.query<{ id: string }>(fql`Account.create({ email: "u@b.c", n: 1 })`);
    await client.query(fql`Account.byId(${doc.data.id})!.update({ n: 2 })`);
    await assert.rejects(
      client.query(fql`Account.create({ email: "u2@b.c" }).update({ email: "u@b.c" })`),
      isUniqueFailure([['email']]),
    );
    await client.query(fql`Account.byId(${doc.data.id})!.update({ email: "moved@b.c" })`);
    await client.query(fql`Account.create({ email: "u@b.c" })`);
    await client.query(fql`Account.byEmail("moved@b.c").first()!.delete()`);
    const again = await client.query<{ email: string }>(fql`Account.create({ email: "moved@b.c" })`);
    assert.equal(again.data.email, 'moved@b.c');
  });

  it('reports every violated constraint with the paths of its fields', async () => {
    await client.query(fql`Collection.create({
      name: "Book",
      constraints: [{ unique: ["name"] }, { unique: [{ field: "name" }, { field: "address.city" }] }]
    })`);
    const created = await client.query<any>(fql`Book.definition`);
    assert.deepEqual(created.data.constraints, [
      { unique: ['name'], status: 'active' },
      { unique: ['name', 'address.city'], status: 'active' },
    ]);
    await client.query(fql`Book.create({ name: "TestBook", address: { city: "Ohio" } })`);
    await assert.rejects(client.query(fql`Book.create({ name: "TestBook", address: { city: "Ohio" } })`), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.message, 'Failed unique constraint.');
      assert.deepEqual(e.constraint_failures, [
        { paths: [['name']], message: 'Failed unique constraint' },
        { paths: [['name'], ['address', 'city']], message: 'Failed unique constraint' },
      ]);
      return true;
    });
  });

  it('treats mva fields element by element', async () => {
    await client.query(fql`Collection.create({
      name: "Foo",
      constraints: [{ unique: [{ field: "mva_on", mva: true }] }, { unique: [{ field: "mva_off", mva: false }] }]
    })`);
    await client.query(fql`Foo.create({ mva_on: [0, 1], mva_off: [0, 1] })`);
    for (const q of [fql`Foo.create({ mva_on: 0 })`, fql`Foo.create({ mva_on: [1, 0] })`, fql`Foo.create({ mva_off: [0, 1] })`]) {
      await assert.rejects(client.query(q), (e: unknown) => e instanceof ServiceError && e.code === 'constraint_failure');
    }
    await client.query(fql`Foo.create({ mva_off: 0 })`);
    await client.query(fql`Foo.create({ mva_off: [1, 0] })`);
  });

  // Core builds the backing index of a new constraint without a uniqueness check
  // (IndexWriteConfig.writeInternal: Store.build): existing duplicates stay, later writes are checked.
  it('builds a new constraint over existing duplicates and checks only later writes', async () => {
    await client.query(fql`Collection.create({ name: "Dup" })`);
    await client.query(fql`Dup.create({ x: 1 }); Dup.create({ x: 1 })`);
    const def = await client.query<any>(fql`Dup.definition.update({ constraints: [{ unique: ["x"] }] })`);
    assert.deepEqual(def.data.constraints, [{ unique: ['x'], status: 'active' }]);
    assert.equal((await client.query<number>(fql`Dup.all().count()`)).data, 2);
    await assert.rejects(client.query(fql`Dup.create({ x: 1 })`),
      (e: unknown) => e instanceof ServiceError && e.code === 'constraint_failure');
  });

  // Core's unique backing index keeps a row for every duplicate it was built over, and a write
  // fails on any row left for its terms (WriteBroker.mapUniqueConstraintError reports the
  // conflicting rows as "Failed unique constraint."): deleting one holder frees nothing while
  // another remains; only the last one leaving frees the value.
  it('keeps every kept duplicate as a holder: deleting or moving the first one frees nothing', async () => {
    await client.query(fql`Collection.create({ name: "Held" })`);
    await client.query(fql`Held.create({ id: "1", x: 1 }); Held.create({ id: "2", x: 1 }); Held.create({ id: "3", x: 1 })`);
    await client.query(fql`Held.definition.update({ constraints: [{ unique: ["x"] }] })`);
    await client.query(fql`Held.byId("1")!.delete()`);
    await assert.rejects(client.query(fql`Held.create({ x: 1 })`), isUniqueFailure([['x']]));
    await client.query(fql`Held.byId("2")!.update({ x: 2 })`);
    await assert.rejects(client.query(fql`Held.create({ x: 1 })`), isUniqueFailure([['x']]));
    // Its new value is held too, and the old one by the last duplicate until it leaves.
    await assert.rejects(client.query(fql`Held.create({ x: 2 })`), isUniqueFailure([['x']]));
    await client.query(fql`Held.byId("3")!.update({ x: 3 })`);
    assert.equal((await client.query(fql`Held.create({ id: "4", x: 1 }).x`)).data, 1);
    assert.deepEqual((await client.query(fql`Held.all().map(.x).toArray()`)).data, [2, 3, 1]);
  });

  it('lets exactly one of many racing clients claim a value', async () => {
    const racers = 24;
    const clients = Array.from({ length: racers }, () => server.client({ format: 'simple' }));
    const results = await Promise.allSettled(clients.map((c, i) =>
      c.query(fql`Account.create({ email: "race@x.com", racer: ${i} })`)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    for (const f of failed) {
      assert.ok(f.reason instanceof ServiceError, String(f.reason));
      assert.equal(f.reason.code, 'constraint_failure');
    }
    const inTable = await client.query<number>(fql`Account.where(.email == "race@x.com").count()`);
    const inIndex = await client.query<number>(fql`Account.byEmail("race@x.com").count()`);
    assert.equal(inTable.data, 1);
    assert.equal(inIndex.data, 1);
  });
});
