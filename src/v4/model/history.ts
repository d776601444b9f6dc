// v4 history reads (core ast/EvalContext.scala `AtE`, `atValidTime`; ReadFunctions `ts`
// arguments; model/EventSet.scala history sets): reads as of a past time use the v10 snapshot
// (`ctx.snapshotTs`, the same one `at (t) { ... }` sets), and `Events` walks the versions the
// v10 history keeps ([db, 'h', coll, doc, -ts], src/model/temporal/history.ts).
import { modelHooks } from '../../model/model-txn';
import { checkDeadline } from '../../fql/eval/state';
import type { DocData } from '../../model/model-api';
import { retainedVersions, type RetainedVersion } from '../../model/temporal/history';
import { diffValue } from '../streams/events';
import { sameValues4 } from '../compare';
import { type Position, V4Error, invalidArgument } from '../errors';
import type { V4Query } from '../query-context';
import {
  type ObjectV4, type RefV4, type SetEntry, type V4Set, type V4Value, NULL4, arr4, docRef, long4, obj4, str4, typeName4,
} from '../values';
import { locate } from './locate';
import { renderDoc } from './render';
import type { MatchSet } from './index-defs';

/** Core `Casts.Timestamp` / `TransactionTimestamp`: a Time, or an Integer of µs since the epoch. */
export function castTimestamp(v: V4Value, pos: Position): bigint {
  if (v.t === 'time') return v.ns / 1000n;
  if (v.t === 'long') return v.v;
  throw invalidArgument(['Time'], v, pos);
}

/**
 * Evaluate `run` with reads as of `ts` (µs). At the transaction's own time reads are current
 * again and writes allowed; a later time is ignored, as core does (its FIXME keeps evaluating
 * such `At`s at the enclosing valid time).
 */
export async function atValidTime<T>(q: V4Query, ts: bigint, run: () => Promise<T>): Promise<T> {
  const previous = q.ctx.snapshotTs;
  const txnTs = q.ctx.model.txnTs;
  if (ts > txnTs) return run();
  q.ctx.snapshotTs = ts === txnTs ? undefined : ts;
  try {
    return await run();
  } finally {
    q.ctx.snapshotTs = previous;
  }
}


// ------------------------------------------------------------------------------------ events

export type DocAction = 'create' | 'update' | 'delete';
export type SetAction = 'add' | 'remove';
export type EventAction = DocAction | SetAction;

/** One history event, in core's order: by time, then document id, then action. */
export interface HistoryEvent {
  readonly ts: bigint;
  readonly id: string;
  readonly action: EventAction;
  readonly value: ObjectV4;
}

/** Action order inside one time and document (core `Action` ordering: creations first). */
const ACTION_RANK: Readonly<Record<EventAction, number>> = { create: 0, add: 0, update: 1, delete: 2, remove: 2 };

/** Where a page starts or ends: a time, optionally narrowed to a document and an action. */
export interface EventCursor { readonly ts: bigint; readonly id?: string; readonly action?: EventAction }

const compareIds = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** An event against a cursor: a cursor without a document or action is the first event of its time. */
export function compareToCursor(e: HistoryEvent, c: EventCursor): number {
  if (e.ts !== c.ts) return e.ts < c.ts ? -1 : 1;
  if (c.id === undefined) return 1;
  const byId = compareIds(e.id, c.id);
  if (byId !== 0) return byId;
  if (c.action === undefined) return 1;
  return ACTION_RANK[e.action] - ACTION_RANK[c.action];
}

/** What a history set walks: one document's versions, or membership of a set of documents. */
export type EventSource =
  /** A document ref: its versions. */
  | { readonly kind: 'doc'; readonly ref: RefV4 }
  /** `Singleton(ref)`: the document entering and leaving the set. */
  | { readonly kind: 'singleton'; readonly ref: RefV4 }
  /** `Documents(coll)`: every document of the collection entering and leaving it. */
  | { readonly kind: 'documents'; readonly collRef: RefV4 }
  /**
   * `Match(index, terms)`: the source collection's documents entering and leaving the match,
   * replayed from the collection's versions (v4 indexes keep no history of their own).
   */
  | { readonly kind: 'match'; readonly collRef: RefV4; readonly set: MatchSet };

