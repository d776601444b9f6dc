// Documents: create/update/replace/delete, reserved field names, the `data` field and the
// `*Data` methods, references to missing documents, ids (core FQL2DocSpec.scala,
// FQL2ReservedFieldAndDataAccessSpec.scala, Docs.scala, WriteBroker.scala).
import type { ConformanceArea, ConformanceCase } from '../case';

const DOC_SPEC = 'FQL2DocSpec.scala';
const RESERVED_SPEC = 'FQL2ReservedFieldAndDataAccessSpec.scala';
const reservedFailure = (action: string, field: string) => ({
  code: 'constraint_failure',
  message: action === 'create' ? 'Failed to create document in collection `TestColl`.' : 'Failed to update document with id 1 in collection `TestColl`.',
  summaryIncludes: `constraint failures:\n  ${field}: Is a reserved field and cannot be used`,
});

/** core Tokens.ReservedFieldNames minus `id` (allowed on create) and `data` (checked below). */
const RESERVED_ON_CREATE = ['ts', 'delete', 'update', 'replace', 'coll', 'exists'];

const reservedCases: ConformanceCase[] = [
  ...RESERVED_ON_CREATE.map((f): ConformanceCase => ({
    name: `create refuses reserved field ${f}`, query: `TestColl.create({ ${f}: "Thing" })`, error: reservedFailure('create', f), source: RESERVED_SPEC,
  })),
  ...[...RESERVED_ON_CREATE, 'id'].flatMap((f): ConformanceCase[] => [
    { name: `update refuses reserved field ${f}`, query: `TestColl.byId("1")!.update({ ${f}: "will I succeed?" })`, error: reservedFailure('update', f), source: RESERVED_SPEC },
    { name: `replace refuses reserved field ${f}`, query: `TestColl.byId("1")!.replace({ ${f}: "will I succeed?" })`, error: reservedFailure('update', f), source: RESERVED_SPEC },
  ]),
  { name: 'create refuses a data field', query: 'TestColl.create({ data: { a: 1 } })', error: reservedFailure('create', 'data'), source: `${RESERVED_SPEC} (data is reserved in user collections, CollectionSchema.reservedFields)` },
  { name: 'update refuses a data field', query: 'TestColl.byId("1")!.update({ data: { a: 1 } })', error: reservedFailure('update', 'data'), source: 'CollectionSchema.scala (reservedFields)' },
  {
    name: 'reserved field summary spans the call', query: 'TestColl.create({\n  update: "Thing",\n})',
    error: {
      code: 'constraint_failure',
      summary: 'error: Failed to create document in collection `TestColl`.\nconstraint failures:\n  update: Is a reserved field and cannot be used\nat *query*:1:16\n  |\n1 |   TestColl.create({\n  |  ________________^\n2 | |   update: "Thing",\n3 | | })\n  | |__^\n  |',
    },
    source: RESERVED_SPEC,
  },
  { name: 'the failed create wrote nothing', query: 'TestColl.all().count()', result: 1, source: RESERVED_SPEC },
];

