// Wires collection definitions into the model: index methods on collection modules, computed
// fields on document reads, temporal reads, `ttl_days` and field defaults, and the write hook
// that enforces field types, check and unique constraints and keeps index entries in step with
// every document write (same transaction).
import { QueryError } from '../../fql/errors';
import { defineIndexResolver, defineReadDecorator } from '../model-txn';
import { fieldFailures, hasFieldSchema } from '../definitions/field-types';
import { afterDocumentWrite, onDocumentWrite } from '../write-broker';
import { computedOverwrites } from '../definitions/computed-writes';
import { docWriteMessage } from '../write-failures';
import { modelOf } from '../stdlib/args';
import { fullDocView, lazyComputed } from '../definitions/doc-view';
import type { DocV } from '../../fql/values/value';
import { schemaOf } from '../definitions/schema';
import { enforceChecks } from '../constraints/check';
import { enforceUniques } from '../constraints/unique';
import { collectionIndexMethod } from './index-method';
import { updateIndexEntries, type VersionView } from './index-store';
import '../temporal/history';
import '../temporal/expiry';
import '../temporal/ttl-days';
import '../definitions/field-defaults';

defineIndexResolver(collectionIndexMethod);

defineReadDecorator(async (txn, doc, readTs) => {
  const def = await txn.collection(doc.coll);
  if (!def) return doc;
  const schema = schemaOf(def);
  if (schema.computed.length === 0) return doc;
  const self: DocV = readTs === undefined ? { t: 'doc', coll: doc.coll, id: doc.id } : { t: 'doc', coll: doc.coll, id: doc.id, readTs };
  return { ...doc, computed: lazyComputed(txn, schema, self) };
});

onDocumentWrite(async (ctx, w) => {
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
});

// Checks see the state after the write (the new version, its index entries), as in Fauna.
afterDocumentWrite(async (ctx, w) => {
  const schema = schemaOf(w.def);
  if (!w.after || w.action === 'delete' || schema.checks.length === 0) return;
  await enforceChecks(ctx, modelOf(ctx), schema, w.def.name, w.action, { t: 'doc', coll: w.def.name, id: w.id }, w.id);
});
