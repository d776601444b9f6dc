// The standard library's dispatch table. Each file under src/fql/stdlib/ (one per FQL type:
// string.ts, number.ts, array.ts, ...) and the model layer (collections, documents, sets,
// identity) exports a `wire…` function that registers its methods here; nothing registers at
// module load. The runtime's composition root calls them, in order, through src/exec/wiring.ts
// (wireRuntime); the evaluator looks methods and fields up here.
//
// Dispatch keys:
//   - 'doc:<Coll>': documents of one collection (looked up before 'doc')
//   - value kinds: 'null' 'boolean' 'int' 'long' 'double' 'string' 'bytes' 'time' 'date'
//     'uuid' 'array' 'object' 'set' 'function' 'eventsource' 'doc' 'nulldoc'
//   - 'number': shared by int, long and double (looked up after the exact kind)
//   - 'named:<Coll>': named schema documents, e.g. 'named:Collection', 'named:Function'
//   - 'module:<Name>': static members of a built-in module, e.g. 'module:Math', 'module:Time'
//   - 'collection': members of every user collection module (all, byId, create, indexes are
//     resolved dynamically by the model layer through `dynamicMember`)
import type { CallSite, Value } from '../values/value';
import type { EvalContext } from '../eval/context';

export type MethodImpl = (
  ctx: EvalContext,
  self: Value,
  args: readonly Value[],
  site: CallSite,
) => Value | Promise<Value>;

export type FieldImpl = (ctx: EvalContext, self: Value) => Value | Promise<Value>;

export interface MethodDef {
  /** Exact arity or an inclusive [min, max] range (max may be Infinity). */
  readonly arity: number | readonly [number, number];
  readonly impl: MethodImpl;
}

const methods = new Map<string, Map<string, MethodDef>>();
const fields = new Map<string, Map<string, FieldImpl>>();
/** Modules that can be applied like functions: `Time("...")`, `Date("...")`, `Bytes("...")`. */
const applicable = new Map<string, MethodDef>();
/** Names of built-in modules (everything else that is a ModuleV is a user collection). */
const builtinModules = new Set<string>();

/** Declare a built-in module name (`Math`, `Time`, `Collection`, `Key`, ...). */
export function defineModule(name: string): void {
  builtinModules.add(name);
}

export function isBuiltinModule(name: string): boolean {
  return builtinModules.has(name);
}

export function defineMethods(key: string, defs: Record<string, MethodDef>): void {
  let m = methods.get(key);
  if (!m) methods.set(key, (m = new Map()));
  for (const [name, def] of Object.entries(defs)) m.set(name, def);
}

export function defineFields(key: string, defs: Record<string, FieldImpl>): void {
  let m = fields.get(key);
  if (!m) fields.set(key, (m = new Map()));
  for (const [name, def] of Object.entries(defs)) m.set(name, def);
}

export function defineApply(moduleName: string, def: MethodDef): void {
  applicable.set(moduleName, def);
}

/** The dispatch keys to try for a value, most specific first. */
export function dispatchKeys(v: Value): readonly string[] {
  switch (v.t) {
    case 'int': case 'long': case 'double': return [v.t, 'number'];
    case 'named': return ['named:' + v.coll, 'named'];
    case 'module': return builtinModules.has(v.name) ? ['module:' + v.name] : ['collection'];
    // Documents of one collection may have methods of their own (Credential: login, verify).
    case 'doc': return ['doc:' + v.coll, 'doc'];
    default: return [v.t];
  }
}

export function lookupMethod(keys: readonly string[], name: string): MethodDef | undefined {
  for (const k of keys) {
    const d = methods.get(k)?.get(name);
    if (d) return d;
  }
  return undefined;
}

export function lookupField(keys: readonly string[], name: string): FieldImpl | undefined {
  for (const k of keys) {
    const d = fields.get(k)?.get(name);
    if (d) return d;
  }
  return undefined;
}

export function lookupApply(moduleName: string): MethodDef | undefined {
  return applicable.get(moduleName);
}

/** Names of all methods registered under a key (for "did you mean" hints and /environment). */
export function methodNames(key: string): string[] {
  return [...(methods.get(key)?.keys() ?? [])];
}
