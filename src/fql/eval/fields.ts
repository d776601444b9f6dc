// Field access (`x.name`, `x["name"]`): object members, document fields (read through the
// model), registry fields such as `"abc".length`, and methods as bound function values.
// A missing field is a null that remembers the field name.
import { dispatchKeys, isBuiltinModule, lookupField, lookupMethod } from '../stdlib/registry';
import type { DocV, NamedDocV, NullDocV, Value } from '../values/value';
import { docTs, type DocData, type NamedData } from '../../model/model-api';
import { idValue } from '../values/construct';
import { boundMethod } from './calls';
import { dataObject, isUserDocument } from '../../model/doc-fields';
import type { Evaluator } from './evaluator';
import { invalidNullAccess } from './failures';
import { missingField, nullDocError, withNullHint } from './nulls';
import { fqlMember, moduleValue } from './state';

/**
 * Serves what an index entry recorded of a document (src/model/sets/covered.ts, installed by
 * src/model/wiring.ts): a partial DocData when `field` (or, without one, the document's
 * existence) can be answered without reading the document, else undefined.
 */
export type CoveredReader = (ctx: Evaluator['ctx'], ref: DocV, field?: string) => Promise<DocData | undefined>;
let coveredReader: CoveredReader | undefined;
export function defineCoveredReader(read: CoveredReader): void {
  coveredReader = read;
}

export async function readDoc(ev: Evaluator, ref: DocV): Promise<DocData> {
  const d = await ev.ctx.model.readDoc(ref);
  if ('cause' in d) throw nullDocError(d);
  return d;
}

export async function readNamed(ev: Evaluator, ref: NamedDocV): Promise<NamedData> {
  const d = await ev.ctx.model.readNamed(ref);
  if ('cause' in d) throw nullDocError(d);
  return d;
}

/** Whether a document reference points at a live document (null docs compare equal to null). */
export async function docExists(ev: Evaluator, v: Value): Promise<boolean> {
  if (v.t === 'doc') return (await coveredReader?.(ev.ctx, v)) !== undefined || !('cause' in (await ev.ctx.model.readDoc(v)));
  if (v.t === 'named') return !('cause' in (await ev.ctx.model.readNamed(v)));
  return v.t !== 'nulldoc' && v.t !== 'null';
}

function docBuiltin(d: DocData, name: string): Value | undefined {
  switch (name) {
    case 'id': return idValue(d.id);
    case 'coll': return moduleValue(d.coll);
    case 'ts': return docTs(d);
    case 'ttl': return d.ttl === undefined ? { t: 'null' } : { t: 'time', ns: d.ttl };
    default: return undefined;
  }
}

function namedBuiltin(d: NamedData, name: string): Value | undefined {
  switch (name) {
    case 'name': return { t: 'string', v: d.name };
    case 'coll': return moduleValue(d.coll);
    case 'ts': return { t: 'time', ns: d.ts * 1000n };
    default: return undefined;
  }
}

function refBuiltin(v: DocV | NullDocV | NamedDocV, name: string): Value | undefined {
  if (name === 'coll') return moduleValue(v.coll);
  if (name === 'id' && v.t !== 'named' && v.id !== undefined) return idValue(v.id);
  // core: `.name` of a schema reference comes off the reference (FQL2UserFunctionSpec.scala).
  if (name === 'name' && v.t !== 'doc' && v.name !== undefined) return { t: 'string', v: v.name };
  return undefined;
}

export async function getField(ev: Evaluator, v: Value, name: string): Promise<Value> {
  switch (v.t) {
    case 'object': return v.v.get(name) ?? missingField(name);
    case 'null': throw withNullHint(invalidNullAccess(name), v);
    case 'nulldoc': {
      // core NullDocPrototype: a null document still has its id (or name) and collection.
      const own = refBuiltin(v, name);
      if (own) return own;
      throw nullDocError(v);
    }
    case 'doc': case 'named': {
      // A document reference answers these without reading: `Coll.byId("1").id` is "1" even
      // when the document does not exist, `Function.byName("F").name` is "F".
      const own = refBuiltin(v, name);
      if (own) return own;
      const keys = dispatchKeys(v);
      const field = lookupField(keys, name);
      if (field) return field(ev.ctx, v);
      if (v.t === 'doc') {
        const d = (await coveredReader?.(ev.ctx, v, name)) ?? (await readDoc(ev, v));
        const builtin = docBuiltin(d, name);
        if (builtin) return builtin;
        const method = lookupMethod(keys, name);
        if (method) return boundMethod(name, method, v);
        if (d.computed?.names.includes(name)) return d.computed.value(name, ev.ctx);
        if (name === 'data' && isUserDocument(v.coll)) return dataObject(d.data);
        return d.data.get(name) ?? missingField(name);
      }
      const d = await readNamed(ev, v);
      const builtin = namedBuiltin(d, name);
      if (builtin) return builtin;
      const method = lookupMethod(keys, name);
      if (method) return boundMethod(name, method, v);
      return d.data.get(name) ?? missingField(name);
    }
    default: {
      const keys = dispatchKeys(v);
      const field = lookupField(keys, name);
      if (field) return field(ev.ctx, v);
      const method = lookupMethod(keys, name);
      if (method) return boundMethod(name, method, v);
      if (v.t === 'module' && !isBuiltinModule(v.name)) {
        const index = await ev.ctx.model.collectionIndex(v.name, name);
        if (index) return boundMethod(name, index, v);
      }
      if (v.t === 'module' && v.name === 'FQL') return fqlMember(name) ?? missingField(name);
      return missingField(name);
    }
  }
}
