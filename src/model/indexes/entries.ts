// Which entries a document version contributes to an index or a unique constraint: one value
// per field, multi-valued (mva) array fields fanning out into one entry per element.
import type { ObjectV, Value } from '../../fql/values/value';
import type { KeyPart } from '../../storage/tuple';
import type { IndexField } from '../definitions/schema';
import { valueAt } from '../definitions/doc-view';
import { indexPart } from './value-encoding';

const NULL: Value = { t: 'null' };

/** `id` is stored as a string but indexes order it numerically, as Fauna's document ids. */
function fieldValue(view: ObjectV, f: IndexField): Value {
  const v = valueAt(view, f.path);
  if (f.path.length === 1 && f.path[0] === 'id' && v.t === 'string') return { t: 'long', v: BigInt(v.v) };
  return v;
}

/**
 * The values a field contributes: an mva array's elements, less its nulls (core's indexer drops
 * them: `byFoo(null)` does not find `{ foo: [1, null, 2] }`); an array with none left reads as
 * a missing field.
 */
function alternatives(view: ObjectV, f: IndexField): readonly Value[] {
  const v = fieldValue(view, f);
  if (!f.mva || v.t !== 'array') return [v];
  const elements = v.v.filter((e) => e.t !== 'null');
  return elements.length > 0 ? elements : [NULL];
}

/**
 * The key parts of every entry for `fields` (each field's value encoded, descending fields
 * inverted), deduplicated. A document whose term fields (the first `termCount`) are all null
 * is not in the index, as in Fauna.
 */
export function entryParts(
  view: ObjectV, fields: readonly (IndexField & { readonly desc?: boolean })[], termCount: number,
): KeyPart[][] {
  const alts = fields.map((f) => alternatives(view, f));
  if (termCount > 0 && alts.slice(0, termCount).every((a) => a.every((v) => v.t === 'null'))) return [];
  let combos: KeyPart[][] = [[]];
  fields.forEach((f, i) => {
    const parts = alts[i].map((v) => indexPart(v, f.desc === true));
    combos = combos.flatMap((c) => parts.map((p) => [...c, p]));
  });
  if (combos.length <= 1) return combos;
  const seen = new Set<string>();
  return combos.filter((c) => {
    const k = c.map((p) => Buffer.from(p as Uint8Array).toString('hex')).join(':');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
