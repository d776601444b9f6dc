// Foreign keys between identity documents (core ForeignKey.scala, Validators.FKValidationHook,
// FKUpdateHook): keys name a role and a child database, functions and access providers name
// roles. A role that something still refers to cannot be deleted; a deleted database takes the
// keys bound to it along (core DatabaseSchemaHooks); renaming either rewrites the references,
// so a name never silently moves to a different definition:
//
//   Role:     Src("name")(Function "role", Key "role"); access providers' roles follow renames
//   Database: Src("name")(Key "database")
//
// Deleting fails with ``Failed to delete Role `aRole`.`` and, at path `name`, one failure per
// referrer: ``The key `<id>` refers to this document by its previous identifier `aRole`.``
import type { EvalContext } from '../../fql/eval/context';
import { QueryError, type ConstraintFailure } from '../../fql/errors';
import type { Value } from '../../fql/values/value';
import { decodeKey } from '../../storage/tuple';
import type { DocData } from '../model-api';
import { fromBytes } from '../codec';
import { docPrefix, prefixEnd } from '../keys';
import type { ModelTxnImpl } from '../model-txn';
import { modelOf } from '../stdlib/args';
import { readBinding, retireBinding } from './secret-bindings';
import { allDefs, putDef, stringField, type NamedDef } from './named-store';
import { KEY_COLL } from './system';
import { authState, runAs } from './auth-state';
import { deleteDocument } from '../write-broker';

/** The key field that names a definition of each kind. */
const KEY_FIELD = { Role: 'role', Database: 'database' } as const;
type Referenced = keyof typeof KEY_FIELD;

/**
 * Every current key of the database as stored (with its secret's digest: rewrites keep it),
 * read below the permission guards: references count whoever may see them.
 */
async function* allKeys(model: ModelTxnImpl): AsyncIterable<DocData> {
  const prefix = docPrefix(model.db, KEY_COLL.id);
  for (const row of await model.kv.scan({ start: prefix, end: prefixEnd(prefix) })) {
    const parts = decodeKey(row.key);
    // The scanned row is the stored document: decode it rather than read it again per key.
    const doc = model.decodeDoc(KEY_COLL.name, String(parts[parts.length - 1]), fromBytes(row.value));
    if (doc) yield doc;
  }
}

/** Keys naming `def` that are bound to it (or to nothing yet, if written before bindings). */
async function keysNaming(model: ModelTxnImpl, kind: Referenced, def: NamedDef): Promise<DocData[]> {
  const out: DocData[] = [];
  for await (const key of allKeys(model)) {
    if (stringField(key.data, KEY_FIELD[kind]) !== def.name) continue;
    const bound = (await readBinding(model.kv, model.db, 'Key', key.id))?.[kind === 'Role' ? 'role' : 'database'];
    if (bound === undefined || bound === def.id) out.push(key);
  }
  return out;
}

async function functionsNaming(model: ModelTxnImpl, role: string): Promise<NamedDef[]> {
  return (await allDefs(model.kv, model.db, 'Function')).filter((f) => stringField(f.data, 'role') === role);
}

/** The keys of a database's parent that name it and are bound to it. */
export const keysOfDatabase = (model: ModelTxnImpl, def: NamedDef): Promise<DocData[]> => keysNaming(model, 'Database', def);

/** Refuse deleting a role that functions or keys still refer to (databases take their keys along). */
export async function refuseDeleteIfReferenced(ctx: EvalContext, kind: Referenced, def: NamedDef): Promise<void> {
  const model = modelOf(ctx);
  const referrers: string[] = [];
  if (kind === 'Role') for (const f of await functionsNaming(model, def.name)) referrers.push(`function \`${f.name}\``);
  for (const k of await keysNaming(model, kind, def)) referrers.push(`key \`${k.id}\``);
  if (referrers.length === 0) return;
  const failures: ConstraintFailure[] = referrers.map((r) => ({
    paths: [['name']],
    message: `The ${r} refers to this document by its previous identifier \`${def.name}\`.`,
  }));
  throw new QueryError('constraint_failure', `Failed to delete ${kind} \`${def.name}\`.`, undefined, { constraintFailures: failures });
}

/**
 * Deleting a database first deletes the keys bound to it (core DatabaseSchemaHooks
 * `deleteSiblingKeys`, an internal delete: whoever may delete the database takes its keys along),
 * so no key outlives it to reach a later database of that name.
 */
