// Collection definitions with indexes, constraints and computed fields through the fauna
// driver, with the results and errors Fauna documents (FQL2CollectionsSpec in Fauna's core).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

type Person = { name: string; age: number };

function failsWith(code: string, message?: string | RegExp, failures?: { paths: (string | number)[][]; message: string }[]) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    if (failures !== undefined) assert.deepEqual(e.constraint_failures, failures);
    return true;
  };
}

describe('collection indexes', () => {
  let server: TestServer;
  let client: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;
  const people = (data: unknown) => (data as Person[]).map((p) => `${p.name}${p.age}`);

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await q(fql`Collection.create({
      name: "Person",
      indexes: {
        byName: { terms: [{ field: "name" }] },
        byNameOrderedByAge: { terms: [{ field: "name" }], values: [{ field: "age" }] },
        allOrdered: { values: [{ field: "name", order: "asc" }, { field: "age", order: "desc" }] },
        byNameAndAge: { terms: [{ field: ".name" }, { field: ".age" }] },
        byCity: { terms: [{ field: "address.city" }] },
        byAge: { values: [{ field: ".age" }] }
      }
    })`);
    await q(fql`
      Person.create({ name: "bob", age: 40 })
      Person.create({ name: "bob", age: 20 })
      Person.create({ name: "alice", age: 21 })
      Person.create({ name: "alice", age: 41 })
      Person.create({ name: "mark", age: 22, address: { city: "Seattle" } })
      Person.create({ name: "mark", age: 42 })
    `);
  });
  after(async () => { await server?.dispose(); });

  it('renders index definitions with their status', async () => {
    const def = await q<any>(fql`Person.definition`);
    assert.deepEqual(def.indexes.byName, { terms: [{ field: 'name' }], queryable: true, status: 'complete' });
    assert.deepEqual(def.indexes.allOrdered.values, [{ field: 'name', order: 'asc' }, { field: 'age', order: 'desc' }]);
  });

  it('looks documents up by terms in document order', async () => {
    assert.deepEqual(people((await q<{ data: Person[] }>(fql`Person.byName("bob")`)).data), ['bob40', 'bob20']);
    assert.deepEqual(people(await q(fql`Person.byNameAndAge("bob", 40).toArray()`)), ['bob40']);
    assert.deepEqual(people(await q(fql`Person.byCity("Seattle").toArray()`)), ['mark22']);
    assert.deepEqual(await q(fql`Person.byName("nobody").toArray()`), []);
  });

  it('orders by values, ascending or descending', async () => {
    assert.deepEqual(people(await q(fql`Person.byNameOrderedByAge("bob").toArray()`)), ['bob20', 'bob40']);
    assert.deepEqual(people(await q(fql`Person.allOrdered().toArray()`)),
      ['alice41', 'alice21', 'bob40', 'bob20', 'mark42', 'mark22']);
  });

  it('bounds values with inclusive from/to ranges', async () => {
    assert.deepEqual(await q(fql`Person.byAge({ from: 21, to: 40 }).toArray().map(.age)`), [21, 22, 40]);
    assert.deepEqual(await q(fql`Person.byAge({ from: 41 }).toArray().map(.age)`), [41, 42]);
    assert.deepEqual(await q(fql`Person.byAge({ to: 20 }).toArray().map(.age)`), [20]);
    assert.deepEqual(people(await q(fql`Person.allOrdered({ from: ["bob"], to: ["bob", 30] }).toArray()`)), ['bob40']);
  });

  it('rejects bad index calls like Fauna', async () => {
    await assert.rejects(q(fql`Person.byName()`), failsWith('invalid_function_invocation'));
    await assert.rejects(q(fql`Person.byAge({ foo: 1 })`), failsWith('invalid_argument',
      'invalid argument `range`: should be an object contining `{ from }`, `{ to }`, or `{ from, to }` fields'));
    await assert.rejects(q(fql`Person.byyName("bob")`), failsWith('invalid_function_invocation'));
  });

  it('paginates an index with cursors that resume after concurrent writes', async () => {
    await q(fql`Collection.create({ name: "Item", indexes: { byN: { values: [{ field: "n" }] } } })`);
    await q(fql`Set.sequence(0, 40).forEach(n => Item.create({ n: n * 2 }))`);
    const first = await q<{ data: number[]; after: string }>(fql`Item.byN().map(.n)`);
    assert.deepEqual(first.data, Array.from({ length: 16 }, (_, i) => i * 2));
    // Entries before and after the cursor position appear or disappear meanwhile: the next page
    // resumes after its position as of the first page (core FQL2PaginationSpec "set pagination
    // is stable in presence of subsequent writes"; test/e2e/pagination-snapshot.test.ts).
    await q(fql`Item.create({ n: 1 }); Item.create({ n: 31 }); Item.byN({ from: 32, to: 32 }).first()!.delete()`);
    const second = await q<{ data: number[] }>(fql`Set.paginate(${first.after})`);
    assert.deepEqual(second.data.slice(0, 3), [32, 34, 36]);
  });

  it('builds an index added to a collection that has documents', async () => {
    const def = await q<any>(fql`Person.definition.update({ indexes: { byAgeDesc: { values: [{ field: "age", order: "desc" }] } } })`);
    assert.equal(def.indexes.byAgeDesc.status, 'complete');
    assert.ok(def.indexes.byName, 'update merges indexes');
    assert.deepEqual(await q(fql`Person.byAgeDesc().toArray().map(.age)`), [42, 41, 40, 22, 21, 20]);
    await q(fql`Person.definition.update({ indexes: { byAgeDesc: null } })`);
    await assert.rejects(q(fql`Person.byAgeDesc()`), failsWith('invalid_function_invocation'));
  });

  it('keeps entries in step with updates and deletes', async () => {
    await q(fql`Person.create({ name: "zed", age: 1 })`);
    await q(fql`Person.byName("zed").first()!.update({ name: "zoe" })`);
    assert.deepEqual(await q(fql`Person.byName("zed").count()`), 0);
    assert.deepEqual(await q(fql`Person.byName("zoe").toArray().map(.age)`), [1]);
    await q(fql`Person.byName("zoe").first()!.delete()`);
    assert.deepEqual(await q(fql`Person.byName("zoe").count()`), 0);
  });

  it('accepts the legacy index and constraint shapes of older apps', async () => {
    await q(fql`Collection.create({
      name: "Customer",
      indexes: { byName: { terms: [{ field: "firstName" }] } },
      constraints: [{ unique: ["firstName", "lastName"] }]
    })`);
    await q(fql`Customer.create({ firstName: "Ada", lastName: "Lovelace" })`);
    await q(fql`Customer.create({ firstName: "Ada", lastName: "Byron" })`);
    assert.deepEqual(await q(fql`Customer.byName("Ada").toArray().map(.lastName)`), ['Lovelace', 'Byron']);
    await assert.rejects(q(fql`Customer.create({ firstName: "Ada", lastName: "Byron" })`),
      failsWith('constraint_failure', 'Failed unique constraint.',
        [{ paths: [['firstName'], ['lastName']], message: 'Failed unique constraint' }]));
  });

  it('validates index definitions with Fauna messages', async () => {
    await assert.rejects(q(fql`Collection.create({
      name: "Bad",
      indexes: {
        byColl: { terms: [{ field: "coll" }] },
        byTs: { terms: [{ field: "ts" }] },
        empty: { values: [{ field: "" }] },
        dots: { terms: [{ field: "..a.b" }] },
        none: {}
      }
    })`), failsWith('constraint_failure', 'Failed to create Collection.', [
      { paths: [['indexes', 'byColl', 'terms', 0, 'field']], message: '`coll` is not supported as an index term.' },
      { paths: [['indexes', 'byTs', 'terms', 0, 'field']], message: '`ts` may only be used as an index value, not as an index term.' },
      { paths: [['indexes', 'empty', 'values', 0, 'field']], message: 'Value cannot be empty.' },
      { paths: [['indexes', 'dots', 'terms', 0, 'field']], message: 'Value `..a.b` is not a valid FQL path expression.' },
      { paths: [['indexes', 'none']], message: 'Union requires fields [terms], [values], or [terms, values]' },
    ]));
    await assert.rejects(q(fql`Collection.create({ name: "Bad", indexes: { where: { terms: [{ field: "a" }] } } })`),
      failsWith('constraint_failure', undefined, [{ paths: [['indexes']], message: "The name 'where' is reserved." }]));
    await assert.rejects(q(fql`Person.definition.update({ meta: "x" })`),
      failsWith('constraint_failure', 'Failed to update Collection `Person`.',
        [{ paths: [['meta']], message: 'Unexpected field provided' }]));
    await assert.rejects(q(fql`Collection.create({ name: "Bad", constraints: [{ unique: ["name"], status: "Active" }] })`),
      failsWith('constraint_failure', undefined,
        [{ paths: [['constraints', 0, 'status']], message: 'Failed to update field because it is readonly' }]));
  });

  it('refuses to query an index that is not queryable', async () => {
    await q(fql`Collection.create({ name: "Hidden", indexes: { byX: { terms: [{ field: "x" }], queryable: false } } })`);
    await assert.rejects(q(fql`Hidden.byX(1)`),
      failsWith('invalid_index_invocation', 'The index `Hidden.byX` is not queryable.'));
  });
});

