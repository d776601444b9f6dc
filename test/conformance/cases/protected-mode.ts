// Protected databases: schema changes that lose data are refused in a database whose inherited
// `protected` setting is true. Sources: core SchemaManagerSpec.scala ("protected mode" /
// "forbids destructive changes"), the api collection spec ("deleting in protected mode doesn't
// 500"), ConstraintFailure.ProtectedModeFailure (messages), CollectionSchemaHooks
// (enforceProtectedMode: history_days and ttl_days), CollectionIndexManager.updateUnstaged (a
// dropped backing index), Database.isProtected (nearest ancestor's setting).
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'SchemaManagerSpec.scala (protected mode: forbids destructive changes)';
const HOOKS = 'CollectionSchemaHooks.scala (enforceProtectedMode)';
const INDEXES = 'CollectionIndexManager.scala (updateUnstaged: removeIndexes)';
const INHERIT = 'Database.scala (isProtected folds over the ancestors)';
const SUFFIX = 'destructive change forbidden because database is in protected mode.';
const DB = 'Prot';

const FOO = 'Collection.create({ name: "Foo", history_days: 30, indexes: { byX: { terms: [{ field: ".x" }] }, byY: { terms: [{ field: ".y" }] } } }) { name, history_days }';

/** The summary of a refused collection update, pointed at the call's arguments. */
function updateSummary(query: string, failures: readonly string[]): string {
  const start = query.indexOf('(', query.indexOf('.update')) ;
  const carets = '^'.repeat(query.length - start);
  return `error: Failed to update Collection \`${query.split('.')[0]}\`.\nconstraint failures:\n${failures.map((f) => `  ${f}`).join('\n')}\n`
    + `at *query*:1:${start + 1}\n  |\n1 | ${query}\n  | ${' '.repeat(start)}${carets}\n  |`;
}

/** The summary of a change that would delete a backing index (core's empty nested error list). */
function backingIndexSummary(query: string): string {
  const start = query.indexOf('(', query.indexOf('.update'));
  return `error: Invalid database schema update.\n\nconstraint failures:\n  Cannot cause deletion of backing index: ${SUFFIX}\n`
    + `at *query*:1:${start + 1}\n  |\n1 | ${query}\n  | ${' '.repeat(start)}${'^'.repeat(query.length - start)}\n  |`;
}

const refusedUpdate = (name: string, query: string, failures: readonly string[], source: string, database = DB): ConformanceCase => ({
  name, query, database, source,
  error: { code: 'constraint_failure', message: `Failed to update Collection \`${query.split('.')[0]}\`.`, summary: updateSummary(query, failures) },
});

const refusedIndexDrop = (name: string, query: string, source = INDEXES): ConformanceCase => ({
  name, query, database: DB, source,
  error: { code: 'invalid_schema', message: 'Invalid database schema update.\n', summary: backingIndexSummary(query) },
});

const DECREASE_HISTORY = `Cannot decrease \`history_days\` field: ${SUFFIX}`;
const ADD_TTL = `Cannot remove \`ttl_days\` field: ${SUFFIX}`;
const DECREASE_TTL = `Cannot decrease \`ttl_days\` field: ${SUFFIX}`;

