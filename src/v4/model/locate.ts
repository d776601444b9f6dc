// Resolving a v4 ref to what it names in storage: a document of a user or identity collection,
// a schema definition (Collection, Database, Index, ...), or a native collection, in the
// request's database or (for reads by admin and server keys) in a descendant database.
import { ModelTxnImpl } from '../../model/model-txn';
import { shareAuthState } from '../../model/identity/auth-state';
import { resolveDatabasePath } from '../../model/identity/databases-path';
import { type Position, V4Error, invalidRef, permissionDenied } from '../errors';
import type { V4Query } from '../query-context';
import {
  type NativeName, type RefV4, databasePath, isNativeCollectionRef, nativeCollOf, scopeOf,
} from '../values';
import { DOC_NATIVES, SCHEMA_NATIVES } from './names';
import { credentialIdOf } from './credentials';

interface Located {
  /** The model of the database the ref points into. */
  readonly model: ModelTxnImpl;
  /** True when that is a descendant of the request's database. */
  readonly scoped: boolean;
}

export interface DocTarget extends Located {
  readonly kind: 'doc';
  /** The v10 collection name (`users`, `Credential`, ...). */
  readonly coll: string;
  readonly id: string;
  /** The v4 collection ref (`Collection("users")`, `Credentials()`). */
  readonly collRef: RefV4;
  readonly native?: NativeName;
}

export interface SchemaTarget extends Located {
  readonly kind: 'schema';
  /** The v10 schema kind (`Collection`, `Database`, ...) or `Index`. */
  readonly schemaColl: string;
  readonly name: string;
  readonly native: NativeName;
}

export interface NativeTarget extends Located {
  readonly kind: 'native';
  readonly native: NativeName;
}

export type Target = DocTarget | SchemaTarget | NativeTarget;

/**
 * The model for `db` (a Database ref scoping a ref). Only built-in keys may look into descendant
 * databases (core Permissions.scala: role-based permissions hold in their own scope only), and
 * what they see there passes the same read guards as in their own database: the descendant's
 * model shares the query's auth state, so server keys read no Key, Role, Database or
 * AccessProvider document in any scope.
 */
export async function scopedModel(q: V4Query, db: RefV4 | undefined, pos: Position): Promise<Located> {
  if (!db) return { model: q.model, scoped: false };
  const path = databasePath(db);
  const access = q.principal.access;
  if (access.kind !== 'builtin' || access.role === 'client') throw permissionDenied(pos);
  const id = await resolveDatabasePath(q.model.kv, q.model.db, path);
  if (id === undefined) throw invalidRef('database', path[path.length - 1], pos);
  const model = new ModelTxnImpl(q.model.kv, id);
  shareAuthState(q.model, model);
  return { model, scoped: true };
}

/** `Ref(coll, "self")`: the caller's identity, token or credential. */
async function selfId(q: V4Query, coll: string, native: NativeName | undefined, pos: Position): Promise<string> {
  const p = q.principal;
  const missing = () => new V4Error('missing identity', 'Authentication does not contain an identity', pos);
  if (native === 'tokens') {
    if (!p.token) throw missing();
    return p.token.id;
  }
  if (!p.identity) throw missing();
  if (native === 'credentials') {
    const id = await credentialIdOf(q.model, p.identity);
    if (id === undefined) throw new V4Error('instance not found', 'Credentials not found.', pos);
    return id;
  }
  if (p.identity.coll !== coll) throw missing();
  return p.identity.id;
}

export async function locate(q: V4Query, ref: RefV4, pos: Position): Promise<Target> {
  const where = await scopedModel(q, scopeOf(ref), pos);
  if (isNativeCollectionRef(ref)) return { ...where, kind: 'native', native: ref.id as NativeName };
  const native = nativeCollOf(ref);
  if (native) {
    const docColl = DOC_NATIVES.get(native);
    if (docColl) {
      const id = ref.id === 'self' ? await selfId(q, docColl, native, pos) : ref.id;
      return { ...where, kind: 'doc', coll: docColl, id, collRef: ref.coll!, native };
    }
    const schemaColl = SCHEMA_NATIVES.get(native);
    if (schemaColl) return { ...where, kind: 'schema', schemaColl, name: ref.id, native };
    throw new V4Error('invalid ref', `Valid native collection name expected, '${native}' provided.`, pos);
  }
  const coll = ref.coll;
  if (!coll || nativeCollOf(coll) !== 'collections') throw new V4Error('invalid expression', 'Invalid ref.', pos);
  if (!(await where.model.collection(coll.id))) throw invalidRef('collection', coll.id, pos);
  const id = ref.id === 'self' ? await selfId(q, coll.id, undefined, pos) : ref.id;
  return { ...where, kind: 'doc', coll: coll.id, id, collRef: coll };
}

export async function locateDoc(q: V4Query, ref: RefV4, pos: Position): Promise<DocTarget> {
  const t = await locate(q, ref, pos);
  if (t.kind !== 'doc') throw new V4Error('invalid argument', 'Ref expected, Collection Ref provided.', pos);
  return t;
}
