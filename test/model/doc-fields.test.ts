// Where a document's fields show: reserved names and names of computed fields keep their
// stored value only under `data` (core FQL2ComputedFieldsSpec "overlaps with data are handled
// nicely"; CollectionSchema reserved fields).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { int } from '../../src/fql/values/construct';
import type { Value } from '../../src/fql/values/value';
import { displayedFields } from '../../src/model/doc-fields';

const fields = (...kv: [string, Value][]): ReadonlyMap<string, Value> => new Map(kv);

describe('displayedFields', () => {
  it('keeps plain stored fields as they are', () => {
    const data = fields(['a', int(1)]);
    assert.equal(displayedFields('User', data), data);
  });
  it('shows a reserved stored field under data', () => {
    assert.deepEqual([...displayedFields('User', fields(['a', int(1)], ['ts', int(2)]))],
      [['a', int(1)], ['data', { t: 'object', v: fields(['ts', int(2)]) }]]);
  });
  it('puts computed fields after the stored ones', () => {
    assert.deepEqual([...displayedFields('User', fields(['a', int(1)]), fields(['c', int(3)]))],
      [['a', int(1)], ['c', int(3)]]);
  });
  it('shows a stored field named like a computed one under data, the computed value on top', () => {
    assert.deepEqual([...displayedFields('User', fields(['foo', int(5)], ['x', int(0)]), fields(['foo', int(3)]))],
      [['x', int(0)], ['foo', int(3)], ['data', { t: 'object', v: fields(['foo', int(5)]) }]]);
  });
});
