// `MoveDatabase(from, to)` (core MoveDatabaseFunction; behaviour from core WriteFunctionsSpec
// "move_database"): both Database refs must resolve (invalid ref at `move_database` / `to`),
// `to` may not be `from` or inside it ("move database error"), the caller must be allowed to
// delete `from`, and `to` may not already hold a database of that name. Answers the moved
// database as it now reads from its new parent.
import { checkSchemaWrite } from '../../model/write-broker';
import { resolveDatabasePath } from '../../model/identity/databases-path';
import { readDef } from '../../model/identity/named-store';
import { moveDatabaseDef } from '../../model/identity/move-database';
import { ModelTxnImpl } from '../../model/model-txn';
import { type Position, V4Error, invalidArgument, invalidRef } from '../errors';
import type { V4Query } from '../query-context';
import { type ObjectV4, type RefV4, type V4Value, databasePath, nativeCollOf, schemaRef, scopeOf } from '../values';
import { locate } from './locate';
import { getVersion } from './reads';

async function databaseDef(q: V4Query, v: V4Value, pos: Position) {
  if (v.t !== 'ref' || nativeCollOf(v) !== 'databases') throw invalidArgument(['Database Ref'], v, pos);
  const t = await locate(q, v, pos);
  const def = t.kind === 'schema' ? await readDef(t.model, 'Database', t.name) : undefined;
  if (!def || def.id === undefined) throw invalidRef('database', v.id, pos);
  return { ref: v, model: t.model, def: { ...def, id: def.id } };
}

/** Ids of the databases from the request's database down to `ref` (inclusive). */
async function chainOf(q: V4Query, ref: RefV4, id: number): Promise<number[]> {
  const path = databasePath(scopeOf(ref));
  const ids: number[] = [];
  for (let i = 1; i <= path.length; i++) {
    const step = await resolveDatabasePath(q.model.kv, q.model.db, path.slice(0, i));
    if (step !== undefined) ids.push(step);
  }
  return [...ids, id];
}

export async function moveDatabase(q: V4Query, from: V4Value, to: V4Value, pos: Position): Promise<ObjectV4> {
  const src = await databaseDef(q, from, [...pos, 'move_database']);
  const dst = await databaseDef(q, to, [...pos, 'to']);
  if ((await chainOf(q, dst.ref, dst.def.id)).includes(src.def.id)) {
    throw new V4Error('move database error',
      `Cannot move database '${src.def.name}' into parent '${dst.def.name}': Cannot move database from ancestor to descendant.`, pos);
  }
  // Moving needs the right to delete `from` (core checkDeletePermission); role predicates see it.
  await checkSchemaWrite(q.ctx, 'Database', 'delete', () => [{ t: 'named', coll: 'Database', name: src.def.name }]);
  if (await readDef(new ModelTxnImpl(q.model.kv, dst.def.id), 'Database', src.def.name)) {
    throw new V4Error('instance already exists', 'Database already exists.', pos);
  }
  await moveDatabaseDef(q.model.kv, src.model.db, src.def, dst.def.id);
  q.ctx.stats.writeOps += 1;
  return getVersion(q, schemaRef('databases', src.def.name, dst.ref), pos);
}
