// `Query.isEnvTypechecked()` and `Query.isEnvProtected()` (core FQL2QuerySpec): the `typechecked`
// and `protected` settings of the database the query runs in, inherited from the nearest
// ancestor that sets them when it does not; false when none does. Only an admin may ask whether
// the environment is protected.
//
// A database knows its own id, not its parent's, so its ancestry is found by a breadth-first
// walk of the Database definitions from the root. That costs one scan per database visited;
// both functions are rare next to document reads, so no parent pointer is kept for them.
import type { EvalContext } from '../../fql/eval/context';
import { bool } from '../../fql/values/construct';
import { defineMethods } from '../../fql/stdlib/registry';
import { isBuiltin } from '../../auth/principal';
import type { KvTxn } from '../../storage/kv';
import { ROOT_DB, type DbId } from '../keys';
import { modelOf } from '../stdlib/args';
import { principalOf } from './auth-state';
import { allDefs, type NamedDef } from './named-store';
import { permissionDenied } from './permissions';

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

/** The nearest explicit boolean `setting` on the query's database or its ancestors. */
async function inherited(ctx: EvalContext, setting: 'typechecked' | 'protected'): Promise<boolean> {
  const model = modelOf(ctx);
  const defs = await lineage(model.kv, model.db);
  for (let i = defs.length - 1; i >= 0; i--) {
    const v = defs[i].data.get(setting);
    if (v?.t === 'boolean') return v.v;
  }
  return false;
}

defineMethods('module:Query', {
  isEnvTypechecked: { arity: 0, impl: async (ctx) => bool(await inherited(ctx, 'typechecked')) },
  isEnvProtected: {
    arity: 0,
    impl: async (ctx) => {
      const principal = principalOf(ctx);
      if (principal && !isBuiltin(principal, 'admin')) throw permissionDenied();
      return bool(await inherited(ctx, 'protected'));
    },
  },
});
