// Document and schema writes from v4 (core WriteFunctions.scala / WriteAdaptor.scala) through
// the shared write broker, so v10 collection schema, unique constraints, permission hooks and
// the identity shapers (password hashing, secret digests) apply to v4 writes as well.
import type { DocV, Value } from '../../fql/values/value';
import { obj, str } from '../../fql/values/construct';
import { lookupMethod } from '../../fql/stdlib/registry';
import { verifyPassword } from '../../auth/passwords';
import { CREDENTIAL_COLL, HASHED_PASSWORD, KEY_COLL, PASSWORD } from '../../model/identity/system';
import { createToken } from '../../model/identity/token-docs';
import { createKey } from '../../model/identity/key-docs';
import { checkSchemaWrite, createDocument, deleteDocument, rewriteDocument } from '../../model/write-broker';
import { deleteDef } from '../../model/identity/named-store';
import {
  type Position, V4Error, invalidArgument, valueRequired, validationFailed,
} from '../errors';
import type { V4Query } from '../query-context';
import { type ObjectV4, type RefV4, type V4Value, nativeCollOf, scopeOf, typeName4 } from '../values';
import { toModel } from './convert';
import { writeCredentials } from './credentials';
import { type DocTarget, type SchemaTarget, type Target, locate } from './locate';
import { getVersion, notFound } from './reads';
import { renderDoc, renderNamed } from './render';
import { createIndex, readIndexDef, rewriteIndex } from './index-defs';
import { clearEntries } from './index-entries';
import { refuseProtectedDelete, refuseProtectedRetention } from './protected-mode';
import { mergeDefinition } from '../../model/definitions/validate';
import { ACCESS_PROVIDER_FIELDS, checkAccessProvider, renderAccessProvider, rolesToModel } from './access-providers';

export type WriteAction = 'update' | 'replace';

/** The params object of a write (absent params are an empty object). */
export function paramsObject(v: V4Value, pos: Position): ReadonlyMap<string, V4Value> {
  if (v.t === 'null') return new Map();
  if (v.t !== 'object') throw invalidArgument(['Object'], v, pos);
  return v.v;
}

export function objectField(params: ReadonlyMap<string, V4Value>, field: string, pos: Position): ReadonlyMap<string, V4Value> | null | undefined {
  const v = params.get(field);
  if (v === undefined || v.t === 'null') return v === undefined ? undefined : null;
  if (v.t !== 'object') {
    throw validationFailed(pos, [{ field: [field], code: 'invalid type', description: `Invalid type ${typeName4(v)}, expected type Object.` }]);
  }
  return v.v;
}

export function ttlField(params: ReadonlyMap<string, V4Value>, pos: Position): Value | undefined {
  const v = params.get('ttl');
  if (v === undefined) return undefined;
  if (v.t !== 'time' && v.t !== 'null') {
    throw validationFailed(pos, [{ field: ['ttl'], code: 'invalid type', description: `Invalid type ${typeName4(v)}, expected type Time.` }]);
  }
  return v;
}

export const modelFields = (m: ReadonlyMap<string, V4Value>, pos: Position): [string, Value][] =>
  [...m].map(([k, v]) => [k, toModel(v, pos)]);

function noScope(ref: RefV4, pos: Position): void {
  if (scopeOf(ref)) throw new V4Error('invalid argument', 'Cannot write a scoped ref.', pos);
}

async function created(q: V4Query, t: { collRef: RefV4 }, ref: DocV, pos: Position): Promise<ObjectV4> {
  const doc = (await q.model.getDoc(ref.coll, ref.id))!;
  const version = renderDoc(q.model, t.collRef, doc, pos);
  q.created.add(version);
  return version;
}

// ------------------------------------------------------------------------------ user documents

