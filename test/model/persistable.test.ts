// Definitions refuse values that cannot be stored (core FQL2CollectionSpec "rejects
// non-persistable values").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/fql/errors';
import { arr, int, obj, str } from '../../src/fql/values/construct';
import type { Value } from '../../src/fql/values/value';
import { refuseNonPersistable } from '../../src/model/definitions/persistable';

const refusal = (fields: [string, Value][]): string | undefined => {
  try {
    refuseNonPersistable(new Map(fields));
    return undefined;
  } catch (e) {
    assert.ok(e instanceof QueryError);
    assert.equal(e.code, 'invalid_type');
    return e.message;
  }
};

describe('refuseNonPersistable', () => {
  it('accepts stored kinds of values', () => {
    assert.equal(refusal([['name', str('A')], ['data', obj([['x', arr([int(1)])]])]]), undefined);
  });
  it('names the module and where it is', () => {
    assert.equal(refusal([['name', { t: 'module', name: 'Collection' }]]), 'Value at `name` has type Collection, which cannot be persisted.');
    assert.equal(refusal([['data', obj([['a', arr([int(0), { t: 'module', name: 'Math' }])]])]]),
      'Value at `data.a[1]` has type Math, which cannot be persisted.');
  });
});
