// v4 stream events (core model/stream/EventEncoder.scala, EventField.scala, EventFilter.scala),
// derived from the same change log and history as v10 events (src/streams/events.ts `changes`):
// for each transaction after the cursor and each document it wrote, the versions before and
// after decide the event. Document streams send `version` events (create / update / delete),
// set streams `set` events (add / remove), each with the fields the client asked for, in core's
// order (action, document, diff, prev, index). Events the caller may not read are left out.
import type { EvalContext } from '../../fql/eval/context';
import type { DocData } from '../../model/model-api';
import type { CollectionDef, ModelTxnImpl } from '../../model/model-txn';
import { readVersionsAround } from '../../model/temporal/history';
import { authState } from '../../model/identity/auth-state';
import { isAllowed } from '../../model/identity/permissions';
import { atEventTime, changes } from '../../streams/events';
import { compareCursors, type EventCursor } from '../../streams/cursor';
import { encodeV4 } from '../encode';
import { equals4, sameValues4 } from '../compare';
import { renderDoc } from '../model/render';
import { type ObjectV4, type V4Value, NULL4, arr4, docRef, long4 } from '../values';
import type { V4Field } from './protocol';
import type { V4Source } from './source';

export interface V4Page {
  readonly events: string[];
  /** The cursor of the last change that produced events. */
  readonly last?: EventCursor;
  readonly more: boolean;
}

/** The fields of a change of `src` that differ (new values; removed fields null), as core's rendered diff. */
export function diffValue(prev: V4Value | undefined, curr: V4Value | undefined): V4Value | undefined {
  if (prev === undefined) return curr;
  if (curr === undefined) return NULL4;
  if (prev.t === 'object' && curr.t === 'object') {
    const out = new Map<string, V4Value>();
    for (const [k, v] of curr.v) {
      const d = diffValue(prev.v.get(k), v);
      if (d !== undefined) out.set(k, d);
    }
    for (const k of prev.v.keys()) if (!curr.v.has(k)) out.set(k, NULL4);
    return out.size > 0 ? { t: 'object', v: out } : undefined;
  }
  return equals4(prev, curr) ? undefined : curr;
}

class Renderer {
  constructor(private readonly model: ModelTxnImpl, private readonly src: V4Source, private readonly fields: readonly V4Field[]) {}

  version(d: DocData, ts: bigint = d.ts): ObjectV4 {
    return renderDoc(this.model, this.src.collRef, { ...d, ts }, []);
  }

  /** `{ref, ts}`: what set events and an absent side show. */
  base(id: string, ts: bigint): ObjectV4 {
    return { t: 'object', v: new Map<string, V4Value>([['ref', docRef(this.src.collRef, id)], ['ts', long4(ts)]]) };
  }

  event(type: 'version' | 'set', ts: bigint, parts: Partial<Record<V4Field, () => V4Value>>): string {
    const body = this.fields.filter((f) => parts[f] !== undefined).map((f) => `"${f}":${encodeV4(parts[f]!())}`);
    return `{"type":"${type}","txn":${ts},"event":{${body.join(',')}}}`;
  }

  /**
   * A document's new version. `document` and `diff` carry the event's time; `prev` the previous
   * version's (core StreamSpec "stream prev and diff fields"); a delete shows the data it removed.
   */
  versionEvent(id: string, ts: bigint, prev: DocData | undefined, curr: DocData | undefined): string {
    const action = prev === undefined ? 'create' : curr === undefined ? 'delete' : 'update';
    const document = () => this.version((curr ?? prev)!, ts);
    const diff = (): V4Value => {
      if (curr === undefined) return this.base(id, ts);
      const now = this.version(curr, ts);
      const before = prev === undefined ? undefined : this.version(prev, ts);
      const out = new Map(this.base(id, ts).v);
      for (const [k, v] of now.v) {
        if (k === 'ref' || k === 'ts') continue;
        const d = diffValue(before?.v.get(k), v);
        if (d !== undefined) out.set(k, d);
      }
      for (const k of before?.v.keys() ?? []) if (!now.v.has(k)) out.set(k, NULL4);
      return { t: 'object', v: out };
    };
    const prevV = () => (prev === undefined ? this.base(id, ts) : this.version(prev));
    return this.event('version', ts, { action: () => ({ t: 'string', v: action }), document, diff, prev: prevV });
  }

