// Event sources in FQL v10: which sets can be streamed, `eventsOn` rules, permissions at
// creation, and `where` / `map` / projection on an event source (core FQL2StreamsSpec.scala,
// FQL2EventSourceSpec.scala, FQL2StreamSpec.scala "ABAC", ValueSet.scala toEventSourceImpl,
// Sets.scala eventsOn). Tokens carry the transaction time, so successful creations are checked
// by kind here and by content in test/e2e/streams-sources.test.ts.
import type { CaseError, ConformanceArea, ConformanceCase } from '../case';

const STREAMS = 'FQL2StreamsSpec.scala';
const SOURCE_SPEC = 'FQL2EventSourceSpec.scala';
const ABAC = 'FQL2StreamSpec.scala (ABAC)';
const VS = 'ValueSet.scala (toEventSourceImpl)';

const receiver = (method: string, reason: string): CaseError => ({
  code: 'invalid_receiver', message: `can't call \`${method}\` because ${reason}`,
});

/** A rejection of `query` (which ends in `.toStream()`), as core's "rejects invalid shape". */
const reject = (name: string, query: string, reason: string, source = `${STREAMS} (rejects invalid shape)`): ConformanceCase =>
  ({ name, query, error: receiver('.toStream()', reason), source });

const AT = 'streaming is not supported for sets created within an `at()` expression.';
const RANGE = 'range queries are not supported yet, use `.where()` method instead.';
const NOT_STREAMABLE = 'only collections and user defined indexes are streamable.';
const NOT_SOURCE = 'it was not called on the source set.';
const YESTERDAY = 'at(Time.now().subtract(1, "day"))';

/** The query yields an event source (its value renders as "[event source]"). */
const streams = (name: string, query: string, source: string, secret?: ConformanceCase['secret']): ConformanceCase =>
  ({ name, query: `(${query}).toString()`, result: '[event source]', source, ...(secret ? { secret } : {}) });

