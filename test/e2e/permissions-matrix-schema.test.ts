// The permission matrix of the schema API (/schema/1/*): every kind of secret × endpoint, in a
// child database `app` (staging is refused in the root database). Expected outcomes follow core
// ext/model/.../auth/Permissions.scala: `ReadSchema` is granted to admin, server and
// server-readonly permissions; `WriteSchema` to admin only (ServerPermissions answers
// `WriteSchema(_) => Query.False`); role-based permissions (role keys, tokens, `@role` and
// `@doc` scopes) and client keys hold neither. diff/validate write nothing and are schema reads.
// A scoped secret takes the rights of its scope's role, and only admin keys may choose a
// scope (core AuthScope: a server key's `:app:admin` does not authenticate).
// Zero unexpected allows: a refused write also leaves the schema as it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data } from './identity-helpers';
import { SchemaApi } from './schema-fixtures';

type Endpoint = 'files' | 'file' | 'update' | 'update staged' | 'diff' | 'validate' | 'status' | 'commit' | 'abandon';
type Rights = 'admin' | 'read' | 'none' | 'unauthenticated';

const ENDPOINTS: readonly Endpoint[] = ['files', 'file', 'update', 'update staged', 'diff', 'validate', 'status', 'commit', 'abandon'];
const WRITES: ReadonlySet<Endpoint> = new Set(['update', 'update staged', 'commit', 'abandon']);

const BASE_FSL = `collection Item {}

collection Person {}

collection Stranger {}

role MatrixRole {
  privileges Item {
    read
    create
    write
    delete
  }
}

role MatrixMember {
  membership Person
  privileges Item {
    read
  }
}
`;

/** HTTP status and body Fauna answers for one cell. */
function expected(rights: Rights, e: Endpoint): { status: number; message?: string } {
  switch (rights) {
    case 'admin': return { status: 200 };
    case 'read': return WRITES.has(e) ? { status: 403, message: 'Access denied' } : { status: 200 };
    case 'none': return { status: 403, message: 'Access denied' };
    case 'unauthenticated': return { status: 401, message: 'Access token required' };
  }
}

let seq = 0;

