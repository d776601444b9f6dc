// Where a query may not write. The lambdas of lazy set operations run as "set functions" and
// refuse writes with `invalid_effect` (core ValueSet.scala `disallowWrites`, Effect.scala);
// eager set methods and Array methods may write. Inside `at (t) { ... }` at a past time writes
// fail with `invalid_write` (core WriteBroker.requireWriteEffect, QueryRuntimeFailure.MustWriteNow).
import type { ConformanceArea, ConformanceCase } from '../case';

const PURE = 'FQL2PureSpec.scala';
const SETS = 'FQL2SetsSpec.scala';
const VALUE_SET = 'ValueSet.scala (disallowWrites in WhereFilterSet, ProjectedSet, FlatMapSet, OrderedSet.sortElems; the caller\'s ctx in foreach, foldLeft, anyImpl)';

const lines = (...l: string[]): string => l.join('\n');

const setFunctions = (method: string) =>
  ({ code: 'invalid_effect', message: `\`${method}\` performs a write, which is not allowed in set functions.` });

const refused = (name: string, query: string, method: string, source = VALUE_SET): ConformanceCase =>
  ({ name, query, error: setFunctions(method), source });

const setFunctionCases: ConformanceCase[] = [
  {
    name: 'a write in Set.map',
    query: '[1].toSet().map(_ => Foo.create({})).toArray()',
    error: {
      ...setFunctions('create'),
      summaryIncludes: lines('error: `create` performs a write, which is not allowed in set functions.', 'at *query*:1:32', '  |',
        '1 | [1].toSet().map(_ => Foo.create({})).toArray()', '  |                                ^^^^', '  |'),
    },
    source: `${PURE} (writes within set functions make nice errors)`,
  },
  {
    name: 'a write in Set.map: the map and toArray calls as frames',
    query: '[1].toSet().map(_ => Foo.create({})).toArray()',
    error: {
      ...setFunctions('create'),
      summary: lines('error: `create` performs a write, which is not allowed in set functions.', 'at *query*:1:32', '  |',
        '1 | [1].toSet().map(_ => Foo.create({})).toArray()', '  |                                ^^^^', '  |',
        '  |', '1 | [1].toSet().map(_ => Foo.create({})).toArray()', '  |                ^^^^^^^^^^^^^^^^^^^^^', '  |',
        '  |', '1 | [1].toSet().map(_ => Foo.create({})).toArray()', '  |                                             ^^', '  |'),
    },
    source: `${PURE} (writes within set functions make nice errors)`,
  },
  refused('update in map over a collection', 'Foo.all().map(.update({})).paginate()', 'update', `${SETS} (.map(.update()) is disallowed)`),
  refused('delete in where', 'Foo.all().where(d => { d.delete(); true }).toArray()', 'delete'),
  refused('create in flatMap', 'Set.sequence(0, 2).flatMap(i => { Foo.create({}); Set.single(i) }).toArray()', 'create'),
  refused('create in an order accessor', 'Set.sequence(0, 2).order(i => { Foo.create({}); i }).toArray()', 'create'),
  refused('update in firstWhere', 'Foo.all().firstWhere(d => { d.update({ n: 0 }); true })', 'update', 'SetPrototype.scala (firstWhereImpl builds a WhereFilterSet)'),
  refused('a write on a missing document is refused first', 'Set.single(0).map(_ => Foo.byId("404").update({})).toArray()', 'update', 'WriteBroker.scala (requireWriteEffect before the read)'),
  { name: 'nothing was written', query: 'Foo.all().map(.n).toArray()', result: [1, 2], source: VALUE_SET },
  { name: 'forEach may write', query: 'Set.sequence(0, 2).forEach(i => Foo.create({ n: 10 + i }))', result: null, source: VALUE_SET },
  { name: 'fold may write', query: 'Set.sequence(0, 2).fold(0, (a, i) => { Foo.create({}); a + i })', result: 1, source: VALUE_SET },
  { name: 'Array map may write', query: '[1, 2].map(i => Foo.create({ n: i })).length', result: 2, source: 'ArrayPrototype.scala (eager)' },
  { name: 'the eager writes happened', query: 'Foo.all().count()', result: 8, source: VALUE_SET },
];

const DOCS = 'FQL2DocsSpec.scala';
const PAST_WRITE = 'at (Time.now().subtract(1, "day")) { Foo.create({}) }';
const pastWriteCol = PAST_WRITE.indexOf('({})') + 1;

const atCases: ConformanceCase[] = [
  {
    name: 'a write inside at() in the past',
    query: PAST_WRITE,
    error: {
      code: 'invalid_write', message: 'Cannot write at a snapshot time in the past.',
      summary: lines('error: Cannot write at a snapshot time in the past.', `at *query*:1:${pastWriteCol}`, '  |', `1 | ${PAST_WRITE}`,
        `  | ${' '.repeat(pastWriteCol - 1)}^^^^`, '  |'),
    },
    source: `${DOCS} (cannot write in at())`,
  },
  {
    name: 'an update inside at() in the past, refused before the document is read',
    query: 'at (Time.now().subtract(1, "day")) { Foo.byId("1").update({ n: 0 }) }',
    error: { code: 'invalid_write', message: 'Cannot write at a snapshot time in the past.' },
    source: 'WriteBroker.scala (requireWriteEffect)',
  },
  {
    name: 'a set function inside at(): the effect is checked first',
    query: 'at (Time.now().subtract(1, "day")) { Set.single(0).map(_ => Foo.create({})).toArray() }',
    error: setFunctions('create'),
    source: 'WriteBroker.scala (requireWriteEffect: action.check before MustWriteNow)',
  },
  { name: 'at(TransactionTime()) may write', query: 'at (TransactionTime()) { Foo.create({ n: 3 }).n }', result: 3, source: `${DOCS} (cannot write in at())` },
  { name: 'at(Time.now()) may write', query: 'at (Time.now()) { Foo.create({ n: 4 }).n }', result: 4, source: 'FQLInterpreter.scala (setValidTime: no valid time at the snapshot time)' },
  { name: 'only the allowed writes happened', query: 'Foo.all().count()', result: 10, source: `${DOCS} (cannot write in at())` },
];

export const area: ConformanceArea = {
  area: 'effects',
  setup: [
    'Collection.create({ name: "Foo" })',
    'Foo.create({ id: "1", n: 1 }); Foo.create({ id: "2", n: 2 })',
  ],
  cases: [...setFunctionCases, ...atCases],
};