export const area: ConformanceArea = {
  area: 'documents',
  setup: [
    'Collection.create({ name: "TestColl" })',
    'Collection.create({ name: "Books" })',
    'Collection.create({ name: "Authors" })',
    'Collection.create({ name: "Dummy" })',
    'TestColl.create({ id: "1", validField: "Thing" })',
  ],
  cases: [
    ...reservedCases,
    // Non-conflicting fields at the top level and under data.
    {
      name: 'fields are at the top level and under data',
      query: 'let doc = TestColl.create({ field1: "v1", field2: { nestedField: "v3" } })\n{ d1: { f1: doc.field1, f2: doc.field2 }, d2: { f1: doc.data.field1, f2: doc.data.field2 } }',
      result: { d1: { f1: 'v1', f2: { nestedField: 'v3' } }, d2: { f1: 'v1', f2: { nestedField: 'v3' } } }, source: RESERVED_SPEC,
    },
    {
      name: 'updated fields are at the top level and under data',
      query: 'let doc = TestColl.create({ field1: "v1", field2: { nestedField: "v3" } })\ndoc.update({ field1: "v1update", field2: { nestedField: "v3update" } })\n{ d1: { f1: doc.field1, f2: doc.field2 }, d2: { f1: doc.data.field1, f2: doc.data.field2 } }',
      result: { d1: { f1: 'v1update', f2: { nestedField: 'v3update' } }, d2: { f1: 'v1update', f2: { nestedField: 'v3update' } } }, source: RESERVED_SPEC,
    },
    { name: 'project off the data field', query: 'let doc = TestColl.create({ field1: "v1", field2: { nestedField: "v3" } })\ndoc { data { field1 } }', result: { data: { field1: 'v1' } }, source: RESERVED_SPEC },
    { name: 'project off data after update', query: 'let doc = TestColl.create({ field1: "v1" })\ndoc.update({ field1: "v2" })\ndoc { data { field1 } }', result: { data: { field1: 'v2' } }, source: RESERVED_SPEC },
    { name: 'doc.data is every user field', query: 'TestColl.byId("1")!.data', result: { validField: 'Thing' }, source: RESERVED_SPEC },
    { name: 'id, ts, coll are at the top level', query: 'TestColl.create({ field1: "v1" }) { coll }', result: { coll: 'TestColl' }, source: RESERVED_SPEC },
    { name: 'fields may start with an underscore', query: 'TestColl.create({ _field1: "v1" })._field1', result: 'v1', source: RESERVED_SPEC },
    { name: 'underscore fields update', query: 'let doc = TestColl.create({ _field1: "v1" })\ndoc.update({ _field1: "v2" })._field1', result: 'v2', source: RESERVED_SPEC },
    {
      name: 'sub documents with and without .data',
      query: 'let author = Authors.create({ name: "a1" })\nlet book = Books.create({ title: "b1", author: author })\n{ a1: book.author.name, a2: book.author.data.name, a3: book.data.author.name, a4: book.data.author.data.name }',
      result: { a1: 'a1', a2: 'a1', a3: 'a1', a4: 'a1' }, source: RESERVED_SPEC,
    },
    { name: 'a returned document has no data field', query: 'Books.create({ id: "77", title: "b1", author: "Hobbes" }) { title, author, data }', result: { title: 'b1', author: 'Hobbes', data: { title: 'b1', author: 'Hobbes' } }, source: RESERVED_SPEC },
    { name: 'a returned document shows its fields', query: 'Books.byId("77")!', subset: { id: '77', coll: 'Books', title: 'b1', author: 'Hobbes' }, source: RESERVED_SPEC },
    { name: 'Books.definition.name', query: 'Books.definition.name', result: 'Books', source: RESERVED_SPEC },
    { name: 'Books.definition', query: 'Books.definition { name, coll }', result: { name: 'Books', coll: 'Collection' }, source: RESERVED_SPEC },
    // ttl
    { name: 'ttl must be a time', query: 'TestColl.create({ field1: "v1", ttl: "is time even real??" })', headers: { 'x-typecheck': 'false' }, error: { code: 'constraint_failure', message: 'Failed to create document in collection `TestColl`.', summaryIncludes: 'ttl: Expected Time | Null, provided String' }, source: RESERVED_SPEC },
    { name: 'ttl on update must be a time', query: 'TestColl.byId("1")!.update({ ttl: "is time even real??" })', headers: { 'x-typecheck': 'false' }, error: { code: 'constraint_failure', message: 'Failed to update document with id 1 in collection `TestColl`.', summaryIncludes: 'ttl: Expected Time | Null, provided String' }, source: RESERVED_SPEC },
    { name: 'ttl is set and read back', query: 'TestColl.create({ field1: "v1", ttl: Time("2200-01-01T01:01:01Z") }).ttl', tagged: { '@time': '2200-01-01T01:01:01Z' }, source: RESERVED_SPEC },
    { name: 'ttl is updated', query: 'let doc = TestColl.create({ ttl: Time("2200-01-01T01:01:01Z") })\ndoc.update({ ttl: Time("2200-01-02T01:01:01Z") }).ttl', tagged: { '@time': '2200-01-02T01:01:01Z' }, source: RESERVED_SPEC },
    // *Data variants
    { name: 'create refuses update', query: 'TestColl.create({ a: 0, update: 0 })', error: { code: 'constraint_failure' }, source: `${DOC_SPEC} (*Data variants)` },
    { name: 'createData puts reserved names under data', query: 'TestColl.createData({ id: "5", a: 0, "update": 0 }) { a, update: .data.update, dataA: .data.a }', result: { a: 0, update: 0, dataA: 0 }, source: `${DOC_SPEC} (*Data variants)` },
    { name: 'createData renders reserved names under data', query: 'let d = TestColl.createData({ a: 0, "update": 0 })\n[d.a, Object.keys(d).includes("update"), d.data.update]', result: [0, false, 0], source: `${DOC_SPEC} (*Data variants)` },
    { name: 'createData rendering', query: 'TestColl.createData({ a: 0, "update": 0 })', subset: { coll: 'TestColl', a: 0, data: { update: 0 } }, source: `${DOC_SPEC} (*Data variants)` },
    { name: 'createData does not take the id', query: 'let d = TestColl.createData({ id: "foo", a: 0 })\n[d.id != "foo", d.data.id]', result: [true, 'foo'], source: `${DOC_SPEC} (*Data variants)` },
    { name: 'update cannot write update', query: 'TestColl.createData({ a: 0, "update": 0 }).update({ "update": 1 })', error: { code: 'constraint_failure' }, source: `${DOC_SPEC} (*Data variants)` },
    { name: 'updateData writes reserved names under data', query: 'let d = TestColl.createData({ a: 0, "update": 0 })\nd.updateData({ "update": 1 })\n[d.a, d.data.update]', result: [0, 1], source: `${DOC_SPEC} (*Data variants)` },
    { name: 'replace cannot write replace', query: 'TestColl.createData({ a: 0 }).replace({ "replace": 0 })', error: { code: 'constraint_failure' }, source: `${DOC_SPEC} (*Data variants)` },
    { name: 'replaceData writes reserved names under data', query: 'let d = TestColl.createData({ a: 0, "update": 0 })\nd.replaceData({ "replace": 0 })\n[d.a, d.data.update, d.data.replace]', result: [null, null, 0], source: `${DOC_SPEC} (*Data variants)` },
    { name: 'updateData ttl is plain data', query: 'let d = TestColl.create({ a: 0, ttl: Time("2200-01-01T01:01:01Z") })\nd.updateData({ ttl: Time("2300-01-01T01:01:01Z") })\n[d.ttl, d.data.ttl]', tagged: [{ '@time': '2200-01-01T01:01:01Z' }, { '@time': '2300-01-01T01:01:01Z' }], source: `${DOC_SPEC} (handle metadata fields)` },
    { name: 'Key has no createData', query: 'Key.createData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `createData` does not exist on `Key`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'Collection has no createData', query: 'Collection.createData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `createData` does not exist on `Collection`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'Credential has no createData', query: 'Credential.createData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `createData` does not exist on `Credential`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'a key has no updateData', query: 'Key.create({ role: "admin" }).updateData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `updateData` does not exist on `Key`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'a key has no replaceData', query: 'Key.create({ role: "admin" }).replaceData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `replaceData` does not exist on `Key`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'a credential has no updateData', query: 'Credential.create({ document: Dummy.create({}) }).updateData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `updateData` does not exist on `Credential`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'a token has no replaceData', query: 'Token.create({ document: Dummy.create({}) }).replaceData({})', headers: { 'x-typecheck': 'false' }, error: { code: 'invalid_function_invocation', message: 'The function `replaceData` does not exist on `Token`' }, source: `${DOC_SPEC} (native collections don't have them)` },
    { name: 'a key keeps its own data field', query: 'Key.create({ role: "admin", data: { x: 1 } }).data', result: { x: 1 }, source: 'CollectionSchema.scala (native collections: reserved minus data)' },
    // update / replace / delete
    { name: 'update merges fields', query: 'let a = Authors.create({ foo: "bar", seattle: "wa" })\na.update({ seattle: "va", windy: "city" })\nAuthors.byId(a.id) { foo, seattle, windy }', result: { foo: 'bar', seattle: 'va', windy: 'city' }, source: DOC_SPEC },
    { name: 'update returns the updated document', query: 'Authors.create({ foo: "bar", seattle: "wa" }).update({ seattle: "va", windy: "city" }) { foo, seattle, windy }', result: { foo: 'bar', seattle: 'va', windy: 'city' }, source: DOC_SPEC },
    { name: 'update with null removes a field', query: 'Authors.create({ foo: "bar", seattle: "wa" }).update({ seattle: null, windy: "city" }) { foo, seattle, windy }', result: { foo: 'bar', seattle: null, windy: 'city' }, source: DOC_SPEC },
    { name: 'update of a deleted document', query: 'let a = Authors.create({ foo: "bar" })\na.delete()\na.update({ hi: "bye" })', error: { code: 'document_not_found' }, source: DOC_SPEC },
    { name: 'replace replaces every field', query: 'let a = Authors.create({ foo: "bar", seattle: "wa" })\na.replace({ foo: "berry", yellow: "crayon" }) { foo, yellow, seattle }', result: { foo: 'berry', yellow: 'crayon', seattle: null }, source: DOC_SPEC },
    { name: 'replace of a deleted document', query: 'let a = Authors.create({ foo: "bar" })\na.delete()\na.replace({ foo: "berry" })', error: { code: 'document_not_found' }, source: DOC_SPEC },
    { name: 'delete, then exists()', query: 'let a = Authors.create({ foo: "bar" })\na.delete()\nAuthors.byId(a.id).exists()', result: false, source: DOC_SPEC },
    { name: 'delete returns the reference', query: 'Authors.create({ id: "4242", foo: "bar" })\nAuthors.byId("4242")!.delete()', tagged: { '@ref': { id: '4242', coll: { '@mod': 'Authors' }, exists: false, cause: 'deleted' } }, source: `${DOC_SPEC} + FQL2ValueEncoderSpec.scala (deleted doc cause)` },
    { name: 'delete twice', query: 'let a = Authors.create({ foo: "bar" })\na.delete()\na.delete()', error: { code: 'document_not_found' }, source: DOC_SPEC },
    // Object methods on documents
    { name: 'Object.keys of a document', query: 'Object.keys(TestColl.create({ a: 0, b: 1 }))', result: ['id', 'coll', 'ts', 'a', 'b'], source: `${DOC_SPEC} (Object methods)` },
    { name: 'Object.keys of a deleted document', query: 'let d = TestColl.create({ a: 0, b: 1, id: 1234 })\nd.delete()\nObject.keys(d)', error: { code: 'invalid_argument', message: 'invalid argument `object`: collection `TestColl` does not contain document with id 1234.' }, source: `${DOC_SPEC} (Object methods)` },
    { name: 'Object.values of a document', query: 'Object.values(TestColl.create({ x: 0, y: "a" })).slice(3, 5)', result: [0, 'a'], source: `${DOC_SPEC} (Object methods)` },
    { name: 'Object.values length', query: 'Object.values(TestColl.create({ x: 0, y: "a" })).length', result: 5, source: `${DOC_SPEC} (Object methods)` },
    { name: 'Object.entries of a document', query: 'Object.entries(TestColl.create({ a: 0, b: "x" })).slice(3, 5)', result: [['a', 0], ['b', 'x']], source: `${DOC_SPEC} (Object methods)` },
    // ids
    { name: 'a string argument works as an ID', query: 'TestColl.byId("1234").exists()', result: false, source: `${DOC_SPEC} (string argument should work as ID)` },
    { name: 'byId of a missing document keeps its id', query: 'TestColl.byId("123").id', result: '123', source: 'Docs.scala (NullDocPrototype id)' },
    { name: 'byId of a missing document keeps its collection', query: 'TestColl.byId("123").coll', tagged: { '@mod': 'TestColl' }, source: 'Docs.scala (NullDocPrototype coll)' },
    { name: 'byId of a missing document is null', query: 'TestColl.byId("123") == null', result: true, source: 'GlobalResolvers.scala (EmptyRef alias Null)' },
    { name: 'byId of a missing document, tagged', query: 'TestColl.byId("123")', tagged: { '@ref': { id: '123', coll: { '@mod': 'TestColl' }, exists: false, cause: 'not found' } }, source: 'FQL2ValueEncoderSpec.scala' },
    { name: '! on a missing document', query: 'TestColl.byId("123")!', error: { code: 'document_not_found', message: 'Collection `TestColl` does not contain document with id 123.' }, source: 'QueryFailure.scala (DocumentNotFound)' },
    { name: 'a field of a missing document', query: 'TestColl.byId("123").foo', error: { code: 'document_not_found', message: 'Collection `TestColl` does not contain document with id 123.' }, source: 'QueryFailure.scala (DocumentNotFound)' },
    { name: 'byId with a non-numeric string', query: 'TestColl.byId("foobar")', error: { code: 'invalid_argument', message: 'expected value for `id` of type ID, received String' }, source: 'Collections.scala (byId "id" -> tt.ID)' },
    { name: 'byId with a negative number', query: 'TestColl.byId(-1)', error: { code: 'invalid_argument', message: 'expected value for `id` of type ID, received Int' }, source: 'Collections.scala (byId "id" -> tt.ID)' },
    { name: 'byId with a double', query: 'TestColl.byId(1.5)', error: { code: 'invalid_argument', message: 'expected value for `id` of type ID, received Double' }, source: 'Collections.scala (byId "id" -> tt.ID)' },
    { name: 'Coll(id) with a non-numeric string', query: 'TestColl("x")', error: { code: 'invalid_argument', message: 'expected value for `id` of type ID, received String' }, source: 'Collections.scala (defApply "id" -> tt.ID)' },
    { name: 'Key.byId with a non-numeric string', query: 'Key.byId("x")', error: { code: 'invalid_argument', message: 'expected value for `id` of type ID, received String' }, source: 'Collections.scala (byId "id" -> tt.ID)' },
    { name: 'create with a null id', query: 'TestColl.create({ id: null })', error: { code: 'constraint_failure', message: 'Failed to create document in collection `TestColl`.', summaryIncludes: 'id: Missing required field of type ID | String | Long' }, source: 'WriteBroker.scala (getOrMakeID)' },
    { name: 'create with a double id', query: 'TestColl.create({ id: 1.5 })', error: { code: 'constraint_failure', summaryIncludes: 'id: Expected ID | String | Long, provided Double' }, source: 'WriteBroker.scala (getOrMakeID)' },
    { name: 'create with an existing id', query: 'TestColl.create({ id: "1" })', error: { code: 'document_id_exists', message: 'Collection `TestColl` already contains document with id 1.' }, source: 'QueryFailure.scala (DocumentIDExists)' },
    { name: 'create with a numeric id', query: 'TestColl.create({ id: 99 }).id', result: '99', source: 'WriteBroker.scala (getOrMakeID)' },
    { name: 'create with an ID value', query: 'TestColl.create({ id: ID(98) }).id', result: '98', source: 'WriteBroker.scala (getOrMakeID)' },
    { name: 'Coll(id) reads the document', query: 'TestColl("99").exists()', result: true, source: 'Collections.scala (defApply)' },
    { name: 'exists on a live document', query: 'TestColl.byId("1")!.exists()', result: true, source: 'Docs.scala (exists)' },
    { name: 'documents compare by reference', query: 'TestColl.byId("1") == TestColl.byId("1")', result: true, source: 'ValueCmp.scala' },
    { name: 'different documents differ', query: 'TestColl.byId("1") == TestColl.byId("99")', result: false, source: 'ValueCmp.scala' },
    { name: 'missing field of a document is null', query: 'TestColl.byId("1")!.nope', result: null, source: 'ReadBroker.scala' },
    { name: 'missing field with ! fails', query: 'TestColl.byId("1")!.nope!', error: { code: 'null_value', message: 'Null value, due to missing field `nope`' }, source: 'QueryFailure.scala (NullValue)' },
    { name: 'bracket access on a document', query: 'TestColl.byId("1")!["validField"]', result: 'Thing', source: 'Docs.scala (defAccess)' },
    { name: 'ts is a time', query: 'TestColl.byId("1")!.ts isa Time', result: true, source: RESERVED_SPEC },
    // Reads (core FQL2DocsSpec.scala).
    { name: '?.update on a missing document', query: 'Authors.byId("123")?.update({ foo: "bar" })', result: null, source: 'FQL2DocsSpec.scala (update/replace short-circuit on null doc)' },
    { name: '?.replace on a missing document', query: 'Authors.byId("123")?.replace({ foo: "bar" })', result: null, source: 'FQL2DocsSpec.scala (update/replace short-circuit on null doc)' },
    { name: 'exists() of a missing document', query: 'Authors.byId("1234").exists()', result: false, source: 'FQL2DocsSpec.scala' },
    { name: 'a missing document == null', query: 'Authors.byId("1234") == null', result: true, source: 'FQL2DocsSpec.scala' },
    { name: 'exists() of a new document', query: 'Authors.create({}).exists()', result: true, source: 'FQL2DocsSpec.scala' },
    { name: 'a new document != null', query: 'Authors.create({}) == null', result: false, source: 'FQL2DocsSpec.scala' },
    { name: 'exists() of a deleted document', query: 'let author = Authors.create({})\nauthor.delete()\nauthor.exists()', result: false, source: 'FQL2DocsSpec.scala' },
    { name: 'a deleted document == null', query: 'let author = Authors.create({})\nauthor.delete()\nauthor == null', result: true, source: 'FQL2DocsSpec.scala' },
    { name: 'projecting a deleted document', query: 'let author = Authors.create({ name: "Write" })\nauthor.delete()\nauthor { id, name }', result: null, source: 'FQL2DocsSpec.scala (can project non-existant docs)' },
    { name: 'firstWhere by id', query: 'let d = Authors.create({ foo: "bar" })\nAuthors.firstWhere(.id == d.id) == d', result: true, source: 'FQL2DocsSpec.scala' },
    { name: 'ids compare', query: 'let d = Authors.create({ foo: "bar" })\nlet e = Authors.create({})\n[d.id == d.id, d.id == e.id]', result: [true, false], source: 'FQL2DocsSpec.scala (can compare id with id)' },
    { name: 'where on id', query: 'let d = Authors.create({ foo: "bar" })\n(Authors.all().where(.id == d.id) { foo }).toArray()', result: [{ foo: 'bar' }], source: 'FQL2DocsSpec.scala (can compare id with id)' },
    { name: '["field"] of a document', query: 'TestColl.byId("1")["validField"]', result: 'Thing', source: 'FQL2DocsSpec.scala (can select fields with [])' },
    { name: '["id"] of a document', query: 'TestColl.byId("1")["id"]', result: '1', source: 'FQL2DocsSpec.scala (can select fields with [])' },
    { name: '["baz"] of a document', query: 'TestColl.byId("1")["baz"]', result: null, source: 'FQL2DocsSpec.scala (can select fields with [])' },
    { name: 'nulls in arrays are kept', query: 'Authors.create({ foo: [1, null, 2] }).foo', result: [1, null, 2], source: "FQL2DocsSpec.scala (don't elide nulls on arrays)" },
    { name: 'a field of a missing document, typechecking off', query: 'Authors.byId("123").foo', headers: { 'x-typecheck': 'false' }, error: { code: 'document_not_found', message: 'Collection `Authors` does not contain document with id 123.' }, source: 'FQL2DocsSpec.scala (null docs error on .field access)' },
    { name: '["field"] of a missing document', query: 'Authors.byId("123")["foo"]', error: { code: 'document_not_found', message: 'Collection `Authors` does not contain document with id 123.' }, source: "FQL2DocsSpec.scala (null docs error on ['field'] access)" },
    { name: '?.field of a missing document', query: 'Authors.byId("123")?.foo', result: null, source: 'FQL2DocsSpec.scala (null docs short-circuit on ?.field access)' },
    { name: '?.["field"] of a missing document', query: 'Authors.byId("123")?.["foo"]', result: null, source: "FQL2DocsSpec.scala (null docs short-circuit on ?.['field'] access)" },
    { name: 'a missing schema document', query: 'Collection.byName("Ghost") == null', result: true, source: 'FQL2DocsSpec.scala (null schema doc is a doc value)' },
    { name: 'at (mt.ts)', query: 'let mt = Authors.create({ name: "Mark Twain" })\nat (mt.ts) { Authors.byId(mt.id)["name"] }', result: 'Mark Twain', source: 'FQL2DocsSpec.scala (at accepts TransactionTime)' },
    { name: 'at with a number', query: 'at (0) 0', headers: { 'x-typecheck': 'false' }, error: { code: 'type_mismatch', message: 'expected type: Time, received Int' }, source: 'FQL2DocsSpec.scala (at rejects bad types)' },
    { name: 'update refuses exists', query: 'Authors.create({ name: "bar" }).update({ exists: "baz" })', error: { code: 'constraint_failure' }, source: 'FQL2DocsSpec.scala (rejects reserved field, ReservedFieldNames + exists)' },
    { name: 'update refuses ts', query: 'Authors.create({ name: "bar" }).update({ ts: "baz" })', error: { code: 'constraint_failure' }, source: 'FQL2DocsSpec.scala (rejects reserved field)' },

  ],
};
