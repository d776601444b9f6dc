// FSL through the schema API as Fauna treats it: what `/schema/1/files` generates for
// definitions made through FQL parses again when pushed back, struct fields may be separated
// by newlines and carry defaults, and selector paths are stored in Fauna's display form.
// Sources: core FSLParserSpec.scala, FQL2CollectionSpec.scala ("defaults in nested fields",
// "cannot set a struct with defaults to null"), FQL2RoleSpec/FQL2FunctionSpec (`role` is
// `String | Null`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fql } from 'fauna';
import { data } from './identity-helpers';
import { SchemaApi, useSchemaServer } from './schema-fixtures';

describe('schema round trip', () => {
  let admin: Client;
  let api: SchemaApi;

  useSchemaServer('rt', (s) => ({ admin, api } = s));

  it('pushes back what it generated for FQL definitions (paths without a dot, null role and predicates)', async () => {
    await data(admin, fql`
      Collection.create({ name: "Acct", constraints: [{ unique: ["iban"] }], indexes: { byX: { terms: [{ field: "x" }] } } })
      Function.create({ name: "F1", body: "x => x", role: null })
      Role.create({ name: "R1", privileges: [{ resource: "Acct", actions: { read: null, write: true } }],
        membership: [{ resource: "Acct", predicate: null }] })
      null`);
    const main = (await api.file('main.fsl'))!;
    assert.match(main, /\n {2}unique \[\.iban\]\n/);
    assert.match(main, /\n {4}terms \[\.x\]\n/);
    assert.match(main, /\nrole R1 \{\n {2}privileges Acct \{\n {4}write\n {2}\}\n {2}membership Acct\n\}\n/);
    assert.match(main, /\nfunction F1\(x\) \{\n {2}x\n\}\n/);
    const pushed = await api.push({ 'main.fsl': main }, false);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.equal(await api.file('main.fsl'), main);
    assert.deepEqual(await data(admin, fql`Acct.definition.constraints.map(.unique)`), [['iban']]);
  });

  it('reads newline-separated struct fields and fills nested defaults on create', async () => {
    const fsl = 'collection User {\n  address: {\n    street: Number = 10\n    city: String?\n  }\n  a: {\n    foo: Int = 3\n    bar: String\n  }?\n}\n';
    const pushed = await api.push({ 'main.fsl': fsl }, false);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(await data(admin, fql`User.create({}).address`), { street: 10 });
    assert.deepEqual(await data(admin, fql`User.create({ address: {} }).address`), { street: 10 });
    assert.deepEqual(await data(admin, fql`User.create({ address: { street: 11 } }).address`), { street: 11 });
    assert.deepEqual(await data(admin, fql`User.create({ a: { bar: "hi" } }).a`), { bar: 'hi', foo: 3 });
    // Defaults apply on create only (FQL2CollectionSpec: "defaults will not be inserted on update").
    assert.deepEqual(await data(admin, fql`User.create({ id: 0, address: { street: 11 } }); User.byId(0)!.update({}).address`), { street: 11 });
    assert.equal(await api.file('main.fsl'), fsl);
  });

  it('stores selector paths in display form', async () => {
    const pushed = await api.push({ 'main.fsl': 'collection P {\n  unique [.phone .email]\n  unique [.["name"]]\n}\n' }, false);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(await data(admin, fql`P.definition.constraints.map(.unique)`), [['.phone.email'], ['.name']]);
  });
});
