// The expiry sweeper of a real server (src/model/temporal/expiry.ts, run on the main thread by
// src/main.ts): once a document's `ttl` has passed, the sweep deletes it with its index entries,
// computed fields included. The main thread used to wire only the model, not the standard
// library, so a computed field calling a string method could not be evaluated there and the
// expired document's index entry stayed behind (invisible to reads, which skip expired
// documents, but read by every lookup of its term until then). Fauna: documents past their
// `ttl` are removed (docs.fauna.com, "Document time-to-live (TTL)").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('expiry sweeper', () => {
  let server: TestServer;
  let client: Client;

  before(async () => {
    server = await startServer({ env: { FQL_SWEEP_INTERVAL_MS: '200' } });
    client = server.client({ format: 'simple' });
    await client.query(fql`Collection.create({
      name: "Expiring",
      computed_fields: { lower: { body: "doc => doc.name.toLowerCase()" } },
      indexes: { byLower: { terms: [{ field: ".lower" }] } }
    })`);
  });

  // Disposing the server closes its clients.
  after(async () => { await server?.dispose(); });

  /** How many documents the index holds for `term`, and the bytes the lookup read. */
  async function lookup(term: string): Promise<{ count: number; bytes: number }> {
    const r = await client.query<number>(fql`Expiring.byLower(${term}).count()`);
    return { count: r.data, bytes: r.stats!.storage_bytes_read! };
  }

  it('removes an expired document\'s index entries on a computed field that calls a string method', async () => {
    await client.query(fql`Expiring.create({ name: "ABC", ttl: Time.now().add(1, "second") })`);
    assert.equal((await lookup('abc')).count, 1);
    // A term that never had an entry: what a lookup reads when nothing is left behind.
    const empty = await lookup('never');
    assert.equal(empty.count, 0);
    let last = await lookup('abc');
    for (let i = 0; i < 100 && last.bytes !== empty.bytes; i++) {
      await sleep(100);
      last = await lookup('abc');
    }
    assert.equal(last.count, 0);
    assert.equal(last.bytes, empty.bytes, 'the expired document\'s index entry is still there');
    assert.equal((await client.query(fql`Expiring.all().count()`)).data, 0);
  });
});