  setEvent(id: string, ts: bigint, action: 'add' | 'remove', values?: readonly V4Value[]): string {
    const src = this.src;
    const index = src.kind === 'match' && values !== undefined
      ? () => ({ t: 'object', v: new Map<string, V4Value>([['ref', src.set.ref], ['terms', arr4(src.set.termValues)], ['values', arr4(values)]]) }) as V4Value
      : undefined;
    return this.event('set', ts, { action: () => ({ t: 'string', v: action }), document: () => this.base(id, ts), index });
  }
}

/**
 * Whether the caller may read the event's version (core EventFilter: `read` permission of the
 * version, not `history_read`, although it is a past one by the time the event is read).
 */
async function readable(ctx: EvalContext, version: DocData, ts: bigint): Promise<boolean> {
  const state = authState(ctx.model as ModelTxnImpl);
  if (!state) return true;
  // The predicate sees the event's version (`readTs`), as core renders the event at its time;
  // reads at the event's time are its present, needing `read` (EvalContext.eventTs).
  return atEventTime(ctx, ts, () =>
    isAllowed(state, version.coll, 'read', () => [{ t: 'doc', coll: version.coll, id: version.id, readTs: ts }], version));
}


/** The events of one change. */
async function changeEvents(ctx: EvalContext, r: Renderer, src: V4Source, def: CollectionDef, ts: bigint, id: string): Promise<string[]> {
  const model = ctx.model as ModelTxnImpl;
  const versions = await readVersionsAround(model, def, id, ts);
  const curr = versions.curr;
  if (!versions.prev && !curr) return [];
  // What the caller sees of a removal is the version it removed.
  if (!(await readable(ctx, (curr ?? versions.prev)!, curr ? ts : ts - 1n))) return [];
  // The version before a change shows in `prev`, `diff` and a match's removed values only if
  // the caller may read it too: a document that becomes readable appears as if new (found by
  // probing, session 16: `prev` showed a version the caller's role predicate refused).
  const prev = versions.prev && (!curr || (await readable(ctx, versions.prev, ts - 1n))) ? versions.prev : undefined;
  switch (src.kind) {
    case 'doc': return [r.versionEvent(id, ts, prev, curr)];
    case 'documents':
      // Membership, not content: a change of a document that stays in the collection is none.
      if (!versions.prev === !curr) return [];
      return [r.setEvent(id, ts, curr ? 'add' : 'remove')];
    case 'match': {
      const before = prev ? src.set.valuesOf(r.version(prev)) : undefined;
      const after = curr ? src.set.valuesOf(r.version(curr, ts)) : undefined;
      if (before && after && sameValues4(before, after)) return [];
      const out: string[] = [];
      if (before) out.push(r.setEvent(id, ts, 'remove', before));
      if (after) out.push(r.setEvent(id, ts, 'add', after));
      return out;
    }
  }
}

/** The source's events after `after` in transactions up to `until`, at most about `limit`. */
export async function readV4Events(
  ctx: EvalContext, src: V4Source, def: CollectionDef, fields: readonly V4Field[],
  opts: { readonly after: EventCursor; readonly until: bigint; readonly limit: number },
): Promise<V4Page> {
  const model = ctx.model as ModelTxnImpl;
  const r = new Renderer(model, src, fields);
  const docId = src.kind === 'doc' && /^[0-9]{1,20}$/.test(src.id) ? BigInt(src.id) : undefined;
  if (src.kind === 'doc' && docId === undefined) return { events: [], more: false };
  const events: string[] = [];
  let last: EventCursor | undefined;
  for await (const batch of changes(model, { def, docId }, opts.after, opts.until)) {
    for (const c of batch) {
      const cursor: EventCursor = { ts: c.ts, ord: c.id };
      if (compareCursors(cursor, opts.after) <= 0) continue;
      if (events.length >= opts.limit) return { events, last, more: true };
      const out = await changeEvents(ctx, r, src, def, c.ts, c.id.toString());
      if (out.length === 0) continue;
      events.push(...out);
      last = cursor;
    }
  }
  return { events, last, more: false };
}
