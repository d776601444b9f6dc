// The `Object` module: functions over plain objects (Fauna's ObjectCompanion).
import { QueryError } from '../errors';
import { FALSE, NULL, TRUE, arr, idValue, obj, str } from '../values/construct';
import type { ObjectV, Value } from '../values/value';
import { ANY, ARRAY } from '../eval/args';
import { debugString } from '../eval/display';
import type { EvalContext } from '../eval/context';
import { invalidArgType, invalidArgument } from '../eval/failures';
import { displayedFields } from '../../model/doc-fields';
import { computedValues, docTs } from '../../model/model-api';
import { dynamicTypeName, method, param, sig } from './native-args';
import { defineMethods, defineModule, type MethodDef } from './registry';
import { checkObjectSize } from '../limits';

/** Follow `path` (strings into objects, integers into arrays); undefined when it leads nowhere. */
function select(root: Value, path: readonly Value[]): Value | undefined {
  let v: Value | undefined = root;
  for (const step of path) {
    if (v === undefined) return undefined;
    if (step.t === 'string') {
      v = v.t === 'object' ? v.v.get(step.v) : undefined;
    } else if (step.t === 'int') {
      v = v.t === 'array' ? v.v[step.v] : undefined;
    } else {
      throw new QueryError('invalid_argument', `expected value for \`path\` of type Array<String | Int>, received ${dynamicTypeName(arr(path))}`);
    }
  }
  return v;
}

function fromEntries(entries: readonly Value[]): ObjectV {
  checkObjectSize(entries.length);
  const m = new Map<string, Value>();
  for (const e of entries) {
    if (e.t !== 'array' || e.v.length !== 2 || e.v[0].t !== 'string') {
      throw new QueryError('invalid_argument', `expected value for \`entries\` of type Array<[String, Any]>, received ${dynamicTypeName(e)}`);
    }
    m.set(e.v[0].v, e.v[1]);
  }
  return obj(m);
}

/**
 * `Object.keys(doc)` and friends see a document as its fields: id, coll, ts (ttl), then the user
 * fields as the document shows them (core reads the document as a struct).
 */
async function objectOf(ctx: EvalContext, v: Value, argName = 'object'): Promise<ObjectV> {
  if (v.t === 'object') return v;
  if (v.t !== 'doc') throw invalidArgType(argName, '{ *: Any }', v);
  const d = await ctx.model.readDoc(v);
  if ('cause' in d) throw invalidArgument(argName, `collection \`${v.coll}\` does not contain document with id ${v.id}.`);
  const m = new Map<string, Value>([['id', idValue(d.id)], ['coll', { t: 'module', name: d.coll }], ['ts', docTs(d)]]);
  if (d.ttl !== undefined) m.set('ttl', { t: 'time', ns: d.ttl });
  // Computed fields too (core FQL2ComputedFieldsSpec "overlaps with data are handled nicely").
  for (const [k, f] of displayedFields(d.coll, d.data, await computedValues(d, ctx))) m.set(k, f);
  return obj(m);
}

const OBJECT_MODULE_METHODS: Record<string, MethodDef> = {
  keys: method(sig([param('object', ANY)], async (ctx, _self, [v]) => arr([...(await objectOf(ctx, v)).v.keys()].map(str)))),
  values: method(sig([param('object', ANY)], async (ctx, _self, [v]) => arr([...(await objectOf(ctx, v)).v.values()]))),
  entries: method(sig([param('object', ANY)], async (ctx, _self, [v]) => arr([...(await objectOf(ctx, v)).v].map(([k, f]) => arr([str(k), f]))))),
  fromEntries: method(sig([param('entries', ARRAY)], (_ctx, _self, [a]) => fromEntries(a.v))),
  // Documents count as their fields here too (core FQL2ObjectSpec "assign allows docs").
  assign: method(sig([param('destination', ANY), param('source', ANY)], async (ctx, _self, [dest, src]) => {
    const a = await objectOf(ctx, dest, 'destination');
    const b = await objectOf(ctx, src, 'source');
    checkObjectSize(a.v.size + b.v.size);
    return obj(new Map([...a.v, ...b.v]));
  })),
  hasPath: method(sig([param('object', ANY), param('path', ARRAY)], (_ctx, _self, [o, path]) => (select(o, path.v) === undefined ? FALSE : TRUE))),
  select: method(sig([param('object', ANY), param('path', ARRAY)], (_ctx, _self, [o, path]) => select(o, path.v) ?? NULL)),
  toString: method(sig([param('object', ANY)], async (ctx, _self, [o]) => str(await debugString(ctx, o, false)))),
};

/** Registers the `Object` module (called by src/fql/stdlib/index.ts). */
export function wireObject(): void {
  defineModule('Object');
  defineMethods('module:Object', OBJECT_MODULE_METHODS);
}