export const area: ConformanceArea = {
  area: 'event-sources',
  setup: [
    `Collection.create({
      name: "Foo",
      indexes: {
        byBar: { terms: [{ field: ".bar" }], values: [{ field: ".bar" }] },
        allChanges: { values: [{ field: ".ts" }] },
        byBaz: { terms: [{ field: ".baz" }], values: [{ field: ".qux.a" }, { field: ".list[0]" }] }
      }
    })`,
    'Foo.create({ id: "1", bar: 42 })',
    'Role.create({ name: "NoPriv" })',
    'Role.create({ name: "OddRead", privileges: { resource: "Foo", actions: { read: "doc => doc.bar == 7" } } })',
  ],
  cases: [
    // Streamable sets.
    streams('all()', 'Foo.all().toStream()', `${STREAMS} (converts documents to changes index)`),
    streams('a user index', 'Foo.byBar(42).toStream()', `${STREAMS} (streams an user index)`),
    streams('an index without terms', 'Foo.allChanges().eventSource()', STREAMS),
    streams('Set.single of a document', 'Set.single(Foo.byId(1)).toStream()', `${STREAMS} (streams a singleton set)`),
    streams('Collection.where', 'Foo.where(.bar == 42).toStream()', `${STREAMS} (allows for filtered sets)`),
    streams('all().where', 'Foo.all().where(.bar == 42).toStream()', `${STREAMS} (allows for filtered sets)`),
    streams('where.where', 'Foo.where(.bar == 42).where(.baz == 0).toStream()', `${STREAMS} (allows for filtered sets)`),
    streams('Set.single().where', 'Set.single(Foo.byId(1)!).where(.bar == 42).toStream()', `${STREAMS} (allows for filtered sets)`),
    streams('map and projection', 'Foo.byBar(42).map(.bar).eventSource() { a }', 'FQL2StreamSpec.scala (byN(42).eventSource() { m })'),
    streams('pageSize is accepted', 'Foo.all().pageSize(3).eventSource()', 'ValueSet.scala (PagedSet toEventSourceImpl)'),

    // Rejected sets, with the method name actually called.
    reject('Database.all()', 'Database.all().toStream()', NOT_STREAMABLE),
    reject('a system collection', 'Key.all().toStream()', NOT_STREAMABLE, `${VS} (isValidConfig: UserCollectionID only)`),
    reject('all() inside at()', `${YESTERDAY} {\n  Foo.all().toStream()\n}`, AT),
    reject('an index inside at()', `${YESTERDAY} {\n  Foo.byBar(42).toStream()\n}`, AT),
    reject('Set.single inside at()', `${YESTERDAY} {\n  Set.single(Foo.byId(1)).toStream()\n}`, AT),
    reject('where applied inside at()', `let all = Foo.all()\n${YESTERDAY} {\n  all.where(.foo == 42).toStream()\n}`, AT),
    reject('Set.single of a number', 'Set.single(10).toStream()', 'streaming on `Set.single()` is only supported if its element is a document.'),
    reject('flatMap', 'Foo.all()\n  .flatMap(_ => [].toSet())\n  .toStream()', 'streaming is not supported on `.flatMap()` sets.'),
    reject('concat', 'Foo.all()\n  .concat(Foo.all())\n  .toStream()', 'streaming is not supported on concatenated sets.'),
    reject('take', 'Foo.all()\n  .take(10)\n  .toStream()', 'streaming is not supported on sets returned from `.take()`.'),
    reject('drop', 'Foo.all()\n  .drop(10)\n  .toStream()', 'streaming is not supported on sets returned from `.drop()`.'),
    reject('order', 'Foo.all()\n  .order(.asc)\n  .toStream()', 'streaming is not supported on sets returned from `.order()`.'),
    reject('reverse', 'Foo.all()\n  .reverse()\n  .toStream()', 'streaming is not supported on sets that have been reversed.'),
    reject('reverse of an index', 'Foo.byBar(42).reverse().toStream()', 'streaming is not supported on sets that have been reversed.', `${VS} (IndexSet reversed)`),
    reject('reverse of Set.single', 'Set.single(Foo.byId(1)).reverse().toStream()', 'streaming is not supported on sets that have been reversed.', `${VS} (ReverseSet)`),
    reject('distinct', 'Foo.all()\n  .distinct()\n  .toStream()', 'streaming is not supported on distinct sets.'),
    reject('array set', '[].toSet()\n  .toStream()', 'streaming is not supported on array sets.'),
    reject('Set.sequence', 'Set.sequence(1, 10)\n  .toStream()', 'streaming is not supported on sets created from `Set.sequence()`.'),
    reject('all() with a range', 'Foo.all({from: Foo.byId(1234)}).toStream()', RANGE),
    reject('an index with a range', 'Foo.byBar(42, {from: 0}).toStream()', RANGE),
    {
      name: 'the message quotes .eventSource()', query: 'Foo.all().take(1).eventSource()',
      error: receiver('.eventSource()', 'streaming is not supported on sets returned from `.take()`.'), source: 'Sets.scala (eventSource)',
    },
    {
      name: 'the message quotes .eventsOn()', query: 'Database.all().eventsOn(.name)',
      error: receiver('.eventsOn()', NOT_STREAMABLE), source: 'Sets.scala (eventsOn)',
    },
    {
      name: 'the summary points at the call', query: 'Foo.all().distinct().eventSource()',
      error: {
        code: 'invalid_receiver',
        summary: "error: can't call `.eventSource()` because streaming is not supported on distinct sets.\nat *query*:1:33\n  |\n1 | Foo.all().distinct().eventSource()\n  |                                 ^^\n  |",
      },
      source: 'QueryRuntimeFailure.scala (InvalidReceiver with the call stack trace)',
    },

    // eventsOn / changesOn.
    streams('changesOn on all()', 'Foo.all().changesOn(.bar, .baz[0])', `${STREAMS} (tracks watched fields)`),
    streams('changesOn on an index covering .ts', 'Foo.allChanges().changesOn(.bar, .baz[0])', `${STREAMS} (tracks watched fields)`),
    streams('changesOn on Set.single', 'Set.single(Foo.byId(1)!).changesOn(.bar, .baz[0])', `${STREAMS} (tracks watched fields)`),
    streams('changesOn covered fields and .id', 'Foo.byBar(42).changesOn(.bar, .id)', `${STREAMS} (tracks watched fields)`),
    streams('changesOn nested covered paths', 'Foo.byBaz(1).eventsOn(.qux.a, .list[0], .baz)', 'ValueSet.scala (validateWatchedFields)'),
    streams('changesOn without fields', 'Foo.all().changesOn()', `${STREAMS} (tracks watched fields)`),
    {
      name: 'changesOn after map on Set.single', query: 'Set.single(Foo.byId(1)!).map(.bar).changesOn(.bar)',
      error: receiver('.changesOn()', NOT_SOURCE), source: `${STREAMS} (reject invalid .changesOn(..) position)`,
    },
    {
      name: 'changesOn after map on all()', query: 'Foo.all().map(.bar).changesOn(.bar)',
      error: receiver('.changesOn()', NOT_SOURCE), source: `${STREAMS} (reject invalid .changesOn(..) position)`,
    },
    {
      name: 'changesOn after map on an index', query: 'Foo.byBar(42).map(.bar).changesOn(.bar)',
      error: receiver('.changesOn()', NOT_SOURCE), source: `${STREAMS} (reject invalid .changesOn(..) position)`,
    },
    {
      // Core names `.changesOn()` in this message whatever was called (ValueSet.scala changesOn).
      name: 'eventsOn after where', query: 'Foo.all().where(.bar == 1).eventsOn(.bar)',
      error: receiver('.changesOn()', NOT_SOURCE), source: 'ValueSet.scala (changesOn)',
    },
    {
      name: 'eventsOn after pageSize', query: 'Foo.all().pageSize(2).eventsOn(.bar)',
      error: receiver('.changesOn()', NOT_SOURCE), source: 'ValueSet.scala (changesOn: PagedSet is not the source)',
    },
    {
      name: 'fields not covered by the index', query: "Foo.byBar('bar').changesOn(.fizz, .buzz[0])",
      error: { code: 'invalid_argument', message: 'invalid argument `fields`: `fizz`, `buzz[0]` not covered by the `byBar` index.' },
      source: `${STREAMS} (reject invalid .changesOn(..) field set)`,
    },
    {
      name: 'only the uncovered fields are listed', query: 'Foo.byBaz(1).eventsOn(.id, .qux.a, .qux.b)',
      error: { code: 'invalid_argument', message: 'invalid argument `fields`: `qux.b` not covered by the `byBaz` index.' },
      source: 'ValueSet.scala (validateWatchedFields)',
    },
    {
      name: 'a lambda is not a field path', query: 'Foo.all().eventsOn(.bar, x => x.bar)',
      error: { code: 'invalid_argument', message: 'invalid argument `1`: invalid field path given' }, source: 'Sets.scala (eventsOn)',
    },
    {
      name: 'a computed short lambda is not a field path', query: 'Foo.all().eventsOn(.bar + 1)',
      error: { code: 'invalid_argument', message: 'invalid argument `0`: invalid field path given' }, source: 'Sets.scala (eventsOn)',
    },
    {
      name: 'field paths are checked before the set', query: 'Database.all().eventsOn(.bar == 1)',
      error: { code: 'invalid_argument', message: 'invalid argument `0`: invalid field path given' }, source: 'Sets.scala (eventsOn: paths, then changesOn)',
    },

    // Event source values.
    { name: 'toString', query: 'Foo.all().toStream().toString()', result: '[event source]', source: `${SOURCE_SPEC} (toString)` },
    {
      name: 'the legacy Stream annotation', query: 'let legacy: Stream<Any> = Foo.all().eventSource()\nlegacy.toString()',
      result: '[event source]', source: `${SOURCE_SPEC} (toString)`,
    },
    { name: 'isa EventSource', query: 'Foo.all().eventSource() isa EventSource', result: true, source: 'EventSources.scala (EventSourceCompanion)' },
    {
      name: 'where on a source filters its set', query: 'Foo.all().where(.id == 42).toStream() == Foo.all().toStream().where(.id == 42)',
      result: true, source: `${SOURCE_SPEC} (filters inner set)`,
    },
    {
      name: 'map on a source maps its set', query: 'Foo.all().map(.id).toStream() == Foo.all().toStream().map(.id)',
      result: true, source: `${SOURCE_SPEC} (maps inner set)`,
    },
    {
      name: 'projection on a source projects its set', query: '(Foo.byBar(42) { bar }).eventSource() == (Foo.byBar(42).eventSource() { bar })',
      result: true, source: 'FQL2StreamSpec.scala (byN(42).eventSource() { m })',
    },
    {
      name: 'where on a source checks its predicate', query: 'Foo.all().eventSource().where(1)',
      error: { code: 'invalid_argument', message: 'expected value for `predicate` of type Function, received Int' },
      source: 'EventSources.scala (where: SetPrototype.whereImpl)',
    },

    // Permissions at creation.
    {
      name: 'all() needs a read privilege', query: 'Foo.all().eventSource()', secret: '@role/NoPriv',
      error: { code: 'permission_denied', message: 'Insufficient privileges to read from collection Foo.' }, source: `${ABAC} (fails to create a collection stream)`,
    },
    {
      name: 'an index needs a read privilege', query: 'Foo.byBar(42).eventSource()', secret: '@role/NoPriv',
      error: { code: 'permission_denied', message: 'Insufficient privileges to read from collection Foo.' }, source: `${ABAC} (fails to create an index stream)`,
    },
    {
      name: 'where() over all() needs a read privilege', query: 'Foo.where(.bar == 1).eventSource()', secret: '@role/NoPriv',
      error: { code: 'permission_denied', message: 'Insufficient privileges to read from collection Foo.' }, source: VS,
    },
    {
      name: 'Set.single needs read permission on the document', query: 'Set.single(Foo.byId(1)).eventSource()', secret: '@role/NoPriv',
      error: { code: 'permission_denied', message: 'Insufficient privileges to create a stream on the source document.' }, source: `${ABAC} (fails to create a doc stream)`,
    },
    {
      name: 'Set.single: the read predicate is evaluated', query: 'Set.single(Foo.byId(1)).eventSource()', secret: '@role/OddRead',
      error: { code: 'permission_denied', message: 'Insufficient privileges to create a stream on the source document.' }, source: `${VS} (SingletonSet checkReadPermission)`,
    },
    {
      name: 'Set.single of a missing document needs a read privilege', query: 'Set.single(Foo.byId(999)).eventSource()', secret: '@role/NoPriv',
      error: { code: 'permission_denied', message: 'Insufficient privileges to create a stream on the source document.' }, source: `${VS} (SingletonSet checkReadPermission)`,
    },
    streams('Set.single of a missing document with a read privilege', 'Set.single(Foo.byId(999)).eventSource()', `${VS} (SingletonSet)`, '@role/OddRead'),
    streams('all(): a read predicate is not evaluated', 'Foo.all().eventSource()', `${VS} (checkReadCollectionPermission)`, '@role/OddRead'),
    streams('Set.single: a readable document', 'Set.single(Foo.byId(1)).eventSource()', `${ABAC}`, 'server-readonly'),
  ],
};
