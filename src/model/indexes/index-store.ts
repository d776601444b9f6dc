// Index entries in storage. An entry's key is
//   [db, 'i', collId, index, ...terms, ...values, docId]
// so that one exact-match prefix per term tuple holds the matching documents ordered by the
// index values, then by document id. The entry's value carries the document's ttl (if any) so
// reads can drop expired documents without fetching them, and the version's `ts` and covered
// fields (src/model/indexes/covered-fields.ts) with their exact types (the key encoding makes
// 1, 1.0 and Long 1 one key), so reads of those fields need not fetch the document either.
import type { EvalContext } from '../../fql/eval/context';
import type { ObjectV, Value } from '../../fql/values/value';
import type { KeyPart } from '../../storage/tuple';
import { decodeFields, encodeFields, fromBytes, toBytes } from '../codec';
import { indexKey, indexPrefix, prefixEnd } from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import { fullDocView } from '../definitions/doc-view';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { entryParts } from './entries';
import { coveredFields } from './covered-fields';

type Json = ReturnType<typeof encodeFields>;
const NULL: Value = { t: 'null' };

/**
 * An entry's stored value. `ts` (µs) and `cv` (the covered fields, null for a missing one) are
 * absent from entries written before covering existed: their readers fetch the document.
 */
interface StoredEntry { ttl?: string; ts?: string; cv?: Json }

/** What an entry records of its document's version. */
export interface EntryVersion {
  readonly ttl?: bigint;
  readonly ts: bigint;
  /** Every covered field of the index, null where the document has none. */
  readonly covered: ReadonlyMap<string, Value>;
}

export function entryValue(view: ObjectV, ttl: bigint | undefined, covered: readonly string[]): Uint8Array {
  const tsV = view.v.get('ts');
  const stored: StoredEntry = { ts: tsV?.t === 'time' ? (tsV.ns / 1000n).toString() : '0' };
  if (ttl !== undefined) stored.ttl = ttl.toString();
  if (covered.length > 0) stored.cv = encodeFields(new Map(covered.map((f) => [f, view.v.get(f) ?? NULL] as const)));
  return toBytes(stored);
}

/** The expiry (ns) recorded in an entry's value. */
export function entryTtl(value: Uint8Array): bigint | undefined {
  if (value.length === 0) return undefined;
  const ttl = fromBytes<StoredEntry>(value).ttl;
  return ttl === undefined ? undefined : BigInt(ttl);
}

/** The version an entry records, if it records one (see StoredEntry). */
export function entryVersion(value: Uint8Array): EntryVersion | undefined {
  if (value.length === 0) return undefined;
  const s = fromBytes<StoredEntry>(value);
  if (s.ts === undefined) return undefined;
  return {
    ts: BigInt(s.ts),
    ttl: s.ttl === undefined ? undefined : BigInt(s.ttl),
    covered: s.cv === undefined ? new Map() : decodeFields(s.cv),
  };
}

function entryKeys(model: ModelTxnImpl, def: CollectionDef, idx: IndexDef, view: ObjectV, id: string): Uint8Array[] {
  const fields = [...idx.terms, ...idx.values];
  const docId = BigInt(id);
  return entryParts(view, fields, idx.terms.length).map((parts: KeyPart[]) =>
    indexKey(model.db, def.id, idx.name, [...parts, docId]));
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export interface VersionView { readonly view: ObjectV; readonly ttl?: bigint }

/** Replace a document's entries in one index: remove the old version's, add the new one's. */
export function updateIndexEntries(
  model: ModelTxnImpl, def: CollectionDef, idx: IndexDef, id: string,
  before: VersionView | undefined, after: VersionView | undefined,
): void {
  const oldKeys = before ? entryKeys(model, def, idx, before.view, id) : [];
  const newKeys = after ? entryKeys(model, def, idx, after.view, id) : [];
  const kept = new Set(newKeys.map(hex));
  for (const k of oldKeys) if (!kept.has(hex(k))) model.kv.delete(k);
  if (!after || newKeys.length === 0) return;
  // Every entry is rewritten, even under an unchanged key: it records the version's ts.
  const value = entryValue(after.view, after.ttl, coveredFields(idx, schemaOf(def)));
  for (const k of newKeys) model.kv.put(k, value);
}

/** Delete every key in [start, end). */
export async function clearRange(model: ModelTxnImpl, start: Uint8Array, end: Uint8Array): Promise<void> {
  for (;;) {
    const rows = await model.kv.scan({ start, end, limit: 1024 });
    for (const r of rows) model.kv.delete(r.key);
    if (rows.length < 1024) return;
    start = prefixEnd(rows[rows.length - 1].key);
  }
}

export async function clearIndex(model: ModelTxnImpl, collId: number, name?: string): Promise<void> {
  const prefix = indexPrefix(model.db, collId, name);
  await clearRange(model, prefix, prefixEnd(prefix));
}

/** Visit every current document of a collection with its full view (computed fields included). */
export async function forEachDocView(
  ctx: EvalContext, model: ModelTxnImpl, def: CollectionDef,
  visit: (id: string, v: VersionView) => Promise<void> | void,
): Promise<void> {
  const schema = schemaOf(def);
  let after: bigint | undefined;
  for (;;) {
    const { docs, lastId, more } = await model.scanDocs(def, after, 1024);
    for (const d of docs) {
      const view = await fullDocView(model, ctx, schema, d);
      await visit(d.id, { view, ttl: d.ttl });
    }
    if (!more || lastId === undefined) return;
    after = lastId;
  }
}

/** Build an index over the documents already in the collection (synchronously). */
export async function buildIndex(ctx: EvalContext, model: ModelTxnImpl, def: CollectionDef, idx: IndexDef): Promise<void> {
  await clearIndex(model, def.id, idx.name);
  await forEachDocView(ctx, model, def, (id, v) => updateIndexEntries(model, def, idx, id, undefined, v));
}
