// Child databases (core Databases.scala): `Database.create({ name, data?, typechecked?,
// protected? })`. Each database has its own numeric id, the first element of every storage
// key it owns, so it is an isolated namespace; deleting it removes that whole key range and,
// recursively, its own children.
import type { EvalContext } from '../../fql/eval/context';
import type { KvTxn } from '../../storage/kv';
import type { Value } from '../../fql/values/value';
import { fromBytes, toBytes } from '../codec';
import { DbId, databasePrefix, dbIdAllocatorKey, prefixEnd } from '../keys';
import { modelOf } from '../stdlib/args';
import { allDefs, type NamedDef } from './named-store';
import { defineSchemaKind, validName, type SchemaKind } from './schema-kinds';
import { schemaWriteFailure } from '../write-failures';
import { deleteKeysOf, renameReferences, retireKeysNaming } from './references';

const FIELD_ORDER = ['name', 'data', 'typechecked', 'protected', 'priority'];
const NAME_RE = /^[A-Za-z0-9_-]+$/;

/** Remove a database's contents and, first, those of its children. */
async function dropDatabase(kv: KvTxn, db: DbId): Promise<void> {
  for (const child of await allDefs(kv, db, 'Database')) if (child.id !== undefined) await dropDatabase(kv, child.id);
  const prefix = databasePrefix(db);
  for (const row of await kv.scan({ start: prefix, end: prefixEnd(prefix) })) kv.delete(row.key);
}

const databaseKind: SchemaKind = {
  coll: 'Database',
  async shape(_ctx, action, fields) {
    const fail = (path: string, message: string) => schemaWriteFailure(action, 'Database', path, message);
    const name = validName(databaseKind, action, fields.get('name'), false);
    if (!NAME_RE.test(name)) throw fail('name', 'Invalid identifier.');
    for (const k of fields.keys()) if (!FIELD_ORDER.includes(k)) throw fail(k, 'Unexpected field provided.');
    const out = new Map<string, Value>();
    for (const k of FIELD_ORDER) if (fields.has(k)) out.set(k, fields.get(k)!);
    return out;
  },
  async allocateId(ctx: EvalContext): Promise<number> {
    const kv = modelOf(ctx).kv;
    const raw = await kv.get(dbIdAllocatorKey());
    const next = raw ? fromBytes<number>(raw) + 1 : 1;
    kv.put(dbIdAllocatorKey(), toBytes(next));
    return next;
  },
  async onDelete(ctx: EvalContext, def: NamedDef): Promise<void> {
    await deleteKeysOf(ctx, def);
    if (def.id !== undefined) await dropDatabase(modelOf(ctx).kv, def.id);
  },
  onCreate: (ctx, name) => retireKeysNaming(ctx, 'Database', name),
  onRename: (ctx, def, newName) => renameReferences(ctx, 'Database', def, newName),
};

/** Registers the `Database` module and database definitions (called by src/model/identity/index.ts). */
export function wireDatabases(): void {
  defineSchemaKind(databaseKind);
}
