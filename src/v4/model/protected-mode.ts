// FQL v4 schema writes in a protected database (core CollectionWriteConfig.write / delete and
// IndexWriteConfig.delete): refused before anything changes with a `schema validation failed`
// error (400) whose description is core's protected-mode message. v4 refuses deleting any index,
// not only one that backs a collection index. The rules: src/model/definitions/protected-mode.ts.
import type { Value } from '../../fql/values/value';
import type { ModelTxnImpl } from '../../model/model-txn';
import { PROTECTED_MODE, isProtectedDb, retentionFailures } from '../../model/definitions/protected-mode';
import { type Position, V4Error } from '../errors';

const refused = (message: string, pos: Position): V4Error => new V4Error('schema validation failed', message, pos);

/** `Delete(Collection(x))` / `Delete(Index(x))`. */
export async function refuseProtectedDelete(model: ModelTxnImpl, schemaColl: string, pos: Position): Promise<void> {
  if (schemaColl !== 'Collection' && schemaColl !== 'Index') return;
  if (!(await isProtectedDb(model.kv, model.db))) return;
  throw refused(schemaColl === 'Collection' ? PROTECTED_MODE.deleteCollection : PROTECTED_MODE.deleteBackingIndex, pos);
}

/** `Update` / `Replace` of a collection from `before` to `after` (the first failure, as core's first error). */
export async function refuseProtectedRetention(
  model: ModelTxnImpl, before: ReadonlyMap<string, Value>, after: ReadonlyMap<string, Value>, pos: Position,
): Promise<void> {
  const failures = retentionFailures(before, after);
  if (failures.length === 0 || !(await isProtectedDb(model.kv, model.db))) return;
  throw refused(failures[0], pos);
}