async function createUserDoc(q: V4Query, coll: string, collRef: RefV4, id: string | undefined, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<ObjectV4> {
  const def = (await q.model.collection(coll))!;
  const fields = new Map<string, Value>(modelFields(objectField(params, 'data', pos) ?? new Map(), pos));
  if (id !== undefined) fields.set('id', str(id));
  const ttl = ttlField(params, pos);
  if (ttl !== undefined) fields.set('ttl', ttl);
  const ref = await createDocument(q.ctx, def, obj(fields), 'v4');
  const credentials = objectField(params, 'credentials', pos);
  if (credentials) await writeCredentials(q, ref, new Map(modelFields(credentials, pos)));
  return created(q, { collRef }, ref, pos);
}

async function rewriteUserDoc(q: V4Query, t: DocTarget, params: ReadonlyMap<string, V4Value>, action: WriteAction, pos: Position): Promise<void> {
  const ref: DocV = { t: 'doc', coll: t.coll, id: t.id };
  const data = objectField(params, 'data', pos);
  const patch = new Map<string, Value>();
  if (data === null && action === 'update') {
    // `data: null` empties the document.
    const current = await q.model.getDoc(t.coll, t.id);
    for (const k of current?.data.keys() ?? []) patch.set(k, { t: 'null' });
  } else if (data) {
    for (const [k, v] of modelFields(data, pos)) patch.set(k, v);
  }
  const ttl = ttlField(params, pos);
  if (ttl !== undefined) patch.set('ttl', ttl);
  else if (action === 'replace') {
    const current = await q.model.getDoc(t.coll, t.id);
    if (current?.ttl !== undefined) patch.set('ttl', { t: 'null' });
  }
  await rewriteDocument(q.ctx, ref, obj(patch), action, 'v4');
  const credentials = objectField(params, 'credentials', pos);
  if (credentials) await writeCredentials(q, ref, new Map(modelFields(credentials, pos)));
}

// -------------------------------------------------------------------------- identity documents

/** v4 fields of credentials, tokens and keys as the v10 collections store them. */
function identityFields(t: { coll: string }, params: ReadonlyMap<string, V4Value>, pos: Position): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of params) {
    if (k === 'instance') out.set('document', toModel(v, pos));
    else if (k === 'data') out.set('data', toModel(v, pos));
    else if (k === 'ttl' && t.coll !== CREDENTIAL_COLL.name) out.set('ttl', ttlField(params, pos)!);
    else if (k === PASSWORD && t.coll === CREDENTIAL_COLL.name) out.set(PASSWORD, toModel(v, pos));
    else if (k === 'role' && t.coll === KEY_COLL.name) out.set('role', roleName(v, pos));
    else if (k === 'priority' && t.coll === KEY_COLL.name) out.set('priority', toModel(v, pos));
    else if (k === 'database' && t.coll === KEY_COLL.name) {
      if (v.t !== 'null') out.set('database', databaseName(v, pos));
    }
  }
  return out;
}

/** A key's role: a built-in role name, a role name, or `Role("r")`. */
function roleName(v: V4Value, pos: Position): Value {
  if (v.t === 'string') return v;
  if (v.t === 'ref' && nativeCollOf(v) === 'roles') return str(v.id);
  throw invalidArgument(['String', 'Role Ref'], v, pos);
}

function databaseName(v: V4Value, pos: Position): Value {
  if (v.t === 'ref' && nativeCollOf(v) === 'databases' && !v.db) return str(v.id);
  throw invalidArgument(['Database Ref'], v, pos);
}

/**
 * Core's password validators (CredentialsWriteConfig.liveValidator): server keys may set a
 * password outright; every other caller, admin keys included, must give the current password
 * when one is set.
 */
