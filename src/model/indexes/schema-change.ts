// Keeping index and unique-constraint entries in step with definition changes: a new or
// changed index (or constraint) is built from the documents already in the collection, in the
// same transaction as the definition change, and the entries of removed ones are deleted.
// Migrations the change adds run first (src/model/definitions/migrations.ts).
import type { EvalContext } from '../../fql/eval/context';
import { type CollectionDef, type ModelTxnImpl, modelHooks } from '../model-txn';
import { schemaOf } from '../definitions/schema';
import { buildUnique, clearUnique } from '../constraints/unique';
import { buildIndex, clearIndex, forEachDocView } from './index-store';
import { runMigrations } from '../definitions/migrations';

export async function applySchemaChange(
  ctx: EvalContext, model: ModelTxnImpl, before: CollectionDef | undefined, after: CollectionDef,
): Promise<void> {
  // Migrated documents were rewritten without index maintenance: rebuild every index then.
  const migrated = await runMigrations(ctx, model, before, after);
  const old = before && !migrated ? schemaOf(before) : undefined;
  const next = schemaOf(after);
  for (const [name, idx] of before ? schemaOf(before).indexes : []) {
    if (next.indexes.get(name)?.fingerprint !== idx.fingerprint) await clearIndex(model, after.id, name);
  }
  for (const [name, idx] of next.indexes) {
    if (old?.indexes.get(name)?.fingerprint !== idx.fingerprint) await buildIndex(ctx, model, after, idx);
  }
  const oldUniques = new Set(old?.uniques.map((u) => u.fingerprint));
  const newUniques = new Set(next.uniques.map((u) => u.fingerprint));
  for (const u of before ? schemaOf(before).uniques : []) {
    if (!newUniques.has(u.fingerprint)) await clearUnique(model, after.id, u.fingerprint);
  }
  for (const u of next.uniques) {
    if (oldUniques.has(u.fingerprint)) continue;
    await buildUnique(model, after, u, (visit) => forEachDocView(ctx, model, after, (id, v) => visit(id, v.view)));
  }
}

/** Remove every index and unique entry of a deleted collection (and what v4 indexes hold of it). */
export async function dropCollectionEntries(model: ModelTxnImpl, def: CollectionDef): Promise<void> {
  await clearIndex(model, def.id);
  await clearUnique(model, def.id);
  await modelHooks.collectionDeleted?.(model, def);
}
