// Values a definition can store (core Value.isPersistable): a schema write whose fields hold a
// module (`Collection`, a collection), a set, a function or an event source fails before the
// definition is validated (FQL2CollectionSpec "rejects non-persistable values", which runs
// untypechecked: the static check refuses such a query first).
import { QueryError } from '../../fql/errors';
import { typeName } from '../../fql/values/construct';
import type { Value } from '../../fql/values/value';
import { pathLabel, type PathPart } from './field-path';

function firstNonPersistable(v: Value, path: PathPart[]): { path: PathPart[]; v: Value } | undefined {
  switch (v.t) {
    case 'module': case 'set': case 'function': case 'eventsource': return { path, v };
    case 'array':
      for (let i = 0; i < v.v.length; i++) {
        const bad = firstNonPersistable(v.v[i], [...path, i]);
        if (bad) return bad;
      }
      return undefined;
    case 'object':
      for (const [k, x] of v.v) {
        const bad = firstNonPersistable(x, [...path, k]);
        if (bad) return bad;
      }
      return undefined;
    default: return undefined;
  }
}

/** True when `v` can be stored: no module, set, function or event source anywhere inside it. */
export function isPersistable(v: Value): boolean {
  return firstNonPersistable(v, []) === undefined;
}

/** Throws core's invalid_type for the first field of `fields` that cannot be stored. */
export function refuseNonPersistable(fields: ReadonlyMap<string, Value>): void {
  for (const [k, x] of fields) {
    const bad = firstNonPersistable(x, [k]);
    if (bad) {
      const type = bad.v.t === 'module' ? bad.v.name : typeName(bad.v);
      throw new QueryError('invalid_type', `Value at \`${pathLabel(bad.path)}\` has type ${type}, which cannot be persisted.`);
    }
  }
}
