// Projection `value { field, alias: expr, nested { ... } }` (core FQL2ProjectionSpec.scala):
// objects keep only the named fields (absent ones read as null), arrays project each element,
// documents project their fields, other values pass through and null short-circuits.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2ProjectionSpec.scala';
const NO_CHECK = { 'x-typecheck': 'false' };

const ok = (name: string, query: string, result: unknown, unchecked = false): ConformanceCase =>
  ({ name, query, result, ...(unchecked ? { headers: NO_CHECK } : {}), source: `${SPEC} (${name})` });

export const area: ConformanceArea = {
  area: 'projection',
  setup: ['Collection.create({ name: "Authors" })'],
  cases: [
    ok('supports projection on a struct',
      'let x = {\n  "foo": "bar",\n  "fooGone": "bar",\n  "hello": "friend",\n  "gentleman": {\n    "locke": "lamora",\n    "jean": "tannen",\n    "other": {\n      "calo": "galdo",\n      "bug": "chains"\n    }\n  }\n}\nx {\n  hello,\n  gentleman {\n    locke,\n    other {\n      calo\n    }\n  },\n  foo\n}',
      { hello: 'friend', gentleman: { locke: 'lamora', other: { calo: 'galdo' } }, foo: 'bar' }),
    ok('supports rebinding',
      'let x = { a: 1, b: 10, c: { d: 5, e: 10 } }\nlet y = 100\nx {\n  a,\n  plus: .a + .b,\n  plusplus: .a + y,\n  cplus: .c.d + .c.e,\n  cplusplus: .c.d + y,\n  c {\n    plus: .d + .e,\n    plusplus: .d + y\n  },\n  cc: .c {\n    plus: .d + .e,\n    plusplus: .d + y\n  }\n}',
      { a: 1, plus: 11, plusplus: 101, cplus: 15, cplusplus: 105, c: { plus: 15, plusplus: 105 }, cc: { plus: 15, plusplus: 105 } }),
    ok('returns nulls when requesting keys that aren\'t present', 'let x = {\n  "foo": "bar",\n}\nx {\n  foo,\n  hello\n}', { foo: 'bar', hello: null }, true),
    ok('supports projection on arrays', 'let y = [\n  { "hi": "low", "whoa": "now" },\n  { "hi": "bye", "no": "sir" },\n  { "hi": "howdy" }\n]\ny {\n  hi\n}', [{ hi: 'low' }, { hi: 'bye' }, { hi: 'howdy' }], true),
    ok('supports projection on documents',
      'let author = Authors.create({\n  "foo": "bar",\n  "seattle": "wa",\n})\nlet projectedId = author { id }\nlet readAuthor = Authors.byId(projectedId.id)\nreadAuthor {\n  hello,\n  nested {\n    key\n  },\n  foo\n}',
      { hello: null, nested: null, foo: 'bar' }),
    { name: 'a projection of a document holds only the named fields', query: 'Object.keys(Authors.create({ foo: "bar", seattle: "wa" }) { id, foo })', result: ['id', 'foo'], source: `${SPEC} (supports projection on documents: seattle is absent)` },
    ok('ints are passed through', '3 {\n  hello,\n  nested {\n    key\n  }\n}', 3, true),
    ok('strings are passed through', '"goodbye" {\n  hello,\n  nested {\n    key\n  }\n}', 'goodbye', true),
    ok('doubles are passed through', '1.1 {\n  hello,\n  nested {\n    key\n  }\n}', 1.1, true),
    ok('booleans are passed through', 'true {\n  hello,\n  nested {\n    key\n  }\n}', true, true),
    ok('nulls short-circuit', 'null {\n  hello,\n  nested {\n    key\n  }\n}', null, true),
  ],
};
