// Collections and documents through the fauna driver: definitions, CRUD, sets and pagination.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, Document, DocumentReference, Module, NamedDocument, NullDocument, Page, QueryRuntimeError,
  ServiceError, fql,
} from 'fauna';
import { startServer, TestServer } from '../helpers/server';

describe('collections and documents', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(async () => { await server?.dispose(); });

  it('creates a collection and returns its definition', async () => {
    const res = await client.query<NamedDocument>(fql`Collection.create({ name: "Author" })`);
    assert.ok(res.data instanceof NamedDocument);
    assert.equal(res.data.name, 'Author');
    assert.equal((res.data.coll as Module).name, 'Collection');
    assert.equal((res.data as any).history_days, 0);
    assert.deepEqual((res.data as any).indexes, {});
    assert.deepEqual((res.data as any).constraints, []);
    // schema_version of the next query is the txn_ts of the schema change.
    const next = await client.query(fql`1`);
    assert.equal(next.schema_version, res.txn_ts);
    const byName = await client.query<NamedDocument>(fql`Collection.byName("Author")`);
    assert.equal(byName.data.name, 'Author');
  });

  it('rejects a duplicate collection with a constraint failure', async () => {
    await assert.rejects(client.query(fql`Collection.create({ name: "Author" })`), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'constraint_failure');
      assert.equal(e.constraint_failures?.length, 1);
      assert.deepEqual(e.constraint_failures![0].paths, [['name']]);
      return true;
    });
  });

  it('creates, reads, updates, replaces and deletes documents', async () => {
    const created = await client.query<Document>(fql`Author.create({ name: "Ada", address: { city: "London", zip: "N1" }, tags: ["x"] })`);
    const doc = created.data;
    assert.ok(doc instanceof Document);
    assert.match(doc.id, /^\d+$/);
    assert.equal(doc.coll.name, 'Author');
    assert.ok(doc.ts);
    assert.equal((doc as any).name, 'Ada');

    const read = await client.query<any>(fql`Author.byId(${doc.id})`);
    assert.equal(read.data.name, 'Ada');
    assert.equal(read.data.id, doc.id);

    const updated = await client.query<any>(fql`Author.byId(${doc.id})!.update({ address: { zip: null, country: "UK" }, tags: null })`);
    assert.deepEqual(updated.data.address, { city: 'London', country: 'UK' });
    assert.equal(updated.data.tags, undefined);

    const replaced = await client.query<any>(fql`Author.byId(${doc.id})!.replace({ name: "Grace" })`);
    assert.equal(replaced.data.name, 'Grace');
    assert.equal(replaced.data.address, undefined);

    const deleted = await client.query<any>(fql`Author.byId(${doc.id})!.delete()`);
    assert.ok(deleted.data instanceof NullDocument);
    assert.equal(deleted.data.cause, 'deleted');

    const gone = await client.query<any>(fql`Author.byId(${doc.id})`);
    assert.ok(gone.data instanceof NullDocument);
    assert.equal(gone.data.cause, 'not found');
    const exists = await client.query(fql`Author.byId(${doc.id}).exists()`);
    assert.equal(exists.data, false);
  });

  it('creates with a given id and refuses a taken one', async () => {
    const res = await client.query<any>(fql`Author.create({ id: "12345", name: "Id" })`);
    assert.equal(res.data.id, '12345');
    await assert.rejects(client.query(fql`Author.create({ id: "12345", name: "Again" })`), (e: unknown) => {
      assert.ok(e instanceof QueryRuntimeError);
      assert.equal(e.code, 'document_id_exists');
      assert.equal(e.message, 'Collection `Author` already contains document with id 12345.');
      return true;
    });
  });

  it('fails update of a missing document with document_not_found', async () => {
    await assert.rejects(client.query(fql`Author.byId("999").update({ a: 1 })`), (e: unknown) => {
      assert.ok(e instanceof QueryRuntimeError);
      assert.equal(e.code, 'document_not_found');
      return true;
    });
  });

  it('renders documents nested in documents as references', async () => {
    await client.query(fql`Collection.create({ name: "Book" })`);
    const res = await client.query<any>(fql`
      let a = Author.create({ name: "Ref" })
      Book.create({ title: "T", author: a })`);
    assert.ok(res.data.author instanceof DocumentReference);
    assert.equal(res.data.author.coll.name, 'Author');
  });

  it('pages through Coll.all() with cursors', async () => {
    await client.query(fql`Collection.create({ name: "Item" })`);
    await client.query(fql`[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map(n => Item.create({ n: n }))`);
    const first = await client.query<Page<any>>(fql`Item.all()`);
    assert.ok(first.data instanceof Page);
    assert.equal(first.data.data.length, 16);
    assert.ok(first.data.after);
    const seen: number[] = [];
    for await (const page of client.paginate<any>(fql`Item.all()`)) for (const d of page) seen.push(d.n);
    assert.equal(seen.length, 20);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    const count = await client.query(fql`Item.all().count()`);
    assert.equal(count.data, 20);
    const where = await client.query<any>(fql`Item.all().where(.n > 18).toArray().map(.n)`);
    assert.deepEqual([...where.data].sort(), [19, 20]);
    const paged = await client.query<any>(fql`Item.all().paginate(5)`);
    assert.equal(paged.data.data.length, 5);
    assert.equal(typeof paged.data.after, 'string');
  });

  it('rolls the whole query back when it fails', async () => {
    await assert.rejects(client.query(fql`
      Item.create({ n: 100 })
      abort("stop")`));
    const res = await client.query(fql`Item.all().where(.n == 100).count()`);
    assert.equal(res.data, 0);
  });
});