async function checkCurrentPassword(q: V4Query, t: DocTarget, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<void> {
  const access = q.principal.access;
  if (access.kind === 'builtin' && (access.role === 'server' || access.role === 'server-readonly')) return;
  if (!params.has(PASSWORD)) return;
  const hash = (await q.model.getDoc(t.coll, t.id))?.data.get(HASHED_PASSWORD);
  if (hash?.t !== 'string') return;
  const current = params.get('current_password');
  if (current?.t !== 'string' || !(await verifyPassword(current.v, hash.v))) {
    throw validationFailed(pos, [{
      field: ['current_password'], code: 'invalid password', description: 'Invalid password at `current_password`.',
    }]);
  }
}

async function createIdentityDoc(
  q: V4Query, native: 'credentials' | 'tokens' | 'keys', collRef: RefV4, params: ReadonlyMap<string, V4Value>, pos: Position, id?: string,
): Promise<ObjectV4> {
  const coll = native === 'credentials' ? CREDENTIAL_COLL : native === 'tokens' ? { name: 'Token' } : KEY_COLL;
  const fields = identityFields({ coll: coll.name }, params, pos);
  let ref: DocV;
  if (native === 'keys') {
    if (!fields.has('role')) throw validationFailed(pos, [valueRequired(['role'])]);
    ref = (await createKey(q.ctx, obj(fields), id)) as DocV;
  } else {
    if (!fields.has('document')) throw validationFailed(pos, [valueRequired(['instance'])]);
    ref = native === 'tokens' ? await createToken(q.ctx, obj(fields)) : await createDocument(q.ctx, CREDENTIAL_COLL, obj(fields), 'v4');
  }
  return created(q, { collRef }, ref, pos);
}

// ------------------------------------------------------------------------------------ schema

const SCHEMA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Collection: ['name', 'data', 'history_days', 'ttl_days'],
  Database: ['name', 'data', 'priority', 'typechecked', 'protected'],
  Function: ['name', 'body', 'role', 'data'],
  Role: ['name', 'privileges', 'membership', 'data'],
  AccessProvider: ACCESS_PROVIDER_FIELDS,
};

export type V4SchemaKind = 'Collection' | 'Database' | 'Index' | 'Function' | 'Role' | 'AccessProvider';

function schemaFields(kind: string, params: ReadonlyMap<string, V4Value>, pos: Position): Map<string, Value> {
  if (kind === 'Function') checkFunctionParams(params, pos);
  if (kind === 'Role') checkRoleParams(params, pos);
  const out = new Map<string, Value>();
  for (const k of SCHEMA_FIELDS[kind] ?? []) {
    const v = params.get(k);
    if (v === undefined) continue;
    // A function's role: a built-in role name or a Role ref, stored by name as v10 does.
    if (kind === 'AccessProvider' && k === 'roles') out.set(k, rolesToModel(v, pos));
    else out.set(k, kind === 'Function' && k === 'role' && v.t !== 'null' ? roleName(v, pos) : toModel(v, pos));
  }
  return out;
}

const invalidType = (field: readonly (string | number)[], v: V4Value, expected: string) =>
  ({ field: field.map(String), code: 'invalid type', description: `Invalid type ${typeName4(v)}, expected type ${expected}.` });

/** A v4 function's body is a `Query(Lambda(...))` (core UserFunction: a QueryV field). */
function checkFunctionParams(params: ReadonlyMap<string, V4Value>, pos: Position): void {
  const body = params.get('body');
  if (body !== undefined && body.t !== 'lambda' && body.t !== 'null') throw validationFailed(pos, [invalidType(['body'], body, 'Query')]);
}

/** One object or an array of them (core Field.ZeroOrMore). */
const zeroOrMore = (v: V4Value | undefined): readonly V4Value[] => (v === undefined ? [] : v.t === 'array' ? v.v : [v]);

/**
 * v4 roles name resources by ref and write predicates as `Query(Lambda(...))`: the v10 forms
 * (strings) are refused (core PrivilegesFQL4FormatValidator, MembershipsFQL4FormatValidator).
 */
function checkRoleParams(params: ReadonlyMap<string, V4Value>, pos: Position): void {
  const failures: ReturnType<typeof invalidType>[] = [];
  for (const p of zeroOrMore(params.get('privileges'))) {
    if (p.t !== 'object') continue;
    const resource = p.v.get('resource');
    if (resource?.t === 'string') failures.push(invalidType(['privileges', 'resource'], resource, 'Ref'));
    const actions = p.v.get('actions');
    if (actions?.t !== 'object') continue;
    for (const [action, grant] of actions.v) {
      if (grant.t === 'string') failures.push(invalidType(['privileges', 'actions', action], grant, 'Query'));
    }
  }
  for (const m of zeroOrMore(params.get('membership'))) {
    if (m.t !== 'object') continue;
    const resource = m.v.get('resource');
    if (resource?.t === 'string') failures.push(invalidType(['membership', 'resource'], resource, 'Ref'));
    const predicate = m.v.get('predicate');
    if (predicate?.t === 'string') failures.push(invalidType(['membership', 'predicate'], predicate, 'Query'));
  }
  if (failures.length > 0) throw validationFailed(pos, failures);
}

