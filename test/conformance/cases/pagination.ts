// Pages and cursors (core FQL2PaginationSpec.scala): sets render as their first page with an
// `after` cursor, `Set.paginate(after)` resumes them in a later query (closures, globals,
// indexes, take/where/order/projection and nested sets inside the cursor), and `pageSize`
// survives every set operation. Multi-page cases follow the cursors in queries of their own.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2PaginationSpec.scala';

/** Integers `from` until `until` (exclusive). */
const range = (from: number, until: number): number[] => Array.from({ length: until - from }, (_, i) => from + i);
const strings = (xs: number[]): string[] => xs.map(String);

/** A case whose result is paged: `pages` are the `data` of each page in turn. */
const paged = (name: string, query: string, pages: (readonly unknown[])[], test = name): ConformanceCase =>
  ({ name, query, pages, source: `${SPEC} (${test})` });
/** A paged case with writes between its pages (`betweenPages`). */
const pagedAround = (name: string, query: string, pages: (readonly unknown[])[], betweenPages: string[], test: string): ConformanceCase =>
  ({ name, query, pages, betweenPages, source: `${SPEC} (${test})` });
const ok = (name: string, query: string, result: unknown, test = name): ConformanceCase =>
  ({ name, query, result, source: `${SPEC} (${test})` });

/** core mkDocs: `count` documents { foo: 1..count, bar: 'baz' }, created in order. */
const mkDocs = (coll: string, count: number): string =>
  `Collection.create({ name: "${coll}", indexes: { byBar: { terms: [{ field: "bar" }] } } })\n`
  + `Set.sequence(1, ${count + 1}).forEach(i => ${coll}.create({ foo: i, bar: "baz" }))`;

const PERSON_INDEXES = 'indexes: { byName: { terms: [{ field: "name" }], values: [{ field: "address" }] }, byAge: { terms: [{ field: "age" }] } }';

