// Collection schema on document writes through the fauna driver: defined field signatures and
// the wildcard type, `alias` as a global name, and migrations run on definition updates.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

function failsWith(code: string, message: string | RegExp, failures: { paths: (string | number)[][]; message: string }[]) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    if (message instanceof RegExp) assert.match(e.message, message);
    else assert.equal(e.message, message);
    assert.deepEqual(e.constraint_failures, failures);
    return true;
  };
}

describe('collection schema on writes', () => {
  let server: TestServer;
  let client: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
  });
  after(async () => { await server?.dispose(); });

  it('enforces field signatures and refuses undefined fields without a wildcard', async () => {
    await q(fql`Collection.create({
      name: "User",
      fields: { name: { signature: "String" }, age: { signature: "Int?" }, tags: { signature: "Array<String>?" } }
    })`);
    assert.equal(await q(fql`User.create({ name: "a", age: 3, tags: ["x"] }).name`), 'a');
    assert.equal(await q(fql`User.create({ name: "b" }).age`), null);
    await assert.rejects(q(fql`User.create({ name: 1, extra: true })`),
      failsWith('constraint_failure', 'Failed to create document in collection `User`.', [
        { paths: [['name']], message: 'Expected String, provided Int' },
        { paths: [['extra']], message: 'Unexpected field provided' },
      ]));
    await assert.rejects(q(fql`User.create({ age: 1 })`),
      failsWith('constraint_failure', 'Failed to create document in collection `User`.', [
        { paths: [['name']], message: 'Missing required field of type String' },
      ]));
    await assert.rejects(q(fql`User.all().first()!.update({ age: "old" })`),
      failsWith('constraint_failure', /^Failed to update document with id \d+ in collection `User`\.$/, [
        { paths: [['age']], message: 'Expected Int | Null, provided String' },
      ]));
    await assert.rejects(q(fql`User.create({ name: "c", tags: [1] })`),
      failsWith('constraint_failure', 'Failed to create document in collection `User`.', [
        // core SchemaType.validate: arrays are checked element by element.
        { paths: [['tags', 0]], message: 'Expected String, provided Int' },
      ]));
  });

  it('admits undefined fields of the wildcard type', async () => {
    await q(fql`Collection.create({ name: "Loose", fields: { name: { signature: "String" } }, wildcard: "Int" })`);
    assert.equal(await q(fql`Loose.create({ name: "a", extra: 1 }).extra`), 1);
    await assert.rejects(q(fql`Loose.create({ name: "a", extra: "x" })`),
      failsWith('constraint_failure', 'Failed to create document in collection `Loose`.', [
        { paths: [['extra']], message: 'Expected Int, provided String' },
      ]));
  });

  it('resolves a collection by its alias', async () => {
    await q(fql`Collection.create({ name: "Account", alias: "Acct" })`);
    assert.equal(await q(fql`Acct.create({ id: "7", x: 1 }).x`), 1);
    assert.equal(await q(fql`Account.byId("7")!.x`), 1);
    assert.equal(await q(fql`Acct.all().count()`), 1);
    assert.equal(await q(fql`Acct.byId("7")!.coll == Account`), true);
  });

  it('runs migrations added by a definition update on every document', async () => {
    await q(fql`Collection.create({ name: "Person", indexes: { byFirst: { terms: [{ field: "first" }] } } })`);
    await q(fql`
      Person.create({ id: "1", name: "ada", old: true, nick: "A" })
      Person.create({ id: "2", name: "bob", extra: 5 })`);
    await q(fql`Person.definition.update({
      fields: { first: { signature: "String?" }, score: { signature: "Int" }, rest: { signature: "{ *: Any }?" } },
      wildcard: "Any",
      migrations: [
        { add_wildcard: {} },
        { drop: { field: ".old" } },
        { move: { field: ".name", to: ".first" } },
        { backfill: { field: ".score", value: "7" } }
      ]
    })`);
    assert.deepEqual(await q(fql`Person.byId("1")!{ first, score, old, nick }`), { first: 'ada', score: 7, old: null, nick: 'A' });
    assert.deepEqual(await q(fql`Person.byId("2")!{ first, score }`), { first: 'bob', score: 7 });
    // Indexes see the migrated documents.
    assert.deepEqual(await q(fql`Person.byFirst("ada").map(.id).toArray()`), ['1']);
    // Statements that already ran are not repeated; new ones run.
    await q(fql`Person.byId("1")!.update({ score: 1 })`);
    await q(fql`Person.definition.update({
      fields: { first: { signature: "String?" }, score: { signature: "Int" }, rest: { signature: "{ *: Any }?" } },
      migrations: [
        { add_wildcard: {} },
        { drop: { field: ".old" } },
        { move: { field: ".name", to: ".first" } },
        { backfill: { field: ".score", value: "7" } },
        { move_wildcard: { into: ".rest" } }
      ]
    })`);
    assert.deepEqual(await q(fql`Person.byId("1")!{ score, rest }`), { score: 1, rest: { nick: 'A' } });
    assert.deepEqual(await q(fql`Person.byId("2")!.rest`), { extra: 5 });
  });
});