export const area: ConformanceArea = {
  area: 'protected-mode',
  setup: [
    'Database.create({ name: "Prot", protected: true })\nDatabase.create({ name: "Scratch", protected: true })',
  ],
  cases: [
    { name: 'collections can be created', query: FOO, database: DB, result: { name: 'Foo', history_days: 30 }, source: SPEC },
    {
      name: 'a collection cannot be deleted', query: 'Foo.definition.delete()', database: DB,
      error: {
        code: 'constraint_failure', message: 'Failed to delete Collection `Foo`.',
        summary: `error: Failed to delete Collection \`Foo\`.\nconstraint failures:\n  Cannot delete collection: ${SUFFIX}\nat *query*:1:22\n  |\n1 | Foo.definition.delete()\n  |                      ^^\n  |`,
      },
      source: SPEC,
    },
    {
      name: 'Collection.byName(...).delete() is refused the same way', query: 'Collection.byName("Foo")!.delete()', database: DB,
      error: { code: 'constraint_failure', message: 'Failed to delete Collection `Foo`.' }, source: 'api collection spec (deleting in protected mode doesn\'t 500)',
    },
    refusedUpdate('history_days cannot decrease', 'Foo.definition.update({ history_days: 15 })', [DECREASE_HISTORY], SPEC),
    { name: 'the refused changes changed nothing', query: 'let d = Foo.definition\n{ history_days: d.history_days, indexes: Object.keys(d.indexes) }', database: DB, result: { history_days: 30, indexes: ['byX', 'byY'] }, source: SPEC },
    { name: 'history_days can increase', query: 'Foo.definition.update({ history_days: 60 }).history_days', database: DB, result: 60, source: SPEC },
    refusedIndexDrop('an index cannot be removed', 'Foo.definition.update({ indexes: { byX: null } })', SPEC),
    refusedIndexDrop('an index cannot change its terms', 'Foo.definition.update({ indexes: { byX: { terms: [{ field: ".z" }] } } })'),
    { name: 'an index can be added', query: 'Foo.definition.update({ indexes: { byZ: { terms: [{ field: ".z" }] } } }).indexes { byZ { terms } }', database: DB, result: { byZ: { terms: [{ field: '.z' }] } }, source: INDEXES },
    { name: 'an index can be renamed (same terms and values)', query: 'Object.keys(Foo.definition.update({ indexes: { byZ: null, byZed: { terms: [{ field: ".z" }] } } }).indexes)', database: DB, result: ['byX', 'byY', 'byZed'], source: INDEXES },
    { name: 'a unique constraint on .y shares byY\'s backing index', query: 'Foo.definition.update({ constraints: [{ unique: [".y"] }] }) { constraints }', database: DB, result: { constraints: [{ unique: ['.y'], status: 'active' }] }, source: INDEXES },
    { name: 'so byY can be removed', query: 'Object.keys(Foo.definition.update({ indexes: { byY: null } }).indexes)', database: DB, result: ['byX', 'byZed'], source: 'docs.fauna.com/fauna/current/cookbook/advanced/fsl/protected-mode (indexes that share a backing index)' },
    refusedIndexDrop('but then the unique constraint cannot be removed', 'Foo.definition.update({ constraints: [] })'),
    refusedUpdate('ttl_days cannot be added (core words it "remove")', 'Foo.definition.update({ ttl_days: 5 })', [ADD_TTL], `${HOOKS}; ConstraintFailure.scala (AddTTLDays)`),
    refusedUpdate('both retention failures are listed', 'Foo.definition.update({ history_days: 1, ttl_days: 1 })', [DECREASE_HISTORY, ADD_TTL], HOOKS),
    { name: 'a collection with ttl_days', query: 'Collection.create({ name: "Bar", ttl_days: 10 }).ttl_days', database: DB, result: 10, source: HOOKS },
    refusedUpdate('ttl_days cannot decrease', 'Bar.definition.update({ ttl_days: 5 })', [DECREASE_TTL], HOOKS),
    { name: 'ttl_days can increase', query: 'Bar.definition.update({ ttl_days: 20 }).ttl_days', database: DB, result: 20, source: HOOKS },
    { name: 'ttl_days can be removed', query: 'Bar.definition.update({ ttl_days: null }).ttl_days', database: DB, result: null, source: HOOKS },
    { name: 'functions and roles may still be deleted', query: 'Function.create({ name: "F", body: "x => x" })\nRole.create({ name: "R" })\nFunction.byName("F")!.delete()\nRole.byName("R")!.delete()\nFunction.byName("F").exists()', database: DB, result: false, source: 'ConstraintFailure.scala (ProtectedModeFailure: collections and indexes only)' },
    // Children inherit the setting unless they set their own.
    { name: 'a child database', query: 'Database.create({ name: "Child" })\nDatabase.create({ name: "Open", protected: false })\nnull', database: DB, result: null, source: INHERIT },
    { name: 'a collection in the child', query: 'Collection.create({ name: "Baz" }) { name }', database: `${DB}/Child`, result: { name: 'Baz' }, source: INHERIT },
    {
      name: 'the child inherits protection', query: 'Baz.definition.delete()', database: `${DB}/Child`,
      error: { code: 'constraint_failure', message: 'Failed to delete Collection `Baz`.' }, source: INHERIT,
    },
    { name: 'a child with protected: false is not protected', query: 'Collection.create({ name: "Qux" })\nnull', database: `${DB}/Open`, result: null, source: INHERIT },
    { name: 'so its collections may be deleted', query: 'Qux.definition.delete()\nCollection.byName("Qux").exists()', database: `${DB}/Open`, result: false, source: INHERIT },
    // The parent's admin may turn protection off; the database itself may be deleted.
    { name: 'the parent turns protection off', query: 'Database.byName("Child")!.update({ protected: false }).protected', database: DB, result: false, source: INHERIT },
    { name: 'then the collection may be deleted', query: 'Baz.definition.delete()\nCollection.byName("Baz").exists()', database: `${DB}/Child`, result: false, source: INHERIT },
    { name: 'a protected database may be deleted', query: 'Database.byName("Scratch")!.delete()\nDatabase.byName("Scratch").exists()', result: false, source: 'Databases (no protected-mode rule on database deletion)' },
  ],
};
