// Values crossing between the v4 layer and the shared model (v10 values): documents written
// through v4 are read by v10 and the other way round (fql-v4.md §5).
import type { Value } from '../../fql/values/value';
import { typeName } from '../../fql/values/construct';
import { type Position, V4Error } from '../errors';
import {
  type LambdaV4, type RefV4, type V4Value, arr4, docRef, nativeCollOf, nativeRef, schemaRef, scopeOf,
} from '../values';
import { fql4Lambda, fql4QueryOf } from '../../model/identity/fql4-lambdas';
import type { Json } from '../json';
import { DOC_NATIVES, NATIVE_OF_DOC_COLL, NATIVE_OF_SCHEMA_COLL, SCHEMA_NATIVES } from './names';

/** The v4 ref of a v10 collection's documents (`Credentials()`, `Collection("users")`). */
export function collectionRefOf(coll: string, db?: RefV4): RefV4 {
  const native = NATIVE_OF_DOC_COLL.get(coll);
  return native ? nativeRef(native, db) : schemaRef('collections', coll, db);
}

export function namedRefOf(coll: string, name: string, db?: RefV4): RefV4 {
  const native = NATIVE_OF_SCHEMA_COLL.get(coll);
  if (!native || native === 'keys' || native === 'tokens' || native === 'credentials') {
    throw new Error(`no v4 ref for ${coll} definitions`);
  }
  return schemaRef(native, name, db);
}

/** A stored v10 value as v4 shows it; `db` scopes refs read from a child database. */
export function fromModel(v: Value, pos: Position, db?: RefV4): V4Value {
  switch (v.t) {
    case 'null': case 'boolean': case 'string': case 'bytes': case 'time': case 'date': case 'uuid': case 'double':
      return v;
    case 'int': return { t: 'long', v: BigInt(v.v) };
    case 'long': return v;
    case 'array': return arr4(v.v.map((x) => fromModel(x, pos, db)));
    case 'object': {
      const query = fql4QueryOf(v);
      if (query !== undefined) return lambdaOfQuery(query);
      return { t: 'object', v: new Map([...v.v].map(([k, x]) => [k, fromModel(x, pos, db)] as const)) };
    }
    case 'doc': return docRef(collectionRefOf(v.coll, db), v.id);
    case 'nulldoc':
      return v.id !== undefined ? docRef(collectionRefOf(v.coll, db), v.id) : namedRefOf(v.coll, v.name ?? '', db);
    case 'named': return namedRefOf(v.coll, v.name, db);
    case 'module': {
      const native = NATIVE_OF_DOC_COLL.get(v.name) ?? NATIVE_OF_SCHEMA_COLL.get(v.name);
      return native ? nativeRef(native, db) : schemaRef('collections', v.name, db);
    }
    case 'set': case 'function': case 'eventsource':
      throw new V4Error('invalid argument', `v10 value has type ${typeName(v)}, which cannot be represented in v4.`, pos);
  }
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/** A v4 value to store (or pass to v10 code); sets and lambdas cannot be stored. */
export function toModel(v: V4Value, pos: Position): Value {
  switch (v.t) {
    case 'null': case 'boolean': case 'string': case 'bytes': case 'time': case 'date': case 'uuid': case 'double':
      return v;
    case 'long': return v.v >= INT_MIN && v.v <= INT_MAX ? { t: 'int', v: Number(v.v) } : v;
    case 'array': return { t: 'array', v: v.v.map((x) => toModel(x, pos)) };
    case 'object': return { t: 'object', v: new Map([...v.v].map(([k, x]) => [k, toModel(x, pos)] as const)) };
    case 'page': {
      const m = new Map<string, Value>();
      if (v.before !== undefined) m.set('before', toModel(v.before, pos));
      if (v.after !== undefined) m.set('after', toModel(v.after, pos));
      m.set('data', { t: 'array', v: v.data.map((x) => toModel(x, pos)) });
      return { t: 'object', v: m };
    }
    case 'ref': return refToModel(v, pos);
    // A `Query(Lambda(...))` is stored as its JSON (function bodies, role predicates, fields).
    case 'lambda': return fql4Lambda(queryOfLambda(v));
    case 'set': throw new V4Error('invalid argument', 'Set cannot be stored.', pos);
  }
}

function refToModel(r: RefV4, pos: Position): Value {
  if (scopeOf(r)) throw new V4Error('invalid argument', 'Cannot write a scoped ref.', pos);
  if (!r.coll) {
    const native = r.id as Parameters<typeof DOC_NATIVES.get>[0];
    return { t: 'module', name: DOC_NATIVES.get(native) ?? SCHEMA_NATIVES.get(native) ?? r.id };
  }
  const native = nativeCollOf(r);
  if (native) {
    const docColl = DOC_NATIVES.get(native);
    if (docColl) return { t: 'doc', coll: docColl, id: r.id };
    return { t: 'named', coll: SCHEMA_NATIVES.get(native)!, name: r.id };
  }
  return { t: 'doc', coll: r.coll.id, id: r.id };
}

/** The stored JSON of a `Query(Lambda(...))`: its `@query` body (closures are not kept, as in core). */
export function queryOfLambda(fn: LambdaV4): string {
  return JSON.stringify({ api_version: fn.apiVersion, lambda: fn.params, expr: fn.expr });
}

/** A stored `Query(Lambda(...))`; error positions inside it start at its `expr`. */
export function lambdaOfQuery(query: string): LambdaV4 {
  const q = JSON.parse(query) as { api_version?: string; lambda: Json; expr: Json };
  return { t: 'lambda', params: q.lambda, expr: q.expr, env: new Map(), apiVersion: q.api_version ?? '4', bodyPos: ['expr'] };
}
