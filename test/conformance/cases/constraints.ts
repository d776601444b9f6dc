// Check and unique constraints: checks run on the state after the write (they see the new
// document and its index entries), may read but not write, and fail with Fauna's messages.
// Source: core ext/api/src/test/scala/fql2/FQL2CheckConstraintsSpec.scala unless noted.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2CheckConstraintsSpec.scala';
const COMPUTED = 'FQL2ComputedFieldsSpec.scala';
const UNIQUE_BUILD = 'IndexWriteConfig.writeInternal (sync build, no uniqueness check) / CollectionIndexManager (status)';
const UNIQUE_HOLDERS = 'IndexWriteConfig.writeInternal (every duplicate indexed) / WriteBroker.mapUniqueConstraintError ("Failed unique constraint.")';

const cases: ConformanceCase[] = [
  { name: 'constraints are kept', query: 'Foo.definition.constraints.length', result: 2, source: SPEC },
  { name: 'first check body', query: 'Foo.definition.constraints.first()!.check.body', result: 'doc => doc.ok', source: SPEC },
  { name: 'last check body', query: 'Foo.definition.constraints.last()!.check.body', result: 'doc => doc.cool ?? true', source: SPEC },
  {
    name: 'invalid check name', query: 'Collection.create({ name: "Bad1", constraints: [{ check: { name: "foo bar", body: "doc => doc.x == 0" } }] })',
    error: { code: 'constraint_failure', summaryIncludes: 'Failed to create Collection.\nconstraint failures:\n  constraints[0].check.name: Invalid identifier.\nat' }, source: SPEC,
  },
  {
    name: 'nullary check is refused', query: 'Collection.create({ name: "Bad2", constraints: [{ check: { name: "nullary", body: "() => true" } }] })',
    error: { code: 'constraint_failure' }, source: SPEC,
  },
  {
    name: 'duplicate check names are refused',
    query: 'Collection.create({ name: "Bad3", constraints: [{ check: { name: "ok", body: "doc => doc.ok" } }, { check: { name: "ok", body: "doc => doc.ok" } }, { check: { name: "ko", body: "doc => doc.ko" } }, { check: { name: "ko", body: "doc => doc.ko" } }] })',
    error: { code: 'constraint_failure', summaryIncludes: "Failed to create Collection.\nconstraint failures:\n  constraints: Duplicate check constraint name 'ko'\n  constraints: Duplicate check constraint name 'ok'\nat" }, source: SPEC,
  },
  { name: 'short lambda check passes', query: 'Short.create({ x: 0 }) { x }', result: { x: 0 }, source: SPEC },
  {
    name: 'short lambda check fails', query: 'Short.create({ x: 1 })',
    error: { code: 'constraint_failure', message: 'Failed to create document in collection `Short`.' }, source: SPEC,
  },
  { name: 'passing document', query: 'Foo.create({ id: "1", ok: true }); Foo.all().count()', result: 1, source: SPEC },
  {
    name: 'fails the first check', query: 'Foo.create({ ok: false })',
    error: {
      code: 'constraint_failure', message: 'Failed to create document in collection `Foo`.',
      summary: 'error: Failed to create document in collection `Foo`.\nconstraint failures:\n  Document failed check constraint `ok`\nat *query*:1:11\n  |\n1 | Foo.create({ ok: false })\n  |           ^^^^^^^^^^^^^^^\n  |',
    },
    source: SPEC,
  },
  {
    name: 'fails the second check', query: 'Foo.create({ ok: true, cool: false })',
    error: { code: 'constraint_failure', summaryIncludes: 'constraint failures:\n  Document failed check constraint `cool`\nat' }, source: SPEC,
  },
  {
    name: 'fails both checks (null is false)', query: 'Foo.create({ cool: false })',
    error: { code: 'constraint_failure', summaryIncludes: 'constraint failures:\n  Document failed check constraint `ok`\n  Document failed check constraint `cool`\nat' }, source: SPEC,
  },
  { name: 'failed writes leave nothing', query: 'Foo.all().count()', result: 1, source: SPEC },
  {
    name: 'update failing a check names the id', query: 'Foo.byId("1")!.update({ cool: false })',
    error: {
      code: 'constraint_failure', message: 'Failed to update document with id 1 in collection `Foo`.',
      summaryIncludes: 'constraint failures:\n  Document failed check constraint `cool`',
    },
    source: SPEC + ', FQL2CollectionSpec.scala',
  },
  { name: 'update passing the checks', query: 'Foo.byId("1")!.update({ cool: true }).cool', result: true, source: SPEC },
  {
    name: 'replace failing a check says update', query: 'Foo.byId("1")!.replace({ ok: false })',
    error: {
      code: 'constraint_failure', message: 'Failed to update document with id 1 in collection `Foo`.',
      summaryIncludes: 'constraint failures:\n  Document failed check constraint `ok`',
    },
    source: SPEC,
  },
  { name: 'replace passing the checks', query: 'Foo.byId("1")!.replace({ ok: true }) { ok, cool }', result: { ok: true, cool: null }, source: SPEC },
  { name: 'checks see computed fields (pass)', query: 'Cf.create({ foo: 1, bar: -1 }); Cf.all().count()', result: 1, source: SPEC },
  {
    name: 'checks see computed fields (fail)', query: 'Cf.create({ foo: -1, bar: 1 })',
    error: { code: 'constraint_failure', summaryIncludes: 'Document failed check constraint `fpbpfmpgt0`' }, source: SPEC,
  },
  {
    name: 'an error inside a check is the query error', query: "Ev.create({ ok: 'true' })",
    error: { code: 'invalid_function_invocation', message: 'The function `+` does not exist on `Null`' }, source: SPEC,
  },
  {
    name: 'an error inside a check has the check frame and the write as trace', query: "Ev.create({ ok: 'true' })",
    error: {
      code: 'invalid_function_invocation',
      summary: "error: The function `+` does not exist on `Null`\nat *check_constraint:plus1*:1:16\n  |\n1 | doc => doc.foo + 1 > 0\n  |                ^\n  |\nhint: Null value created here\n  |\n1 | doc => doc.foo + 1 > 0\n  |            ^^^\n  |\ntrace:\nat *query*:1:10\n  |\n1 | Ev.create({ ok: 'true' })\n  |          ^^^^^^^^^^^^^^^^\n  |",
    },
    source: SPEC,
  },
  {
    name: 'the check frame and the write frame', query: "Ev.create({ ok: 'true' })",
    error: { code: 'invalid_function_invocation', summaryIncludes: "at *check_constraint:plus1*:1:16\n  |\n1 | doc => doc.foo + 1 > 0\n  |                ^\n  |" },
    source: SPEC,
  },
  {
    name: 'the write is the outer frame', query: "Ev.create({ ok: 'true' })",
    error: { code: 'invalid_function_invocation', summaryIncludes: "at *query*:1:10\n  |\n1 | Ev.create({ ok: 'true' })\n  |          ^^^^^^^^^^^^^^^^\n  |" },
    source: SPEC,
  },
  { name: 'the failed write left nothing', query: 'Ev.all().count()', result: 0, source: SPEC },
  { name: 'checks read the state after the write (1)', query: "Ark.create({ animal: 'turtle' }); null", result: null, source: SPEC + ' (can read)' },
  { name: 'checks read the state after the write (2)', query: "Ark.create({ animal: 'turtle' }); null", result: null, source: SPEC + ' (can read)' },
  {
    name: 'checks read the state after the write (3 fails)', query: "Ark.create({ animal: 'turtle' })",
    error: { code: 'constraint_failure' }, source: SPEC + ' (can read)',
  },
  { name: 'the refused write is not indexed', query: "Ark.byAnimal('turtle').count()", result: 2, source: SPEC + ' (can read)' },
  {
    name: 'checks cannot write', query: "Animal.create({ name: 'Dolly', animal: 'sheep' })",
    error: { code: 'invalid_effect', message: '`create` performs a write, which is not allowed in check constraints.' }, source: SPEC,
  },
  { name: 'the check wrote nothing', query: 'Animal.all().count()', result: 0, source: SPEC },
  {
    name: 'abort inside a check', query: "Felon.create({ name: 'DX' })",
    error: { code: 'abort', message: 'Query aborted.' }, source: SPEC,
  },
  { name: 'the aborted write left nothing', query: 'Felon.all().count()', result: 0, source: SPEC },
  {
    name: 'a check returning a non-boolean', query: 'Nb.create({})',
    error: { code: 'constraint_failure', summaryIncludes: 'Error evaluating check constraint `num`: function returned a non-boolean value' },
    source: 'ConstraintFailure.scala (CheckConstraintFailure.BadReturn)',
  },
  { name: 'delete runs no checks', query: 'Foo.byId("1")!.delete(); Foo.all().count()', result: 0, source: SPEC },
  // the check gets the document itself: `at` reads its previous version
  {
    name: 'at: first version must be positive', query: 'Inc.create({ id: 0, x: 0 })',
    error: { code: 'constraint_failure', message: 'Failed to create document in collection `Inc`.' }, source: SPEC + ' (work correctly with at-expression)',
  },
  { name: 'at: a positive first version', query: 'Inc.create({ id: 0, x: 1 }).x', result: 1, source: SPEC + ' (work correctly with at-expression)' },
  {
    name: 'at: an update must increase', query: 'Inc.byId(0)!.update({ x: 1 })',
    error: { code: 'constraint_failure', message: 'Failed to update document with id 0 in collection `Inc`.' }, source: SPEC + ' (work correctly with at-expression)',
  },
  { name: 'at: an increasing update', query: 'Inc.byId(0)!.update({ x: 3 }).x', result: 3, source: SPEC + ' (work correctly with at-expression)' },
  {
    name: 'at: a decreasing update', query: 'Inc.byId(0)!.update({ x: 2 })',
    error: { code: 'constraint_failure', summaryIncludes: 'Document failed check constraint `increasing`' }, source: SPEC + ' (work correctly with at-expression)',
  },
  { name: 'the check argument is a document', query: 'IsDoc.create({ a: 1 }).a', result: 1, source: SPEC },
  { name: 'the check argument has its id', query: 'IdCheck.create({ id: "42" }).id', result: '42', source: SPEC },
  {
    name: 'the check argument id is checked', query: 'IdCheck.create({ id: "43" })',
    error: { code: 'constraint_failure', summaryIncludes: 'Document failed check constraint `only42`' }, source: SPEC,
  },
  { name: 'checks run on replace too', query: 'Foo.create({ id: "5", ok: true }); Foo.byId("5")!.replace({ ok: true, cool: true }).cool', result: true, source: SPEC },
  {
    name: 'checks run on replace (failing)', query: 'Foo.byId("5")!.replace({ cool: true })',
    error: { code: 'constraint_failure', message: 'Failed to update document with id 5 in collection `Foo`.' }, source: SPEC,
  },
  { name: 'checks see other documents written earlier in the query', query: 'Ark.byAnimal("cat").count()', result: 0, source: SPEC + ' (can read)' },
  { name: 'two cats in one query pass', query: "Ark.create({ animal: 'cat' }); Ark.create({ animal: 'cat' }); Ark.byAnimal('cat').count()", result: 2, source: SPEC + ' (can read)' },
  {
    name: 'a third cat in the same query fails', query: "Ark.create({ animal: 'dog' }); Ark.create({ animal: 'dog' }); Ark.create({ animal: 'dog' })",
    error: { code: 'constraint_failure' }, source: SPEC + ' (can read)',
  },
  { name: 'the failed query wrote no dog', query: "Ark.byAnimal('dog').count()", result: 0, source: SPEC + ' (can read)' },
  {
    name: 'checks may not update other documents', query: 'Upd.create({})',
    error: { code: 'invalid_effect', message: '`update` performs a write, which is not allowed in check constraints.' }, source: SPEC + ' (cannot write)',
  },
  {
    name: 'checks may not delete documents', query: 'Del.create({})',
    error: { code: 'invalid_effect', message: '`delete` performs a write, which is not allowed in check constraints.' }, source: SPEC + ' (cannot write)',
  },
  {
    name: 'checks may not change schema', query: 'Sch.create({})',
    error: { code: 'invalid_effect', message: '`create` performs a write, which is not allowed in check constraints.' }, source: SPEC + ' (cannot write)',
  },
  // unique constraints
  { name: 'unique: first value', query: 'Uniq.create({ email: "a@x" }) { email }', result: { email: 'a@x' }, source: 'FQL2UniqueConstraintsSpec.scala' },
  {
    name: 'unique: duplicate refused', query: 'Uniq.create({ email: "a@x" })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: COMPUTED + ' (works as a unique constraint)',
  },
  {
    name: 'unique: failure names the fields', query: 'Uniq.create({ email: "a@x" })',
    error: { code: 'constraint_failure', summaryIncludes: 'constraint failures:\n  email: Failed unique constraint' }, source: 'ConstraintFailure.scala (UniqueConstraintFailure)',
  },
  { name: 'unique: another value', query: 'Uniq.create({ id: "2", email: "b@x" }); Uniq.all().count()', result: 2, source: 'FQL2UniqueConstraintsSpec.scala' },
  {
    name: 'unique: update into a duplicate refused', query: 'Uniq.byId("2")!.update({ email: "a@x" })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'FQL2UniqueConstraintsSpec.scala',
  },
  { name: 'unique: update keeping its own value', query: 'Uniq.byId("2")!.update({ n: 1 }).email', result: 'b@x', source: 'FQL2UniqueConstraintsSpec.scala' },
  { name: 'unique: value freed by delete', query: 'Uniq.byId("2")!.delete(); Uniq.create({ email: "b@x" }).email', result: 'b@x', source: 'FQL2UniqueConstraintsSpec.scala' },
  { name: 'unique: value freed by update', query: 'Uniq.where(.email == "b@x").first()!.update({ email: "c@x" }); Uniq.create({ email: "b@x" }).email', result: 'b@x', source: 'FQL2UniqueConstraintsSpec.scala' },
  { name: 'unique: two in one query', query: 'Uniq.create({ email: "d@x" }); Uniq.create({ email: "d@x" })', error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'FQL2UniqueConstraintsSpec.scala' },
  { name: 'unique: null values are not unique', query: 'Uniq.create({}); Uniq.create({}); null', result: null, source: 'FQL2UniqueConstraintsSpec.scala' },
  // A constraint added over existing duplicates is built, not refused: core builds its backing
  // index with Store.build, no uniqueness check (IndexWriteConfig.writeInternal), and its
  // status follows the index (CollectionIndexManager: Complete -> "active"). Only later
  // writes are checked ("Constraints aren't applied retroactively", docs constraint_definition).
  {
    name: 'unique added over duplicates is built', query: 'Dup.definition.update({ constraints: [{ unique: ["x"] }] }).constraints',
    result: [{ unique: ['x'], status: 'active' }], source: UNIQUE_BUILD,
  },
  { name: 'the duplicates are kept', query: 'Dup.all().map(.x).toArray()', result: [1, 1], source: UNIQUE_BUILD },
  {
    name: 'a new duplicate is refused', query: 'Dup.create({ x: 1 })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: UNIQUE_BUILD,
  },
  { name: 'a duplicate keeping its value may be updated', query: 'Dup.all().last()!.update({ y: 2 }) { x, y }', result: { x: 1, y: 2 }, source: UNIQUE_BUILD },
  { name: 'a new value is accepted', query: 'Dup.create({ x: 2 }).x', result: 2, source: UNIQUE_BUILD },
  // Every kept duplicate holds the value: the backing index keeps a row for each, and a write
  // conflicting with any remaining row fails (WriteBroker.mapUniqueConstraintError).
  { name: 'the first duplicate is deleted', query: 'Dup.all().first()!.delete()\nDup.all().map(.x).toArray()', result: [1, 2], source: UNIQUE_HOLDERS },
  {
    name: 'the remaining duplicate still holds the value', query: 'Dup.create({ x: 1 })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: UNIQUE_HOLDERS,
  },
  { name: 'the last duplicate leaving frees the value', query: 'Dup.all().first()!.update({ x: 3 })\nDup.create({ x: 1 }).x', result: 1, source: UNIQUE_HOLDERS },
  {
    name: 'duplicate unique constraints are refused',
    query: 'Collection.create({ name: "Person", constraints: [{ unique: ["foo", "bar"] }, { unique: ["foo", "bar"] }] })',
    error: { code: 'constraint_failure', summaryIncludes: 'Failed to create Collection.\nconstraint failures:\n  constraints: Duplicate unique constraint on path [.foo, .bar]\nat *query*:1:18' },
    source: 'UniqueConstraintSpec.scala (cannot cover the same path in two unique constraints)',
  },
  {
    name: 'duplicate unique constraints are refused however the path is written',
    query: 'Collection.create({ name: "Person", constraints: [{ unique: ["name"] }, { unique: [".[\'name\']"] }] })',
    error: { code: 'constraint_failure', summaryIncludes: '  constraints: Duplicate unique constraint on path [.name]\nat' },
    source: 'UniqueConstraintSpec.scala (cannot cover the same path in two unique constraints)',
  },
  {
    name: 'duplicate unique constraints in another order are refused',
    query: 'Collection.create({ name: "Person", constraints: [{ unique: ["foo", "bar"] }, { unique: ["bar", "foo"] }] })',
    error: { code: 'constraint_failure', message: 'Failed to create Collection.' },
    source: 'FSLParserSpec.scala (ordering doesn\'t matter)',
  },
  { name: 'mva and non-mva unique constraints may coexist', query: 'Collection.create({ name: "MvaU", constraints: [{ unique: ["name"] }, { unique: [{ field: "name", mva: true }] }] }).constraints.length', result: 2, source: 'FSLParserSpec.scala (mva/non-mva is allowed)' },
  { name: 'unique constraint status is active', query: 'Uniq.definition.constraints.first()?.status', result: 'active', source: 'UniqueConstraintSpec.scala' },
  { name: 'unique constraint added by update is enforced', query: 'Collection.create({ name: "Later" }); null', result: null, source: 'UniqueConstraintSpec.scala (unique constraint indexes are added on update)' },
  { name: 'unique constraint added by update (update)', query: 'Later.definition.update({ constraints: [{ unique: ["name"] }, { unique: ["name", "age"] }] }).constraints.length', result: 2, source: 'UniqueConstraintSpec.scala (unique constraint indexes are added on update)' },
  {
    name: 'unique constraint added by update (enforced)', query: 'Later.create({ name: "hi" })\nLater.create({ name: "hi" })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'UniqueConstraintSpec.scala',
  },
  { name: 'removing the unique constraint stops enforcement', query: 'Later.definition.update({ constraints: [] }); null', result: null, source: 'UniqueConstraintSpec.scala (deleting a unique constraint that shares a backing index)' },
  { name: 'removed unique constraint allows duplicates', query: 'Later.create({ name: "hi" })\nLater.create({ name: "hi" })\nLater.all().count()', result: 2, source: 'UniqueConstraintSpec.scala' },
  { name: 'unique constraint shared with an index', query: 'Collection.create({ name: "Shared", indexes: { byName: { terms: [{ field: "name" }] } }, constraints: [{ unique: ["name"] }] }); null', result: null, source: 'UniqueConstraintSpec.scala (reused when their definitions match on create)' },
  {
    name: 'unique constraint shared with an index is enforced', query: 'Shared.create({ name: "hi" })\nShared.create({ name: "hi" })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'UniqueConstraintSpec.scala',
  },
  { name: 'dropping the index keeps the unique constraint', query: 'Shared.definition.update({ indexes: { byName: null } }); null', result: null, source: 'UniqueConstraintSpec.scala (deleting a customer defined index that shares a backing index)' },
  {
    name: 'the unique constraint survives the index', query: 'Shared.create({ name: "ho" })\nShared.create({ name: "ho" })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'UniqueConstraintSpec.scala',
  },
  {
    name: 'roles are unique by name', query: 'Role.create({ name: "aRole", privileges: { resource: "Collection", actions: { read: true } } })\nRole.create({ name: "aRole", privileges: { resource: "Collection", actions: { read: true } } })',
    error: { code: 'constraint_failure', message: 'Failed unique constraint.' }, source: 'UniqueConstraintSpec.scala (accounts for internal indexes)',
  },
  {
    name: 'unique over a computed field that reads is refused',
    query: 'Collection.create({ name: "UqRead", computed_fields: { a: { body: "_ => Uniq.all().count()" } }, constraints: [{ unique: [".a"] }] })',
    error: { code: 'invalid_schema' }, source: COMPUTED + ' (cannot access collections (typecheck))',
  },
  // reserved fields (core FQL2DocumentSpec in the api tests)
  ...['ts', 'delete', 'update', 'replace', 'coll'].map((name): ConformanceCase => ({
    name: `create refuses the reserved field ${name}`,
    query: `Plain.create({\n  ${name}: "Thing",\n})`,
    error: {
      code: 'constraint_failure',
      summary: `error: Failed to create document in collection \`Plain\`.\nconstraint failures:\n  ${name}: Is a reserved field and cannot be used\nat *query*:1:13\n  |\n1 |   Plain.create({\n  |  _____________^\n2 | |   ${name}: "Thing",\n3 | | })\n  | |__^\n  |`,
    },
    source: 'FQL2DocumentSpec.scala (a document can not be created with reserved fields besides id)',
  })),
  ...['ts', 'delete', 'update', 'replace', 'coll', 'id'].map((name): ConformanceCase => ({
    name: `update refuses the reserved field ${name}`,
    query: `\nlet doc = Plain.byId("1")!\ndoc.update({\n  ${name}: "will I succeed?"\n})\n`,
    error: {
      code: 'constraint_failure',
      summary: `error: Failed to update document with id 1 in collection \`Plain\`.\nconstraint failures:\n  ${name}: Is a reserved field and cannot be used\nat *query*:3:11\n  |\n3 |   doc.update({\n  |  ___________^\n4 | |   ${name}: "will I succeed?"\n5 | | })\n  | |__^\n  |`,
    },
    source: 'FQL2DocumentSpec.scala (a document can not be updated with reserved fields)',
  })),
  ...['ts', 'delete', 'update', 'replace', 'coll', 'id'].map((name): ConformanceCase => ({
    name: `replace refuses the reserved field ${name}`,
    query: `\nlet doc = Plain.byId("1")!\ndoc.replace({\n  ${name}: "will I succeed?"\n})\n`,
    error: { code: 'constraint_failure', summaryIncludes: `error: Failed to update document with id 1 in collection \`Plain\`.\nconstraint failures:\n  ${name}: Is a reserved field and cannot be used\nat *query*:3:12\n` },
    source: 'FQL2DocumentSpec.scala (a document can not be replaced with reserved fields)',
  })),
  {
    name: 'a ttl must be a time', query: 'Plain.create({ field1: "v1", ttl: "is time even real??" })',
    error: { code: 'constraint_failure', summary: 'error: Failed to create document in collection `Plain`.\nconstraint failures:\n  ttl: Expected Time | Null, provided String\nat *query*:1:13\n  |\n1 | Plain.create({ field1: "v1", ttl: "is time even real??" })\n  |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |' },
    source: 'FQL2DocumentSpec.scala (setting ttl with non timestamp fails)',
  },
  {
    name: 'an updated ttl must be a time', query: 'let doc = Plain.byId("1")!\ndoc.update({ ttl: "is time even real??" })',
    error: { code: 'constraint_failure', summary: 'error: Failed to update document with id 1 in collection `Plain`.\nconstraint failures:\n  ttl: Expected Time | Null, provided String\nat *query*:2:11\n  |\n2 | doc.update({ ttl: "is time even real??" })\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |' },
    source: 'FQL2DocumentSpec.scala (setting ttl with non timestamp fails)',
  },
  { name: 'fields may start with an underscore', query: 'Plain.create({ _field1: "v1" })._field1', result: 'v1', source: 'FQL2DocumentSpec.scala (fields can be created/updated with underscores)' },
  // keys
  {
    name: 'Key.create with an unknown role', query: 'Key.create({ role: "nope" })',
    error: { code: 'constraint_failure', message: 'Failed to create Key.' }, source: 'FQL2KeySpec.scala (validate FK role create)',
  },
];

