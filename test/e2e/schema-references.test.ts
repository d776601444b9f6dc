// Names in the schema must resolve (core SchemaTypeValidator.checkResourceName and
// checkAPRoleName, run on the whole schema after each update: src/model/definitions/
// schema-references.ts). A role's membership names collections, its privileges collections,
// system collections or functions; an access provider names user-defined roles. Checked when the
// transaction commits, so definitions may come in any order within one query; a change that
// leaves a name dangling fails with `invalid_schema`, from FQL and from an FSL push alike.
// Core's messages: "Invalid database schema update." then ``error: Resource `aFn` does not
// exist`` (FQL2FunctionSpec "validate foreign references") or ``error: Role `x` does not exist``
// (core also points into the generated main.fsl; those location lines are not rendered here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails } from './identity-helpers';
import { SchemaApi } from './schema-fixtures';

describe('schema references', () => {
  let server: TestServer;
  let clients: Clients;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    await data(clients.as('secret'), fql`Database.create({ name: "refs" })`);
  });

  after(async () => {
    clients?.close();
    await server?.dispose();
  });

  const admin = () => clients.as('secret:refs:admin');
  const refused = async (query: ReturnType<typeof fql>, detail: string) => {
    const e = await fails(admin(), query, 'invalid_schema');
    assert.equal(e.message, `Invalid database schema update.\n    error: ${detail}`);
  };

  it('definitions may name each other in any order within one query', async () => {
    assert.equal(await data(admin(), fql`
      AccessProvider.create({ name: "idp", issuer: "https://idp.example.com/", jwks_uri: "https://idp.example.com/jwks", roles: "Reader" })
      Role.create({ name: "Reader", membership: { resource: "People" }, privileges: [{ resource: "People", actions: { read: true } }, { resource: "greet", actions: { call: true } }] })
      Function.create({ name: "greet", body: "() => 'hi'" })
      Collection.create({ name: "People" })
      "ok"`), 'ok');
  });

  it('a membership may not name a function; a privilege may not name what does not exist', async () => {
    await refused(fql`Role.create({ name: "Members", membership: { resource: "greet" } })`, 'Resource `greet` does not exist');
    await refused(fql`Role.create({ name: "Nope", privileges: { resource: "Nothing", actions: { read: true } } })`, 'Resource `Nothing` does not exist');
    assert.equal(await data(admin(), fql`Role.byName("Nope") == null && Role.byName("Members") == null`), true);
  });

  it('deleting or renaming away what a definition names fails, and changes nothing', async () => {
    // Named twice (membership and a privilege): one error each, as core reports one per use.
    await refused(fql`Collection.byName("People")!.delete()`, 'Resource `People` does not exist\n    error: Resource `People` does not exist');
    await refused(fql`Function.byName("greet")!.delete()`, 'Resource `greet` does not exist');
    await refused(fql`Role.byName("Reader")!.delete()`, 'Role `Reader` does not exist');
    assert.equal(await data(admin(), fql`[People.definition.exists(), greet.definition.exists(), Role.byName("Reader").exists()]`).then(String), 'true,true,true');
    // A rename rewrites the role's references (core FKUpdateHook): nothing dangles.
    assert.equal(await data(admin(), fql`Function.byName("greet")!.update({ name: "hello" }); Role.byName("Reader")!.privileges[1].resource`), 'hello');
    // Deleted together with what names it: fine.
    assert.equal(await data(admin(), fql`AccessProvider.byName("idp")!.delete(); Role.byName("Reader")!.delete(); Function.byName("hello")!.delete(); "gone"`), 'gone');
  });

  it('an FSL push that leaves a name dangling is refused', async () => {
    const api = new SchemaApi(server.url, 'secret:refs:admin');
    const pushed = await api.push({ 'main.fsl': 'collection People {}\nrole Viewer {\n  privileges Missing { read }\n}\n' }, false);
    assert.equal(pushed.status, 400, JSON.stringify(pushed.body));
    assert.match(JSON.stringify(pushed.body), /Resource `Missing` does not exist/);
    assert.equal(await data(admin(), fql`Role.byName("Viewer") == null`), true);
  });
});
