// The generated permission matrix: for every kind of secret × resource × action, the outcome
// matches Fauna's rules (core Permissions.scala): admin and root do everything; server
// everything but keys, roles and databases; server-readonly only reads those same resources;
// user roles exactly what they grant; a token or @doc identity what its membership roles grant.
// Fixtures are documents that do not belong to the caller, so identity baselines (own
// credential and tokens) do not apply here (test/auth covers them). Zero unexpected allows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ServiceError, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, PERMISSION_DENIED, data } from './identity-helpers';

type Kind = 'root' | 'admin' | 'server' | 'server-readonly' | 'role key' | 'token with role' | 'token without role' | '@doc scope';
type Resource = 'Item' | 'Credential' | 'Token' | 'Key' | 'Role' | 'Function' | 'Database';
type Action = 'read' | 'create' | 'write' | 'delete' | 'call';

const KINDS: readonly Kind[] = ['root', 'admin', 'server', 'server-readonly', 'role key', 'token with role', 'token without role', '@doc scope'];
const RESOURCES: readonly Resource[] = ['Item', 'Credential', 'Token', 'Key', 'Role', 'Function', 'Database'];
const ADMIN_ONLY: ReadonlySet<Resource> = new Set(['Key', 'Role', 'Database']);

function actionsOf(r: Resource): readonly Action[] {
  return r === 'Function' ? ['read', 'create', 'write', 'delete', 'call'] : ['read', 'create', 'write', 'delete'];
}

/** Fauna's rule for one cell. */
function expected(kind: Kind, r: Resource, a: Action): boolean {
  switch (kind) {
    case 'root': case 'admin': return true;
    case 'server': return !ADMIN_ONLY.has(r);
    case 'server-readonly': return a === 'read' && !ADMIN_ONLY.has(r);
    // The roles grant Item { read create write delete } and MatrixFn { call }.
    case 'role key': case 'token with role': case '@doc scope': return r === 'Item' || (r === 'Function' && a === 'call');
    case 'token without role': return false;
  }
}

let seq = 0;
const unique = (p: string) => `${p}${++seq}`;

