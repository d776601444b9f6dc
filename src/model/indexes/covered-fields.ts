// The fields an index covers: top-level document fields among its terms and values, whose
// values its entries record with their exact types, so a query reading only those (plus `id`,
// `coll`, `ts`, `ttl`) from documents of an index set need not fetch the documents. Excluded:
// nested paths (reading `doc.address` needs the whole object), mva fields (an entry holds one
// element, not the array), computed fields (they evaluate when read, against the read's
// snapshot) and the metadata fields (the entry's key and value hold them already).
import type { CollectionSchema, IndexDef } from '../definitions/schema';

const METADATA = new Set(['id', 'coll', 'ts', 'ttl']);

const cache = new WeakMap<IndexDef, readonly string[]>();

export function coveredFields(idx: IndexDef, schema: CollectionSchema): readonly string[] {
  const hit = cache.get(idx);
  if (hit) return hit;
  const computed = new Set(schema.computed.map((c) => c.name));
  const out = new Set<string>();
  for (const f of [...idx.terms, ...idx.values]) {
    const name = f.path[0];
    if (f.path.length !== 1 || typeof name !== 'string' || f.mva || METADATA.has(name) || computed.has(name)) continue;
    out.add(name);
  }
  const fields = [...out];
  cache.set(idx, fields);
  return fields;
}
