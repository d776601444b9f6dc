// Where a document's user fields show (core CollectionSchema reserved fields): a user field
// whose name a document's own members take (`id`, `coll`, `ts`, `ttl`, `data` and its methods)
// can only be written through the `*Data` methods and shows only under `data`; `doc.data` is
// every user field.
import type { ObjectV, Value } from '../fql/values/value';
import { SYSTEM_COLLECTIONS } from './identity/system';

/** core Tokens.ReservedFieldNames: refused as top-level fields of `create`/`update`/`replace`. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(['id', 'coll', 'ts', 'data', 'update', 'delete', 'replace', 'exists']);

/** Keys, tokens and credentials have a `data` field of their own (core: reserved minus `data`). */
const NATIVE_RESERVED: ReadonlySet<string> = new Set([...RESERVED_FIELD_NAMES].filter((n) => n !== 'data'));

/** Documents of user collections (not keys, tokens, credentials): they have `data` and `*Data` methods. */
export const isUserDocument = (coll: string): boolean => !SYSTEM_COLLECTIONS.has(coll);

export function reservedFieldNames(coll: string): ReadonlySet<string> {
  return isUserDocument(coll) ? RESERVED_FIELD_NAMES : NATIVE_RESERVED;
}

/** Names whose stored user field shows under `data` (the reserved ones and `ttl`). */
const DATA_ONLY = new Set([...RESERVED_FIELD_NAMES, 'ttl']);

/** Whether a user document's stored field `name` shows only under `data`, not at the top. */
export const showsOnlyUnderData = (name: string): boolean => DATA_ONLY.has(name);

/**
 * The user fields as a document shows them: stored fields, then `computed` fields, at the top;
 * a stored field whose name is reserved or taken by a computed field (written by `createData`
 * and friends) shows only under `data` (core FQL2ComputedFieldsSpec "overlaps with data are
 * handled nicely").
 */
export function displayedFields(
  coll: string, data: ReadonlyMap<string, Value>, computed?: ReadonlyMap<string, Value>,
): ReadonlyMap<string, Value> {
  if (!isUserDocument(coll)) return data;
  const hidden = (k: string): boolean => DATA_ONLY.has(k) || computed?.has(k) === true;
  let nested: Map<string, Value> | undefined;
  for (const k of data.keys()) if (hidden(k)) (nested ??= new Map()).set(k, data.get(k)!);
  if (!nested && !computed?.size) return data;
  const top = new Map<string, Value>();
  for (const [k, v] of data) if (!hidden(k)) top.set(k, v);
  for (const [k, v] of computed ?? []) top.set(k, v);
  if (nested) top.set('data', { t: 'object', v: nested });
  return top;
}

/** `doc.data`: every user field. */
export const dataObject = (data: ReadonlyMap<string, Value>): ObjectV => ({ t: 'object', v: new Map(data) });
