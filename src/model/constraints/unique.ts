// Unique constraints. Each constraint keeps one key per holder of a value tuple,
//   [db, 'u', collId, constraint, ...values, docId] → id of the holding document,
// as core's backing unique index keeps a row per document (a violation reports the rows it
// conflicts with: WriteBroker.mapUniqueConstraintError). A tuple normally has one holder, but a
// constraint added over existing duplicates is built without a check (buildUnique), so it may
// have several, and a write claiming it must fail while any other live holder remains: with
// only one recorded holder, deleting that one would let a new duplicate in beside the others.
// A write reads a tuple's holders with one range scan, part of the transaction's read set: of
// two concurrent transactions claiming the same tuple, the second to commit conflicts, retries,
// and then sees the first one's claim.
//
// Stores written before per-holder keys have one key per tuple, [.., ...values] → its holder.
// That key lies at the start of the same range, so it is read as a holder like the others, and
// its holder releases it like its own key.
import { QueryError } from '../../fql/errors';
import type { ObjectV } from '../../fql/values/value';
import { fromBytes, toBytes } from '../codec';
import { prefixEnd, uniqueKey, uniquePrefix } from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import type { UniqueDef } from '../definitions/schema';
import type { PathPart } from '../definitions/field-path';
import { entryParts } from '../indexes/entries';
import { clearRange } from '../indexes/index-store';
import { keyAfter } from '../../storage/bytes';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A value tuple of a document under a constraint: its key (the prefix of its holders' keys), and its holder key. */
interface Tuple { readonly key: Uint8Array; readonly holder: Uint8Array }

function tuplesOf(model: ModelTxnImpl, def: CollectionDef, u: UniqueDef, view: ObjectV, id: string): Tuple[] {
  const docId = BigInt(id);
  return entryParts(view, u.fields, u.fields.length).map((parts) => ({
    key: uniqueKey(model.db, def.id, u.fingerprint, parts),
    holder: uniqueKey(model.db, def.id, u.fingerprint, [...parts, docId]),
  }));
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

/** Holders read per scan of a tuple's range (almost always 0 or 1 are there). */
const HOLDERS_BATCH = 16;

/**
 * The end of a tuple's holder keys: the tuple followed by any further part. Not prefixEnd
 * (strinc): a string part ends with 0x00 and an embedded 0x00 is escaped as 0x00 0xFF, so the
 * keys of the tuple ("a\0b") follow those of ("a") within strinc(("a")); no part starts with 0xFF.
 */
function holdersEnd(tuple: Uint8Array): Uint8Array {
  const out = new Uint8Array(tuple.length + 1);
  out.set(tuple);
  out[tuple.length] = 0xff;
  return out;
}

/** Whether a live document other than `id` holds `tuple`. */
async function heldByAnother(model: ModelTxnImpl, def: CollectionDef, tuple: Uint8Array, id: string): Promise<boolean> {
  const end = holdersEnd(tuple);
  for (let start = tuple; ;) {
    const rows = await model.kv.scan({ start, end, limit: HOLDERS_BATCH });
    for (const r of rows) {
      const holder = fromBytes<string>(r.value);
      if (holder !== id && (await liveOwner(model, def, holder))) return true;
    }
    if (rows.length < HOLDERS_BATCH) return false;
    start = keyAfter(rows[rows.length - 1].key);
  }
}

/** Give up `tuple`: the holder key of `id`, and the tuple's single-holder key of older stores if it is `id`'s. */
async function release(model: ModelTxnImpl, tuple: Tuple, id: string): Promise<void> {
  model.kv.delete(tuple.holder);
  const legacy = await model.kv.get(tuple.key);
  if (legacy !== undefined && fromBytes<string>(legacy) === id) model.kv.delete(tuple.key);
}

/**
 * Check a document version against every unique constraint, then move its claims from the
 * old version's tuples to the new one's. Throws `constraint_failure` listing every violated
 * constraint. A tuple the old version held already is not checked again (a duplicate kept
 * from before the constraint may still be updated).
 */
export async function enforceUniques(
  model: ModelTxnImpl, def: CollectionDef, uniques: readonly UniqueDef[], id: string,
  before: ObjectV | undefined, after: ObjectV | undefined,
): Promise<void> {
  const plans: { gone: Tuple[]; added: Tuple[] }[] = [];
  const failed: UniqueDef[] = [];
  for (const u of uniques) {
    const oldTuples = before ? tuplesOf(model, def, u, before, id) : [];
    const newTuples = after ? tuplesOf(model, def, u, after, id) : [];
    const had = new Set(oldTuples.map((t) => hex(t.key)));
    const kept = new Set(newTuples.map((t) => hex(t.key)));
    const added = newTuples.filter((t) => !had.has(hex(t.key)));
    for (const t of added) {
      if (await heldByAnother(model, def, t.key, id)) {
        failed.push(u);
        break;
      }
    }
    plans.push({ gone: oldTuples.filter((t) => !kept.has(hex(t.key))), added });
  }
  if (failed.length > 0) throw uniqueFailure(failed.map(pathsOf));
  for (const { gone, added } of plans) {
    for (const t of gone) await release(model, t, id);
    for (const t of added) model.kv.put(t.holder, toBytes(id));
  }
}

/**
 * Record the holders of every existing document for a newly added constraint. As core, a new
 * constraint is not applied retroactively: its backing index is built from the existing
 * documents without a uniqueness check (core IndexWriteConfig.writeInternal builds with
 * Store.build), so duplicates already stored are kept, every one of them as a holder of its
 * tuple; only later writes are checked, against all of them.
 */
export async function buildUnique(
  model: ModelTxnImpl, def: CollectionDef, u: UniqueDef,
  forEach: (visit: (id: string, view: ObjectV) => Promise<void>) => Promise<void>,
): Promise<void> {
  await clearUnique(model, def.id, u.fingerprint);
  await forEach(async (id, view) => {
    for (const t of tuplesOf(model, def, u, view, id)) model.kv.put(t.holder, toBytes(id));
  });
}

export async function clearUnique(model: ModelTxnImpl, collId: number, fingerprint?: string): Promise<void> {
  const prefix = uniquePrefix(model.db, collId, fingerprint);
  await clearRange(model, prefix, prefixEnd(prefix));
}
