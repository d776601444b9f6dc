// Schema and documents in one query: a query may not write documents of a collection and
// change that collection's definition; a rename is not visible to the rest of the query.
// Source: core ext/api/src/test/scala/fql2/FQL2CollectionSpec.scala unless noted.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2CollectionSpec.scala';
const MSG = 'Cannot modify a document and its collection in the same query.';

const docWrites = [
  "User.create({ foo: 'bar' })",
  "User.byId('1234')!.update({ foo: 'bar' })",
  "User.byId('1234')!.replace({ foo: 'bar' })",
  "User.byId('1234')!.delete()",
];
const collWrites = [
  "Collection.byName('User')!.update({ data: { hi: 3 } })",
  "Collection.byName('User')!.replace({ name: 'User', data: { hi: 3 } })",
  "Collection.byName('User')!.delete()",
];

const combos: ConformanceCase[] = [];
for (const d of docWrites) {
  for (const c of collWrites) {
    for (const [label, q] of [['doc then coll', `${d}\n${c}`], ['coll then doc', `${c}\n${d}`]] as const) {
      combos.push({ name: `${label}: ${d} / ${c}`, query: q, error: { code: 'invalid_write', message: MSG }, source: SPEC });
    }
  }
}

const cases: ConformanceCase[] = [
  {
    name: 'definition update then create',
    query: 'User.definition.update({ data: { hi: 3 }})\nUser.create({ foo: "bar" })',
    error: {
      code: 'invalid_write', message: MSG,
      summary: `error: ${MSG}\nat *query*:2:12\n  |\n2 | User.create({ foo: "bar" })\n  |            ^^^^^^^^^^^^^^^^\n  |`,
    },
    source: SPEC,
  },
  ...combos,
  { name: 'nothing was written', query: "[User.all().count(), User.definition.data]", result: [1, null], source: SPEC },
  { name: 'other collections are independent', query: "Other.definition.update({ data: { hi: 3 } })\nUser.create({ id: '99' }).id", result: '99', source: SPEC },
  { name: 'document writes in two collections', query: "User.create({ id: '98' }); Other.create({ id: '1' }).id", result: '1', source: SPEC },
  { name: 'each doc write alone works (update)', query: "User.byId('1234')!.update({ foo: 'bar' }).foo", result: 'bar', source: SPEC },
  { name: 'each coll write alone works (update)', query: "Collection.byName('User')!.update({ data: { hi: 3 } }).data", result: { hi: 3 }, source: SPEC },
  // renames
  { name: 'renamed collection keeps its old name in the query', query: "Collection.byName('Ren')!.update({ name: 'Ren2' })\nRen.byId('1')!.a", result: 1, source: 'FQL2ComputedFieldsSpec.scala (collection can be renamed)' },
  { name: 'the new name is visible to the next query', query: "Ren2.byId('1')!.a", result: 1, source: SPEC },
  {
    name: 'the new name is not visible in the renaming query', query: "Collection.byName('Ren2')!.update({ name: 'Ren3' })\nRen3.byId('1')",
    error: { code: 'unbound_variable', message: 'Unbound variable `Ren3`' }, source: SPEC,
  },
  { name: 'the failed rename changed nothing', query: "Collection.byName('Ren3').exists()", result: false, source: SPEC },
  { name: 'abort in a computed field of a renamed collection', query: "Collection.byName('Cr')!.update({ name: 'Cr2' })\nCr.byId(1234)!.bar", error: { code: 'abort', summaryIncludes: 'at *computed_field:' }, source: 'FQL2ComputedFieldsSpec.scala (collection can be renamed)' },
  // recreation
  { name: 'delete and recreate in one query', query: "Collection.byName('Tmp')!.delete()\nCollection.create({ name: 'Tmp' }).name", result: 'Tmp', source: SPEC + ' (handles rapid collection recreation)' },
  { name: 'recreated collection is empty', query: 'Tmp.all().count()', result: 0, source: SPEC },
  // definitions
  {
    name: 'a value that cannot be persisted', query: 'Collection.create({ name: Collection })',
    error: { code: 'invalid_type', message: 'Value at `name` has type Collection, which cannot be persisted.' },
    source: SPEC + ' (rejects non-persistable values)',
  },
  { name: 'role references follow a rename (setup)', query: 'Collection.create({ name: "aColl" })\nRole.create({ name: "aRole0", privileges: { resource: "aColl", actions: { read: true } } })\nRole.create({ name: "aRole1", membership: { resource: "aColl" }, privileges: { resource: "Collection", actions: { read: true } } })\nnull', result: null, source: SPEC },
  { name: 'rename the referenced collection', query: "Collection.byName('aColl')!.update({ name: 'anotherName' }); null", result: null, source: SPEC + ' (validate foreign references: rename)' },
  {
    name: 'role references follow a rename', query: '[Role.byName("aRole0")!.privileges.resource, Role.byName("aRole1")!.membership.resource]',
    result: ['anotherName', 'anotherName'], source: SPEC + ' (validate foreign references: rename)',
  },
  {
    name: 'a collection referenced by roles cannot be deleted', query: "Collection.byName('anotherName')!.delete()",
    error: { code: 'invalid_schema', summaryIncludes: 'Invalid database schema update.\n    error: Resource `anotherName` does not exist' }, source: SPEC + ' (validate foreign references: delete)',
  },
  {
    name: 'has_class_index cannot be set', query: 'Collection.create({ name: "Hci" }); Hci.definition.update({ has_class_index: true })',
    error: { code: 'constraint_failure' }, source: SPEC + " (doesn't allow setting has_class_index)",
  },
  { name: 'an empty update works', query: "Collection.create({ name: 'Emp' }); null", result: null, source: SPEC },
  { name: 'an empty update keeps the definition', query: "Collection.byName('Emp')!.update({}).name", result: 'Emp', source: SPEC + ' (updates advance MVT field)' },
  { name: 'no ttl without ttl_days', query: "Collection.create({ name: 'Col' }); null", result: null, source: SPEC + ' (use ttl_days as a default document ttl)' },
  { name: 'create without ttl_days has no ttl', query: "Col.create({ foo: 'bar' }).ttl", result: null, source: SPEC + ' (use ttl_days as a default document ttl)' },
  { name: 'set ttl_days', query: 'Col.definition.update({ ttl_days: 1 }).ttl_days', result: 1, source: SPEC + ' (use ttl_days as a default document ttl)' },
  { name: 'create gets a ttl from ttl_days', query: "let doc = Col.create({ fizz: 'buzz' })\ndoc.ttl! > Time.now().add(23, 'hours')", result: true, source: SPEC + ' (use ttl_days as a default document ttl)' },
  { name: 'update gets a ttl from ttl_days', query: "let doc = Col.all().where(.foo == 'bar').first()!\ndoc.update({ foo: 'baz' })\ndoc.ttl != null", result: true, source: SPEC + ' (use ttl_days as a default document ttl)' },
  { name: 'an explicit ttl is kept', query: "let doc = Col.create({ buz: 'fizz', ttl: Time.now().add(10, 'days') })\ndoc.ttl! > Time.now().add(9, 'days')", result: true, source: SPEC + ' (use ttl_days as a default document ttl)' },
  {
    name: 'a collection created in the query cannot be called', query: 'Collection.create({ name: "Fresh" })\nCollection("Fresh")',
    error: {
      code: 'invalid_argument', message: 'invalid argument `collection`: No such user collection `Fresh`.',
      summary: 'error: invalid argument `collection`: No such user collection `Fresh`.\nat *query*:2:11\n  |\n2 | Collection("Fresh")\n  |           ^^^^^^^^^\n  |\n'
        + 'hint: A collection cannot be created and used in the same query.\n  |\n2 | Collection("Fresh")\n  |           ^^^^^^^^^\n  |',
    },
    source: SPEC + ' (give pretty error for collections created in this transaction)',
  },
  { name: 'a collection created in the query can be used through byName', query: 'Collection.create({ name: "Fresh2" })\nCollection.byName("Fresh2")!.name', result: 'Fresh2', source: SPEC },
  { name: 'delete then recreate keeps working', query: "Collection.byName('Fresh2')!.delete()\nCollection.create({ name: 'Fresh2' }).name", result: 'Fresh2', source: SPEC + ' (handles rapid collection recreation)' },
  { name: 'recreated again in a new query', query: "Collection.byName('Fresh2')!.delete()\nnull", result: null, source: SPEC },
  { name: 'and created again', query: "Collection.create({ name: 'Fresh2' }).name", result: 'Fresh2', source: SPEC },
  {
    name: 'data is not a document field', query: 'Collection.create({ name: "Dat" }); Dat.create({ data: { a: 0, b: 1 } })',
    error: { code: 'constraint_failure' }, source: SPEC + ' (disallows `data` in create, update, and replace)',
  },
  // null where Fauna's types allow it
  { name: 'a UDF with role null has no role', query: 'Function.create({ name: "F2", body: "x => x", role: null }).role', result: null, source: 'FQL2FunctionSpec.scala (role: String | Null)' },
  { name: 'the UDF with role null runs', query: 'F2(3)', result: 3, source: 'FQL2FunctionSpec.scala' },
  { name: 'a role action may be null', query: 'Role.create({ name: "Rn", privileges: [{ resource: "User", actions: { read: null, write: true } }] }).name', result: 'Rn', source: 'FQL2RoleSpec.scala' },
  { name: 'a membership predicate may be null', query: 'Role.create({ name: "Rm2", membership: [{ resource: "User", predicate: null }] }).name', result: 'Rm2', source: 'FQL2RoleSpec.scala' },
  {
    name: 'a role action must be a boolean or a predicate', query: 'Role.create({ name: "Rbad", privileges: [{ resource: "User", actions: { read: 1 } }] })',
    error: { code: 'constraint_failure', message: 'Failed to create Role.' }, source: 'FQL2RoleSpec.scala',
  },
  {
    name: 'a UDF role must exist', query: 'Function.create({ name: "F3", body: "x => x", role: "nope" })',
    error: { code: 'constraint_failure', message: 'Failed to create Function.' }, source: 'FQL2FunctionSpec.scala',
  },
  {
    name: 'schema write failures point at the argument list', query: 'Function.create({ name: "F4", body: "x => x", role: "nope" })',
    error: { code: 'constraint_failure', summaryIncludes: 'at *query*:1:16' }, source: 'FQL2FunctionSpec.scala (validation errors: at *query*:1:16)',
  },
  // function and role writes mix freely with documents
  { name: 'a UDF and documents in one query', query: 'Function.create({ name: "F5", body: "x => x" }); User.create({ id: "77" }).id', result: '77', source: SPEC },
  { name: 'a role and documents in one query', query: 'Role.create({ name: "R5", privileges: [{ resource: "User", actions: { read: true } }] }); User.byId("77")!.update({ a: 1 }).a', result: 1, source: SPEC },
  { name: 'a new collection and its documents in one query', query: 'Collection.create({ name: "Brand" }); Collection.byName("Brand")!.name', result: 'Brand', source: SPEC },
  { name: 'history_days defaults to 0', query: 'Collection.create({ name: "Hd" }); null', result: null, source: SPEC },
  { name: 'history_days default', query: 'Hd.definition.history_days', result: 0, source: SPEC + ' (sets default history days)' },
];

export const area: ConformanceArea = {
  area: 'schema',
  setup: [
    `Collection.create({ name: "User" })
     Collection.create({ name: "Other" })
     Collection.create({ name: "Ren" })
     Collection.create({ name: "Tmp" })
     Collection.create({ name: "Cr", computed_fields: { bar: { body: "doc => abort('hi')" } } })
     null`,
    "User.create({ id: '1234' }); Ren.create({ id: '1', a: 1 }); Tmp.create({}); Cr.create({ id: 1234 }); null",
  ],
  cases,
};
