// Names in the schema that must resolve, checked once per transaction that changed the schema,
// just before it commits (core SchemaTypeValidator.checkResourceName and checkAPRoleName, run
// on the whole database schema after each update, so a role may name a collection created later
// in the same query):
//   - a role's membership names a collection (by name or alias) or a system collection (`Key`,
//     `Token`, `Credential`/`Credentials`, `Database`, `Collection`, `Function`, `Role`,
//     `AccessProvider`); its privileges may also name a function (by name or alias):
//     ``Resource `X` does not exist``;
//   - an access provider's roles name existing user-defined roles: ``Role `X` does not exist``
//     (builtin roles are refused when the provider is written: access-providers.ts).
// So deleting a collection or function a role names, or a role a provider names, fails too.
// Databases created before this check may hold such names: as with indexed computed fields
// (indexed-computed.ts), only what the transaction introduces is refused — names held by a
// definition it wrote, or names of definitions it removed.
import { QueryError } from '../../fql/errors';
import type { Value } from '../../fql/values/value';
import { beforeCommit } from '../../storage/before-commit';
import type { KvTxn } from '../../storage/kv';
import type { DbId } from '../keys';
import { allDefs, stringField, type NamedDef } from '../identity/named-store';
import { entries, providerRoles } from '../identity/definition-lists';

const SYSTEM_RESOURCES = new Set(['Key', 'Token', 'Credential', 'Credentials', 'Database', 'Collection', 'Function', 'Role', 'AccessProvider']);

/** What a transaction changed in one database's schema. */
interface Changes {
  /** `<kind>:<name>` of the definitions it wrote. */
  readonly written: Set<string>;
  /** Names of the collections, functions and roles it removed (deleted, or renamed away). */
  readonly removed: Set<string>;
}

const changesOf = new WeakMap<KvTxn, Map<DbId, Changes>>();

/** Records a schema write of this transaction and has its references checked before it commits. */
export function noteSchemaChange(kv: KvTxn, db: DbId, kind: string, name: string, action: 'put' | 'delete'): void {
  let byDb = changesOf.get(kv);
  if (!byDb) changesOf.set(kv, (byDb = new Map()));
  let changes = byDb.get(db);
  if (!changes) {
    byDb.set(db, (changes = { written: new Set(), removed: new Set() }));
    beforeCommit(kv, `schema-references:${db}`, () => refuseDanglingNames(kv, db));
  }
  if (action === 'put') {
    changes.written.add(`${kind}:${name}`);
    changes.removed.delete(name);
  } else {
    changes.removed.add(name);
  }
}

/** The names a definition answers to: its name and its alias. */
function namesOf(defs: readonly NamedDef[]): Set<string> {
  const out = new Set<string>();
  for (const d of defs) {
    out.add(d.name);
    const alias = stringField(d.data, 'alias');
    if (alias !== undefined) out.add(alias);
  }
  return out;
}

interface Finding {
  /** The definition holding the name (`<kind>:<name>`). */
  readonly holder: string;
  readonly name: string;
  readonly message: string;
}

async function findings(kv: KvTxn, db: DbId): Promise<Finding[]> {
  const [colls, funcs, roles, providers] = await Promise.all(
    ['Collection', 'Function', 'Role', 'AccessProvider'].map((k) => allDefs(kv, db, k)),
  );
  const collNames = namesOf(colls);
  const funcNames = namesOf(funcs);
  const roleNames = new Set(roles.map((r) => r.name));
  const out: Finding[] = [];
  const resource = (holder: string, entry: ReadonlyMap<string, Value>, allowFunctions: boolean): void => {
    const r = entry.get('resource');
    // v4 roles name their resources with references: core checks those apart (v4 schema).
    if (r?.t !== 'string') return;
    const n = r.v;
    if (SYSTEM_RESOURCES.has(n) || collNames.has(n) || (allowFunctions && funcNames.has(n))) return;
    out.push({ holder, name: n, message: `Resource \`${n}\` does not exist` });
  };
  for (const role of roles) {
    const holder = `Role:${role.name}`;
    for (const m of entries(role.data.get('membership'))) resource(holder, m, false);
    for (const p of entries(role.data.get('privileges'))) resource(holder, p, true);
  }
  for (const ap of providers) {
    for (const { role } of providerRoles(ap.data.get('roles'))) {
      if (!roleNames.has(role)) out.push({ holder: `AccessProvider:${ap.name}`, name: role, message: `Role \`${role}\` does not exist` });
    }
  }
  return out;
}

async function refuseDanglingNames(kv: KvTxn, db: DbId): Promise<void> {
  const changes = changesOf.get(kv)?.get(db);
  changesOf.get(kv)?.delete(db);
  if (!changes) return;
  const introduced = (await findings(kv, db)).filter((f) => changes.written.has(f.holder) || changes.removed.has(f.name));
  if (introduced.length === 0) return;
  const lines = introduced.map((f) => `    error: ${f.message}`).join('\n');
  throw new QueryError('invalid_schema', `Invalid database schema update.\n${lines}`);
}
