// Reads through a past snapshot. A document read inside `at (t) { ... }` keeps `t` wherever it
// goes, and so do the references it holds: their reads show the version as of `t` even after
// the referenced document was updated or deleted (core FQL2TemporalitySpec.scala). Reads before
// the history a collection keeps are refused with a 400 (core FQL2BasicSpec.scala).
import type { ConformanceArea, ConformanceCase } from '../case';

const TEMPORALITY = 'FQL2TemporalitySpec.scala';

// The spec creates alice and bob (bob.other = alice) at T, then renames them Carol and Joe in
// one later transaction. One microsecond before that rename is a time at which both still
// have their first version.
const AT_T = 'let t = User.byId("2")!.ts.subtract(1, "microsecond")\n';
const BOB = 'User.byId("2")!';

/** The spec's three ways of reading alice's name through bob as of T. */
function throughBob(test: string, suffix = ''): ConformanceCase[] {
  const source = `${TEMPORALITY} ("${test}")`;
  return [
    { name: `at (T) { bob.other.name }${suffix}`, query: `${AT_T}at (t) { ${BOB}.other.name }`, result: 'Alice', source },
    { name: `(at (T) { bob.other }).name${suffix}`, query: `${AT_T}(at (t) { ${BOB}.other }).name`, result: 'Alice', source },
    { name: `(at (T) { bob }).other.name${suffix}`, query: `${AT_T}(at (t) { ${BOB} }).other.name`, result: 'Alice', source },
  ];
}

const temporality: ConformanceArea = {
  area: 'temporality',
  setup: [
    'Collection.create({ name: "User" })',
    'let alice = User.create({ id: "1", name: "Alice" })\nUser.create({ id: "2", name: "Bob", other: alice })',
    'User.byId("1")!.update({ name: "Carol" })\nUser.byId("2")!.update({ name: "Joe" })',
  ],
  cases: [
    { name: 'bob.other.name now', query: `${BOB}.other.name`, result: 'Carol', source: `${TEMPORALITY} ("lookup other docs in the past")` },
    { name: 'at (T) { bob.name }', query: `${AT_T}at (t) { ${BOB}.name }`, result: 'Bob', source: `${TEMPORALITY} ("lookup name in the past")` },
    { name: '(at (T) { bob }).name', query: `${AT_T}(at (t) { ${BOB} }).name`, result: 'Bob', source: `${TEMPORALITY} ("lookup name in the past")` },
    ...throughBob('lookup other docs in the past'),
    {
      // Core renders each Value.Doc as of its own readTS: the same document twice, two versions.
      name: 'a past document renders as of its snapshot next to the present one',
      query: `${AT_T}{ now: ${BOB}, then: at (t) { ${BOB} }, other: (at (t) { ${BOB} }).other }`,
      subset: { now: { name: 'Joe' }, then: { name: 'Bob' }, other: { name: 'Alice' } },
      source: `${TEMPORALITY} ("lookup docs in the past"); ReadBroker.scala (extractVersionField: Value.fromIR(_, _, doc.readTS))`,
    },
    { name: 'delete alice', query: 'User.byId("1")!.delete()\n"deleted"', result: 'deleted', source: `${TEMPORALITY} ("deleting a doc should work")` },
    ...throughBob('deleting a doc should work', ' after alice is deleted'),
    { name: 'bob.other?.name after alice is deleted', query: `${BOB}.other?.name`, result: null, source: `${TEMPORALITY} ("deleting a doc should work")` },
    {
      name: 'a deleted document renders as of the snapshot it was reached through',
      query: `${AT_T}(at (t) { ${BOB} }).other`,
      subset: { id: '1', name: 'Alice' },
      source: `${TEMPORALITY} ("deleting a doc should work"); ReadBroker.scala (materializeValue reads a Value.Doc at its readTS)`,
    },
  ],
};

const BASIC = 'FQL2BasicSpec.scala ("returns a 400 when reading before MVT")';
const BEFORE_MVT = 'Requested timestamp 2000-01-01T00:00:00Z less than minimum allowed timestamp';
const beforeMvt = { code: 'invalid_request', messageIncludes: BEFORE_MVT };

const minValidTime: ConformanceArea = {
  area: 'min_valid_time',
  setup: ['Collection.create({ name: "Author", "history_days": 0 })', 'Author.create({ id: "1", foo: "bar" })'],
  cases: [
    { name: 'reading a document before MVT', query: 'at (Time("2000-01-01T00:00:00.000Z")) {\n  Author.byId("1")!.foo\n}', error: beforeMvt, source: BASIC },
    {
      // Storage.scala: SetSnapshot checks its valid time against the MVT as DocSnapshot does.
      name: 'reading a collection before MVT',
      query: 'at (Time("2000-01-01T00:00:00.000Z")) { Author.all().toArray() }',
      error: beforeMvt,
      source: `${BASIC}; SetSnapshot (storage api) ReadValidTimeBelowMVT.maybeThrow`,
    },
    {
      name: 'the MVT is history_days plus 15 minutes ago',
      query: 'at (Time.now().subtract(14, "minutes")) { Author.byId("1").exists() }',
      result: false,
      source: 'Collection.scala (deriveMinValidTime: MVTOffset = 15.minutes)',
    },
    {
      name: 'the message ends with the MVT',
      query: 'at (Time.now().subtract(16, "minutes")) { Author.byId("1").exists() }',
      error: { code: 'invalid_request', messageIncludes: 'less than minimum allowed timestamp ' },
      source: `${BASIC}; ExceptionResponseHelpers.scala (ReadValidTimeBelowMVT)`,
    },
  ],
};

export const areas: ConformanceArea[] = [temporality, minValidTime];
