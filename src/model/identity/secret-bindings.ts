// What keys and tokens are bound to, by identity rather than by name. Core stores a key's
// `database` as the child's DatabaseID and a token's identity as a DocID (collection id and
// document id); here documents name them, so the ids are recorded beside them when they are
// written: for a key, the numeric id of the child database its `database` names and of the
// user role its `role` names; for a token, the id of its identity document's collection.
// Authentication resolves the names as before and refuses a binding that no longer matches, so
// a database, role or collection deleted and recreated under the same name (with a new id)
// never inherits an old secret.
//
// Bindings live beside the document, in [db, 'kb' | 'tb', <id>], so key and token documents
// keep exactly Fauna's fields and every read path (v10, v4, history) is unchanged. Keys and
// tokens written before bindings existed have no entry: they are resolved by name, as they
// always were; the foreign-key rules (references.ts) keep key names pointing at the same
// definitions from now on, and `retireBinding` retires keys whose name was freed by an earlier
// deletion.
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import { encodeKey } from '../../storage/tuple';
import { fromBytes, toBytes } from '../codec';
import type { DbId } from '../keys';
import type { ModelTxnImpl } from '../model-txn';
import { modelOf } from '../stdlib/args';
import { readDef, readDefRaw, stringField } from './named-store';

export interface Binding {
  /** A key's: id of the child database named by `database` (absent: no `database`). */
  readonly database?: number;
  /** A key's: id of the user role named by `role` (absent: a built-in role, or a role without an id). */
  readonly role?: number;
  /** A token's: id of the collection of its identity document. */
  readonly collection?: number;
}

type Owner = 'Key' | 'Token';

/** Never the id of a database or role (both allocators start at 1): a retired binding. */
export const RETIRED = 0;

const bindingKey = (db: DbId, owner: Owner, id: string): Uint8Array =>
  encodeKey([db, owner === 'Key' ? 'kb' : 'tb', BigInt(id)]);

export async function readBinding(kv: KvTxn, db: DbId, owner: Owner, id: string): Promise<Binding | undefined> {
  const raw = await kv.get(bindingKey(db, owner, id));
  return raw ? fromBytes<Binding>(raw) : undefined;
}

function putBinding(model: ModelTxnImpl, owner: Owner, id: string, binding: Binding): void {
  model.kv.put(bindingKey(model.db, owner, id), toBytes(binding));
}

/** A key moved to another database keeps its binding there (its ids are the same). */
export async function moveKeyBinding(kv: KvTxn, from: DbId, to: DbId, keyId: string): Promise<void> {
  const raw = await kv.get(bindingKey(from, 'Key', keyId));
  kv.delete(bindingKey(from, 'Key', keyId));
  if (raw) kv.put(bindingKey(to, 'Key', keyId), raw);
}

/**
 * Record what a key's (already validated) fields name, as they are written. A name the write
 * leaves unchanged keeps its binding (updating a key's `data` must not rebind a retired key).
 */
export async function bindKey(
  ctx: EvalContext, keyId: string, data: ReadonlyMap<string, Value>, before?: ReadonlyMap<string, Value>,
): Promise<void> {
  const model = modelOf(ctx);
  const previous = before && (await readBinding(model.kv, model.db, 'Key', keyId));
  const kept = (field: 'database' | 'role', name: string): number | undefined =>
    previous && stringField(before!, field) === name ? previous[field] : undefined;
  const binding: { database?: number; role?: number } = {};
  const database = stringField(data, 'database');
  if (database !== undefined) {
    binding.database = kept('database', database) ?? (await readDef(model, 'Database', database))?.id ?? RETIRED;
  }
  // A key with a `database` runs in that child, where its role name is resolved; only a key of
  // this database has its role here to bind.
  const role = stringField(data, 'role');
  if (role !== undefined && database === undefined) {
    const id = kept('role', role) ?? (await readDef(model, 'Role', role))?.id;
    if (id !== undefined) binding.role = id;
  }
  putBinding(model, 'Key', keyId, binding);
}

/** Record the collection of a token's identity document, as the token is written. */
export async function bindToken(ctx: EvalContext, tokenId: string, data: ReadonlyMap<string, Value>): Promise<void> {
  const model = modelOf(ctx);
  const identity = data.get('document');
  const coll = identity?.t === 'doc' ? await model.collection(identity.coll) : undefined;
  putBinding(model, 'Token', tokenId, coll ? { collection: coll.id } : {});
}

export function unbind(ctx: EvalContext, owner: Owner, id: string): void {
  const model = modelOf(ctx);
  model.kv.delete(bindingKey(model.db, owner, id));
}

/** Retire a key's binding to its database or role (its name now belongs to a newer definition). */
export async function retireBinding(model: ModelTxnImpl, keyId: string, what: 'database' | 'role'): Promise<void> {
  const current = (await readBinding(model.kv, model.db, 'Key', keyId)) ?? {};
  putBinding(model, 'Key', keyId, { ...current, [what]: RETIRED });
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
