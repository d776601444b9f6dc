// `Insert(ref, ts, action, params)` and `Remove(ref, ts, action)` (core ast/WriteFunctions.scala
// InsertVersionFunction / RemoveVersionFunction, model/WriteAdaptor.scala insertVersion /
// removeVersion): put a version into a user document's history or take one out. The caller needs
// `history_write` on the collection (core checkHistoryWritePermission, predicate arguments
// [ref, ts, action, data]). A version that becomes, or stops being, the newest one changes the
// current document too: that state is written through the write broker (indexes, unique
// constraints, ttl) and then moved back to the version's own time (src/model/temporal/history-rewrite.ts).
import type { DocV, Value } from '../../fql/values/value';
import { obj, str } from '../../fql/values/construct';
import { authState } from '../../model/identity/auth-state';
import { historyWriteArgs, isAllowed } from '../../model/identity/permissions';
import type { CollectionDef } from '../../model/model-txn';
import {
  type VersionState, putVersion, removePastVersion, retime, revertNewest, versionTimes,
} from '../../model/temporal/history-rewrite';
import { createDocument, deleteDocument, rewriteDocument } from '../../model/write-broker';
import { type Position, V4Error, invalidWriteTime, permissionDenied } from '../errors';
import type { V4Query } from '../query-context';
import { type ObjectV4, type RefV4, type V4Value, NULL4, long4, obj4, scopeOf, str4 } from '../values';
import { fromModel } from './convert';
import { type DocTarget, locate } from './locate';
import type { DocAction } from './history';
import { modelFields, objectField, ttlField } from './writes';

/** The user document a history write names (core: user collections only; keys are not supported here). */
async function historyTarget(q: V4Query, ref: RefV4, form: 'insert' | 'remove', pos: Position): Promise<DocTarget & { def: CollectionDef }> {
  if (scopeOf(ref)) throw new V4Error('invalid argument', 'Cannot write a scoped ref.', [...pos, form]);
  const t = await locate(q, ref, pos);
  const def = t.kind === 'doc' && !t.native ? await t.model.collection(t.coll) : undefined;
  if (t.kind !== 'doc' || !def) {
    throw new V4Error('invalid argument', `Cannot ${form} event for specified ref.`, pos);
  }
  return { ...t, def };
}

/** Core checkHistoryWritePermission: `history_write` with [ref, ts, action, data]. */
async function checkHistoryWrite(q: V4Query, t: DocTarget, ts: bigint, action: DocAction, data: Value, pos: Position): Promise<void> {
  const state = authState(t.model);
  if (!state) return;
  const ref: DocV = { t: 'doc', coll: t.coll, id: t.id };
  if (!(await isAllowed(state, t.coll, 'history_write', () => historyWriteArgs(ref, ts, action, data)))) throw permissionDenied(pos);
}

/** The state `params` describe (core validator.patch(Data.empty, diff): only `data` and `ttl` count). */
function stateOf(params: ReadonlyMap<string, V4Value>, pos: Position): VersionState {
  const data = new Map(modelFields(objectField(params, 'data', pos) ?? new Map(), pos));
  const ttl = ttlField(params, pos);
  return { data, ...(ttl?.t === 'time' ? { ttl: ttl.ns } : {}) };
}

/**
 * Make `state` the current document through the write broker (hooks, indexes, constraints).
 * `Insert` and `Remove` may run inside `At`: the current version is written at the present,
 * whatever snapshot the enclosing `At` reads at (the broker refuses writes at a past snapshot).
 */
async function writeCurrent(q: V4Query, t: DocTarget & { def: CollectionDef }, state: VersionState): Promise<void> {
  const previous = q.ctx.snapshotTs;
  q.ctx.snapshotTs = undefined;
  try {
    await writeCurrentNow(q, t, state);
  } finally {
    q.ctx.snapshotTs = previous;
  }
}

async function writeCurrentNow(q: V4Query, t: DocTarget & { def: CollectionDef }, state: VersionState): Promise<void> {
  const ref: DocV = { t: 'doc', coll: t.coll, id: t.id };
  const current = await t.model.getDoc(t.coll, t.id);
  if (state === undefined) {
    if (current) await deleteDocument(q.ctx, ref);
    return;
  }
  const fields = new Map(state.data);
  if (state.ttl !== undefined) fields.set('ttl', { t: 'time', ns: state.ttl });
  if (current) {
    if (state.ttl === undefined && current.ttl !== undefined) fields.set('ttl', { t: 'null' });
    await rewriteDocument(q.ctx, ref, obj(fields), 'replace', 'v4');
  } else {
    fields.set('id', str(t.id));
    await createDocument(q.ctx, t.def, obj(fields), 'v4');
  }
}

/** `Insert`: the event of the version put at `ts` (core DocEventL). */
export async function insertVersion(
  q: V4Query, ref: RefV4, ts: bigint, action: DocAction, params: ReadonlyMap<string, V4Value>, pos: Position,
): Promise<ObjectV4> {
  if (ts > q.model.txnTs) throw invalidWriteTime(pos);
  const t = await historyTarget(q, ref, 'insert', pos);
  const state = action === 'delete' ? undefined : stateOf(params, pos);
  const data: Value = state === undefined ? { t: 'null' } : { t: 'object', v: state.data };
  await checkHistoryWrite(q, t, ts, action, data, pos);
  const times = await versionTimes(t.model, t.def, t.id);
  const newest = times[0];
  if (newest === undefined || ts >= newest) {
    const current = await t.model.getDoc(t.coll, t.id);
    if (state === undefined && !current) putVersion(t.model, t.def, t.id, ts, state);
    else {
      await writeCurrent(q, t, state);
      retime(t.model, t.def, t.id, ts, current?.ts, state);
    }
  } else {
    putVersion(t.model, t.def, t.id, ts, state, [...times].reverse().find((x) => x > ts));
  }
  return obj4([
    ['ts', long4(ts)], ['action', str4(action)], ['document', ref],
    ['data', state === undefined ? NULL4 : fromModel(data, pos)],
  ]);
}

/** `Remove`: takes out the version at `ts` (whatever its action: one version per time); null. */
export async function removeVersion(q: V4Query, ref: RefV4, ts: bigint, action: DocAction, pos: Position): Promise<V4Value> {
  const t = await historyTarget(q, ref, 'remove', pos);
  const removed = await t.model.versionAt(t.def, t.id, ts);
  const data: Value = removed && removed.ts === ts ? { t: 'object', v: removed.data } : { t: 'object', v: new Map() };
  await checkHistoryWrite(q, t, ts, action, data, pos);
  const times = await versionTimes(t.model, t.def, t.id);
  const i = times.indexOf(ts);
  if (i < 0) return NULL4;
  const olderTs = times[i + 1];
  if (i > 0) {
    removePastVersion(t.model, t.def, t.id, ts, times[i - 1], olderTs);
    return NULL4;
  }
  // The newest version goes: the one before it is the current document again.
  const prevState = olderTs === undefined ? undefined : await t.model.versionAt(t.def, t.id, olderTs);
  const state: VersionState = prevState && { data: prevState.data, ...(prevState.ttl !== undefined ? { ttl: prevState.ttl } : {}) };
  await writeCurrent(q, t, state);
  revertNewest(t.model, t.def, t.id, ts, olderTs === undefined ? undefined : { ts: olderTs, state });
  return NULL4;
}
