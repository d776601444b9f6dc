// The permission matrix of the FQL v4 endpoint, through the `faunadb@4.8` driver: every kind of
// secret (keys by role, tokens, `@doc` and scoped secrets such as `secret:child:server-readonly`)
// × resource × action, each in the caller's own database and through a child-database scope
// (`Database("child")`), against Fauna's rules (core ext/model/.../fauna/auth/Permissions.scala):
//
//   AdminPermissions     reads in its scope and below; instance writes only in its own scope
//                        (`WriteInstance(scope) => curScope == scope`)
//   ServerPermissions    the same minus RootClassIDs (Database, Key, Role, AccessProvider)
//                        in every scope (`canRead` / `canWrite`)
//   ServerReadOnly       reads of those same documents only
//   Role/Instance perms  only in their own scope (`curScope == action.scope`), what the roles grant
//
// Fixtures never belong to the caller (identity baselines are covered by test/auth). A denial is
// `permission denied`, the refusal of a scoped write (`Cannot write a scoped ref.`; core denies
// it too), or, for Paginate, the fixture missing from the page. Zero unexpected allows, and no
// response to a non-admin caller ever contains a stored hash (`hashed_secret`,
// `hashed_password`): this server's rule (issue 9), stricter than v4's document rendering.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, errors, query as q, type Expr, values } from 'faunadb';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data } from './identity-helpers';
import { v4Fails } from './v4-helpers';

type Rights = 'admin' | 'server' | 'server-readonly' | 'role' | 'none';
type Resource = 'Document' | 'Collection' | 'Index' | 'Key' | 'Token' | 'Credential' | 'Database' | 'Role' | 'Function';
type Action = 'create' | 'read' | 'update' | 'delete' | 'paginate';
type Scope = 'own' | 'child';
/** The database a secret works in: the root database, or `child` through a scoped secret. */
type Home = 'root' | 'child';

/** Secrets made in `before`: keys of the root database by role, and two tokens. */
interface Made { readonly key: Readonly<Record<string, string>>; readonly member: string; readonly stranger: string; readonly person: string }

interface Kind { readonly name: string; readonly rights: Rights; readonly home: Home; readonly secret: (m: Made) => string }

const KINDS: readonly Kind[] = [
  { name: 'root', rights: 'admin', home: 'root', secret: () => 'secret' },
  { name: 'admin key', rights: 'admin', home: 'root', secret: (m) => m.key.admin },
  { name: 'server key', rights: 'server', home: 'root', secret: (m) => m.key.server },
  { name: 'server-readonly key', rights: 'server-readonly', home: 'root', secret: (m) => m.key['server-readonly'] },
  { name: 'client key', rights: 'none', home: 'root', secret: (m) => m.key.client },
  { name: 'role key', rights: 'role', home: 'root', secret: (m) => m.key.MatrixRole },
  { name: 'token with role', rights: 'role', home: 'root', secret: (m) => m.member },
  { name: 'token without role', rights: 'none', home: 'root', secret: (m) => m.stranger },
  { name: '@doc scope', rights: 'role', home: 'root', secret: (m) => `secret:@doc/Person/${m.person}` },
  // Scoped secrets act in `child` with the rights of their scope's role.
  { name: 'secret:child:admin', rights: 'admin', home: 'child', secret: () => 'secret:child:admin' },
  { name: 'admin key :child:server', rights: 'server', home: 'child', secret: (m) => `${m.key.admin}:child:server` },
  { name: 'secret:child:server-readonly', rights: 'server-readonly', home: 'child', secret: () => 'secret:child:server-readonly' },
  { name: 'secret:child:@role/MatrixRole', rights: 'role', home: 'child', secret: () => 'secret:child:@role/MatrixRole' },
];

const RESOURCES: readonly Resource[] = ['Document', 'Collection', 'Index', 'Key', 'Token', 'Credential', 'Database', 'Role', 'Function'];
/** Core AbstractServerPermissions.RootClassIDs (AccessProvider has no v4 form here). */
const ROOT_CLASSES: ReadonlySet<Resource> = new Set(['Key', 'Role', 'Database']);
const WRITES: ReadonlySet<Action> = new Set(['create', 'update', 'delete']);
/** Each home database and its child (`Database("child")` from there), as admin scopes of the root secret. */
const DB_PATHS: Readonly<Record<Home, Record<Scope, string>>> = {
  root: { own: 'secret', child: 'secret:child:admin' },
  child: { own: 'secret:child:admin', child: 'secret:child/child:admin' },
};

