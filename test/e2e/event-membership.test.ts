// Which side of a change is in an event source decides the event type (spec streams-feeds.md
// §4 steps 1 and 5; core R/stream/EventFilter.scala): for an index source a document is in
// the set only while its entry matches the terms, so a document updated into the terms is an
// `add`, one updated out of them a `remove` carrying the state before, and one deleted while
// outside them no event at all. Read through the driver's feed (the same derivation serves
// streams, spec §9.3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Document, StreamToken, fql, type QueryValue } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

describe('event types follow membership in the source', () => {
  let server: TestServer;
  let client: Client;

  before(async () => {
    server = await startServer();
    client = server.client();
    await client.query(fql`Collection.create({ name: "Item", indexes: { byBar: { terms: [{ field: ".bar" }] } } })`);
  });
  after(async () => { await server?.dispose(); });

  /** Every event of the source's feed from its start: type, document id and `bar`. */
  async function feed(token: StreamToken): Promise<{ type: string; id: string; bar: unknown }[]> {
    const out: { type: string; id: string; bar: unknown }[] = [];
    for await (const e of client.feed<QueryValue>(token).flatten()) {
      const doc = e.data as Document;
      out.push({ type: e.type, id: doc.id, bar: (doc as unknown as { bar: unknown }).bar });
    }
    return out;
  }

  it('an index source: updated into its terms is add, out of them remove, elsewhere nothing', async () => {
    const token = (await client.query<StreamToken>(fql`Item.byBar("x").eventSource()`)).data;
    const id = (await client.query<string>(fql`Item.create({ bar: "y" }).id`)).data;
    await client.query(fql`Item.byId(${id})!.update({ bar: "x" })`);
    await client.query(fql`Item.byId(${id})!.update({ bar: "x", other: 1 })`);
    await client.query(fql`Item.byId(${id})!.update({ bar: "z" })`);
    await client.query(fql`Item.byId(${id})!.delete()`);
    const inside = (await client.query<string>(fql`Item.create({ bar: "x" }).id`)).data;
    await client.query(fql`Item.byId(${inside})!.delete()`);
    assert.deepEqual(await feed(token), [
      { type: 'add', id, bar: 'x' },
      // Removes carry the document as it was before the transaction.
      { type: 'remove', id, bar: 'x' },
      { type: 'add', id: inside, bar: 'x' },
      { type: 'remove', id: inside, bar: 'x' },
    ]);
  });

  it('all() and Set.single: created is add, updated is update, deleted is remove', async () => {
    const all = (await client.query<StreamToken>(fql`Item.all().eventSource()`)).data;
    const id = (await client.query<string>(fql`Item.create({ bar: "a" }).id`)).data;
    const single = (await client.query<StreamToken>(fql`Set.single(Item.byId(${id})!).eventSource()`)).data;
    await client.query(fql`Item.byId(${id})!.update({ bar: "b" })`);
    await client.query(fql`Item.byId(${id})!.delete()`);
    assert.deepEqual(await feed(all), [
      { type: 'add', id, bar: 'a' },
      { type: 'update', id, bar: 'b' },
      { type: 'remove', id, bar: 'b' },
    ]);
    assert.deepEqual(await feed(single), [
      { type: 'update', id, bar: 'b' },
      { type: 'remove', id, bar: 'b' },
    ]);
  });
});
