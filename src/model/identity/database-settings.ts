// The inherited settings of a database (core Database.isProtected / isTypechecked, which fold
// over the ancestors): a database's own explicit boolean `typechecked` or `protected`, else
// that of its nearest ancestor that sets one; false when none does.
//
// A database knows its own id, not its parent's, so its ancestry is found by a breadth-first
// walk of the Database definitions from the root. That costs one scan per database visited;
// settings are read by rare operations (Query.isEnv*, schema changes that protected mode
// guards), so no parent pointer is kept for them.
import type { KvTxn } from '../../storage/kv';
import { ROOT_DB, type DbId } from '../keys';
import { allDefs, type NamedDef } from './named-store';

export type InheritedSetting = 'typechecked' | 'protected';

/** The Database definitions from the root down to `db` (empty for the root itself). */
async function lineage(kv: KvTxn, db: DbId): Promise<readonly NamedDef[]> {
  let frontier: { id: DbId; path: readonly NamedDef[] }[] = [{ id: ROOT_DB, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { id, path } of frontier) {
      if (id === db) return path;
      for (const child of await allDefs(kv, id, 'Database')) {
        if (child.id !== undefined) next.push({ id: child.id, path: [...path, child] });
      }
    }
    frontier = next;
  }
  return [];
}

/** The nearest explicit boolean `setting` on database `db` or its ancestors. */
export async function inheritedSetting(kv: KvTxn, db: DbId, setting: InheritedSetting): Promise<boolean> {
  const defs = await lineage(kv, db);
  for (let i = defs.length - 1; i >= 0; i--) {
    const v = defs[i].data.get(setting);
    if (v?.t === 'boolean') return v.v;
  }
  return false;
}
