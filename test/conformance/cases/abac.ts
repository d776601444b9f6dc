// Permissions in reads: what a role without (or with a conditional) read privilege sees
// (core FQL2ABACSpec.scala assertDenied, Collections.scala checkReadCollectionPermission,
// FQL2IndexSpec.scala, ReadBroker.scala).
import type { ConformanceArea } from '../case';

const ABAC = 'FQL2ABACSpec.scala';
const DENIED = { code: 'permission_denied', message: 'Insufficient privileges to perform the action.' };
const NULL_DENIED = { code: 'null_value', message: 'Null value, due to permission denied' };
const NO_COLL_READ = { code: 'permission_denied', message: 'Insufficient privileges to read from collection Books.' };

export const area: ConformanceArea = {
  area: 'abac',
  setup: [
    'Collection.create({ name: "Books", indexes: { byTitle: { terms: [{ field: "title" }] }, byPublic: { values: [{ field: "title" }] } } })',
    'Collection.create({ name: "Other" })',
    'Function.create({ name: "Twice", body: "x => x * 2" })',
    'Function.create({ name: "Secret", body: "x => x" })',
    'Books.create({ id: "1", title: "t1", public: false })',
    'Books.create({ id: "2", title: "t2", public: true })',
    'Books.create({ id: "4", title: "t4", public: true })',
    'Other.create({ id: "1", n: 1 })',
    'Role.create({ name: "NoRead", privileges: { resource: "Books", actions: {} } })',
    'Role.create({ name: "FalseRead", privileges: { resource: "Books", actions: { read: false } } })',
    'Role.create({ name: "CanRead", privileges: { resource: "Books", actions: { read: true } } })',
    'Role.create({ name: "Pred", privileges: [{ resource: "Books", actions: { read: "doc => doc.public == true" } }, { resource: "Twice", actions: { call: true } }] })',
    'Role.create({ name: "CallPred", privileges: { resource: "Twice", actions: { call: "x => x == 2" } } })',
    'Role.create({ name: "SchemaRead", privileges: { resource: "Collection", actions: { read: true } } })',
    'Role.create({ name: "Writer", privileges: { resource: "Books", actions: { read: true, write: "(old, new) => old.public == new.public", create: "data => data.public == true", delete: "doc => doc.public" } } })',
    'Role.create({ name: "Empty" })',
  ],
  cases: [
    // Documents read through `!` and fields.
    { name: 'no read privilege: ! is a permission-denied null', query: 'Books.byId("1")!', secret: '@role/NoRead', error: NULL_DENIED, source: ABAC },
    { name: 'read false: ! is a permission-denied null', query: 'Books.byId("1")!', secret: '@role/FalseRead', error: NULL_DENIED, source: ABAC },
    { name: 'no privileges at all', query: 'Books.byId("2")!', secret: '@role/Empty', error: NULL_DENIED, source: ABAC },
    { name: 'another collection is not readable', query: 'Other.byId("1")!', secret: '@role/CanRead', error: NULL_DENIED, source: `${ABAC} (validate read instance permissions)` },
    { name: 'read granted', query: 'Books.byId("1")!.title', secret: '@role/CanRead', result: 't1', source: ABAC },
    { name: 'read predicate holds', query: 'Books.byId("2")!.title', secret: '@role/Pred', result: 't2', source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'read predicate fails', query: 'Books.byId("1")!', secret: '@role/Pred', error: NULL_DENIED, source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'an unreadable document is null', query: 'Books.byId("1") == null', secret: '@role/NoRead', result: true, source: 'ReadBroker.scala' },
    { name: 'an unreadable document does not exist', query: 'Books.byId("1").exists()', secret: '@role/NoRead', result: false, source: 'Docs.scala (exists guards from null)' },
    { name: 'an unreadable document keeps its id', query: 'Books.byId("1").id', secret: '@role/NoRead', result: '1', source: 'Docs.scala (NullDocPrototype id)' },
    { name: 'the tagged null document carries its cause', query: 'Books.byId("1")', secret: '@role/NoRead', tagged: { '@ref': { id: '1', coll: { '@mod': 'Books' }, exists: false, cause: 'permission denied' } }, source: 'FQL2ValueEncoderSpec.scala (null doc cause)' },
    { name: 'the tagged null document: predicate denial', query: 'Books.byId("1")', secret: '@role/Pred', tagged: { '@ref': { id: '1', coll: { '@mod': 'Books' }, exists: false, cause: 'permission denied' } }, source: 'FQL2ValueEncoderSpec.scala (null doc cause)' },
    { name: 'a missing document is not found, not denied', query: 'Books.byId("999")!', secret: '@role/CanRead', error: { code: 'document_not_found', message: 'Collection `Books` does not contain document with id 999.' }, source: 'QueryFailure.scala (DocumentNotFound)' },
    { name: 'the tagged missing document', query: 'Books.byId("999")', secret: '@role/CanRead', tagged: { '@ref': { id: '999', coll: { '@mod': 'Books' }, exists: false, cause: 'not found' } }, source: 'FQL2ValueEncoderSpec.scala' },
    { name: '?? replaces an unreadable document', query: 'Books.byId("1") ?? "none"', secret: '@role/NoRead', result: 'none', source: 'ReadBroker.scala' },
    // Index reads need a read privilege on the collection.
    { name: 'index without read privilege', query: 'Books.byTitle("t1")', secret: '@role/NoRead', error: NO_COLL_READ, source: 'FQL2IndexSpec.scala (querying an index with no read permissions)' },
    { name: 'index with read false', query: 'Books.byTitle("t1")', secret: '@role/FalseRead', error: NO_COLL_READ, source: 'FQL2IndexSpec.scala (querying an index with false read permissions)' },
    { name: 'index without any privilege', query: 'Books.byTitle("t1")', secret: '@role/Empty', error: NO_COLL_READ, source: 'Collections.scala (checkReadCollectionPermission)' },
    { name: 'index with a range, no read privilege', query: 'Books.byPublic({ from: "a" })', secret: '@role/NoRead', error: NO_COLL_READ, source: 'Collections.scala (checkReadCollectionPermission)' },
    { name: 'index fails even when unused', query: 'Books.byTitle("t1")\n1', secret: '@role/NoRead', error: NO_COLL_READ, source: 'Collections.scala (checkReadCollectionPermission)' },
    { name: 'index with read granted', query: 'Books.byTitle("t1").map(.title).toArray()', secret: '@role/CanRead', result: ['t1'], source: 'FQL2IndexSpec.scala' },
    { name: 'index with a read predicate filters', query: 'Books.byPublic().map(.title).toArray()', secret: '@role/Pred', result: ['t2', 't4'], source: 'ReadBroker.scala (filtered set reads)' },
    { name: 'index with a read predicate: hidden term', query: 'Books.byTitle("t1").toArray()', secret: '@role/Pred', result: [], source: 'ReadBroker.scala (filtered set reads)' },
    // Collection scans filter instead of failing.
    { name: 'all() without read privilege is empty', query: 'Books.all().toArray()', secret: '@role/NoRead', result: [], source: 'Collections.scala (all does not check the read permission)' },
    { name: 'where() without read privilege is empty', query: 'Books.where(.title == "t1").toArray()', secret: '@role/NoRead', result: [], source: 'Collections.scala (allDocuments)' },
    { name: 'all() with a read predicate filters', query: 'Books.all().map(.title).toArray()', secret: '@role/Pred', result: ['t2', 't4'], source: 'ReadBroker.scala (filtered set reads)' },
    { name: 'first() of a filtered set', query: 'Books.all().first()!', secret: '@role/NoRead', error: { code: 'null_value', message: 'Null value, due to empty set' }, source: `${ABAC} (filteredSet)` },
    { name: 'all() with read granted', query: 'Books.all().count()', secret: '@role/CanRead', result: 3, source: ABAC },
    // Schema documents.
    { name: 'schema read denied: definition!', query: 'Books.definition!', secret: '@role/NoRead', error: NULL_DENIED, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read denied: byName!', query: 'Collection.byName("Books")!', secret: '@role/NoRead', error: NULL_DENIED, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read denied: all().first()!', query: 'Collection.all().first()!', secret: '@role/NoRead', error: { code: 'null_value', message: 'Null value, due to empty set' }, source: `${ABAC} (validate schema permissions, filteredSet)` },
    { name: 'schema create denied', query: 'Collection.create({ name: "Foo" })', secret: '@role/NoRead', error: DENIED, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema update denied', query: 'Books.definition.update({ name: "Bar" })', secret: '@role/NoRead', error: DENIED, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema delete denied', query: 'Books.definition.delete()', secret: '@role/NoRead', error: DENIED, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read granted: definition!', query: 'Books.definition!.name', secret: '@role/SchemaRead', result: 'Books', source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read granted: byName!', query: 'Collection.byName("Books")!.name', secret: '@role/SchemaRead', result: 'Books', source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read granted: all()', query: 'Collection.all().map(.name).toArray().includes("Books")', secret: '@role/SchemaRead', result: true, source: `${ABAC} (validate schema permissions)` },
    { name: 'schema read does not grant create', query: 'Collection.create({ name: "Foo" })', secret: '@role/SchemaRead', error: DENIED, source: `${ABAC} (validate schema permissions)` },
    // Writes.
    { name: 'create denied without privilege', query: 'Books.create({ public: true })', secret: '@role/CanRead', error: DENIED, source: `${ABAC} (validate write instance permissions)` },
    { name: 'update denied without privilege', query: 'Books.byId("2")!.update({ foo: "bar" })', secret: '@role/CanRead', error: DENIED, source: `${ABAC} (validate write instance permissions)` },
    { name: 'delete denied without privilege', query: 'Books.byId("2")!.delete()', secret: '@role/CanRead', error: DENIED, source: `${ABAC} (validate write instance permissions)` },
    { name: 'create predicate fails', query: 'Books.create({ public: false })', secret: '@role/Writer', error: DENIED, source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'create with an id needs create_with_id', query: 'Books.create({ id: "3", title: "t3", public: true })', secret: '@role/Writer', error: DENIED, source: 'Role privileges (create_with_id)' },
    { name: 'create predicate holds', query: 'Books.create({ title: "t3", public: true }).title', secret: '@role/Writer', result: 't3', source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'write predicate fails', query: 'Books.byId("2")!.update({ public: false })', secret: '@role/Writer', error: DENIED, source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'write predicate holds', query: 'Books.byId("2")!.update({ foo: "bar" }).foo', secret: '@role/Writer', result: 'bar', source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'delete predicate fails', query: 'Books.byId("1")!.delete()', secret: '@role/Writer', error: DENIED, source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'delete predicate holds', query: 'Books.byId("4")!.delete().exists()', secret: '@role/Writer', result: false, source: `${ABAC} (validate instance permissions with predicates)` },
    { name: 'a key cannot be created by a user role', query: 'Key.create({ role: "admin" })', secret: '@role/CanRead', error: DENIED, source: 'permissions (Key is admin only)' },
    // Functions.
    { name: 'call granted', query: 'Twice(2)', secret: '@role/Pred', result: 4, source: `${ABAC} (validate function permissions with no predicate)` },
    { name: 'call denied', query: 'Secret(2)', secret: '@role/Pred', error: DENIED, source: `${ABAC} (validate function permissions with no predicate)` },
    { name: 'call predicate holds', query: 'Twice(2)', secret: '@role/CallPred', result: 4, source: `${ABAC} (validate function permissions with predicate)` },
    { name: 'call predicate fails', query: 'Twice(3)', secret: '@role/CallPred', error: DENIED, source: `${ABAC} (validate function permissions with predicate)` },
    // Identity of a key.
    { name: 'a key has no identity', query: 'Query.identity()', secret: '@role/CanRead', result: null, source: 'FQL2QuerySpec.scala' },
    { name: 'a role key may read nothing of Other', query: 'Other.all().toArray()', secret: '@role/CanRead', result: [], source: ABAC },
  ],
};
