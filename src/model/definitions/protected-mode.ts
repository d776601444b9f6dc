// Protected mode (core ConstraintFailure.ProtectedModeFailure, CollectionSchemaHooks,
// CollectionIndexManager.updateUnstaged, CollectionWriteConfig / IndexWriteConfig.delete): in a
// database whose inherited `protected` setting is true (database-settings.ts), schema changes
// that lose data are refused:
//   - deleting a collection;
//   - decreasing or removing a collection's `history_days`;
//   - decreasing a collection's `ttl_days`, or adding one (core's message for that says
//     "remove", kept as core words it);
//   - a collection change that leaves a backing index unneeded (an index or unique constraint
//     removed or reshaped with no other one of the same shape: index-shapes.ts), and, in FQL
//     v4, deleting an index.
// Everything else (functions, roles, access providers, child databases, check constraints,
// fields) is unguarded, as in core. Changes pushed as a staged schema may drop backing indexes
// ("Staged schema changes bypass protected mode"): the schema API marks those transactions.
import type { Value } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import type { DbId } from '../keys';
import { inheritedSetting } from '../identity/database-settings';
import { dropsBackingIndex } from './index-shapes';

const SUFFIX = 'destructive change forbidden because database is in protected mode.';

/** Core's messages, word for word. */
export const PROTECTED_MODE = {
  deleteCollection: `Cannot delete collection: ${SUFFIX}`,
  deleteBackingIndex: `Cannot cause deletion of backing index: ${SUFFIX}`,
  decreaseHistoryDays: `Cannot decrease \`history_days\` field: ${SUFFIX}`,
  removeHistoryDays: `Cannot remove \`history_days\` field: ${SUFFIX}`,
  decreaseTtlDays: `Cannot decrease \`ttl_days\` field: ${SUFFIX}`,
  addTtlDays: `Cannot remove \`ttl_days\` field: ${SUFFIX}`,
} as const;

type Definition = ReadonlyMap<string, Value>;

export function isProtectedDb(kv: KvTxn, db: DbId): Promise<boolean> {
  return inheritedSetting(kv, db, 'protected');
}

/** A whole number of days, or undefined when the field is absent or null. */
function days(data: Definition, field: string): number | undefined {
  const v = data.get(field);
  if (v?.t === 'int' || v?.t === 'double') return v.v;
  if (v?.t === 'long') return Number(v.v);
  return undefined;
}

/** The retention changes protected mode refuses, in core's order (history, then TTL). */
export function retentionFailures(before: Definition, after: Definition): string[] {
  const out: string[] = [];
  const [prevHistory, nextHistory] = [days(before, 'history_days'), days(after, 'history_days')];
  if (prevHistory !== undefined && nextHistory === undefined) out.push(PROTECTED_MODE.removeHistoryDays);
  else if (prevHistory !== undefined && nextHistory !== undefined && nextHistory < prevHistory) out.push(PROTECTED_MODE.decreaseHistoryDays);
  const [prevTtl, nextTtl] = [days(before, 'ttl_days'), days(after, 'ttl_days')];
  if (prevTtl === undefined && nextTtl !== undefined) out.push(PROTECTED_MODE.addTtlDays);
  else if (prevTtl !== undefined && nextTtl !== undefined && nextTtl < prevTtl) out.push(PROTECTED_MODE.decreaseTtlDays);
  return out;
}

const stagedSchemaTxns = new WeakSet<KvTxn>();

/** Marks a transaction that stages (or commits a staged) schema: it may drop backing indexes. */
export function markStagedSchema(kv: KvTxn): void {
  stagedSchemaTxns.add(kv);
}

/** Whether a change from `before` to `after` drops a backing index protected mode keeps. */
export function dropsProtectedIndex(kv: KvTxn, before: Definition, after: Definition): boolean {
  return !stagedSchemaTxns.has(kv) && dropsBackingIndex(before, after);
}