describe('permission matrix', () => {
  let server: TestServer;
  let clients: Clients;
  let root: Client;
  const secrets = new Map<Kind, string>();

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    root = clients.as('secret');
    await data(root, fql`Collection.create({ name: "Item" })`);
    await data(root, fql`Collection.create({ name: "Person" })`);
    await data(root, fql`Collection.create({ name: "Stranger" })`);
    await data(root, fql`Function.create({ name: "MatrixFn", body: "() => 1" })`);
    const grants = `[
      { resource: "Item", actions: { read: true, create: true, write: true, delete: true } },
      { resource: "MatrixFn", actions: { call: true } }
    ]`;
    await root.query(fql([`Role.create({ name: "MatrixRole", privileges: ${grants} })`]));
    await root.query(fql([`Role.create({ name: "MatrixMember", membership: { resource: "Person" }, privileges: ${grants} })`]));
    const key = async (role: string) => (await data<{ secret: string }>(root, fql`Key.create({ role: ${role} })`)).secret;
    secrets.set('root', 'secret');
    secrets.set('admin', await key('admin'));
    secrets.set('server', await key('server'));
    secrets.set('server-readonly', await key('server-readonly'));
    secrets.set('role key', await key('MatrixRole'));
    const person = await data<{ id: string }>(root, fql`Person.create({ name: "member" })`);
    secrets.set('token with role', (await data<{ secret: string }>(root, fql`Token.create({ document: Person.byId(${person.id}) })`)).secret);
    const stranger = await data<{ id: string }>(root, fql`Stranger.create({ name: "stranger" })`);
    secrets.set('token without role', (await data<{ secret: string }>(root, fql`Token.create({ document: Stranger.byId(${stranger.id}) })`)).secret);
    secrets.set('@doc scope', `secret:@doc/Person/${person.id}`);
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  /** A fresh target for one cell (created as root) and the FQL that performs the action. */
  async function cell(r: Resource, a: Action): Promise<string> {
    const newPerson = async () => (await data<{ id: string }>(root, fql`Person.create({ name: "fixture" })`)).id;
    switch (r) {
      case 'Item': {
        const id = (await data<{ id: string }>(root, fql`Item.create({ n: 1 })`)).id;
        return { read: `Item.byId("${id}")!.n == 1`, create: '{ Item.create({ n: 2 }); true }',
          write: `{ Item.byId("${id}").update({ n: 3 }); true }`, delete: `{ Item.byId("${id}").delete(); true }`, call: '' }[a];
      }
      case 'Credential': {
        const owner = await newPerson();
        const id = (await data<{ id: string }>(root, fql`Credential.create({ document: Person.byId(${owner}), password: "pw" })`)).id;
        const other = await newPerson();
        return { read: `Credential.byId("${id}")!.id == "${id}"`,
          create: `{ Credential.create({ document: Person.byId("${other}"), password: "pw" }); true }`,
          write: `{ Credential.byId("${id}").update({ data: { x: 1 } }); true }`,
          delete: `{ Credential.byId("${id}").delete(); true }`, call: '' }[a];
      }
      case 'Token': {
        const owner = await newPerson();
        const id = (await data<{ id: string }>(root, fql`Token.create({ document: Person.byId(${owner}) })`)).id;
        return { read: `Token.byId("${id}")!.id == "${id}"`, create: `{ Token.create({ document: Person.byId("${owner}") }); true }`,
          write: `{ Token.byId("${id}").update({ data: { x: 1 } }); true }`, delete: `{ Token.byId("${id}").delete(); true }`, call: '' }[a];
      }
      case 'Key': {
        const id = (await data<{ id: string }>(root, fql`Key.create({ role: "server" })`)).id;
        return { read: `Key.byId("${id}")!.id == "${id}"`, create: '{ Key.create({ role: "server" }); true }',
          write: `{ Key.byId("${id}").update({ data: { x: 1 } }); true }`, delete: `{ Key.byId("${id}").delete(); true }`, call: '' }[a];
      }
      case 'Role': case 'Function': case 'Database': {
        const name = unique(`Fixture${r}`);
        const fresh = unique(`New${r}`);
        const spec = (n: string) => (r === 'Function' ? `{ name: "${n}", body: "() => 2" }` : `{ name: "${n}" }`);
        await root.query(fql([`${r}.create(${spec(name)})`]));
        return { read: `${r}.byName("${name}")!.name == "${name}"`, create: `{ ${r}.create(${spec(fresh)}); true }`,
          write: `{ ${r}.byName("${name}").update({ data: { x: 1 } }); true }`, delete: `{ ${r}.byName("${name}").delete(); true }`,
          call: 'MatrixFn() == 1' }[a];
      }
    }
  }

  for (const kind of KINDS) {
    it(`${kind}: every resource × action as Fauna decides`, async () => {
      const client = clients.as(secrets.get(kind)!);
      const mismatches: string[] = [];
      for (const r of RESOURCES) {
        for (const a of actionsOf(r)) {
          const source = await cell(r, a);
          const want = expected(kind, r, a);
          let got: boolean;
          try {
            const res = await client.query(fql([source]));
            assert.equal(res.data, true, `${kind} ${r}.${a}: ${source}`);
            got = true;
          } catch (e) {
            if (!(e instanceof ServiceError)) throw e;
            // core FQL2ABACSpec.assertDenied: a denied read through `!` is a null caused by the
            // denied permission, other denials are permission_denied.
            if (e.code === 'null_value') assert.equal(e.message, 'Null value, due to permission denied');
            else if (e.code === 'permission_denied') assert.equal(e.message, PERMISSION_DENIED);
            else throw e;
            got = false;
          }
          if (got !== want) mismatches.push(`${r}.${a}: ${got ? 'allowed' : 'denied'}, Fauna ${want ? 'allows' : 'denies'}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }
});
