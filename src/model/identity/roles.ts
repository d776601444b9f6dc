// User-defined roles (core Roles.scala): `Role.create({ name, membership?, privileges?, data? })`.
// Privileges name a resource (a collection, a UDF, Credential, Token, ...) and actions, each
// `true`/`false` or a predicate lambda given as source text; membership names collections
// whose documents (as token identities) hold the role, optionally with a predicate. Roles written
// through FQL v4 name resources by ref and hold `Query(Lambda(...))` predicates (fql4-lambdas.ts).
import type { Value } from '../../fql/values/value';
import { typeName } from '../../fql/values/construct';
import { QueryCheckError, QueryError, type ConstraintFailure } from '../../fql/errors';
import { ACTIONS, resourceName } from './permissions';
import { fql4QueryOf } from './fql4-lambdas';
import { defineSchemaKind, validName, type SchemaAction, type SchemaKind } from './schema-kinds';
import { parseStoredLambda } from '../stored-lambda';
import { schemaWriteFailure } from '../write-failures';
import { fromBytes, toBytes } from '../codec';
import { modelOf } from '../stdlib/args';
import { encodeKey } from '../../storage/tuple';
import { refuseDeleteIfReferenced, renameReferences, retireKeysNaming } from './references';
import { allDefs, putDef } from './named-store';
import type { ModelTxnImpl } from '../model-txn';

const FIELD_ORDER = ['name', 'privileges', 'membership', 'data'];

/** Role ids (their identity, which a new role of the same name does not get), from 1 up. */
const ROLE_ID_ALLOCATOR = encodeKey(['g', 'roleid']);

type Path = readonly (string | number)[];

/**
 * The failures of a role's `membership` and `privileges`, all of them, each at its path
 * (`privileges[1].actions.create`), membership first (core FQL2RoleSpec "validate predicates").
 */
class RoleFailures {
  readonly list: ConstraintFailure[] = [];
  add(path: Path, message: string): void {
    this.list.push({ paths: [path], message });
  }

  /** One object or an array of objects, each checked by `check`. */
  eachEntry(field: string, v: Value, check: (o: ReadonlyMap<string, Value>, path: Path) => void): void {
    const items = v.t === 'array' ? v.v : [v];
    items.forEach((item, i) => {
      const path: Path = v.t === 'array' ? [field, i] : [field];
      if (item.t !== 'object') this.add(path, `Expected Object, provided ${typeName(item)}`);
      else check(item.v, path);
    });
  }

  predicate(path: Path, v: Value): void {
    // null is an absent grant or predicate (Fauna drops null fields of documents).
    if (v.t === 'boolean' || v.t === 'null' || fql4QueryOf(v) !== undefined) return;
    if (v.t !== 'string') return this.add(path, `Expected Boolean | String, provided ${typeName(v)}`);
    try {
      parseStoredLambda(v.v);
    } catch (e) {
      if (!(e instanceof QueryCheckError)) throw e;
      this.add(path, e.diagnostics.map((d) => d.message).join('\n'));
    }
  }
}

const roleKind: SchemaKind = {
  coll: 'Role',
  async shape(_ctx, action, fields) {
    validName(roleKind, action, fields.get('name'));
    for (const k of fields.keys()) if (!FIELD_ORDER.includes(k)) throw schemaWriteFailure(action, 'Role', k, 'Unexpected field provided');
    const failures = new RoleFailures();
    const membership = fields.get('membership');
    if (membership) {
      failures.eachEntry('membership', membership, (m, path) => {
        if (resourceName(m.get('resource')) === undefined) failures.add([...path, 'resource'], 'Missing required field of type String');
        const predicate = m.get('predicate');
        if (predicate !== undefined) failures.predicate([...path, 'predicate'], predicate);
      });
    }
    const privileges = fields.get('privileges');
    if (privileges) {
      failures.eachEntry('privileges', privileges, (p, path) => {
        if (resourceName(p.get('resource')) === undefined) failures.add([...path, 'resource'], 'Missing required field of type String');
        const actions = p.get('actions');
        if (actions === undefined) return;
        if (actions.t !== 'object') return failures.add([...path, 'actions'], `Expected Object, provided ${typeName(actions)}`);
        for (const [name, grant] of actions.v) {
          if (!ACTIONS.has(name)) failures.add([...path, 'actions', name], 'Unexpected field provided');
          else failures.predicate([...path, 'actions', name], grant);
        }
      });
    }
    if (failures.list.length > 0) {
      throw new QueryError('constraint_failure', `Failed to ${action} Role.`, undefined, { constraintFailures: failures.list });
    }
    const out = new Map<string, Value>();
    for (const k of FIELD_ORDER) if (fields.has(k)) out.set(k, fields.get(k)!);
    return out;
  },
  async allocateId(ctx) {
    const kv = modelOf(ctx).kv;
    const raw = await kv.get(ROLE_ID_ALLOCATOR);
    const next = raw ? fromBytes<number>(raw) + 1 : 1;
    kv.put(ROLE_ID_ALLOCATOR, toBytes(next));
    return next;
  },
  onCreate: (ctx, name) => retireKeysNaming(ctx, 'Role', name),
  onRename: (ctx, def, newName) => renameReferences(ctx, 'Role', def, newName),
  onDelete: (ctx, def) => refuseDeleteIfReferenced(ctx, 'Role', def),
};

/** `resource` members naming `from` now name `to`, in one privilege or membership entry or a list. */
function renameResources(v: Value | undefined, from: string, to: string): Value | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'array') {
    const items = v.v.map((x) => renameResources(x, from, to) ?? x);
    return items.some((x, i) => x !== v.v[i]) ? { t: 'array', v: items } : v;
  }
  if (v.t !== 'object') return v;
  const r = v.v.get('resource');
  // v10 roles name the collection, v4 roles hold its ref (which follows renames in core too).
  const named = r?.t === 'named' && r.coll === 'Collection' && r.name === from;
  if (!named && (r?.t !== 'string' || r.v !== from)) return v;
  const m = new Map(v.v);
  m.set('resource', named ? { t: 'named', coll: 'Collection', name: to } : { t: 'string', v: to });
  return { t: 'object', v: m };
}

/**
 * A renamed collection stays the resource of the roles that named it (core FQL2CollectionSpec,
 * "validate foreign references": roles show the new name).
 */
export async function followCollectionRename(txn: ModelTxnImpl, from: string, to: string): Promise<void> {
  for (const def of await allDefs(txn.kv, txn.db, 'Role')) {
    const privileges = renameResources(def.data.get('privileges'), from, to);
    const membership = renameResources(def.data.get('membership'), from, to);
    if (privileges === def.data.get('privileges') && membership === def.data.get('membership')) continue;
    const data = new Map(def.data);
    if (privileges !== undefined) data.set('privileges', privileges);
    if (membership !== undefined) data.set('membership', membership);
    putDef(txn, 'Role', def.name, data, def.id);
  }
}

/** Registers the `Role` module and role definitions (called by src/model/identity/index.ts). */
export function wireRoles(): void {
  defineSchemaKind(roleKind);
}
