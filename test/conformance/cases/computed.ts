// Computed fields: the function gets the document itself (indexes, `isa`, other computed
// fields, references), runs when the field is read, may not write, and fails with Fauna's
// frames. Source: core ext/api/src/test/scala/fql2/FQL2ComputedFieldsSpec.scala unless noted.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2ComputedFieldsSpec.scala';

const cases: ConformanceCase[] = [
  // definitions
  { name: 'definition keeps the body', query: 'Foo.definition.computed_fields.bar!.body', result: 'doc => doc.baz', source: SPEC },
  { name: 'definition keeps the signature', query: 'Sig.definition.computed_fields.bar!.signature', result: 'String', source: SPEC },
  { name: 'definition present', query: 'Rm.definition.computed_fields == null', result: false, source: SPEC },
  { name: 'replace without computed_fields removes them', query: 'Collection.byName("Rm")!.replace({ name: "Rm" }); null', result: null, source: SPEC },
  { name: 'removed', query: 'Rm.definition.computed_fields == null', result: true, source: SPEC },
  {
    name: 'invalid field name is refused',
    query: 'Collection.create({ name: "BadCf1", computed_fields: { "1234": { body: "x => x" } } })',
    error: { code: 'constraint_failure' }, source: SPEC,
  },
  {
    name: 'reserved name update is refused',
    query: 'Collection.create({ name: "BadCf2", computed_fields: { update: { body: "x => x" } } })',
    error: { code: 'constraint_failure' }, source: SPEC,
  },
  {
    name: 'reserved name ttl is refused',
    query: 'Collection.create({ name: "BadCf3", computed_fields: { ttl: { body: "x => x" } } })',
    error: { code: 'constraint_failure' }, source: SPEC,
  },
  {
    name: 'name colliding with a defined field is refused',
    query: 'Collection.create({ name: "BadCf4", fields: { a: { signature: "Number" } }, computed_fields: { a: { body: " _ => 0" } } })',
    error: { code: 'constraint_failure', summaryIncludes: "error: Failed to create Collection.\nconstraint failures:\n  computed_fields: Computed field 'a' collides with a defined field\nat *query*:1:18" }, source: SPEC,
  },
  {
    name: 'nullary function is refused',
    query: 'Collection.create({ name: "BadCf5", computed_fields: { bar: { body: "() => 42" } } })',
    error: { code: 'constraint_failure' }, source: SPEC,
  },
  {
    name: 'short lambda without parentheses is refused',
    query: 'Collection.create({ name: "BadCf6", computed_fields: { bar: { body: ".baz" } } })',
    error: {
      code: 'constraint_failure', message: 'Failed to create Collection.',
      summaryIncludes: 'constraint failures:\n  computed_fields.bar.body: Unable to parse FQL source code.\n      error: Invalid anonymous field access\n      at *body*:1:1\n        |\n      1 | .baz\n        | ^^^^\n        |\nat *query*:1:18',
    },
    source: SPEC,
  },
  // reading
  { name: 'short lambda body works', query: 'Sh.create({ baz: 3 }).bar', result: 3, source: SPEC },
  { name: 'pure computed field', query: 'let foo = Pure.create({})\nfoo.bar', result: 42, source: SPEC },
  { name: 'projects a document field', query: 'let foo = Foo.create({ baz: 42 })\nfoo.bar', result: 42, source: SPEC },
  { name: 'follows references', query: 'let fizz = Fizz.create({ buzz: 42 })\nlet foo = Foo.create({ baz: fizz })\nfoo.bar.buzz', result: 42, source: SPEC },
  { name: 'projection includes computed fields', query: 'Foo.create({ baz: 7 }) { baz, bar }', result: { baz: 7, bar: 7 }, source: SPEC },
  { name: 'output includes computed fields', query: 'Pure.create({ id: "5", x: 1 }) { id, x, bar }', result: { id: '5', x: 1, bar: 42 }, source: SPEC },
  { name: 'Object.assign sees computed fields', query: 'Object.assign({}, Ov.create({ x: 5 })).foo', result: 3, source: SPEC },
  // the document itself
  { name: 'the argument is the document (isa)', query: 'Cust.byId("1")!.isCust', result: true, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'the argument can look itself up in an index', query: 'Cust.byId("1")!.orderCount', result: 2, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'index lookup through the document', query: 'Cust.byId("1")!.firstOrder!.total', result: 10, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'a customer without orders', query: 'Cust.byId("2")!.orderCount', result: 0, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'computed fields read other computed fields', query: 'Chain.create({}) { foo, bar, baz }', result: { foo: 2, bar: 5, baz: 9 }, source: SPEC + ' (should infer more complex computed field types)' },
  { name: 'the argument has the document id', query: 'Cust.byId("1")!.myId', result: '1', source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'reads see the document state after an update', query: 'Foo.create({ id: "77", baz: 1 }).update({ baz: 2 }).bar', result: 2, source: SPEC + ' (invalidates cached indexed computed field values)' },
  { name: 'a failing computed field does not break other fields', query: 'Zd.create({ id: "9", v: 1 }).v', result: 1, source: SPEC + ' (can fail at runtime)' },
  // computed fields in sets and queries
  { name: 'where over a computed field', query: 'Cust.where(.orderCount > 0).map(.id).toArray()', result: ['1'], source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'order by a computed field', query: 'Cust.all().order(desc(.orderCount)).map(.id).toArray()', result: ['1', '2'], source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'map over a computed field', query: 'Cust.all().map(.orderCount).toArray()', result: [2, 0], source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'projection over a set', query: 'Cust.all() { id, orderCount }', subset: { data: [{ id: '1', orderCount: 2 }, { id: '2', orderCount: 0 }] }, source: 'docs.fauna.com/fauna/current/reference/fql/projection/' },
  { name: 'computed field through a reference', query: 'Ord.byCust(Cust.byId("1")!).first()!.cust.orderCount', result: 2, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'computed field returning a set is lazy', query: 'Cust.byId("1")!.orders.count()', result: 2, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'computed field returning a set, mapped', query: 'Cust.byId("1")!.orders.map(.total).toArray()', result: [10, 20], source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'the computed value follows later writes in the query', query: 'let c = Cust.byId("2")!\nOrd.create({ cust: c, total: 5 })\nc.orderCount', result: 1, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'at() reads the computed value as of then', query: 'let t = Time.now()\nlet c = Cust.byId("2")!\nOrd.create({ cust: c, total: 6 })\n[c.orderCount, at (Cust.byId("2")!.ts) { Cust.byId("2")!.orderCount }]', result: [2, 0], source: 'FQL2ComputedFieldsSpec.scala' },
  { name: 'isa on the argument inside where', query: 'Cust.where(.isCust).count()', result: 2, source: 'docs.fauna.com/fauna/current/reference/fql/types/#isa' },
  { name: 'computed field on a document read by index', query: 'Ord.byCust(Cust.byId("1")!).map(x => x.cust.myId).toArray()', result: ['1', '1'], source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  { name: 'data fields keep their stored value behind a computed one', query: 'Ov.createData({ foo: 5 }).data.foo', result: 5, source: SPEC + ' (overlaps with data are handled nicely)' },
  { name: 'a null computed value is absent from projections', query: 'Nul.create({}) { a }', result: { a: null }, source: SPEC },
  { name: 'a computed field can return an object', query: 'Mem.all().first()!.a', result: { b: 1, c: 2 }, source: SPEC },
  { name: 'a computed field can return an array', query: 'Mem.all().first()!.b', result: [1, 2], source: SPEC },
  { name: 'a computed field can index into its own object', query: 'Mem.all().first()!.a.b', result: 1, source: SPEC },
  { name: 'computed fields show in document output', query: 'Mem.all().first()! { a, b }', result: { a: { b: 1, c: 2 }, b: [1, 2] }, source: SPEC + ' (materialization returns computed fields)' },
  { name: 'computed fields in toString', query: 'Pure.byId("5")!.bar.toString()', result: '42', source: SPEC },
  { name: 'computed field over a missing field is null', query: 'Foo.create({}).bar', result: null, source: SPEC },
  { name: 'computed field over a missing field with !', query: 'Foo.create({}).bar!', error: { code: 'null_value' }, source: SPEC },
  { name: 'a computed field can call a UDF', query: 'Udfc.create({ v: 2 }).twice', result: 4, source: 'docs.fauna.com/fauna/current/reference/fsl/computed/' },
  {
    name: 'a UDF error inside a computed field has both frames',
    query: 'Udfc.create({ v: "x" }).twice',
    error: { code: 'invalid_function_invocation', summaryIncludes: 'at *udf:double*:1:' },
    source: 'FQL2ErrorRenderingSpec.scala',
  },
  {
    name: 'a UDF error inside a computed field reaches the query',
    query: 'Udfc.create({ v: "x" }).twice',
    error: { code: 'invalid_function_invocation', summaryIncludes: 'at *computed_field:Udfc:twice*:1:' },
    source: 'FQL2ErrorRenderingSpec.scala',
  },
  // errors
  {
    name: 'a failing computed field fails when read',
    query: 'let foo = Zd.byId("9")\nfoo.bar!',
    error: {
      code: 'divide_by_zero', message: 'Attempted integer division by zero.',
      summary: 'error: Attempted integer division by zero.\nat *computed_field:Zd:bar*:1:11\n  |\n1 | _ => 10 / 0\n  |           ^\n  |\nat *query*:2:5\n  |\n2 | foo.bar!\n  |     ^^^\n  |' },
    source: SPEC,
  },
  {
    name: 'the read site is the outer frame',
    query: 'let foo = Zd.byId("9")\nfoo.bar!',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *query*:2:5\n  |\n2 | foo.bar!\n  |     ^^^\n  |' },
    source: SPEC,
  },
  {
    name: 'a computed field that writes fails with invalid_effect',
    query: 'let foo = Wr.create({})\nfoo.bar!',
    error: {
      code: 'invalid_effect',
      message: '`create` performs a write, which is not allowed in computed fields.',
      summary: 'error: `create` performs a write, which is not allowed in computed fields.\nat *computed_field:Wr:bar*:1:15\n  |\n1 | _ => Wr.create({})\n  |               ^^^^\n  |\nat *query*:2:5\n  |\n2 | foo.bar!\n  |     ^^^\n  |',
    },
    source: SPEC,
  },
  {
    name: 'a recursive computed field overflows the stack',
    query: 'Rec.create({}).bar',
    error: { code: 'stack_overflow', summaryIncludes: 'number of stack frames exceeded limit' },
    source: SPEC,
  },
  {
    name: 'abort inside a computed field',
    query: 'Ab.create({ id: 1234 }); null', result: null, source: SPEC + ' (collection can be renamed)',
  },
  {
    name: 'abort inside a computed field has both frames',
    query: 'Ab.byId(1234)!.bar',
    error: {
      code: 'abort', message: 'Query aborted.',
      summary: "error: Query aborted.\nat *computed_field:Ab:bar*:1:13\n  |\n1 | doc => abort('hi')\n  |             ^^^^^^\n  |\nat *query*:1:16\n  |\n1 | Ab.byId(1234)!.bar\n  |                ^^^\n  |",
    },
    source: SPEC,
  },
  // writing
  {
    name: 'create refuses a computed field',
    query: 'Two.create({ bar: 1 })',
    error: {
      code: 'constraint_failure', message: 'Failed to create document in collection `Two`.',
      summary: 'error: Failed to create document in collection `Two`.\nconstraint failures:\n  bar: Cannot write to a computed field\nat *query*:1:11\n  |\n1 | Two.create({ bar: 1 })\n  |           ^^^^^^^^^^^^\n  |',
    },
    source: SPEC,
  },
  {
    name: 'create lists every computed field written',
    query: 'Two.create({ bar: 1, baaz: 0 })',
    error: {
      code: 'constraint_failure',
      summary: 'error: Failed to create document in collection `Two`.\nconstraint failures:\n  bar: Cannot write to a computed field\n  baaz: Cannot write to a computed field\nat *query*:1:11\n  |\n1 | Two.create({ bar: 1, baaz: 0 })\n  |           ^^^^^^^^^^^^^^^^^^^^^\n  |',
    },
    source: SPEC,
  },
  { name: 'a document of Two', query: 'Two.create({ id: "1", other: 1 }) { bar, baaz }', result: { bar: 0, baaz: 1 }, source: SPEC },
  {
    name: 'update refuses a computed field',
    query: 'Two.byId("1")!.update({ bar: 2 })',
    error: {
      code: 'constraint_failure',
      summary: 'error: Failed to update document with id 1 in collection `Two`.\nconstraint failures:\n  bar: Cannot write to a computed field\nat *query*:1:22\n  |\n1 | Two.byId("1")!.update({ bar: 2 })\n  |                      ^^^^^^^^^^^^\n  |',
    },
    source: SPEC,
  },
  {
    name: 'replace refuses a computed field (and says update)',
    query: 'Two.byId("1")!.replace({ bar: 3 })',
    error: {
      code: 'constraint_failure', message: 'Failed to update document with id 1 in collection `Two`.',
      summary: 'error: Failed to update document with id 1 in collection `Two`.\nconstraint failures:\n  bar: Cannot write to a computed field\nat *query*:1:23\n  |\n1 | Two.byId("1")!.replace({ bar: 3 })\n  |                       ^^^^^^^^^^^^\n  |',
    },
    source: SPEC,
  },
  { name: 'update of other fields still works', query: 'Two.byId("1")!.update({ other: 2 }) { other, bar }', result: { other: 2, bar: 0 }, source: SPEC },
  // indexing
  { name: 'indexed computed terms and values (a=0)', query: 'Idx.byAB(0, 0).map(x => x { a, b, c, d }).toArray()', result: [{ a: 0, b: 0, c: 2, d: 1 }], source: SPEC },
  { name: 'indexed computed terms and values (a=1)', query: 'Idx.byAB(1, 2).map(x => x { a, b, c, d }).toArray()', result: [{ a: 1, b: 2, c: 2, d: 1 }], source: SPEC },
  { name: 'indexed computed values order', query: 'Idx.byAB(2, 4).map(x => x { a, b, c, d }).toArray()', result: [{ a: 2, b: 4, c: 2, d: 1 }, { a: 2, b: 4, c: 1, d: 0 }], source: SPEC },
  { name: 'indexed computed terms without match', query: 'Idx.byAB(3, 6).map(x => x { a, b, c, d }).toArray()', result: [], source: SPEC },
  { name: 'members of computed objects', query: 'Mem.byADotB(1).count()', result: 1, source: SPEC },
  { name: 'members of computed arrays', query: 'Mem.byFirstInB(1).count()', result: 1, source: SPEC },
  { name: 'mva on (0)', query: 'Mva.mva_on(0).count()', result: 2, source: SPEC },
  { name: 'mva on (1)', query: 'Mva.mva_on(1).count()', result: 1, source: SPEC },
  { name: 'mva on (array)', query: 'Mva.mva_on([0, 0]).count()', result: 0, source: SPEC },
  { name: 'mva off (0)', query: 'Mva.mva_off(0).count()', result: 0, source: SPEC },
  { name: 'mva off ([0, 0])', query: 'Mva.mva_off([0, 0]).count()', result: 1, source: SPEC },
  { name: 'mva off ([0, 1])', query: 'Mva.mva_off([0, 1]).count()', result: 1, source: SPEC },
  { name: 'unique over a computed field accepts distinct', query: 'Uq.create({ a: 0, b: 1 }); Uq.create({ a: 1, b: 1 }); null', result: null, source: SPEC },
  {
    name: 'unique over a computed field refuses a duplicate', query: 'Uq.create({ a: 1, b: 0 })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: SPEC,
  },
  {
    name: 'unique over a computed field refuses another duplicate', query: 'Uq.create({ a: 0, b: 2 })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: SPEC,
  },
  { name: 'index follows updates (before)', query: 'Hu.create({ x: 0, y: 0 }); Hu.byA(0).count()', result: 1, source: SPEC },
  { name: 'index follows updates', query: 'Hu.byA(0).first()!.update({ x: 1 }); [Hu.byA(0).count(), Hu.byA(1).count()]', result: [0, 1], source: SPEC },
  { name: 'index follows deletes', query: 'Hu.byA(1).first()!.delete(); Hu.byA(1).count()', result: 0, source: SPEC },
  { name: 'index values follow updates', query: 'Hu.create({ x: 0, y: 0 }); Hu.create({ x: 0, y: 1 }); Hu.byA(0).map(x => x.b).toArray()', result: [0, 1], source: SPEC },
  { name: 'index values follow updates (after)', query: 'Hu.byA(0).first()!.update({ y: 2 }); Hu.byA(0).map(x => x.b).toArray()', result: [1, 2], source: SPEC },
  { name: 'an indexed computed field that fails does not fail the write', query: 'Ez.create({ id: 0 }); null', result: null, source: SPEC + " (doesn't hide evaluation errors with cached nulls)" },
  {
    name: 'reading it raises the error', query: 'Ez.ofA().first()!.a',
    error: { code: 'divide_by_zero' }, source: SPEC + " (doesn't hide evaluation errors with cached nulls)",
  },
  { name: 'covered index values do not hide the computed value (setup)', query: 'Cache.create({}); null', result: null, source: SPEC + " (doesn't confuse computed and persisted values in the cache)" },
  { name: 'covered index values do not hide the computed value', query: 'Cache.ofA().first()!.a', result: 1, source: SPEC + " (doesn't confuse computed and persisted values in the cache)" },
  { name: 'a stored field named like a computed one', query: 'Cache.createData({ a: 0 }).data.a', result: 0, source: SPEC + " (doesn't confuse computed and persisted values in the cache)" },
  { name: 'a time-valued computed field read through an index', query: 'Tn2.create({ id: 0 }); Tn2.ofA().first()!.a isa Time', result: true, source: SPEC + " (doesn't cache null values)" },
  { name: 'an updated document shows its new computed value', query: 'Inv.create({ id: 0, x: 0 }); null', result: null, source: SPEC + ' (invalidates cached indexed computed field values)' },
  { name: 'an updated document shows its new computed value (update)', query: 'let old = Inv.ofA().first()!.a\nInv.byId(0)!.update({ x: 1 }).a', result: 2, source: SPEC + ' (invalidates cached indexed computed field values)' },
  { name: 'indexed computed field with Time.now() is not indexed', query: 'Tn.create({}); Tn.byMonth(Time.now().month).count()', result: 0, source: SPEC + " (cannot use Time.now() because it's a read (runtime))" },
  { name: 'object ts field may be indexed', query: 'Ots.create({}); Ots.byA(0).count()', result: 1, source: SPEC + " (allowed indexing if an object's ts field is used)" },
  { name: 'computed value indexed at create', query: 'Bar3.create({}); Bar3.byFoo(2).count()', result: 1, source: SPEC },
  // Only the computed fields that indexes use are computed when a document is written; the
  // others run when read, on the document (FQL2ComputedFieldsSpec.scala: computed fields run when
  // read; docs.fauna.com/fauna/current/reference/fsl/computed/). The sample app's
  // `total = order => order.items.fold(...)` over `items = order => OrderItem.byOrder(order)`.
  {
    name: 'writing a document of an indexed collection leaves its computed fields to reads',
    query: 'let c = Cart.create({ k: 1 }); Line.create({ o: c, q: 3 }); Line.create({ o: c, q: 4 }); [Cart.byK(1).count(), c.total]',
    result: [1, 7], source: SPEC,
  },
  { name: 'a computed field over another one, on a new document of an indexed collection', query: 'Cart.create({ k: 2 }).total', result: 0, source: SPEC },
  { name: 'a computed field that aborts does not fail the write', query: 'Cart.create({ k: 3 }); Cart.byK(3).count()', result: 1, source: SPEC },
  {
    name: 'a computed field that aborts fails its read',
    query: 'Cart.byK(3).first()!.boom', error: { code: 'abort', message: 'Query aborted.' }, source: SPEC,
  },
];

export const area: ConformanceArea = {
  area: 'computed',
  setup: [
    `Collection.create({ name: "Foo", computed_fields: { bar: { body: "doc => doc.baz" } } })
     Collection.create({ name: "Fizz" })
     Collection.create({ name: "Sig", computed_fields: { bar: { body: "doc => doc.baz", signature: "String" } } })
     Collection.create({ name: "Rm", computed_fields: { bar: { body: "doc => doc.baz" } } })
     Collection.create({ name: "Sh", computed_fields: { bar: { body: "(.baz)" } } })
     Collection.create({ name: "Pure", computed_fields: { bar: { body: "_ => 42" } } })
     Collection.create({ name: "Ov", computed_fields: { foo: { body: "doc => 3" } } })
     Collection.create({ name: "Chain", computed_fields: { foo: { body: "x => 2" }, bar: { body: "x => x.foo + 3" }, baz: { body: "x => x.bar + 4" } } })
     Collection.create({ name: "Zd", computed_fields: { bar: { body: "_ => 10 / 0" } } })
     Collection.create({ name: "Wr", computed_fields: { bar: { body: "_ => Wr.create({})" } } })
     Collection.create({ name: "Rec", computed_fields: { bar: { body: "doc => doc.bar" } } })
     Collection.create({ name: "Ab", computed_fields: { bar: { body: "doc => abort('hi')" } } })
     Collection.create({ name: "Two", computed_fields: { bar: { body: "_ => 0" }, baaz: { body: "_ => 1" } } })
     Collection.create({ name: "Nul", computed_fields: { a: { body: "_ => null" } } })
     Function.create({ name: "double", body: "x => x * 2" })
     Collection.create({ name: "Udfc", computed_fields: { twice: { body: "doc => double(doc.v)" } } })
     null`,
    `Collection.create({ name: "Ord", indexes: { byCust: { terms: [{ field: ".cust" }], values: [{ field: ".total" }] } } })
     Collection.create({ name: "Cust", computed_fields: {
       isCust: { body: "c => c isa Cust" },
       orderCount: { body: "c => Ord.byCust(c).count()" },
       firstOrder: { body: "c => Ord.byCust(c).first()" },
       orders: { body: "c => Ord.byCust(c)" },
       myId: { body: "c => c.id" }
     } })
     null`,
    `let c = Cust.create({ id: "1" })
     Cust.create({ id: "2" })
     Ord.create({ cust: c, total: 10 })
     Ord.create({ cust: c, total: 20 })
     null`,
    `Collection.create({ name: "Idx",
       computed_fields: { b: { body: "doc => 2 * doc.a" }, c: { body: "doc => 1 + doc.d" } },
       indexes: { byAB: { terms: [{ field: ".a" }, { field: ".b" }], values: [{ field: ".c", order: "desc" }] } } })
     Collection.create({ name: "Mem",
       computed_fields: { a: { body: "doc => { b : 1, c : 2 }" }, b: { body: "doc => [1, 2]" } },
       indexes: { byADotB: { terms: [{ field: ".a.b" }] }, byFirstInB: { terms: [{ field: ".b[0]" }] } } })
     Collection.create({ name: "Mva",
       computed_fields: { c: { body: "doc => [doc.a, doc.b]", signature: "Any" } },
       indexes: { mva_on: { terms: [{ field: ".c", mva: true }] }, mva_off: { terms: [{ field: ".c", mva: false }] } } })
     Collection.create({ name: "Uq", computed_fields: { c: { body: "doc => doc.a + doc.b" } }, constraints: [{ unique: [".c"] }] })
     Collection.create({ name: "Hu",
       computed_fields: { a: { body: "doc => doc.x" }, b: { body: "doc => doc.y" } },
       indexes: { byA: { terms: [{ field: ".a" }], values: [{ field: ".b" }] } } })
     Collection.create({ name: "Ez", computed_fields: { a: { body: "_ => 1/0" } }, indexes: { ofA: { values: [{ field: "a" }] } } })
     Collection.create({ name: "Tn", computed_fields: { m: { body: "_ => Time.now().month" } }, indexes: { byMonth: { terms: [{ field: ".m" }] } } })
     Collection.create({ name: "Ots", computed_fields: { a: { body: "_ => { ts: 0 }.ts" } }, indexes: { byA: { terms: [{ field: ".a" }] } } })
     Collection.create({ name: "Bar3", computed_fields: { foo: { body: "_ => 2" } }, indexes: { byFoo: { terms: [{ field: ".foo" }] } } })
     Collection.create({ name: "Cache", computed_fields: { a: { body: "_ => 1" } }, indexes: { ofA: { values: [{ field: "a" }] } } })
     Collection.create({ name: "Tn2", computed_fields: { a: { body: "_ => Time.now()" } }, indexes: { ofA: { values: [{ field: "a" }] } } })
     Collection.create({ name: "Inv", computed_fields: { a: { body: "doc => doc.x + 1" } }, indexes: { ofA: { values: [{ field: "a" }] } } })
     Collection.create({ name: "Line", indexes: { byO: { terms: [{ field: ".o" }], values: [{ field: ".q" }] } } })
     Collection.create({ name: "Cart",
       computed_fields: { items: { body: "c => Line.byO(c)" }, total: { body: "c => c.items.fold(0, (s, l) => s + l.q)" }, boom: { body: "_ => abort('read only')" } },
       indexes: { byK: { terms: [{ field: ".k" }] } } })
     null`,
    `Idx.create({ a: 0, d: 1 }); Idx.create({ a: 1, d: 1 }); Idx.create({ a: 2, d: 0 }); Idx.create({ a: 2, d: 1 })
     Mem.create({})
     Mva.create({ a: 0, b: 0 }); Mva.create({ a: 0, b: 1 })
     null`,
  ],
  cases,
};
