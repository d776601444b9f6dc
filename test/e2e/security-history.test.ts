// FQL v4 `Events` over a collection costs nothing to a caller who may not read its history
// (security review 7). `Paginate(Events(Documents(Collection("c"))))` read every retained version
// of every document of the collection at once (one unbounded scan, every version decoded) and
// only then dropped the versions the caller may not read: a key without any privilege on a
// collection of 300,000 documents held a query worker for 13 s and ran it out of memory, again
// and again. A caller holding no history_read grant on the collection now reads nothing, and a
// caller who does reads the history in batches that stop at the query's deadline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { Clients, appDatabase, data } from './identity-helpers';

const DOCS = 500;
const PAD = 'x'.repeat(2000);

describe('security: FQL v4 Events reads no history the caller may not read', () => {
  let server: TestServer;
  let clients: Clients;
  let admin: Client;
  const secrets = { outsider: '', historian: '' };

  /** A v4 query over HTTP: the answer and the storage bytes it read. */
  const v4 = async (secret: string, body: unknown): Promise<{ status: number; json: any; bytesRead: number }> => {
    const res = await fetch(new URL('/', server.url), {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json(), bytesRead: Number(res.headers.get('x-storage-bytes-read')) };
  };
  const ledgerEvents = { paginate: { events: { documents: { collection: 'Ledger' } } }, size: 2 };

  before(async () => {
    ({ server, clients, admin } = await appDatabase());
    await data(admin, fql`Collection.create({ name: "Ledger", history_days: 30 })`);
    await data(admin, fql`Collection.create({ name: "Note" })`);
    await data(admin, fql`Set.sequence(0, ${DOCS}).forEach(i => Ledger.create({ i: i, pad: ${PAD} }))`);
    await data(admin, fql`Role.create({ name: "NotesOnly", privileges: { resource: "Note", actions: { read: true, history_read: true } } })`);
    await data(admin, fql`Role.create({ name: "Historian", privileges: { resource: "Ledger", actions: { history_read: true } } })`);
    secrets.outsider = await data<string>(admin, fql`Key.create({ role: "NotesOnly" }).secret`);
    secrets.historian = await data<string>(admin, fql`Key.create({ role: "Historian" }).secret`);
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  it('a caller without history_read on the collection gets no events and reads no versions', async () => {
    const r = await v4(secrets.outsider, ledgerEvents);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { resource: { data: [] } });
    // The versions weigh DOCS × 2 KB: none of them is read.
    assert.ok(r.bytesRead < 64 * 1024, `read ${r.bytesRead} bytes`);
  });

  it('a caller with history_read still reads the history, in order', async () => {
    const r = await v4(secrets.historian, ledgerEvents);
    assert.equal(r.status, 200);
    const events = r.json.resource.data as { action: string; document: { '@ref': { collection: { '@ref': { id: string } } } } }[];
    assert.deepEqual(events.map((e) => [e.action, e.document['@ref'].collection['@ref'].id]), [['add', 'Ledger'], ['add', 'Ledger']]);
    assert.equal(r.json.resource.after.action, 'add');
  });
});
