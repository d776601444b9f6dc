// Moving a child database under another parent (core Database.moveDatabase, reached from FQL
// v4's MoveDatabase). A database's contents live under its own numeric id, so moving it moves
// only its definition; its documents, indexes and tokens stay where they are and keep working
// (core WriteFunctionsSpec "should keep data and keys after move", "should keep tokens after
// move"). The keys its old parent holds for it move with it, so they keep opening it.
import type { KvTxn } from '../../storage/kv';
import { toBytes } from '../codec';
import { type DbId, secretLookupKey } from '../keys';
import { ModelTxnImpl } from '../model-txn';
import { deleteDef, putDef, type NamedDef } from './named-store';
import { keysOfDatabase } from './references';
import { moveKeyBinding } from './secret-bindings';
import { HASHED_SECRET, KEY_COLL } from './system';
import type { SecretOwner } from './authenticate';

/**
 * Move `def` (a Database definition of `from`) into `to`, which must not hold a database of that
 * name. Internal writes: the caller has checked permissions and that `to` is not inside `def`.
 */
export async function moveDatabaseDef(kv: KvTxn, from: DbId, def: NamedDef, to: DbId): Promise<void> {
  const source = new ModelTxnImpl(kv, from);
  const target = new ModelTxnImpl(kv, to);
  const keys = await keysOfDatabase(source, def);
  putDef(target, 'Database', def.name, def.data, def.id);
  deleteDef(source, 'Database', def.name);
  for (const key of keys) {
    target.writeDoc(KEY_COLL, key.id, key.data, key.ttl);
    source.deleteDoc(KEY_COLL, key.id);
    await moveKeyBinding(kv, from, to, key.id);
    const digest = key.data.get(HASHED_SECRET);
    // Authentication finds a secret's document through this entry: it names the new parent.
    const owner: SecretOwner = { db: to, coll: 'Key', id: key.id };
    if (digest?.t === 'string') kv.put(secretLookupKey(digest.v), toBytes(owner));
  }
}