/** `Events(refOrSet)`: the history of a document (create/update/delete) or of a set (add/remove). */
export class EventsSet implements V4Set {
  constructor(
    private readonly q: V4Query,
    readonly source: EventSource,
    /** The argument as given, for the set's wire form `{"@set": {"events": ...}}`. */
    private readonly input: V4Value,
    /** Paginate's `ts`: events after it are left out (µs). */
    private readonly until?: bigint,
  ) {}

  render(): { setJson: Record<string, V4Value> } { return { setJson: { events: this.input } }; }

  /** The events in order, up to `until` (µs); ones the caller may not read are left out. */
  async events(pos: Position, until = this.until): Promise<HistoryEvent[]> {
    const src = this.source;
    const t = await locate(this.q, src.kind === 'doc' || src.kind === 'singleton' ? src.ref : src.collRef, pos);
    const coll = t.kind === 'doc' ? t.coll : t.kind === 'schema' && t.schemaColl === 'Collection' ? t.name : undefined;
    const def = coll === undefined ? undefined : await t.model.collection(coll);
    if (!def) throw new V4Error('invalid argument', 'Set does not support events history.', pos);
    const collRef = t.kind === 'doc' ? t.collRef : (src as { collRef: RefV4 }).collRef;
    // A version's entry in the set (for set events): its index values (none for Documents and
    // Singleton), or undefined when it is not in the set.
    const entry = (d: DocData | undefined): readonly V4Value[] | undefined =>
      d === undefined ? undefined : src.kind !== 'match' ? [] : src.set.valuesOf(renderDoc(t.model, collRef, d, pos));
    // A caller who may read no past version of the collection sees no event: none is read
    // (a collection's history may be far larger than anything a query should read for nothing).
    if (modelHooks.readsSomeHistory && !(await modelHooks.readsSomeHistory(t.model, def.name))) return [];
    const versions = await retainedVersions(t.model, def, t.kind === 'doc' ? t.id : undefined, () => checkDeadline(this.q.ctx));
    const out: HistoryEvent[] = [];
    let prev: RetainedVersion | undefined;
    for (const v of versions) {
      const before = prev?.id === v.id ? prev.doc : undefined;
      prev = v;
      if (until !== undefined && v.ts > until) continue;
      // Permission to read history is decided on the version written, or the one deleted.
      const shown = v.doc ?? before;
      if (!shown || !(await mayReadHistory(t.model, shown))) continue;
      const document = docRef(collRef, v.id);
      if (src.kind === 'doc') out.push(docEvent(this.q, collRef, document, v, before, pos));
      else out.push(...setEvents(document, v.ts, entry(before), entry(v.doc)));
    }
    return out.sort((a, b) => (a.ts !== b.ts ? (a.ts < b.ts ? -1 : 1) : compareIds(a.id, b.id) || ACTION_RANK[a.action] - ACTION_RANK[b.action]));
  }

  async entries(): Promise<readonly SetEntry[]> {
    return (await this.events([])).map((e) => ({ value: e.value, key: [long4(e.ts), e.value.v.get('document')!, str4(e.action)] }));
  }

}

async function mayReadHistory(model: Parameters<NonNullable<typeof modelHooks.guardDoc>>[0], doc: DocData): Promise<boolean> {
  if (!modelHooks.guardDoc) return true;
  return !('cause' in (await modelHooks.guardDoc(model, doc, true)));
}

/** A document event: `data` is the whole `data` on create, what changed in it on update, null on delete. */
function docEvent(q: V4Query, collRef: RefV4, document: RefV4, v: RetainedVersion, before: DocData | undefined, pos: Position): HistoryEvent {
  const dataOf = (d: DocData): V4Value | undefined => renderDoc(q.model, collRef, d, pos).v.get('data');
  const action: DocAction = v.doc === undefined ? 'delete' : before === undefined ? 'create' : 'update';
  const fields: [string, V4Value][] = [['ts', long4(v.ts)], ['action', str4(action)], ['document', document]];
  if (action === 'delete') fields.push(['data', NULL4]);
  else {
    const data = action === 'create' ? dataOf(v.doc!) : diffValue(dataOf(before!), dataOf(v.doc!));
    if (data !== undefined) fields.push(['data', data]);
  }
  return { ts: v.ts, id: v.id, action, value: obj4(fields) };
}

/**
 * The set events of a change (core IndexSet events): the document's entry left (remove) and/or
 * entered (add) the set; an entry whose index values changed is removed and added again. Events
 * of an index with values carry them as `data` (core RenderContext: only when there are values).
 */
