// History forms (core ast/QueryParser.scala and EvalContext.scala): `At(ts, expr)`,
// `Get(ref, ts)`, `Exists(ref, ts)`, `Paginate(input, {ts, events})`, `Events(input)`, and
// `Insert`/`Remove` of versions. Reads at a past time use the v10 snapshot (model/history.ts).
import { V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { type DocAction, type EventSource, EventsSet, atValidTime, castTimestamp } from '../model/history';
import { insertVersion, removeVersion } from '../model/history-writes';
import { paramsObject } from '../model/writes';
import { DocumentsSet, SingletonSet } from '../model/sets';
import { MatchSet } from '../model/index-defs';
import { collectionRefOf } from '../model/convert';
import type { V4Query } from '../query-context';
import { type V4Value, isNativeCollectionRef, scopeOf, typeName4 } from '../values';
import { expectBoolean, expectRef } from './args';
import { existsOf, getOf, paginate } from './documents';

/** The history `Events(x)` reads: a document ref's versions, or a set's additions and removals. */
export function eventSource(v: V4Value, pos: readonly (string | number)[]): EventSource {
  if (v.t === 'ref' && v.coll !== undefined && !isNativeCollectionRef(v)) return { kind: 'doc', ref: v };
  if (v.t === 'set') {
    if (v.set instanceof DocumentsSet) return { kind: 'documents', collRef: v.set.collRef };
    if (v.set instanceof SingletonSet) return { kind: 'singleton', ref: v.set.render().setJson.singleton as Extract<V4Value, { t: 'ref' }> };
    if (v.set instanceof MatchSet) return { kind: 'match', collRef: collectionRefOf(v.set.source, scopeOf(v.set.ref)), set: v.set };
  }
  if (v.t !== 'ref' && v.t !== 'set') throw invalidArgument(['Ref', 'Set'], v, pos);
  // Set algebra (Union, Join, ...) keeps no history here; core answers the same for sets without one.
  throw new V4Error('invalid argument', 'Set does not support events history.', pos);
}

const eventsSet = (q: V4Query, v: V4Value, pos: readonly (string | number)[], until?: bigint): V4Value =>
  ({ t: 'set', set: new EventsSet(q, eventSource(v, pos), v, until) });

/** The `ts` argument of a read, in µs. */
const tsArg = async (a: FormArgs): Promise<bigint> => castTimestamp(await a.value('ts'), a.at('ts'));

/** `Paginate` with `ts` and/or `events`: the page as of `ts`, or of the input's history. */
async function paginateAt(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const ts = a.has('ts') ? await tsArg(a) : undefined;
  const events = a.has('events') && expectBoolean(await a.value('events'), a.at('events'));
  if (events) {
    const history = eventsSet(ev.q, await a.value('paginate'), a.at('paginate'), ts);
    return paginate(ev, a, (history as Extract<V4Value, { t: 'set' }>).set);
  }
  return ts === undefined ? paginate(ev, a) : atValidTime(ev.q, ts, () => paginate(ev, a));
}

/** Core `Casts.DocAction`. */
async function docAction(a: FormArgs): Promise<DocAction> {
  const v = await a.value('action');
  if (v.t === 'string' && (v.v === 'create' || v.v === 'update' || v.v === 'delete')) return v.v;
  throw new V4Error('invalid argument', `String 'create', 'update', or 'delete' expected, ${typeName4(v)} provided.`, a.at('action'));
}

const PAGE_OPTIONS = ['size', 'after', 'before', 'cursor', 'sources'];

export const HISTORY_FORMS: readonly FormSpec[] = [
  {
    keys: ['at', 'expr'],
    run: async (ev, a) => atValidTime(ev.q, castTimestamp(await a.value('at'), a.at('at')), () => a.value('expr')),
  },
  {
    // Arguments are evaluated first, then read at `ts` (core GetFunction with a valid time).
    keys: ['get', 'ts'],
    run: async (ev, a) => {
      const v = await a.value('get');
      return atValidTime(ev.q, await tsArg(a), () => getOf(ev.q, v, a));
    },
  },
  {
    keys: ['exists', 'ts'],
    run: async (ev, a) => {
      const v = await a.value('exists');
      return atValidTime(ev.q, await tsArg(a), () => existsOf(ev.q, v, a));
    },
  },
  { keys: ['paginate', 'events'], optional: [...PAGE_OPTIONS, 'ts'], run: paginateAt },
  { keys: ['paginate', 'ts'], optional: PAGE_OPTIONS, run: paginateAt },
  { keys: ['events'], run: async (ev, a) => eventsSet(ev.q, await a.value('events'), a.at('events')) },
  {
    keys: ['insert', 'ts', 'action'], optional: ['params'], writes: true, anyTime: true,
    run: async (ev, a) => {
      const ref = expectRef(await a.value('insert'), a.at('insert'));
      const ts = await tsArg(a);
      const action = await docAction(a);
      const params = paramsObject(await a.value('params'), a.at('params'));
      return insertVersion(ev.q, ref, ts, action, params, a.pos);
    },
  },
  {
    keys: ['remove', 'ts', 'action'], writes: true, anyTime: true,
    run: async (ev, a) => {
      const ref = expectRef(await a.value('remove'), a.at('remove'));
      const ts = await tsArg(a);
      return removeVersion(ev.q, ref, ts, await docAction(a), a.pos);
    },
  },
];

/** Registers the history forms (called by src/v4/forms/index.ts). */
export function wireHistoryForms(): void {
  defineForms(HISTORY_FORMS);
}
