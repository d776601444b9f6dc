// Unique constraints. Each constraint keeps one key per distinct value tuple,
//   [db, 'u', collId, constraint, ...values] → id of the document holding it,
// so a write checks a candidate tuple with a single point read. That read is part of the
// transaction's read set: of two concurrent transactions claiming the same tuple, the second
// to commit conflicts, retries, and then sees the first one's claim.
import { QueryError } from '../../fql/errors';
import type { ObjectV } from '../../fql/values/value';
import { fromBytes, toBytes } from '../codec';
import { prefixEnd, uniqueKey, uniquePrefix } from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import type { UniqueDef } from '../definitions/schema';
import type { PathPart } from '../definitions/field-path';
import { entryParts } from '../indexes/entries';
import { clearRange } from '../indexes/index-store';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function claimKeys(model: ModelTxnImpl, def: CollectionDef, u: UniqueDef, view: ObjectV): Uint8Array[] {
  return entryParts(view, u.fields, u.fields.length).map((parts) => uniqueKey(model.db, def.id, u.fingerprint, parts));
}

/** Core's failure of unique constraints (user-defined, or the internal ones on names), one per constraint and its field paths. */
export function uniqueFailure(failed: readonly { readonly paths: readonly (readonly PathPart[])[] }[]): QueryError {
  return new QueryError('constraint_failure', 'Failed unique constraint.', undefined, {
    constraintFailures: failed.map((u) => ({ paths: u.paths, message: 'Failed unique constraint' })),
  });
}

const pathsOf = (u: UniqueDef) => ({ paths: u.fields.map((f) => f.path) });

/** Whether `owner` still holds its claim (claims of expired documents are free). */
async function liveOwner(model: ModelTxnImpl, def: CollectionDef, owner: string): Promise<boolean> {
  return (await model.getDoc(def.name, owner)) !== undefined;
}

/**
 * Check a document version against every unique constraint, then move its claims from the
 * old version's tuples to the new one's. Throws `constraint_failure` listing every violated
 * constraint.
 */
export async function enforceUniques(
  model: ModelTxnImpl, def: CollectionDef, uniques: readonly UniqueDef[], id: string,
  before: ObjectV | undefined, after: ObjectV | undefined,
): Promise<void> {
  const plans: { oldKeys: Uint8Array[]; newKeys: Uint8Array[] }[] = [];
  const failed: UniqueDef[] = [];
  for (const u of uniques) {
    const oldKeys = before ? claimKeys(model, def, u, before) : [];
    const newKeys = after ? claimKeys(model, def, u, after) : [];
    const had = new Set(oldKeys.map(hex));
    for (const k of newKeys) {
      if (had.has(hex(k))) continue;
      const raw = await model.kv.get(k);
      const owner = raw ? fromBytes<string>(raw) : undefined;
      if (owner !== undefined && owner !== id && (await liveOwner(model, def, owner))) {
        failed.push(u);
        break;
      }
    }
    plans.push({ oldKeys, newKeys });
  }
  if (failed.length > 0) throw uniqueFailure(failed.map(pathsOf));
  for (const { oldKeys, newKeys } of plans) {
    const kept = new Set(newKeys.map(hex));
    for (const k of oldKeys) if (!kept.has(hex(k))) model.kv.delete(k);
    const had = new Set(oldKeys.map(hex));
    for (const k of newKeys) if (!had.has(hex(k))) model.kv.put(k, toBytes(id));
  }
}

/**
 * Claim the tuples of every existing document for a newly added constraint. As core, a new
 * constraint is not applied retroactively: its backing index is built from the existing
 * documents without a uniqueness check (core IndexWriteConfig.writeInternal builds with
 * Store.build), so duplicates already stored are kept and the first holder of a tuple claims
 * it; only later writes are checked.
 */
export async function buildUnique(
  model: ModelTxnImpl, def: CollectionDef, u: UniqueDef,
  forEach: (visit: (id: string, view: ObjectV) => Promise<void>) => Promise<void>,
): Promise<void> {
  await clearUnique(model, def.id, u.fingerprint);
  await forEach(async (id, view) => {
    for (const k of claimKeys(model, def, u, view)) {
      if (!(await model.kv.get(k))) model.kv.put(k, toBytes(id));
    }
  });
}

export async function clearUnique(model: ModelTxnImpl, collId: number, fingerprint?: string): Promise<void> {
  const prefix = uniquePrefix(model.db, collId, fingerprint);
  await clearRange(model, prefix, prefixEnd(prefix));
}
