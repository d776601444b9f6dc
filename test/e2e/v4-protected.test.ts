// FQL v4 schema writes in a protected database through the `faunadb@4.8` driver. Expected
// errors: core model CollectionSpec "protected mode guards collections" (CreateDatabase with
// protected: true, then Delete of a collection, Update lowering history_days, Delete of an
// index) and the api collection spec "v4 delete doesn't work when protected mode is on" (HTTP
// 400, one error, code `schema validation failed`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q } from 'faunadb';
import { type V4Clients, errorsOf, useV4Server, v4Fails } from './v4-helpers';

const SUFFIX = 'destructive change forbidden because database is in protected mode.';

describe('v4 schema writes in a protected database', () => {
  let clients: V4Clients;
  let root: Client;
  let child: Client;
  useV4Server((s) => {
    clients = s.clients;
    root = s.root;
  });

  it('CreateDatabase takes protected: true', async () => {
    const db = await root.query<{ protected: boolean }>(q.CreateDatabase({ name: 'child', protected: true }));
    assert.equal(db.protected, true);
    child = clients.as('secret:child:admin');
    await child.query(q.Do(
      q.CreateCollection({ name: 'a' }),
      q.CreateCollection({ name: 'b', history_days: 3 }),
    ));
    await child.query(q.CreateIndex({ name: 'aIdx', source: q.Collection('a'), terms: [{ field: ['data', 'x'] }] }));
  });

  it('refuses deleting a collection, with one error and nothing deleted', async () => {
    const e = await v4Fails(child, q.Delete(q.Collection('a')), 'schema validation failed', 400,
      `Cannot delete collection: ${SUFFIX}`);
    assert.equal(errorsOf(e).length, 1);
    assert.deepEqual(errorsOf(e)[0].position, []);
    assert.equal(await child.query(q.Exists(q.Collection('a'))), true);
    assert.equal(await child.query(q.Exists(q.Index('aIdx'))), true);
  });

  it('refuses lowering history_days but allows raising it', async () => {
    await v4Fails(child, q.Update(q.Collection('b'), { history_days: 1 }), 'schema validation failed', 400,
      `Cannot decrease \`history_days\` field: ${SUFFIX}`);
    await v4Fails(child, q.Update(q.Collection('b'), { history_days: null }), 'schema validation failed', 400,
      `Cannot remove \`history_days\` field: ${SUFFIX}`);
    await v4Fails(child, q.Update(q.Collection('b'), { ttl_days: 1 }), 'schema validation failed', 400,
      `Cannot remove \`ttl_days\` field: ${SUFFIX}`);
    assert.equal(await child.query(q.Select('history_days', q.Get(q.Collection('b')))), 3);
    assert.equal(await child.query(q.Select('history_days', q.Update(q.Collection('b'), { history_days: 5 }))), 5);
  });

  it('Replace keeps history_days it does not give (core prevForReplace)', async () => {
    assert.equal(await child.query(q.Select('history_days', q.Replace(q.Collection('b'), { name: 'b', data: { n: 1 } }))), 5);
  });

  it('refuses deleting an index', async () => {
    await v4Fails(child, q.Delete(q.Index('aIdx')), 'schema validation failed', 400,
      `Cannot cause deletion of backing index: ${SUFFIX}`);
    assert.equal(await child.query(q.Exists(q.Index('aIdx'))), true);
  });

  it('the parent may turn protection off, then the deletes go through', async () => {
    await root.query(q.Update(q.Database('child'), { protected: false }));
    await child.query(q.Do(q.Delete(q.Index('aIdx')), q.Delete(q.Collection('a'))));
    assert.equal(await child.query(q.Exists(q.Collection('a'))), false);
  });
});