describe('schema API permission matrix', () => {
  let server: TestServer;
  let clients: Clients;
  let owner: SchemaApi;
  const kinds = new Map<string, { secret: string; rights: Rights }>();

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    const root = clients.as('secret');
    await data(root, fql`Database.create({ name: "app" })`);
    owner = new SchemaApi(server.url, 'secret:app:admin');
    assert.equal((await owner.push({ 'main.fsl': BASE_FSL }, false)).status, 200);
    const app = clients.as('secret:app:admin');
    const key = async (role: string) => (await data<{ secret: string }>(app, fql`Key.create({ role: ${role} })`)).secret;
    const parentKey = async (role: string) => (await data<{ secret: string }>(root, fql`Key.create({ role: ${role} })`)).secret;
    const person = await data<{ id: string }>(app, fql`Person.create({ name: "member" })`);
    const stranger = await data<{ id: string }>(app, fql`Stranger.create({ name: "stranger" })`);
    const token = async (doc: string, id: string) =>
      (await app.query<{ secret: string }>(fql([`Token.create({ document: ${doc}.byId("${id}") })`]))).data.secret;
    kinds.set('admin key', { secret: await key('admin'), rights: 'admin' });
    kinds.set('server key', { secret: await key('server'), rights: 'read' });
    kinds.set('server-readonly key', { secret: await key('server-readonly'), rights: 'read' });
    kinds.set('client key', { secret: await key('client'), rights: 'none' });
    kinds.set('role key', { secret: await key('MatrixRole'), rights: 'none' });
    kinds.set('token with role', { secret: await token('Person', person.id), rights: 'none' });
    kinds.set('token without role', { secret: await token('Stranger', stranger.id), rights: 'none' });
    kinds.set('secret:app:admin', { secret: 'secret:app:admin', rights: 'admin' });
    kinds.set('secret:app:server', { secret: 'secret:app:server', rights: 'read' });
    kinds.set('secret:app:server-readonly', { secret: 'secret:app:server-readonly', rights: 'read' });
    kinds.set('secret:app:client', { secret: 'secret:app:client', rights: 'none' });
    kinds.set('secret:app:@role/MatrixRole', { secret: 'secret:app:@role/MatrixRole', rights: 'none' });
    kinds.set('secret:app:@doc/Person', { secret: `secret:app:@doc/Person/${person.id}`, rights: 'none' });
    kinds.set('parent admin key :app:admin', { secret: `${await parentKey('admin')}:app:admin`, rights: 'admin' });
    kinds.set('parent admin key :app:server', { secret: `${await parentKey('admin')}:app:server`, rights: 'read' });
    kinds.set('parent server key :app:admin', { secret: `${await parentKey('server')}:app:admin`, rights: 'unauthenticated' });
  });
  after(async () => {
    clients.close();
    await server.dispose();
  });

  async function isStaged(): Promise<boolean> {
    const r = await owner.request('GET', '/staged/status');
    assert.equal(r.status, 200);
    return (r.body as { status: string }).status === 'ready';
  }

  /** Put the database in the state the cell needs: a staged schema for commit and abandon only. */
  async function prepare(e: Endpoint): Promise<string> {
    if (await isStaged()) assert.equal((await owner.request('POST', '/staged/abandon', { force: 'true' })).status, 200);
    const name = `New${++seq}`;
    if (e === 'commit' || e === 'abandon') {
      const staged = await owner.request('POST', '/update', { force: 'true', staged: 'true', override: 'false' }, { [`${name}.fsl`]: `collection ${name} {}\n` });
      assert.equal(staged.status, 200);
    }
    return name;
  }

  /** The request of one cell; `name` is the collection an update or commit would add. */
  function call(api: SchemaApi, e: Endpoint, name: string) {
    const extra = { [`${name}.fsl`]: `collection ${name} {}\n` };
    switch (e) {
      case 'files': return api.request('GET', '/files');
      case 'file': return api.request('GET', '/files/main.fsl');
      case 'update': return api.request('POST', '/update', { force: 'true', override: 'false' }, extra);
      case 'update staged': return api.request('POST', '/update', { force: 'true', staged: 'true', override: 'false' }, extra);
      // The active files again: what is checked is access, not what a change would need.
      case 'diff': return api.request('POST', '/diff', { force: 'true', override: 'false' }, { 'main.fsl': BASE_FSL });
      case 'validate': return api.request('POST', '/validate', { force: 'true', override: 'false' }, { 'main.fsl': BASE_FSL });
      case 'status': return api.request('GET', '/staged/status');
      case 'commit': return api.request('POST', '/staged/commit', { force: 'true' });
      case 'abandon': return api.request('POST', '/staged/abandon', { force: 'true' });
    }
  }

  /** What a write left behind: the collection it adds exists (active), or a schema is staged. */
  async function effect(e: Endpoint, name: string): Promise<boolean> {
    const active = await data<boolean>(clients.as('secret:app:admin'), fql`Collection.byName(${name}).exists()`);
    switch (e) {
      case 'update': case 'commit': return active;
      case 'update staged': return !active && (await isStaged());
      case 'abandon': return !(await isStaged());
      default: return false;
    }
  }

  it('every kind of secret × endpoint as Fauna decides', async () => {
    const mismatches: string[] = [];
    for (const [kind, { secret, rights }] of kinds) {
      const api = new SchemaApi(server.url, secret);
      for (const e of ENDPOINTS) {
        const name = await prepare(e);
        const got = await call(api, e, name);
        const want = expected(rights, e);
        const label = `${kind} ${e}`;
        if (got.status !== want.status) {
          mismatches.push(`${label}: ${got.status} ${JSON.stringify(got.body)}, Fauna ${want.status}`);
          continue;
        }
        if (want.message !== undefined) assert.deepEqual(got.body, { error: { message: want.message } }, label);
        // A refused write changes nothing; an allowed one takes effect.
        if (WRITES.has(e)) assert.equal(await effect(e, name), want.status === 200, `${label}: effect`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
