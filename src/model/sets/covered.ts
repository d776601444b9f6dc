// Covered reads (issue 4): the fields an index entry records of its document (its covered
// fields with their exact types, `ts`, `ttl`; src/model/indexes/index-store.ts), remembered per
// transaction as an index set reads its entries, serve field reads of those documents without
// fetching them: `Account.byEmail(x) { email, name }`, `.map(.name)`.
//
// The answer must be the one reading the document would give, so an entry is not used when:
// - the read is of a past snapshot (`at`), which the entry does not describe, or of a resumed
//   cursor's snapshot older than the entry's version;
// - the transaction has read or written the document (its cached version is authoritative,
//   and reading it costs nothing);
// - the collection's definition changed since the entry was read (a rename or a migration);
// - the caller's read access depends on a predicate (or is denied): the read guard then needs
//   the document.
import type { EvalContext } from '../../fql/eval/context';
import type { DocV, Value } from '../../fql/values/value';
import type { DocData } from '../model-api';
import { ModelTxnImpl } from '../model-txn';
import { authState, memoOf } from '../identity/auth-state';
import { allowedUnconditionally } from '../identity/permissions';
import { entryVersion, type EntryVersion } from '../indexes/index-store';

interface RecordedEntry {
  readonly collId: number;
  /** The collection definition's ts when the entry was read. */
  readonly defTs: bigint;
  readonly raw: Uint8Array;
  /** Decoded on first use; null when the entry records no version (written before covering). */
  decoded?: EntryVersion | null;
}

/** Per transaction: document (coll, id) → index name → the entry last read from that index. */
const recorded = new WeakMap<ModelTxnImpl, Map<string, Map<string, RecordedEntry>>>();

const docKey = (coll: string, id: string): string => coll + '\u0000' + id;

/** Remember an entry an index set read, for later field reads of its document. */
export function recordEntry(
  model: ModelTxnImpl, coll: string, collId: number, defTs: bigint, index: string, id: string, value: Uint8Array,
): void {
  if (value.length === 0) return;
  let docs = recorded.get(model);
  if (!docs) recorded.set(model, (docs = new Map()));
  const k = docKey(coll, id);
  let byIndex = docs.get(k);
  if (!byIndex) docs.set(k, (byIndex = new Map()));
  byIndex.set(index, { collId, defTs, raw: value });
}

/**
 * Whether the caller may read every document of `coll` without a predicate (admin and server
 * keys, roles with `read: true`), memoised per query and principal.
 */
export async function readsUnconditionally(model: ModelTxnImpl, coll: string): Promise<boolean> {
  const state = authState(model);
  if (!state) return true;
  const memo = memoOf(state);
  const key = `coveredRead:${coll}`;
  const known = memo.get(key);
  if (typeof known === 'boolean') return known;
  const verdict = await allowedUnconditionally(state, coll, 'read');
  memo.set(key, verdict);
  return verdict;
}

const METADATA = new Set(['id', 'coll', 'ts', 'ttl']);

function versionOf(entry: RecordedEntry): EntryVersion | undefined {
  if (entry.decoded === undefined) entry.decoded = entryVersion(entry.raw) ?? null;
  return entry.decoded ?? undefined;
}

/** Serves a document's fields from index entries (src/fql/eval/fields.ts CoveredReader; installed by src/model/wiring.ts). */
export async function coveredDoc(ctx: EvalContext, ref: DocV, field?: string): Promise<DocData | undefined> {
  if (ref.readTs !== undefined || ctx.snapshotTs !== undefined) return undefined;
  const model = ctx.model;
  if (!(model instanceof ModelTxnImpl)) return undefined;
  const entries = recorded.get(model)?.get(docKey(ref.coll, ref.id));
  if (!entries || model.hasCachedDoc(ref.coll, ref.id)) return undefined;
  for (const entry of entries.values()) {
    const version = versionOf(entry);
    if (!version || (field !== undefined && !METADATA.has(field) && !version.covered.has(field))) continue;
    // Entries record current versions: one newer than a resumed cursor's snapshot does not
    // describe the document as of it (EvalContext.systemTs).
    if (ctx.systemTs !== undefined && version.ts > ctx.systemTs) return undefined;
    const def = await model.collection(ref.coll);
    if (!def || def.id !== entry.collId || def.ts !== entry.defTs) return undefined;
    if (!(await readsUnconditionally(model, ref.coll))) return undefined;
    // A missing field is recorded as null; documents never hold nulls.
    const data = new Map<string, Value>([...version.covered].filter(([, v]) => v.t !== 'null'));
    return { coll: ref.coll, id: ref.id, ts: version.ts, ttl: version.ttl, data };
  }
  return undefined;
}