export const area: ConformanceArea = {
  area: 'constraints',
  setup: [
    `Collection.create({ name: "Foo", constraints: [
       { check: { name: "ok", body: "doc => doc.ok" } },
       { check: { name: "cool", body: "doc => doc.cool ?? true" } } ] })
     Collection.create({ name: "Short", constraints: [{ check: { name: "a", body: "(.x == 0)" } }] })
     Collection.create({ name: "Cf",
       computed_fields: { fpb: { body: "doc => doc.foo + doc.bar" }, fmb: { body: "doc => doc.foo - doc.bar" } },
       constraints: [{ check: { name: "fpbpfmpgt0", body: "doc => doc.fpb + doc.fmb > 0" } }] })
     Collection.create({ name: "Ev", constraints: [
       { check: { name: "ok", body: "doc => doc.ok" } },
       { check: { name: "plus1", body: "doc => doc.foo + 1 > 0" } } ] })
     Collection.create({ name: "Ark", indexes: { byAnimal: { terms: [{ field: "animal" }] } },
       constraints: [{ check: { name: "atMostTwoOfMe", body: "doc => Ark.byAnimal(doc.animal).count() < 3" } }] })
     Collection.create({ name: "Animal", constraints: [{ check: { name: "cloneMe", body: "doc => { Animal.create({ animal: doc.animal }); true }" } }] })
     Collection.create({ name: "Felon", constraints: [{ check: { name: "isGuilty", body: "_ => abort(0)" } }] })
     Collection.create({ name: "Nb", constraints: [{ check: { name: "num", body: "_ => 1" } }] })
     Collection.create({ name: "Uniq", constraints: [{ unique: ["email"] }] })
     Collection.create({ name: "Inc", constraints: [{ check: { name: "increasing", body: 'doc => {\n  let prev = at (Time.now().subtract(1, "microsecond")) {\n    (doc ?? { x: 0 }).x\n  }\n  doc.x > prev\n}' } }] })
     Collection.create({ name: "IsDoc", constraints: [{ check: { name: "isDoc", body: "doc => doc isa IsDoc" } }] })
     Collection.create({ name: "IdCheck", constraints: [{ check: { name: "only42", body: 'doc => doc.id == "42"' } }] })
     Collection.create({ name: "Upd", constraints: [{ check: { name: "u", body: "doc => { Foo.all().forEach(f => f.update({ x: 1 })); Foo.create({ id: '999', ok: true }).update({ x: 1 }) != null }" } }] })
     Collection.create({ name: "Del", constraints: [{ check: { name: "d", body: "doc => { doc.delete(); true }" } }] })
     Collection.create({ name: "Sch", constraints: [{ check: { name: "s", body: "doc => { Collection.create({ name: 'Nope' }); true }" } }] })
     Collection.create({ name: "Dup" })
     Collection.create({ name: "Plain" })
     null`,
    'Dup.create({ x: 1 }); Dup.create({ x: 1 }); null',
    'Plain.create({ id: "1", validField: "Thing" }); null',
  ],
  cases,
};
