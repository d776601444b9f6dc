// Defined fields with a `default` (`fields: { status: { signature: "String", default: "'new'" } }`):
// a document created or replaced without the field gets the default's value, evaluated at write
// time (core FQL2 schema spec: "defaults will be inserted on replace", never on update).
import type { Value } from '../../fql/values/value';
import { shapeAllWrites } from '../write-broker';
import { modelOf } from '../stdlib/args';
import { schemaOf } from './schema';
import { evalStoredExpr } from './stored-lambda';

shapeAllWrites(async (ctx, w) => {
  if ((w.action !== 'create' && w.action !== 'replace') || !w.after) return w;
  const missing = schemaOf(w.def).fields.filter((f) => f.default !== undefined && !w.after!.data.has(f.name));
  if (missing.length === 0) return w;
  const data = new Map<string, Value>(w.after.data);
  for (const f of missing) {
    const v = await evalStoredExpr(modelOf(ctx), ctx, f.default!);
    if (v.t !== 'null') data.set(f.name, v);
  }
  return { ...w, after: { ...w.after, data } };
});
