// Collection definitions' hooks into the model: computed fields on document reads, and the
// write hooks that enforce field types, check and unique constraints and keep index entries in
// step with every document write (same transaction). Installed, with index methods on collection
// modules, temporal reads, `ttl_days` and field defaults, by src/model/wiring.ts.
import { QueryError } from '../../fql/errors';
import type { ReadDecorator } from '../model-txn';
import { fieldFailures, hasFieldSchema } from '../definitions/field-types';
import type { WriteHook } from '../write-broker';
import { computedOverwrites } from '../definitions/computed-writes';
import { docWriteMessage } from '../write-failures';
import { modelOf } from '../stdlib/args';
import { fullDocView, lazyComputed } from '../definitions/doc-view';
import type { DocV } from '../../fql/values/value';
import { schemaOf } from '../definitions/schema';
import { enforceChecks } from '../constraints/check';
import { enforceUniques } from '../constraints/unique';
import { updateIndexEntries, type VersionView } from './index-store';

/** Gives a document read through the ModelTxn API its computed fields (evaluated lazily). */
export const computedFieldsOnRead: ReadDecorator = async (txn, doc, readTs) => {
  const def = await txn.collection(doc.coll);
  if (!def) return doc;
  const schema = schemaOf(def);
  if (schema.computed.length === 0) return doc;
  const self: DocV = readTs === undefined ? { t: 'doc', coll: doc.coll, id: doc.id } : { t: 'doc', coll: doc.coll, id: doc.id, readTs };
  return { ...doc, computed: lazyComputed(txn, schema, self) };
};

/** Field types and computed-field overwrites, unique constraints and index entries of a write. */
export const enforceCollectionSchema: WriteHook = async (ctx, w) => {
  const schema = schemaOf(w.def);
  if (w.after && w.action !== 'delete') {
    const failures = [...computedOverwrites(schema, w), ...(hasFieldSchema(schema) ? fieldFailures(schema, w.after.data) : [])];
    if (failures.length > 0) {
      throw new QueryError('constraint_failure', docWriteMessage(w.action, w.def.name, w.id), undefined,
        { constraintFailures: failures });
    }
  }
  if (schema.indexes.size === 0 && schema.uniques.length === 0) return;
  const model = modelOf(ctx);
  model.bindContext(ctx);
  const before: VersionView | undefined = w.before
    ? { view: await fullDocView(model, ctx, schema, w.before), ttl: w.before.ttl }
    : undefined;
  const after: VersionView | undefined = w.after
    ? {
      view: await fullDocView(model, ctx, schema,
        { coll: w.def.name, id: w.id, ts: model.txnTs, ttl: w.after.ttl, data: w.after.data }),
      ttl: w.after.ttl,
    }
    : undefined;
  if (schema.uniques.length > 0) await enforceUniques(model, w.def, schema.uniques, w.id, before?.view, after?.view);
  for (const index of schema.indexes.values()) updateIndexEntries(model, w.def, index, w.id, before, after);
};

// Checks see the state after the write (the new version, its index entries), as in Fauna.
export const enforceCheckConstraints: WriteHook = async (ctx, w) => {
  const schema = schemaOf(w.def);
  if (!w.after || w.action === 'delete' || schema.checks.length === 0) return;
  await enforceChecks(ctx, modelOf(ctx), schema, w.def.name, w.action, { t: 'doc', coll: w.def.name, id: w.id }, w.id);
};
