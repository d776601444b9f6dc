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
      // A deleted collection's documents cannot be read for the write that would be refused.
      const todo = label === 'coll then doc' && c.endsWith('delete()') && !d.startsWith('User.create')
        ? 'documents of a collection deleted earlier in the query are not readable, so the write fails before the invalid_write check'
        : undefined;
      combos.push({ name: `${label}: ${d} / ${c}`, query: q, error: { code: 'invalid_write', message: MSG }, source: SPEC, todo });
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