async function readBackNamed(q: V4Query, coll: string, name: string, pos: Position): Promise<ObjectV4> {
  const named = await q.model.readNamed({ t: 'named', coll, name });
  if ('cause' in named) throw new V4Error('instance not found', `${coll} not found.`, pos);
  return coll === 'AccessProvider' ? renderAccessProvider(q.model, named, pos) : renderNamed(named, pos);
}

/** `CreateCollection`, `CreateDatabase`, `CreateIndex`, `CreateFunction`, `CreateRole` (and `Create(Collections(), ...)`). */
export async function createSchema(q: V4Query, kind: V4SchemaKind, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<ObjectV4> {
  let version: ObjectV4;
  if (kind === 'Index') {
    version = await createIndex(q, params, pos);
  } else {
    const fields = schemaFields(kind, params, pos);
    if (!fields.has('name')) throw validationFailed(pos, [valueRequired(['name'])]);
    // Collections created through v4 keep 30 days of history, as Fauna's v4 default.
    if (kind === 'Collection' && !fields.has('history_days')) fields.set('history_days', { t: 'int', v: 30 });
    const name = (fields.get('name') as { v: string }).v;
    const exists = kind === 'Collection' ? await q.model.collection(name) : !('cause' in await q.model.readNamed({ t: 'named', coll: kind, name }));
    // Core names native kinds in this message (RenderError.NativeTypeToName), and has no name
    // for access providers: `other`.
    if (exists) throw new V4Error('instance already exists', `${kind === 'AccessProvider' ? 'other' : kind} already exists.`, pos);
    if (kind === 'AccessProvider') await checkAccessProvider(q.model, fields, pos);
    const create = lookupMethod([`module:${kind}`], 'create')!;
    await create.impl(q.ctx, { t: 'module', name: kind }, [obj(fields)], {});
    version = await readBackNamed(q, kind, name, pos);
  }
  q.created.add(version);
  return version;
}

/**
 * A collection's new fields: `Replace` keeps `history_days` when it does not give one (core
 * CollectionWriteConfig.prevForReplace), and protected mode checks the retention change.
 */
async function prepareCollectionRewrite(t: SchemaTarget, fields: Map<string, Value>, action: WriteAction, pos: Position): Promise<void> {
  const def = await t.model.collection(t.name);
  if (!def) return;
  const kept = def.data.get('history_days');
  if (action === 'replace' && !fields.has('history_days') && kept !== undefined) fields.set('history_days', kept);
  await refuseProtectedRetention(t.model, def.data, mergeDefinition(action === 'update' ? def.data : new Map(), fields), pos);
}

async function rewriteSchema(q: V4Query, t: SchemaTarget, params: ReadonlyMap<string, V4Value>, action: WriteAction, pos: Position): Promise<ObjectV4> {
  if (t.schemaColl === 'Index') {
    await getVersion(q, { t: 'ref', id: t.name, coll: { t: 'ref', id: t.native } }, pos);
    return rewriteIndex(q, t.name, params, action === 'replace', pos);
  }
  if (!['Collection', 'Database', 'Function', 'Role', 'AccessProvider'].includes(t.schemaColl)) {
    throw new V4Error('invalid argument', `${t.schemaColl} definitions cannot be changed through FQL v4 on this server.`, pos);
  }
  await getVersion(q, { t: 'ref', id: t.name, coll: { t: 'ref', id: t.native } }, pos);
  const fields = schemaFields(t.schemaColl, params, pos);
  if (t.schemaColl === 'AccessProvider') await checkAccessProvider(t.model, fields, pos, t.name);
  if (t.schemaColl === 'Collection') await prepareCollectionRewrite(t, fields, action, pos);
  const m = lookupMethod([`named:${t.schemaColl}`], action)!;
  await m.impl(q.ctx, { t: 'named', coll: t.schemaColl, name: t.name }, [obj(fields)], {});
  const name = fields.get('name');
  return readBackNamed(q, t.schemaColl, name?.t === 'string' ? name.v : t.name, pos);
}

// ---------------------------------------------------------------------------------- entries

/** `Create(collectionOrRef, params)`. */
export async function create(q: V4Query, target: RefV4, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<ObjectV4> {
  noScope(target, pos);
  const t: Target = await locate(q, target, pos);
  switch (t.kind) {
    case 'native':
      switch (t.native) {
        case 'credentials': case 'tokens': case 'keys': return createIdentityDoc(q, t.native, target, params, pos);
        case 'collections': return createSchema(q, 'Collection', params, pos);
        case 'databases': return createSchema(q, 'Database', params, pos);
        case 'indexes': return createSchema(q, 'Index', params, pos);
        case 'functions': return createSchema(q, 'Function', params, pos);
        case 'roles': return createSchema(q, 'Role', params, pos);
        case 'access_providers': return createSchema(q, 'AccessProvider', params, pos);
      }
    case 'schema':
      if (t.schemaColl !== 'Collection') throw invalidArgument(['Collection Ref'], target, pos);
      if (!(await q.model.collection(t.name))) throw new V4Error('invalid ref', `Ref refers to undefined collection '${t.name}'`, pos);
      return createUserDoc(q, t.name, target, undefined, params, pos);
    case 'doc':
      if (t.native === 'keys') return createIdentityDoc(q, t.native, t.collRef, params, pos, t.id);
      if (t.native) throw new V4Error('invalid argument', `Cannot create a ${t.native} document with a chosen id.`, pos);
      return createUserDoc(q, t.coll, t.collRef, t.id, params, pos);
  }
}

/** `Update(ref, params)` / `Replace(ref, params)`. */
export async function rewrite(q: V4Query, target: RefV4, params: ReadonlyMap<string, V4Value>, action: WriteAction, pos: Position): Promise<ObjectV4> {
  noScope(target, pos);
  const t = await locate(q, target, pos);
  if (t.kind === 'schema') return rewriteSchema(q, t, params, action, pos);
  if (t.kind === 'native') throw invalidArgument(['Ref'], target, pos);
  if (!(await q.model.getDoc(t.coll, t.id))) throw notFound(t, pos);
  if (t.native) {
    if (t.native === 'credentials') await checkCurrentPassword(q, t, params, pos);
    await rewriteDocument(q.ctx, { t: 'doc', coll: t.coll, id: t.id }, obj(identityFields(t, params, pos)), action, 'v4');
  } else {
    await rewriteUserDoc(q, t, params, action, pos);
  }
  return renderDoc(q.model, t.collRef, (await q.model.getDoc(t.coll, t.id))!, pos);
}

/** `Delete(ref)`: the version that was deleted. */
export async function remove(q: V4Query, target: RefV4, pos: Position): Promise<ObjectV4> {
  noScope(target, pos);
  const t = await locate(q, target, pos);
  if (t.kind === 'native') throw invalidArgument(['Ref'], target, pos);
  if (t.kind === 'schema') {
    const before = await getVersion(q, target, pos);
    await refuseProtectedDelete(t.model, t.schemaColl, pos);
    if (t.schemaColl === 'Index') {
      if (!(await readIndexDef(q.model, t.name))) throw new V4Error('invalid ref', `Ref refers to undefined index '${t.name}'`, pos);
      // v4 indexes are stored outside the model's schema writers: the same write check.
      await checkSchemaWrite(q.ctx, 'Index', 'delete');
      deleteDef(q.model, 'Index', t.name);
      await clearEntries(q.model, t.name);
    } else {
      const del = lookupMethod([`named:${t.schemaColl}`], 'delete');
      if (!del) throw new V4Error('invalid argument', `${t.schemaColl} definitions cannot be deleted through FQL v4 on this server.`, pos);
      await del.impl(q.ctx, { t: 'named', coll: t.schemaColl, name: t.name }, [], {});
    }
    return before;
  }
  const doc = await q.model.getDoc(t.coll, t.id);
  if (!doc) throw notFound(t, pos);
  const version = renderDoc(q.model, t.collRef, doc, pos);
  await deleteDocument(q.ctx, { t: 'doc', coll: t.coll, id: t.id });
  return version;
}