const pageSizeCases: ConformanceCase[] = [
  paged('pageSize', '["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"].toSet().pageSize(2)', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']]),
  paged('pageSize before where', 'Set.sequence(1, 20).toSet().map(.toString()).pageSize(2).where(.startsWith("1"))', [['1', '10'], ['11', '12'], ['13', '14'], ['15', '16'], ['17', '18'], ['19']], 'pageSize + where'),
  paged('pageSize after where', 'Set.sequence(1, 20).toSet().map(.toString()).where(.startsWith("1")).pageSize(2)', [['1', '10'], ['11', '12'], ['13', '14'], ['15', '16'], ['17', '18'], ['19']], 'pageSize + where'),
  paged('pageSize before map', 'Set.sequence(0, 10).pageSize(2).map(.toString())', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']], 'pageSize + map'),
  paged('pageSize after map', 'Set.sequence(0, 10).map(.toString()).pageSize(2)', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']], 'pageSize + map'),
  paged('pageSize before flatMap', 'Set.sequence(0, 5).pageSize(2).flatMap(x => Set.sequence(2*x, 2*x + 2)).map(.toString())', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']], 'pageSize + flatMap'),
  paged('pageSize after flatMap', 'Set.sequence(0, 5).flatMap(x => Set.sequence(2*x, 2*x + 2)).pageSize(2).map(.toString())', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']], 'pageSize + flatMap'),
  paged('pageSize after concat', 'Set.sequence(0, 5).concat(Set.sequence(5, 10)).pageSize(2).map(.toString())', [['0', '1'], ['2', '3'], ['4', '5'], ['6', '7'], ['8', '9']], 'pageSize + concat'),
  paged('concat of paged sets falls back to the default page size', 'Set.sequence(0, 5).pageSize(2).concat(Set.sequence(5, 10).pageSize(2)).map(.toString())', [strings(range(0, 10))], 'pageSize + concat'),
  paged('pageSize before reverse', 'Set.sequence(0, 10).pageSize(2).reverse().map(.toString())', [['9', '8'], ['7', '6'], ['5', '4'], ['3', '2'], ['1', '0']], 'pageSize + reverse'),
  paged('pageSize after reverse', 'Set.sequence(0, 10).reverse().pageSize(2).map(.toString())', [['9', '8'], ['7', '6'], ['5', '4'], ['3', '2'], ['1', '0']], 'pageSize + reverse'),
  paged('pageSize before take', 'Set.sequence(0, 10).pageSize(2).take(5).map(.toString())', [['0', '1'], ['2', '3'], ['4']], 'pageSize + take'),
  paged('pageSize after take', 'Set.sequence(0, 10).take(5).pageSize(2).map(.toString())', [['0', '1'], ['2', '3'], ['4']], 'pageSize + take'),
  paged('pageSize before drop', 'Set.sequence(0, 10).pageSize(2).drop(5).map(.toString())', [['5', '6'], ['7', '8'], ['9']], 'pageSize + drop'),
  paged('pageSize after drop', 'Set.sequence(0, 10).drop(5).pageSize(2).map(.toString())', [['5', '6'], ['7', '8'], ['9']], 'pageSize + drop'),
  paged('pageSize before distinct', '["0", "1", "2", "3", "4", "0", "1", "2", "3", "4"].toSet().pageSize(2).distinct()', [['0', '1'], ['2', '3'], ['4']], 'pageSize + distinct'),
  paged('pageSize after distinct', '["0", "1", "2", "3", "4", "0", "1", "2", "3", "4"].toSet().distinct().pageSize(2)', [['0', '1'], ['2', '3'], ['4']], 'pageSize + distinct'),
  paged('pageSize on a collection', 'Five.all().pageSize(2).map(.foo.toString())', [['1', '2'], ['3', '4'], ['5']], 'pageSize + index'),
  paged('pageSize on a reversed collection', 'Five.all().pageSize(2).reverse().map(.foo.toString())', [['5', '4'], ['3', '2'], ['1']], 'pageSize + index + reverse'),
];

export const area: ConformanceArea = {
  area: 'pagination',
  setup: [
    mkDocs('P48', 48), mkDocs('P32', 32), mkDocs('Five', 5), mkDocs('Stable', 32), mkDocs('StableIdx', 48),
    `Collection.create({ name: "PersonObj", ${PERSON_INDEXES} })\nCollection.create({ name: "PersonArr", ${PERSON_INDEXES} })`,
    'PersonObj.create({ name: "A", address: { city: "A", state: "B" } })\nPersonObj.create({ name: "A", address: { city: "Y", state: "Z" } })',
    'PersonArr.create({ name: "A", address: ["A", "B"] })\nPersonArr.create({ name: "A", address: ["Y", "Z"] })',
    'Collection.create({ name: "PersonNested", indexes: { byName: { terms: [{ field: "name" }], values: [{ field: "address.nested" }] } } })\nPersonNested.create({ name: "A", address: { city: "San Mateo" }, tree: "green" })',
    'Collection.create({ name: "things", indexes: { by_color__value_asc: { terms: [{ field: ".color" }], values: [{ field: ".value.foo" }] } } })\n'
      + 'Set.sequence(0, 5).forEach(i => things.create({ value: { foo: i, color: "yellow" }, color: "yellow" }))\n'
      + 'Set.sequence(0, 5).forEach(i => things.create({ value: { foo: i, color: "purple" }, color: "purple" }))',
    'Collection.create({ name: "things2", indexes: { by_color__value_asc: { terms: [{ field: ".color" }], values: [{ field: ".value" }] } } })\n'
      + 'Set.sequence(0, 5).forEach(i => things2.create({ value: i, color: "yellow" }))\n'
      + 'Set.sequence(0, 5).forEach(i => things2.create({ value: i, color: "purple" }))',
    'Collection.create({ name: "t1" })\nCollection.create({ name: "t2" })\nCollection.create({ name: "t3" })\n'
      + 'Set.sequence(0, 5).forEach(i => t1.create({ num: i }))\nSet.sequence(0, 5).forEach(i => t2.create({ num: i }))\nSet.sequence(0, 20).forEach(i => t3.create({ num: i }))',
  ],
  cases: [
    // Arrays as sets.
    paged('an array set pages by 16', `[${range(0, 48).join(', ')}].toSet().paginate()`, [range(0, 16), range(16, 32), range(32, 48)], 'array pagination: paginates'),
    ok('Set.paginate takes a size (1)', 'let p = [0, 1, 2, 3].toSet().paginate(1)\nlet q = Set.paginate(p.after!, 1)\n[p.data, q.data, q.after != null]', [[0], [1], true], 'array pagination: paginates with size'),
    ok('Set.paginate takes a size (2)', 'let p = [0, 1, 2, 3].toSet().paginate(1)\nlet q = Set.paginate(p.after!, 2)\nlet r = Set.paginate(q.after!, 2)\n[q.data, r.data, r.after]', [[1, 2], [3], null], 'array pagination: paginates with size'),
    ok('Set.paginate takes a size (3)', 'let p = [0, 1, 2, 3].toSet().paginate(1)\nlet q = Set.paginate(p.after!, 3)\n[q.data, q.after]', [[1, 2, 3], null], 'array pagination: paginates with size'),
    ok('Set.paginate takes a size (5)', 'let p = [0, 1, 2, 3].toSet().paginate(1)\nlet q = Set.paginate(p.after!, 5)\n[q.data, q.after]', [[1, 2, 3], null], 'array pagination: paginates with size'),
    // Page size bounds.
    { name: 'paginate(0)', query: 'P32.all().paginate(0)', error: { code: 'invalid_bounds' }, source: `${SPEC} (page size must be between 0 and 100k)` },
    { name: 'paginate(-1)', query: 'P32.all().paginate(-1)', error: { code: 'invalid_bounds' }, source: `${SPEC} (page size must be between 0 and 100k)` },
    { name: 'paginate(100001)', query: 'P32.all().paginate(100001)', error: { code: 'invalid_bounds' }, source: `${SPEC} (page size must be between 0 and 100k)` },
    // Collection sets and what their cursors carry.
    paged('a collection set materializes as pages', 'P48.all().map(.foo)', [range(1, 17), range(17, 33), range(33, 49)], 'sets materialize as page with cursors'),
    paged('cursors carry closures', 'let fuu = -1; P32.all().map(.foo * fuu)', [range(1, 17).map((i) => -i), range(17, 33).map((i) => -i)], 'set pagination works with closures'),
    paged('cursors carry the bang operator', 'P32.all().map(.foo!)', [range(1, 17), range(17, 33)], 'set pagination works with bang operator'),
    paged('cursors carry closed-over globals', 'P32.all().where(d => (d == P32) || true).map(.foo)', [range(1, 17), range(17, 33)], 'set pagination works with closed over globals'),
    paged('cursor of an index', 'P48.byBar("baz").map(.foo)', [range(1, 17), range(17, 33), range(33, 49)], 'cursor serialization - index'),
    // Later pages read the set as of the first page's query (the cursor's systemValidTS).
    pagedAround('later pages do not see documents created since', 'Stable.all().map(.foo)', [range(1, 17), range(17, 33)],
      ['Stable.create({ foo: 33, bar: "baz" })'], 'set pagination is stable in presence of subsequent writes'),
    pagedAround('later index pages keep the snapshot through writes and deletes', 'StableIdx.byBar("baz").map(.foo)',
      [range(1, 17), range(17, 33), range(33, 49)],
      ['StableIdx.create({ foo: 0, bar: "baz" })\nStableIdx.all().where(.foo == 20).first()!.delete()\nStableIdx.all().where(.foo == 30).first()!.update({ foo: 300 })',
        'StableIdx.all().where(.foo == 40).first()!.delete()\nStableIdx.create({ foo: 49, bar: "baz" })'],
      'set pagination is stable in presence of subsequent writes'),
    paged('cursor of take', 'P48.all().take(20).map(.foo)', [range(1, 17), range(17, 21)], 'cursor serialization - take'),
    paged('cursor of where', 'P48.all().where(.foo <= 20).map(.foo)', [range(1, 17), range(17, 21)], 'cursor serialization - where'),
    paged('cursor of order', 'P48.all().order(.foo).map(.foo)', [range(1, 17), range(17, 33), range(33, 49)], 'cursor serialization - order'),
    paged('cursor of a projection', 'P48.all() { foo, null_key }', [range(1, 17), range(17, 33), range(33, 49)].map((p) => p.map((foo) => ({ foo, null_key: null }))), 'cursor serialization - projection'),
    // Covered values in cursors.
    ok('pagination on indexed objects', 'let page = PersonObj.byName("A").paginate(1)\nSet.paginate(page.after!).data.map(d => [d.name, d.address])', [['A', { city: 'Y', state: 'Z' }]]),
    ok('pagination on indexed arrays', 'let page = PersonArr.byName("A").paginate(1)\nSet.paginate(page.after!).data.map(d => [d.name, d.address])', [['A', ['Y', 'Z']]]),
    ok('a partial covered value is materialized', 'PersonNested.byName("A").map(.address).toArray()', [{ city: 'San Mateo' }], 'partial value projection'),
    paged('pagination works with partials in tokens', 'let b = things.by_color__value_asc("yellow") { value }\nlet a = things.by_color__value_asc("purple") { value }\na.concat(b).order(.value.foo).pageSize(4)',
      [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4]].map((p) => p.map((foo, i) => ({ value: { foo, color: i % 2 === 0 ? 'purple' : 'yellow' } })))),
    paged('pagination works with docs in tokens', 'let b = things2.by_color__value_asc("yellow")\nlet a = things2.by_color__value_asc("purple")\na.concat(b).order(.value).pageSize(4).map(d => [d.value, d.color])',
      [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4]].map((p) => p.map((v, i) => [v, i % 2 === 0 ? 'purple' : 'yellow']))),
    {
      name: 'pagination works with partials (decorated format)',
      query: 'let b = things.by_color__value_asc("yellow") { value }\nlet a = things.by_color__value_asc("purple") { value }\na.concat(b).order(.value.foo).take(4)',
      headers: { 'x-format': 'decorated' },
      result: ['{', '  data: [', ...[[0, 'purple'], [0, 'yellow'], [1, 'purple'], [1, 'yellow']].flatMap(([foo, color], i) => [
        '    {', '      value: {', `        foo: ${foo},`, `        color: "${color}"`, '      }', i === 3 ? '    }' : '    },',
      ]), '  ]', '}'].join('\n'),
      source: `${SPEC} (pagination works with partials (decorated format))`,
    },
    // Sets inside sets.
    paged('pagination works with set tokens in set tokens', 't1.all().map(tt => t2.all().paginate(2)).order(.after).map(p => p.data.map(.num)).pageSize(2)', [[[0, 1], [0, 1]], [[0, 1], [0, 1]], [[0, 1]]]),
    ok('an inner page cursor resumes', 'let p = t1.all().map(tt => t2.all().paginate(2)).order(.after).pageSize(2).paginate()\nSet.paginate(p.data[0].after!).data.map(.num)', [2, 3], 'pagination works with set tokens in set tokens'),
    paged('pagination works with nested sets', 't1.all().map(tt => t3.all()).order(.count()).map(s => s.paginate().data.map(.num)).pageSize(2)', [[range(0, 16), range(0, 16)], [range(0, 16), range(0, 16)], [range(0, 16)]]),
    ok('a nested set resumes from its own cursor', 'let p = t1.all().map(tt => t3.all()).order(.count()).pageSize(2).paginate()\nSet.paginate(p.data[0].paginate().after!).data.map(.num)', range(16, 20), 'pagination works with nested sets'),
    ...pageSizeCases,
  ],
};