describe('computed fields and check constraints', () => {
  let server: TestServer;
  let client: Client;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;
  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await q(fql`Collection.create({
      name: "Product",
      computed_fields: { label: { body: "(p) => p.name + ':' + p.quantity.toString()" } },
      indexes: { byLabel: { terms: [{ field: "label" }] } },
      constraints: [{ check: { name: "posQuantity", body: "(doc) => doc.quantity >= 0" } }]
    })`);
  });
  after(async () => { await server?.dispose(); });

  it('computes fields on read and indexes them', async () => {
    const p = await q<any>(fql`Product.create({ name: "cheese", quantity: 2 })`);
    assert.equal(p.label, 'cheese:2');
    await q(fql`Product.byLabel("cheese:2").first()!.update({ quantity: 3 })`);
    assert.equal(await q(fql`Product.byLabel("cheese:2").count()`), 0);
    assert.deepEqual(await q(fql`Product.byLabel("cheese:3").toArray().map(.label)`), ['cheese:3']);
  });

  it('runs check constraints on every write', async () => {
    await assert.rejects(q(fql`Product.create({ name: "milk", quantity: -1 })`),
      failsWith('constraint_failure', 'Failed to create document in collection `Product`.',
        [{ paths: [], message: 'Document failed check constraint `posQuantity`' }]));
    await assert.rejects(q(fql`Product.byLabel("cheese:3").first()!.update({ quantity: -5 })`),
      failsWith('constraint_failure', /^Failed to update document with id \d+ in collection `Product`\.$/));
    assert.equal(await q(fql`Product.all().count()`), 1);
  });

  it('validates function bodies', async () => {
    await assert.rejects(q(fql`Collection.create({
      name: "Bad", constraints: [{ check: { name: "two", body: "(a, b) => true" } }]
    })`), failsWith('constraint_failure', 'Failed to create Collection.', [{
      paths: [['constraints', 0, 'check', 'body']],
      message: 'Invalid function arity. Expected 1, but the function was defined with 2 arguments',
    }]));
  });
});