export async function deleteKeysOf(ctx: EvalContext, def: NamedDef): Promise<void> {
  const model = modelOf(ctx);
  const keys = await keysOfDatabase(model, def);
  const drop = async () => { for (const k of keys) await deleteDocument(ctx, { t: 'doc', coll: KEY_COLL.name, id: k.id }); };
  const state = authState(ctx.model);
  await (state ? runAs(state, { ...state.principal, access: { kind: 'builtin', role: 'admin' } }, drop) : drop());
}

const withField = (data: ReadonlyMap<string, Value>, field: string, v: string): Map<string, Value> =>
  new Map(data).set(field, { t: 'string', v });

/**
 * A rename carries the references along (internal writes: no permission or shape checks).
 * Keys that already named `newName` were left by an earlier definition of that name: retired.
 */
export async function renameReferences(ctx: EvalContext, kind: Referenced, def: NamedDef, newName: string): Promise<void> {
  await retireKeysNaming(ctx, kind, newName);
  const model = modelOf(ctx);
  const field = KEY_FIELD[kind];
  for (const key of await keysNaming(model, kind, def)) model.writeDoc(KEY_COLL, key.id, withField(key.data, field, newName), key.ttl);
  if (kind !== 'Role') return;
  for (const f of await functionsNaming(model, def.name)) putDef(model, 'Function', f.name, withField(f.data, 'role', newName));
  // Access providers name roles too (core FQL2RoleSpec "access providers": they follow renames).
  for (const ap of await allDefs(model.kv, model.db, 'AccessProvider')) {
    const roles = ap.data.get('roles');
    if (roles?.t !== 'array') continue;
    const renamed = roles.v.map((r): Value => {
      if (r.t === 'string') return r.v === def.name ? { t: 'string', v: newName } : r;
      if (r.t === 'object' && stringField(r.v, 'role') === def.name) return { t: 'object', v: withField(r.v, 'role', newName) };
      return r;
    });
    if (renamed.some((r, i) => r !== roles.v[i])) putDef(model, 'AccessProvider', ap.name, new Map(ap.data).set('roles', { t: 'array', v: renamed }));
  }
}

/**
 * A new role or database takes a name: keys still naming it predate it (a key can only name an
 * existing definition, which then cannot be deleted under it), i.e. they were written for an
 * earlier definition deleted before references were enforced. They must not inherit the new one.
 */
export async function retireKeysNaming(ctx: EvalContext, kind: Referenced, name: string): Promise<void> {
  const model = modelOf(ctx);
  for await (const key of allKeys(model)) {
    if (stringField(key.data, KEY_FIELD[kind]) !== name) continue;
    // A key with a `database` resolves its role in that child, not here.
    if (kind === 'Role' && key.data.has('database')) continue;
    await retireBinding(model, key.id, kind === 'Role' ? 'role' : 'database');
  }
}

/** Privilege entries naming `from` renamed to `to` (one entry, or an array); undefined if none did. */
function renameResourceIn(v: Value | undefined, from: string, to: string): Value | undefined {
  if (!v) return undefined;
  let changed = false;
  const one = (e: Value): Value => {
    if (e.t !== 'object') return e;
    const r = e.v.get('resource');
    // A v4 role holds the function's ref.
    if (r?.t === 'named' && r.coll === 'Function' && r.name === from) {
      changed = true;
      return { t: 'object', v: new Map(e.v).set('resource', { t: 'named', coll: 'Function', name: to }) };
    }
    if (r?.t !== 'string' || r.v !== from) return e;
    changed = true;
    return { t: 'object', v: withField(e.v, 'resource', to) };
  };
  const out: Value = v.t === 'array' ? { t: 'array', v: v.v.map(one) } : one(v);
  return changed ? out : undefined;
}

/**
 * Renaming a function (core FQL2UserFunctionSpec "validate foreign references: rename") carries
 * the roles' privileges on it along.
 */
export async function renamePrivilegeResources(ctx: EvalContext, from: string, to: string): Promise<void> {
  const model = modelOf(ctx);
  for (const role of await allDefs(model.kv, model.db, 'Role')) {
    const after = renameResourceIn(role.data.get('privileges'), from, to);
    if (after) putDef(model, 'Role', role.name, new Map(role.data).set('privileges', after), role.id);
  }
}
