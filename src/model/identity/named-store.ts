// Storage of named schema documents other than collections (Function, Role, Database), in the
// same layout as collection definitions: [db, 's', <coll>, <name>] → { ts, id?, data }, where
// `data` holds every definition field including `name`, in Fauna's order.
import type { Value } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import { decodeFields, encodeFields, fromBytes, toBytes } from '../codec';
import { DbId, prefixEnd, schemaKey, schemaPrefix } from '../keys';
import type { ModelTxnImpl } from '../model-txn';
import { noteSchemaChange } from '../definitions/schema-references';

interface StoredNamed { ts: string; id?: number; data: unknown }

export interface NamedDef {
  readonly coll: string;
  readonly name: string;
  readonly ts: bigint;
  /** The child database id of a Database definition. */
  readonly id?: number;
  readonly data: ReadonlyMap<string, Value>;
}

function decode(coll: string, name: string, raw: Uint8Array): NamedDef {
  const s = fromBytes<StoredNamed>(raw);
  return { coll, name, ts: BigInt(s.ts), id: s.id, data: decodeFields(s.data as never) };
}

export async function readDefRaw(kv: KvTxn, db: DbId, coll: string, name: string): Promise<NamedDef | undefined> {
  const raw = await kv.get(schemaKey(db, coll, name));
  return raw ? decode(coll, name, raw) : undefined;
}

export function readDef(txn: ModelTxnImpl, coll: string, name: string): Promise<NamedDef | undefined> {
  return readDefRaw(txn.kv, txn.db, coll, name);
}

/** Every definition of one kind, ordered by name. */
export async function allDefs(kv: KvTxn, db: DbId, coll: string): Promise<NamedDef[]> {
  const prefix = schemaPrefix(db, coll);
  const rows = await kv.scan({ start: prefix, end: prefixEnd(prefix) });
  return rows.map((r) => {
    const s = fromBytes<StoredNamed>(r.value);
    const data = decodeFields(s.data as never);
    const n = data.get('name');
    return { coll, name: n?.t === 'string' ? n.v : '', ts: BigInt(s.ts), id: s.id, data };
  });
}

export function putDef(txn: ModelTxnImpl, coll: string, name: string, data: ReadonlyMap<string, Value>, id?: number): NamedDef {
  const stored: StoredNamed = { ts: txn.kv.ts.toString(), data: encodeFields(data) };
  if (id !== undefined) stored.id = id;
  txn.kv.put(schemaKey(txn.db, coll, name), toBytes(stored));
  txn.bumpSchemaVersion();
  noteSchemaChange(txn.kv, txn.db, coll, name, 'put');
  return { coll, name, ts: txn.kv.ts, id, data };
}

export function deleteDef(txn: ModelTxnImpl, coll: string, name: string): void {
  txn.kv.delete(schemaKey(txn.db, coll, name));
  txn.bumpSchemaVersion();
  noteSchemaChange(txn.kv, txn.db, coll, name, 'delete');
}

export const stringField = (data: ReadonlyMap<string, Value>, name: string): string | undefined => {
  const v = data.get(name);
  return v?.t === 'string' ? v.v : undefined;
};