function setEvents(document: RefV4, ts: bigint, before: readonly V4Value[] | undefined, after: readonly V4Value[] | undefined): HistoryEvent[] {
  if (before && after && sameValues4(before, after)) return [];
  const event = (action: SetAction, values: readonly V4Value[]): HistoryEvent => {
    const fields: [string, V4Value][] = [['ts', long4(ts)], ['action', str4(action)], ['document', document]];
    if (values.length > 0) fields.push(['data', arr4(values)]);
    return { ts, id: document.id, action, value: obj4(fields) };
  };
  const out: HistoryEvent[] = [];
  if (before) out.push(event('remove', before));
  if (after) out.push(event('add', after));
  return out;
}

/** The cursor a page shows for an event (core renders the event's `{ts, action, document}`). */
export const cursorOf = (e: HistoryEvent): V4Value =>
  obj4([['ts', long4(e.ts)], ['action', str4(e.action)], ['document', e.value.v.get('document')!]]);

// ------------------------------------------------------------------------------------ pages

/** Where the cursor arguments of a page sit in the request. */
export interface CursorPositions { readonly after: Position; readonly before: Position }

/**
 * A history cursor (core CursorParser.parseEvent): an Integer (µs), a Time, a Date (its
 * midnight), null (the end of time), or an object `{ts[, action[, document]]}`.
 */
export function parseEventCursor(v: V4Value, pos: Position): EventCursor {
  switch (v.t) {
    case 'long': return { ts: v.v };
    case 'time': return { ts: v.ns / 1000n };
    case 'date': return { ts: BigInt(v.days) * 86_400_000_000n };
    case 'null': return { ts: MAX_MICROS };
    case 'object': return eventCursorObject(v, pos);
    default: throw invalidArgument(['Object', 'Integer', 'Time', 'Date'], v, pos);
  }
}

const MAX_MICROS = 2n ** 63n - 1n;
const CURSOR_FORMS = [['ts'], ['ts', 'action'], ['ts', 'action', 'document'], ['ts', 'action', 'instance'], ['ts', 'action', 'resource']];
const ACTIONS: readonly string[] = ['create', 'update', 'delete', 'add', 'remove'];

function eventCursorObject(v: ObjectV4, pos: Position): EventCursor {
  const keys = [...v.v.keys()];
  if (!CURSOR_FORMS.some((f) => f.length === keys.length && f.every((k) => keys.includes(k)))) {
    throw new V4Error('invalid argument', `Cannot create event cursor with keys ${keys.join(', ')}`, pos);
  }
  const ts = v.v.get('ts')!;
  if (ts.t !== 'long') throw invalidArgument(['Integer'], ts, [...pos, 'ts']);
  const action = v.v.get('action');
  if (action !== undefined && (action.t !== 'string' || !ACTIONS.includes(action.v))) {
    throw new V4Error('invalid argument', `String 'create', 'update', or 'delete' expected, ${typeName4(action)} provided.`, [...pos, 'action']);
  }
  const docKey = keys.find((k) => k !== 'ts' && k !== 'action');
  const doc = docKey === undefined ? undefined : v.v.get(docKey)!;
  if (doc !== undefined && doc.t !== 'ref') throw invalidArgument(['Ref'], doc, [...pos, docKey!]);
  return { ts: ts.v, action: action?.v as EventAction | undefined, id: doc?.t === 'ref' ? doc.id : undefined };
}

/** A page of history events: `after` is inclusive, `before` exclusive (`before: null` = from the end). */
export async function eventsPage(
  set: EventsSet, size: number, after: V4Value | undefined, before: V4Value | undefined, pos: Position, at: CursorPositions,
): Promise<V4Value> {
  const events = await set.events(pos);
  const indexOf = (c: EventCursor): number => {
    const i = events.findIndex((e) => compareToCursor(e, c) >= 0);
    return i < 0 ? events.length : i;
  };
  let start: number;
  let end: number;
  if (before !== undefined && after === undefined) {
    end = indexOf(parseEventCursor(before, at.before));
    start = Math.max(0, end - size);
  } else {
    start = after === undefined ? 0 : indexOf(parseEventCursor(after, at.after));
    end = Math.min(events.length, start + size);
  }
  return {
    t: 'page',
    data: events.slice(start, end).map((e) => e.value),
    ...(start > 0 ? { before: cursorOf(events[start]) } : {}),
    ...(end < events.length ? { after: cursorOf(events[end]) } : {}),
  };
}
