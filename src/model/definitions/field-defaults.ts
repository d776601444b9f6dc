// Defined fields with a `default` (`fields: { status: { signature: "String", default: "'new'" } }`):
// a document created or replaced without the field gets the default's value, evaluated at write
// time (core FQL2 schema spec: "defaults will be inserted on replace", never on update).
// Struct signatures may carry defaults of their own (FSL `address: { street: Number = 10 }`):
// a missing struct is built from them and a given one gets its missing members.
import type { TypeExpr } from '../../fql/ast/nodes';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import type { WriteShaper } from '../write-broker';
import { modelOf } from '../stdlib/args';
import { signatureType } from './field-types';
import { schemaOf } from './schema';
import { evalStoredExpr } from './stored-lambda';

function hasNestedDefaults(t: TypeExpr): boolean {
  if (t.kind === 'typeOptional') return hasNestedDefaults(t.inner);
  return t.kind === 'typeObject' && t.fields.some((f) => f.fallback !== undefined || hasNestedDefaults(f.type));
}

/** `v` (a struct field's value, or undefined when absent) with the struct's defaults filled in. */
async function withNestedDefaults(ctx: EvalContext, signature: string, t: TypeExpr, v: Value | undefined): Promise<Value | undefined> {
  // An optional struct that is absent stays absent; a given one gets its defaults.
  if (t.kind === 'typeOptional') return v === undefined ? v : withNestedDefaults(ctx, signature, t.inner, v);
  if (t.kind !== 'typeObject' || !hasNestedDefaults(t) || (v !== undefined && v.t !== 'object')) return v;
  const members = new Map(v?.v ?? []);
  for (const f of t.fields) {
    const current = members.get(f.key);
    if (current === undefined && f.fallback !== undefined) {
      const d = await evalStoredExpr(modelOf(ctx), ctx, signature.slice(f.fallback.start, f.fallback.end));
      if (d.t !== 'null') members.set(f.key, d);
      continue;
    }
    const nested = await withNestedDefaults(ctx, signature, f.type, current);
    if (nested !== undefined) members.set(f.key, nested);
  }
  return { t: 'object', v: members };
}

/** Fills in the defined fields' defaults on create and replace. */
export const applyFieldDefaults: WriteShaper = async (ctx, w) => {
  if ((w.action !== 'create' && w.action !== 'replace') || !w.after) return w;
  const fields = schemaOf(w.def).fields;
  const missing = fields.filter((f) => f.default !== undefined && !w.after!.data.has(f.name));
  const structs = fields.filter((f) => hasNestedDefaults(signatureType(f.signature)));
  if (missing.length === 0 && structs.length === 0) return w;
  const data = new Map<string, Value>(w.after.data);
  for (const f of missing) {
    const v = await evalStoredExpr(modelOf(ctx), ctx, f.default!);
    if (v.t !== 'null') data.set(f.name, v);
  }
  for (const f of structs) {
    const v = await withNestedDefaults(ctx, f.signature, signatureType(f.signature), data.get(f.name));
    if (v !== undefined) data.set(f.name, v);
  }
  return { ...w, after: { ...w.after, data } };
};