/** Actions v4 supports on this server. */
function actionsOf(r: Resource): readonly Action[] {
  switch (r) {
    case 'Index': return ['create', 'read', 'delete', 'paginate'];
    default: return ['create', 'read', 'update', 'delete', 'paginate'];
  }
}

/** Fauna's rule for one cell (Permissions.scala). */
function expected(rights: Rights, r: Resource, a: Action, scope: Scope): boolean {
  // Instance writes hold only in the caller's own scope, for every kind of permissions.
  if (scope === 'child' && WRITES.has(a)) return false;
  switch (rights) {
    case 'admin': return true;
    case 'server': return !ROOT_CLASSES.has(r);
    case 'server-readonly': return !WRITES.has(a) && !ROOT_CLASSES.has(r);
    // The roles grant Item { read create write delete } and nothing else; role-based
    // permissions never reach another scope.
    case 'role': return scope === 'own' && r === 'Document';
    case 'none': return false;
  }
}

const PERMISSION_DENIED = 'Insufficient privileges to perform the action.';
const HASH_FIELD = /hashed_(secret|password)/;

let seq = 0;
const unique = (p: string) => `${p}${++seq}`;

describe('v4 permission matrix', () => {
  let server: TestServer;
  let v10: Clients;
  const open: Client[] = [];
  /** Raw response bodies seen by each kind's client. */
  const bodies = new Map<string, string[]>();
  let made: Made;
  let owners: Record<Home, Record<Scope, Client>>;

  const v4 = (secret: string, kind?: string): Client => {
    const c = new Client({
      secret, domain: '127.0.0.1', port: server.port, scheme: 'http',
      observer: (res) => { if (kind) bodies.get(kind)!.push(res.responseRaw); },
    });
    open.push(c);
    return c;
  };

  before(async () => {
    server = await startServer();
    v10 = new Clients(server);
    const root10 = v10.as('secret');
    await data(root10, fql`Database.create({ name: "child" })`);
    await data(v10.as('secret:child:admin'), fql`Database.create({ name: "child" })`);
    const grants = '[{ resource: "Item", actions: { read: true, create: true, write: true, delete: true } }]';
    for (const secret of ['secret', 'secret:child:admin', 'secret:child/child:admin']) {
      const c = v10.as(secret);
      await data(c, fql`Collection.create({ name: "Item" })`);
      await data(c, fql`Collection.create({ name: "Person" })`);
      await c.query(fql([`Role.create({ name: "MatrixRole", privileges: ${grants} })`]));
      await c.query(fql([`Role.create({ name: "MatrixMember", membership: { resource: "Person" }, privileges: ${grants} })`]));
    }
    await data(root10, fql`Collection.create({ name: "Stranger" })`);
    const key: Record<string, string> = {};
    for (const role of ['admin', 'server', 'server-readonly', 'client', 'MatrixRole']) {
      key[role] = (await data<{ secret: string }>(root10, fql`Key.create({ role: ${role} })`)).secret;
    }
    const person = await data<{ id: string }>(root10, fql`Person.create({ name: "member" })`);
    const stranger = await data<{ id: string }>(root10, fql`Stranger.create({ name: "stranger" })`);
    const token = async (doc: string, id: string) =>
      (await root10.query<{ secret: string }>(fql([`Token.create({ document: ${doc}.byId("${id}") })`]))).data.secret;
    made = { key, person: person.id, member: await token('Person', person.id), stranger: await token('Stranger', stranger.id) };
    owners = {
      root: { own: v4(DB_PATHS.root.own), child: v4(DB_PATHS.root.child) },
      child: { own: v4(DB_PATHS.child.own), child: v4(DB_PATHS.child.child) },
    };
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close({ force: true })));
    v10.close();
    await server.dispose();
  });

  /** A ref to `db`'s Database when the cell goes through the child scope. */
  const scopeRef = (scope: Scope): Expr | undefined => (scope === 'child' ? q.Database('child') : undefined);

  /**
   * A fresh fixture for one cell, created by an admin of the database it lives in, and the
   * expression performing the action on it as the caller sees it (through `Database("child")`
   * for child cells); `member` is the ref Paginate must show.
   */
  async function cell(home: Home, r: Resource, a: Action, scope: Scope): Promise<{ expr: Expr; member?: Expr }> {
    const admin = owners[home][scope];
    const db = scopeRef(scope);
    const person = async () => (await admin.query<{ ref: values.Ref }>(q.Create(q.Collection('Person'), { data: { n: 1 } }))).ref;
    /** The fixture's ref as the caller names it. */
    let ref: Expr;
    let set: Expr;
    let create: Expr;
    switch (r) {
      case 'Document': {
        const made = await admin.query<{ ref: values.Ref }>(q.Create(q.Collection('Item'), { data: { n: 1 } }));
        ref = q.Ref(q.Collection('Item', db), made.ref.id);
        set = q.Documents(q.Collection('Item', db));
        create = q.Create(q.Collection('Item', db), { data: { n: 2 } });
        break;
      }
      case 'Key': case 'Token': case 'Credential': {
        const native = { Key: q.Keys, Token: q.Tokens, Credential: q.Credentials }[r];
        const params = async (): Promise<object> => (r === 'Key' ? { role: 'server' } : r === 'Token' ? { instance: await person() } : { instance: await person(), password: 'pw' });
        const made = await admin.query<{ ref: values.Ref }>(q.Create(native(), await params()));
        ref = q.Ref(native(db), made.ref.id);
        set = native(db);
        create = q.Create(native(db), await params());
        break;
      }
      default: {
        const name = unique(`Fixture${r}`);
        const fresh = unique(`New${r}`);
        switch (r) {
          case 'Collection': await admin.query(q.CreateCollection({ name })); break;
          case 'Database': await admin.query(q.CreateDatabase({ name })); break;
          case 'Index': await admin.query(q.CreateIndex({ name, source: q.Collection('Item') })); break;
          case 'Role': await data(v10.as(DB_PATHS[home][scope]), fql`Role.create({ name: ${name} })`); break;
          case 'Function': await data(v10.as(DB_PATHS[home][scope]), fql`Function.create({ name: ${name}, body: "() => 1" })`); break;
        }
        const named = { Collection: q.Collection, Database: q.Database, Index: q.Index, Role: q.Role, Function: q.Function }[r];
        const all = { Collection: q.Collections, Database: q.Databases, Index: q.Indexes, Role: q.Roles, Function: q.Functions }[r];
        ref = named(name, db);
        set = all(db);
        const params = r === 'Index' ? { name: fresh, source: q.Collection('Item') }
          : r === 'Function' ? { name: fresh, body: q.Query(q.Lambda('x', 1)) } : { name: fresh };
        const creators: Partial<Record<Resource, (p: object) => Expr>> = {
          Collection: q.CreateCollection, Database: q.CreateDatabase, Index: q.CreateIndex, Role: q.CreateRole, Function: q.CreateFunction,
        };
        create = scope === 'own' && creators[r] ? creators[r]!(params) : q.Create(all(db), params);
      }
    }
    switch (a) {
      case 'create': return { expr: create };
      // Whole versions come back, so that the hash check below sees what a caller would.
      case 'read': return { expr: q.Get(ref) };
      case 'update': return { expr: q.Update(ref, { data: { x: 1 } }) };
      case 'delete': return { expr: q.Delete(ref) };
      case 'paginate': return { expr: q.Select(['data'], q.Paginate(set, { size: 100000 })), member: ref };
    }
  }

  /** Run one cell as `client`: true when the action took effect, false when refused. */
  async function attempt(home: Home, client: Client, expr: Expr, member: Expr | undefined, label: string): Promise<boolean> {
    try {
      const result = await client.query(expr);
      if (!member) return true;
      const wanted = String(await owners[home].own.query(member));
      return (result as values.Ref[]).some((x) => String(x) === wanted);
    } catch (e) {
      if (!(e instanceof errors.FaunaHTTPError)) throw e;
      const [err] = (e.requestResult.responseContent as unknown as { errors: { code: string; description: string }[] }).errors;
      if (err.code === 'permission denied' && err.description === PERMISSION_DENIED) return false;
      if (err.code === 'invalid argument' && err.description === 'Cannot write a scoped ref.') return false;
      throw new Error(`${label}: unexpected ${err.code}: ${err.description}`);
    }
  }

  for (const { name, rights, home, secret } of KINDS) {
    it(`${name}: every resource × action × scope as Fauna decides, and no stored hash in any answer`, async () => {
      bodies.set(name, []);
      const client = v4(secret(made), name);
      const mismatches: string[] = [];
      for (const scope of ['own', 'child'] as const) {
        for (const r of RESOURCES) {
          for (const a of actionsOf(r)) {
            const { expr, member } = await cell(home, r, a, scope);
            const label = `${scope} ${r}.${a}`;
            const got = await attempt(home, client, expr, member, label);
            const want = expected(rights, r, a, scope);
            if (got !== want) mismatches.push(`${label}: ${got ? 'allowed' : 'denied'}, Fauna ${want ? 'allows' : 'denies'}`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
      if (rights !== 'admin') assert.deepEqual(bodies.get(name)!.filter((b) => HASH_FIELD.test(b)), []);
    });
  }

  it('the reported case: a server-readonly key sees no key or role of a child database, admin keys see them with hashes', async () => {
    const readonly = v4(made.key['server-readonly']);
    const admin = v4(made.key.admin);
    const childKey = await owners.root.child.query<{ ref: values.Ref }>(q.CreateKey({ role: 'server' }));
    const ref = q.Ref(q.Keys(q.Database('child')), childKey.ref.id);
    assert.deepEqual(await readonly.query(q.Paginate(q.Keys(q.Database('child')))), { data: [] });
    assert.deepEqual(await readonly.query(q.Map(q.Paginate(q.Keys(q.Database('child'))), q.Lambda('k', q.Get(q.Var('k'))))), { data: [] });
    for (const expr of [q.Get(ref), q.Get(q.Role('MatrixRole', q.Database('child'))), q.Get(q.Database('child', q.Database('child')))]) {
      await v4Fails(readonly, expr, 'permission denied', 403, PERMISSION_DENIED);
    }
    assert.equal(await readonly.query(q.Exists(ref)), false);
    const seen = await admin.query<Record<string, unknown>>(q.Get(ref));
    assert.deepEqual(Object.keys(seen), ['ref', 'ts', 'role', 'hashed_secret']);
    assert.equal(String(seen.ref), `Ref(Keys(Database("child")), "${childKey.ref.id}")`);
  });

  it('credentials and tokens show their hashes to admin keys only', async () => {
    const person = await owners.root.own.query<{ ref: values.Ref }>(q.Create(q.Collection('Person'), { credentials: { password: 'pw' } }));
    const credRef = (await owners.root.own.query<{ data: values.Ref[] }>(
      q.Filter(q.Paginate(q.Credentials(), { size: 100000 }), q.Lambda('c', q.Equals(q.Select(['instance'], q.Get(q.Var('c'))), person.ref))),
    )).data[0];
    const token = await owners.root.own.query<{ ref: values.Ref }>(q.Create(q.Tokens(), { instance: person.ref }));
    const fields = async (secret: string, r: Expr) => Object.keys(await v4(secret).query<object>(q.Get(r)));
    assert.deepEqual(await fields(made.key.admin, credRef), ['ref', 'ts', 'instance', 'hashed_password']);
    assert.deepEqual(await fields(made.key.server, credRef), ['ref', 'ts', 'instance']);
    assert.deepEqual(await fields(made.key['server-readonly'], credRef), ['ref', 'ts', 'instance']);
    assert.deepEqual(await fields(made.key.admin, token.ref), ['ref', 'ts', 'instance', 'hashed_secret']);
    assert.deepEqual(await fields(made.key.server, token.ref), ['ref', 'ts', 'instance']);
    // Through a child-database scope as well.
    await owners.root.child.query(q.Create(q.Collection('Person'), { credentials: { password: 'pw' } }));
    const childCreds = await v4(made.key.server).query<{ data: object[] }>(
      q.Map(q.Paginate(q.Credentials(q.Database('child')), { size: 100000 }), q.Lambda('c', q.Get(q.Var('c')))),
    );
    assert.ok(childCreds.data.length > 0);
    // (Some carry `data` written by the matrix above.)
    for (const c of childCreds.data) assert.deepEqual(Object.keys(c).filter((k) => k !== 'data'), ['ref', 'ts', 'instance']);
  });

  it('Match through a child scope reads that database\'s index as the caller (built-in keys only)', async () => {
    const child = owners.root.child;
    await child.query(q.CreateIndex({ name: 'items_by_tag', source: q.Collection('Item'), terms: [{ field: ['data', 'tag'] }] }));
    const doc = await child.query<{ ref: values.Ref }>(q.Create(q.Collection('Item'), { data: { tag: 'scoped' } }));
    const match = q.Paginate(q.Match(q.Index('items_by_tag', q.Database('child')), 'scoped'));
    for (const secret of [made.key.server, made.key['server-readonly']]) {
      const page = await v4(secret).query<{ data: values.Ref[] }>(match);
      assert.deepEqual(page.data.map(String), [`Ref(Collection("Item", Database("child")), "${doc.ref.id}")`]);
    }
    for (const secret of [made.key.MatrixRole, made.member, made.key.client]) {
      await v4Fails(v4(secret), match, 'permission denied', 403, PERMISSION_DENIED);
    }
    // The root database has no such index: the scope is not ignored.
    await v4Fails(v4(made.key.server), q.Paginate(q.Match(q.Index('items_by_tag'), 'scoped')), 'invalid ref', 400);
  });
});
