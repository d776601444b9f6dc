// `value isa Type`: membership of a value in a built-in type, a user collection (its
// documents), or a module.
import type { TypeExpr } from '../ast/nodes';
import type { Value } from '../values/value';
import { invalidArgument } from './failures';

function builtinTypeContains(name: string, v: Value): boolean | undefined {
  switch (name) {
    case 'Any': return true;
    case 'Number': return v.t === 'int' || v.t === 'long' || v.t === 'double';
    case 'Int': return v.t === 'int';
    case 'Long': return v.t === 'long';
    case 'Double': case 'Float': return v.t === 'double';
    // An ID is carried as a string but is its own type (core IDCompanion.contains).
    case 'String': return v.t === 'string' && !v.id;
    case 'Boolean': return v.t === 'boolean';
    case 'Null': return v.t === 'null';
    case 'Array': return v.t === 'array';
    case 'Object': case 'Struct': return v.t === 'object';
    case 'Set': return v.t === 'set';
    case 'Time': return v.t === 'time';
    case 'Date': return v.t === 'date';
    case 'Bytes': return v.t === 'bytes';
    case 'UUID': return v.t === 'uuid';
    case 'ID': return v.t === 'string' && v.id === true;
    case 'Doc': return v.t === 'doc' || v.t === 'named';
    case 'Function': return v.t === 'function';
    case 'EventSource': return v.t === 'eventsource';
    default: return undefined;
  }
}

/** Whether module `m` (a collection or a built-in module) contains `v`. */
function moduleContains(m: string, v: Value): boolean {
  switch (v.t) {
    case 'doc': case 'named': case 'nulldoc': return v.coll === m;
    case 'module': return v.name === m;
    default: return false;
  }
}

/**
 * `resolve` looks up a type name that is not a built-in type (it must name a module: a user
 * collection or a built-in module such as `Collection`).
 */
export async function isA(v: Value, type: TypeExpr, resolve: (name: string) => Promise<Value>): Promise<boolean> {
  switch (type.kind) {
    case 'typeName': {
      const builtin = builtinTypeContains(type.name, v);
      if (builtin !== undefined) return builtin;
      const m = await resolve(type.name);
      if (m.t !== 'module') throw invalidArgument('type_object', 'expected a module object', type.span);
      return moduleContains(m.name, v);
    }
    case 'typeOptional': return v.t === 'null' || isA(v, type.inner, resolve);
    case 'typeUnion':
      for (const t of type.members) if (await isA(v, t, resolve)) return true;
      return false;
    default:
      throw invalidArgument('type_object', 'expected a module object', type.span);
  }
}
