// Writes and computed fields (core ConstraintFailure.ComputedFieldOverwrite, FQL2ComputedFieldsSpec
// "cannot be written to except under data"): `create`, `update` and `replace` may not set a
// field that a computed field of the collection names; `createData`, `updateData` and
// `replaceData` write every given field as stored data, so a stored field may share a computed
// field's name. The document then shows the computed value at the top and the stored one
// under `data` ("overlaps with data are handled nicely").
//
// The check runs in the write hook (register.ts), after the write gate, so that a caller who
// may not write learns nothing of the collection.
import type { ConstraintFailure } from '../../fql/errors';
import type { DocWrite } from '../write-broker';
import type { CollectionSchema } from './schema';

/**
 * Computed fields the write sets: none for a `*Data` write; otherwise each changed field that a
 * computed field names (a stored field of that name kept unchanged by `update` is no write to it).
 */
export function computedOverwrites(schema: CollectionSchema, w: DocWrite): ConstraintFailure[] {
  if (schema.computed.length === 0 || w.plainData) return [];
  const out: ConstraintFailure[] = [];
  for (const [k, v] of w.after?.data ?? []) {
    if (schema.computed.some((c) => c.name === k) && w.before?.data.get(k) !== v) {
      out.push({ paths: [[k]], message: 'Cannot write to a computed field' });
    }
  }
  return out;
}
