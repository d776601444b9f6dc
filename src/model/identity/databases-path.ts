// Resolution of child databases by name: a Database definition stores the child's numeric id.
import type { KvTxn } from '../../storage/kv';
import type { DbId } from '../keys';
import { readDefRaw } from './named-store';

/** The database reached from `from` by following `path` (child names); undefined if absent. */
export async function resolveDatabasePath(kv: KvTxn, from: DbId, path: readonly string[]): Promise<DbId | undefined> {
  let db = from;
  for (const segment of path) {
    const def = await readDefRaw(kv, db, 'Database', segment);
    if (!def || def.id === undefined) return undefined;
    db = def.id;
  }
  return db;
}
