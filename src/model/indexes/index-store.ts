// Index entries in storage. An entry's key is
//   [db, 'i', collId, index, ...terms, ...values, docId]
// so that one exact-match prefix per term tuple holds the matching documents ordered by the
// index values, then by document id. The entry's value carries the document's ttl (if any) so
// reads can drop expired documents without fetching them.
import type { EvalContext } from '../../fql/eval/context';
import type { ObjectV } from '../../fql/values/value';
import type { KeyPart } from '../../storage/tuple';
import { fromBytes, toBytes } from '../codec';
import { indexKey, indexPrefix, prefixEnd } from '../keys';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import { fullDocView } from '../definitions/doc-view';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { entryParts } from './entries';

const EMPTY = new Uint8Array(0);

export function entryValue(ttl: bigint | undefined): Uint8Array {
  return ttl === undefined ? EMPTY : toBytes({ ttl: ttl.toString() });
}

/** The expiry (ns) recorded in an entry's value. */
export function entryTtl(value: Uint8Array): bigint | undefined {
  if (value.length === 0) return undefined;
  const ttl = fromBytes<{ ttl?: string }>(value).ttl;
  return ttl === undefined ? undefined : BigInt(ttl);
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
  const had = new Set(oldKeys.map(hex));
  const ttlChanged = before?.ttl !== after?.ttl;
  for (const k of newKeys) if (ttlChanged || !had.has(hex(k))) model.kv.put(k, entryValue(after?.ttl));
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
