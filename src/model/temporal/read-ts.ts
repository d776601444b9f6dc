// A document read through a past snapshot (a DocV with `readTs`, from `at (t) { ... }`) hands
// its snapshot on to the references it holds: `(at (t) { bob }).other.name` reads `other` as of
// `t` too, even after `other` was updated or deleted. Core decodes a version's fields with
// `Value.fromIR(ir, span, doc.readTS)` (ReadBroker.extractVersionField), which gives every
// Value.Doc inside the doc's valid time; FQL2TemporalitySpec "lookup other docs in the past".
// A document read without its own `readTs` (only the context's snapshot) passes none on, as in
// core, where only `doc.readTS` is used.
import type { Value } from '../../fql/values/value';
import type { DocData } from '../model-api';

/** `doc` with every reference in its fields carrying `readTs` (the same object when it holds none). */
export function withReadTs(doc: DocData, readTs: bigint): DocData {
  const data = stampFields(doc.data, readTs);
  return data === doc.data ? doc : { ...doc, data };
}

/** `fields` with their references stamped, or `fields` itself when none changed. */
function stampFields(fields: ReadonlyMap<string, Value>, readTs: bigint): ReadonlyMap<string, Value> {
  let out: Map<string, Value> | undefined;
  for (const [k, x] of fields) {
    const stamped = stampRefs(x, readTs);
    if (stamped === x) continue;
    out ??= new Map(fields);
    out.set(k, stamped);
  }
  return out ?? fields;
}

/** `v` with its references stamped; unchanged values keep their identity (no copy per read). */
function stampRefs(v: Value, readTs: bigint): Value {
  switch (v.t) {
    case 'doc': return v.readTs === undefined ? { ...v, readTs } : v;
    case 'array': {
      const items = v.v.map((x) => stampRefs(x, readTs));
      return items.some((x, i) => x !== v.v[i]) ? { t: 'array', v: items } : v;
    }
    case 'object': {
      const fields = stampFields(v.v, readTs);
      return fields === v.v ? v : { t: 'object', v: fields as Map<string, Value> };
    }
    default: return v;
  }
}
