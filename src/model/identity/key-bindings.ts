// What a key is bound to, by identity rather than by name (core stores a key's `database` as
// the child's DatabaseID): the numeric id of the child database its `database` field names and
// of the user role its `role` names, recorded when the key is written. Authentication resolves
// the names as before and refuses a binding that no longer matches, so a database or role
// deleted and recreated under the same name (with a new id) never inherits an old key.
//
// Bindings live beside the key, in [db, 'kb', <key id>] → { database?, role? }, so key documents
// keep exactly Fauna's fields and every read path (v10, v4, history) is unchanged. Keys written
// before bindings existed have no entry: they are resolved by name, as they always were; the
// foreign-key rules (references.ts) keep their names pointing at the same definitions from now
// on, and `orphanKeysNaming` retires those whose name was freed by an earlier deletion.
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import { encodeKey } from '../../storage/tuple';
import { fromBytes, toBytes } from '../codec';
import type { DbId } from '../keys';
import type { ModelTxnImpl } from '../model-txn';
import { modelOf } from '../stdlib/args';
import { readDef, readDefRaw, stringField } from './named-store';

export interface KeyBinding {
  /** Id of the child database named by `database` (absent: the key has no `database`). */
  readonly database?: number;
  /** Id of the user role named by `role` (absent: a built-in role, or a role without an id). */
  readonly role?: number;
}

/** Never the id of a database or role (both allocators start at 1): a retired binding. */
export const RETIRED = 0;

const bindingKey = (db: DbId, keyId: string): Uint8Array => encodeKey([db, 'kb', BigInt(keyId)]);

export async function readBinding(kv: KvTxn, db: DbId, keyId: string): Promise<KeyBinding | undefined> {
  const raw = await kv.get(bindingKey(db, keyId));
  return raw ? fromBytes<KeyBinding>(raw) : undefined;
}

function putBinding(model: ModelTxnImpl, keyId: string, binding: KeyBinding): void {
  model.kv.put(bindingKey(model.db, keyId), toBytes(binding));
}

/** Record what a key's (already validated) fields name, as they are written. */
export async function bindKey(ctx: EvalContext, keyId: string, data: ReadonlyMap<string, Value>): Promise<void> {
  const model = modelOf(ctx);
  const binding: { database?: number; role?: number } = {};
  const database = stringField(data, 'database');
  if (database !== undefined) binding.database = (await readDef(model, 'Database', database))?.id ?? RETIRED;
  // A key with a `database` runs in that child, where its role name is resolved; only a key of
  // this database has its role here to bind.
  const role = stringField(data, 'role');
  if (role !== undefined && database === undefined) {
    const def = await readDef(model, 'Role', role);
    if (def?.id !== undefined) binding.role = def.id;
  }
  putBinding(model, keyId, binding);
}

export function unbindKey(ctx: EvalContext, keyId: string): void {
  const model = modelOf(ctx);
  model.kv.delete(bindingKey(model.db, keyId));
}

/** Retire a key's binding to its database or role (its name now belongs to a newer definition). */
export async function retireBinding(model: ModelTxnImpl, keyId: string, what: 'database' | 'role'): Promise<void> {
  const current = (await readBinding(model.kv, model.db, keyId)) ?? {};
  putBinding(model, keyId, { ...current, [what]: RETIRED });
}

/**
 * Whether the definition a key names (a child `Database` or a `Role` of `db`) is the one it was
 * bound to. No binding recorded (a key from before bindings): the name decides.
 */
export async function stillBound(kv: KvTxn, db: DbId, coll: 'Database' | 'Role', name: string, boundId: number | undefined): Promise<boolean> {
  if (boundId === undefined) return true;
  const def = await readDefRaw(kv, db, coll, name);
  return def !== undefined && def.id === boundId;
}
