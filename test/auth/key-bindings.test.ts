// Keys written before keys were bound to identities (no binding entry): they keep working by
// name, and one whose database or role was deleted back then (when deletion was not refused)
// does not pass to a new definition that takes the name. The legacy state is made by removing
// the binding and the definition directly in storage, as the old code left it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaKey } from '../../src/model/keys';
import { encodeKey } from '../../src/storage/tuple';
import { newService, ROOT, type TestService } from './service';

describe('keys written before identity bindings', () => {
  let svc: TestService;
  before(async () => { svc = await newService(); });
  after(async () => { await svc.close(); });

  /** Make key `id` look like the old format; optionally drop a definition without checks. */
  async function legacy(keyId: string, drop?: { coll: 'Database' | 'Role'; name: string }): Promise<void> {
    const txn = await svc.engine.begin();
    txn.delete(encodeKey([0, 'kb', BigInt(keyId)]));
    if (drop) txn.delete(schemaKey(0, drop.coll, drop.name));
    await txn.commit();
  }
  const status = async (secret: string, q: string) => {
    const r = await svc.run(secret, q);
    return r.ok ? r.data : r.status;
  };

  it('an unbound key still works by name', async () => {
    await svc.data(ROOT, 'Database.create({ name: "kept" })');
    const key = await svc.data(ROOT, 'Key.create({ role: "admin", database: "kept" })');
    await legacy(key.id);
    assert.equal(await status(key.secret, '1 + 1'), 2);
  });

  it('an unbound key of a database deleted back then gets 401 against a new database of that name', async () => {
    await svc.data(ROOT, 'Database.create({ name: "tenant1" })');
    const key = await svc.data(ROOT, 'Key.create({ role: "admin", database: "tenant1" })');
    await legacy(key.id, { coll: 'Database', name: 'tenant1' });
    await svc.data(ROOT, 'Database.create({ name: "tenant1" })');
    await svc.data('secret:tenant1:admin', 'Collection.create({ name: "Private" })');
    assert.equal(await status(key.secret, 'Collection.all().count()'), 401);
    // The key itself is still listed (with its name); only its binding is retired.
    assert.equal(await svc.data(ROOT, `Key.byId("${key.id}")!.database`), 'tenant1');
  });

  it('an unbound key of a role deleted back then gets 401 once a new role takes the name', async () => {
    await svc.data(ROOT, 'Collection.create({ name: "Secret" })');
    await svc.data(ROOT, 'Secret.create({ v: 1 })');
    await svc.data(ROOT, 'Role.create({ name: "Reader" })');
    const key = await svc.data(ROOT, 'Key.create({ role: "Reader" })');
    await legacy(key.id, { coll: 'Role', name: 'Reader' });
    await svc.data(ROOT, 'Role.create({ name: "Reader", privileges: [{ resource: "Secret", actions: { read: true } }] })');
    assert.equal(await status(key.secret, 'Secret.all().count()'), 401);
  });
});
