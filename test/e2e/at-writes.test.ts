// Writes inside `at (t) { ... }` at a past time are refused with `invalid_write`; at the
// transaction's own time (`at (TransactionTime())`, `at (Time.now())`) they are allowed, and
// reads in the past keep working.
//
// Core: WriteBroker.scala requireWriteEffect (the effect check, then
// QueryRuntimeFailure.MustWriteNow when a user or system valid time is set),
// QueryRuntimeFailure.scala MustWriteNow ("invalid_write", "Cannot write at a snapshot time in
// the past."), FQLInterpreter.setValidTime (a valid time equal to the snapshot time is none);
// test FQL2DocsSpec.scala "cannot write in at()".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

const MESSAGE = 'Cannot write at a snapshot time in the past.';

const invalidWrite = (e: unknown) => {
  assert.ok(e instanceof ServiceError, String(e));
  assert.equal(e.httpStatus, 400);
  assert.equal(e.code, 'invalid_write');
  assert.equal(e.message, MESSAGE);
  return true;
};

describe('writes inside at()', () => {
  let server: TestServer;
  let client: Client;
  let past: string;
  const q = async <T = unknown>(query: ReturnType<typeof fql>): Promise<T> => (await client.query(query)).data as T;
  const state = () => q(fql`{ count: Author.all().count(), one: Author.byId("1")!.name, keys: Key.all().count(), bar: Collection.byName("Bar").exists() }`);

  before(async () => {
    server = await startServer();
    client = server.client({ format: 'simple' });
    await q(fql`Collection.create({ name: "Author" })`);
    await q(fql`Author.create({ id: "1", name: "Samuel Clemens" })`);
    past = await q<string>(fql`Time.now()`);
    await q(fql`Author.byId("1")!.update({ name: "Mark Twain" })`);
    await q(fql`Function.create({ name: "addAuthor", body: "() => Author.create({})" })`);
  });
  after(async () => { await server?.dispose(); });

  it('refuses every kind of write at a past time and changes nothing (FQL2DocsSpec "cannot write in at()")', async () => {
    const before = await state();
    await assert.rejects(q(fql`at (Time.now().subtract(1, 'day')) { Author.create({}) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Author.create({ name: "x" }) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Author.byId("1")!.update({ name: "y" }) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Author.byId("1")!.replace({ name: "y" }) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Author.byId("1")!.delete() }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Collection.create({ name: "Bar" }) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Key.create({ role: "server" }) }`), invalidWrite);
    // Stored code called inside the block writes in the past too.
    await assert.rejects(q(fql`at (Time(${past})) { addAuthor() }`), invalidWrite);
    // Writes done before the block in the same query are discarded with it.
    await assert.rejects(q(fql`Author.create({ name: "early" }); at (Time(${past})) { Author.create({}) }`), invalidWrite);
    assert.deepEqual(await state(), before);
  });

  it('refuses the write before looking at its arguments or its document (requireWriteEffect)', async () => {
    await assert.rejects(q(fql`at (Time(${past})) { Author.create({ ts: 1 }) }`), invalidWrite);
    await assert.rejects(q(fql`at (Time(${past})) { Author.byId("404").update({}) }`), invalidWrite);
  });

  it('checks the effect first: a write in a set function is invalid_effect, in the past too', async () => {
    await assert.rejects(q(fql`at (Time(${past})) { Set.single(0).map(_ => Author.create({})).toArray() }`), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'invalid_effect');
      return true;
    });
  });

  it('points the summary at the write call', async () => {
    const query = `at (Time("${past}")) { Author.create({}) }`;
    const e = await client.query(fql([query] as unknown as TemplateStringsArray)).catch((err: unknown) => err);
    assert.ok(e instanceof ServiceError);
    const col = query.indexOf('({})') + 1;
    assert.equal(e.queryInfo?.summary, [
      `error: ${MESSAGE}`, `at *query*:1:${col}`, '  |', `1 | ${query}`, `  | ${' '.repeat(col - 1)}^^^^`, '  |',
    ].join('\n'));
  });

  it('allows writes at the transaction time, and after the block', async () => {
    const n = await q<number>(fql`Author.all().count()`);
    // FQL2DocsSpec: `at (TransactionTime())` is allowed.
    await q(fql`at (TransactionTime()) { Author.create({}) }`);
    await q(fql`at (Time.now()) { Author.create({}) }`);
    // Back at the present inside a past block: no valid time, writes allowed.
    await q(fql`at (Time(${past})) { at (TransactionTime()) { Author.create({}) } }`);
    assert.equal(await q(fql`at (Time(${past})) { Author.all().count() }; Author.create({}); Author.all().count()`), n + 4);
  });

  it('still reads the past', async () => {
    assert.equal(await q(fql`at (Time(${past})) { Author.byId("1")!.name }`), 'Samuel Clemens');
    assert.equal(await q(fql`at (Time(${past})) { Author.all().count() }`), 1);
    assert.equal(await q(fql`Author.byId("1")!.name`), 'Mark Twain');
  });
});
