// Deriving events from history (spec streams-feeds.md §4): for each transaction after a cursor
// and each document it wrote (the change log, src/model/keys.ts `changeKey`), compare the
// document before and after that transaction and decide add / update / remove / nothing, then
// run the source's `where`/`map` steps as of the event's time and render the event. One code
// path for stream replay, live stream batches and feed pages, so cursors and order agree.
import { performance } from 'node:perf_hooks';
import type { EvalContext } from '../fql/eval/context';
import { QueryError, QueryTimeout } from '../fql/errors';
import { evalState } from '../fql/eval/state';
import type { DocV, ObjectV, Value } from '../fql/values/value';
import { callValue } from '../fql/eval/evaluate';
import { atSnapshot, truthy } from '../fql/eval/sets/combinators';
import { compare } from '../fql/values/compare';
import { materialize, materializeStoredDoc } from '../wire/materialize';
import { encodeTagged } from '../wire/encode-tagged';
import { decodeKey } from '../storage/tuple';
import type { KvPair } from '../storage/kv';
import { changeCollBound, changeCollPrefix, changeKey, prefixEnd, versionKey, versionPrefix } from '../model/keys';
import { modelHooks, type ModelTxnImpl } from '../model/model-txn';
import type { DocData } from '../model/model-api';
import { docView, fullDocView, valueAt } from '../model/definitions/doc-view';
import { schemaOf } from '../model/definitions/schema';
import { entryParts } from '../model/indexes/entries';
import { readVersionsAround, readVersionsAroundMany } from '../model/temporal/history';
import { compareCursors, encodeCursor, type EventCursor } from './cursor';
import type { ResolvedSource } from './source';
import type { FieldPath } from './token';
import type { EventLines } from './event-lines';
import { keyAfter } from '../storage/bytes';

export type EventType = 'add' | 'update' | 'remove';

export interface EventStats {
  read_ops: number;
  storage_bytes_read: number;
  compute_ops: number;
  processing_time_ms: number;
  rate_limits_hit: string[];
}

export interface EventPage {
  /** Events written (readEvents `out`); an error event is last. */
  readonly count: number;
  /** The cursor of the last event (for an error event: the failed event's position). */
  readonly last?: EventCursor;
  /** Whether another event exists after the last one returned (feeds' `has_next`). */
  readonly more: boolean;
  /** The page ended with an error event. */
  readonly failed: boolean;
  readonly stats: EventStats;
}

export interface ReadOptions {
  /** Events strictly after this position… */
  readonly after: EventCursor;
  /** …in transactions at or before this time (the engine's stable point). */
  readonly until: bigint;
  /** At most this many events (the page may end earlier on an error or the soft deadline). */
  readonly limit: number;
  /** performance.now() time after which the page ends early with `more` (feeds: 95% of the timeout). */
  readonly softDeadline?: number;
}

const SCAN_BATCH = 256;
/** Writes while evaluating an event are refused (core FeedEndpoint). */
export const EVENT_WRITES_MESSAGE = 'Writes are disallowed in change feeds requests.';

export function emptyStats(): EventStats {
  return { read_ops: 0, storage_bytes_read: 0, compute_ops: 0, processing_time_ms: 0, rate_limits_hit: [] };
}

/** JSON.stringify(s), written out: every event carries its stats. */
export const statsJson = (s: EventStats): string =>
  `{"read_ops":${s.read_ops},"storage_bytes_read":${s.storage_bytes_read},"compute_ops":${s.compute_ops},` +
  `"processing_time_ms":${s.processing_time_ms},"rate_limits_hit":${s.rate_limits_hit.length === 0 ? '[]' : JSON.stringify(s.rate_limits_hit)}}`;

/** A candidate: document `id` was written by the transaction at `ts`. */
export interface Change {
  readonly ts: bigint;
  readonly id: bigint;
  /** The document's versions just before and at `ts`, once read ahead (readEvents). */
  versions?: { readonly prev?: DocData; readonly curr?: DocData };
}

/** Change-log rows read at once, at least and at most (see `changes`). */
const CHANGES_MIN = 64;
const CHANGES_MAX = 1024;

/**
 * The writes after `after` up to `until`, in cursor order, in batches as read (v4 streams read
 * them too). `wanted`: how many more changes the caller may still use (events left in its
 * page); batches are that large (within CHANGES_MIN..CHANGES_MAX) and the next one is read
 * while the caller works on the current one when that one may not suffice.
 */
export async function* changes(
  model: ModelTxnImpl, src: Pick<ResolvedSource, 'def' | 'docId'>, after: EventCursor, until: bigint, wanted: () => number = () => SCAN_BATCH,
): AsyncIterable<Change[]> {
  const db = model.db;
  const collId = src.def.id;
  if (src.docId !== undefined) {
    yield* versionChanges(model, collId, src.docId, after, until);
    return;
  }
  let start = after.ord === 'max' ? changeCollBound(db, collId, after.ts + 1n) : keyAfter(changeKey(db, collId, after.ts, after.ord));
  const end = changeCollBound(db, collId, until + 1n);
  // Keys are [prefix, ts, docId]: decode only the part after the collection's prefix.
  const skip = changeCollPrefix(db, collId).length;
  if (Buffer.compare(start, end) >= 0) return;
  let limit = 0;
  const read = (want: number): Promise<KvPair[]> => {
    limit = Math.min(CHANGES_MAX, Math.max(CHANGES_MIN, want));
    return handled(Buffer.compare(start, end) >= 0 ? Promise.resolve([]) : model.kv.scan({ start, end, limit }));
  };
  let next: Promise<KvPair[]> | undefined = read(wanted());
  for (;;) {
    const rows: KvPair[] = await next!;
    const full = rows.length === limit;
    next = undefined;
    if (full) {
      start = keyAfter(rows[rows.length - 1].key);
      const more = wanted() - rows.length;
      if (more > 0) next = read(more);
    }
    yield rows.map((r) => {
      const [ts, id] = decodeKey(r.key.subarray(skip));
      return { ts: BigInt(ts as bigint), id: BigInt(id as bigint) };
    });
    if (!full) return;
    next ??= read(wanted());
  }
}

/** `p`, marked as handled: a read ahead that is never awaited (the page ended first) may fail quietly. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** One document's writes (its versions, oldest first): the changes of a `Set.single` source. */
async function* versionChanges(model: ModelTxnImpl, collId: number, docId: bigint, after: EventCursor, until: bigint): AsyncIterable<Change[]> {
  // Versions are keyed by -ts: [key(until), key(after.ts)) holds after.ts < ts ≤ until; the
  // document's own event at after.ts comes after the cursor only if its ordinal does.
  const includeAfterTs = after.ord !== 'max' && docId > after.ord;
  const start = versionKey(model.db, collId, docId, until);
  let end = includeAfterTs ? prefixEnd(versionKey(model.db, collId, docId, after.ts)) : versionKey(model.db, collId, docId, after.ts);
  const floor = versionPrefix(model.db, collId, docId);
  if (Buffer.compare(start, floor) < 0) return;
  for (;;) {
    if (Buffer.compare(start, end) >= 0) return;
    const rows = await model.kv.scan({ start, end, limit: SCAN_BATCH, reverse: true });
    yield rows.map((r) => ({ ts: -BigInt(decodeKey(r.key)[4] as bigint), id: docId }));
    if (rows.length < SCAN_BATCH) return;
    end = rows[rows.length - 1].key;
  }
}

/** The value at a watched path of a version (`.id`, `.ts`, `.ttl`, data fields); null if absent. */
function watched(d: DocData, path: FieldPath): Value {
  return valueAt(docView(d), path);
}

/** eventsOn (spec §4.2, core EventFilter): is this change of the watched fields worth an event? */
function passesWatch(fields: readonly FieldPath[] | undefined, prev: DocData | undefined, curr: DocData | undefined): boolean {
  if (fields === undefined || fields.length === 0) return true;
  const present = (d: DocData, p: FieldPath) => watched(d, p).t !== 'null';
  if (!prev && curr) return fields.some((p) => present(curr, p));
  if (prev && !curr) return fields.every((p) => present(prev, p));
  if (prev && curr) return fields.some((p) => compare(watched(prev, p), watched(curr, p)) !== 0);
  return false;
}

/** The entries (as hex keys) a version has in the source's index under its terms. */
async function indexEntries(ctx: EvalContext, src: ResolvedSource, d: DocData | undefined): Promise<Set<string>> {
  const out = new Set<string>();
  if (!d || !src.index) return out;
  const idx = src.index.def;
  const view: ObjectV = await fullDocView(ctx.model, ctx, schemaOf(src.def), d);
  const terms = src.index.terms;
  for (const parts of entryParts(view, [...idx.terms, ...idx.values], idx.terms.length)) {
    const hex = parts.map((p) => Buffer.from(p as Uint8Array).toString('hex'));
    if (terms.every((t, i) => Buffer.from(t as Uint8Array).toString('hex') === hex[i])) out.add(hex.join(':'));
  }
  return out;
}

const sameSet = (a: Set<string>, b: Set<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

/** Run `body` as of an event's time `ts`: reads see the database then, and count as its present for permissions (read, not history_read). */
export async function atEventTime<T>(ctx: EvalContext, ts: bigint, body: () => Promise<T>): Promise<T> {
  const previous = ctx.eventTs;
  ctx.eventTs = ts;
  try {
    return await atSnapshot(ctx, ts, body);
  } finally {
    ctx.eventTs = previous;
  }
}

/**
 * One side of an event: the document as of `ts` if the caller may read it then, passed through
 * the source's steps (a `where` that fails makes it absent); undefined when absent.
 */
async function side(ctx: EvalContext, src: ResolvedSource, id: string, ts: bigint): Promise<Side | undefined> {
  return atEventTime(ctx, ts, async () => {
    const ref: DocV = { t: 'doc', coll: src.def.name, id, readTs: ts };
    const visible = await ctx.model.readDoc(ref);
    if ('cause' in visible) return undefined;
    let v: Value = ref;
    for (const step of src.spec.steps) {
      const r = await callValue(ctx, step.fn, [v]);
      if (step.kind === 'where') {
        if (!truthy(r)) return undefined;
      } else {
        v = r;
      }
    }
    return { v, doc: v === ref ? visible : undefined };
  });
}

/**
 * A side's value; `doc`: the document read for it when the value is that document's reference
 * (no `map` step), which rendering at the same time takes instead of reading it again.
 */
interface Side { readonly v: Value; readonly doc?: DocData }

/**
 * Whether rendering may take a side's document as read (Side.doc): a read of a collection with
 * computed fields yields a new document each time, whose read permission a role predicate
 * would check (and count) again.
 */
const reusesReads = (src: ResolvedSource): boolean => schemaOf(src.def).computed.length === 0;

/** Which sides of a change are in the source (spec §4 steps 1-2); the others count as absent. */
interface Membership { readonly prev: boolean; readonly curr: boolean }

/**
 * Source membership of each side and the eventsOn filter (spec §4 steps 1-2, before ABAC and
 * steps); undefined: no event. An index source's side is in only if its entry under the terms
 * is: a document entering the index is an `add`, one leaving it a `remove`.
 */
function membership(ctx: EvalContext, src: ResolvedSource, c: Change): Membership | undefined | Promise<Membership | undefined> {
  // Versions read ahead and no index: decided without a trip through the event loop.
  if (c.versions !== undefined && !src.index) return watchedMembership(src, c.versions.prev, c.versions.curr, c.versions.prev !== undefined, c.versions.curr !== undefined);
  return readMembership(ctx, src, c);
}

async function readMembership(ctx: EvalContext, src: ResolvedSource, c: Change): Promise<Membership | undefined> {
  const model = ctx.model as ModelTxnImpl;
  // One read for both versions; side() and rendering then find them remembered.
  const id = c.id.toString();
  const { prev, curr } = c.versions ?? await readVersionsAround(model, src.def, id, c.ts);
  let prevIn = prev !== undefined;
  let currIn = curr !== undefined;
  if (src.index) {
    // Index sources see a change only when the document's entry under the terms changes.
    const before = await indexEntries(ctx, src, prev);
    const after = await indexEntries(ctx, src, curr);
    prevIn = before.size > 0;
    currIn = after.size > 0;
    if (prevIn && currIn && sameSet(before, after)) return undefined;
  }
  return watchedMembership(src, prev, curr, prevIn, currIn);
}

/** Membership once each side's presence in the source is known: the eventsOn filter. */
function watchedMembership(src: ResolvedSource, prev: DocData | undefined, curr: DocData | undefined, prevIn: boolean, currIn: boolean): Membership | undefined {
  if (!prevIn && !currIn) return undefined;
  return passesWatch(src.fields, prevIn ? prev : undefined, currIn ? curr : undefined) ? { prev: prevIn, curr: currIn } : undefined;
}

function addStats(into: EventStats, ctx: EvalContext, before: { compute: number; read: number }, bytesBefore: number, bytesNow: number, startedAt: number): EventStats {
  const s: EventStats = {
    read_ops: ctx.stats.readOps - before.read,
    storage_bytes_read: bytesNow - bytesBefore,
    compute_ops: Math.max(1, ctx.stats.computeOps - before.compute),
    processing_time_ms: Math.round(performance.now() - startedAt),
    rate_limits_hit: [],
  };
  into.read_ops += s.read_ops;
  into.storage_bytes_read += s.storage_bytes_read;
  into.compute_ops += s.compute_ops;
  into.processing_time_ms += s.processing_time_ms;
  return s;
}

/** The `error` object of an event, as `/query/1` reports the same failure (spec §5). */
export async function errorObject(ctx: EvalContext, e: QueryError): Promise<string> {
  let out = `{"code":${JSON.stringify(e.code)},"message":${JSON.stringify(e.message)}`;
  if (e.code === 'abort' && e.extra.abort !== undefined) {
    const abort = await materialize(ctx, e.extra.abort).catch(() => undefined);
    if (abort !== undefined) out += `,"abort":${encodeTagged(abort)}`;
  }
  return `${out}}`;
}

export function errorEvent(error: string, stats: EventStats): string {
  return `{"type":"error","error":${error},"stats":${statsJson(stats)}}`;
}

/** An error event the server itself raises (not a query failure): code and message only. */
export function codedErrorEvent(code: string, message: string): string {
  return errorEvent(JSON.stringify({ code, message }), emptyStats());
}

/** An event's type and its rendered `data`. */
interface MadeEvent { readonly type: EventType; readonly data: string }

/**
 * Whether the page's events come straight from the versions read (directEvent): the source has
 * no steps to run and is no index, its collection no computed fields, and the caller reads
 * every document of it as stored (permissions are decided here, once per poll).
 */
async function rendersDirectly(ctx: EvalContext, src: ResolvedSource): Promise<boolean> {
  if (src.spec.steps.length > 0 || src.index || !reusesReads(src)) return false;
  if (modelHooks.guardDoc === undefined) return true;
  // A role's membership predicate that fails here leaves the decision to each event.
  return (await modelHooks.readsUnguarded?.(ctx.model as ModelTxnImpl, src.def.name).catch(() => false)) ?? false;
}

/**
 * A change's event when rendersDirectly: what evaluatedEvent makes of it (each side is the
 * version itself, readable; the data is the document shown), without a read or a guard.
 */
function directEvent(ctx: EvalContext, src: ResolvedSource, v: { readonly prev?: DocData; readonly curr?: DocData }): MadeEvent | undefined {
  const member = watchedMembership(src, v.prev, v.curr, v.prev !== undefined, v.curr !== undefined);
  if (!member) return undefined;
  const type: EventType = member.prev ? (member.curr ? 'update' : 'remove') : 'add';
  return { type, data: encodeTagged(materializeStoredDoc(ctx, (type === 'remove' ? v.prev : v.curr)!)) };
}

/** A change's event: membership, each side read as the caller may see it then and passed through the steps, the shown one rendered. */
async function evaluatedEvent(ctx: EvalContext, src: ResolvedSource, c: Change, id: string, reuse: boolean): Promise<MadeEvent | undefined> {
  const deciding = membership(ctx, src, c);
  const member = deciding instanceof Promise ? await deciding : deciding;
  if (!member) return undefined;
  const prevV = member.prev ? await side(ctx, src, id, c.ts - 1n) : undefined;
  const currV = member.curr ? await side(ctx, src, id, c.ts) : undefined;
  const type: EventType | undefined = prevV === undefined ? (currV === undefined ? undefined : 'add') : currV === undefined ? 'remove' : 'update';
  if (type === undefined) return undefined;
  // Rendered as of the event's time: removes show the document as it was before.
  const dataTs = type === 'remove' ? c.ts - 1n : c.ts;
  const shown = (type === 'remove' ? prevV : currV)!;
  const data = await atEventTime(ctx, dataTs, async () => encodeTagged(await materialize(ctx, shown.v, reuse ? shown.doc : undefined)));
  return { type, data };
}

/** Read the source's events after `opts.after`, rendered (spec §4, §5), into `out` in cursor order. */
export async function readEvents(ctx: EvalContext, src: ResolvedSource, opts: ReadOptions, out: EventLines): Promise<EventPage> {
  const model = ctx.model as ModelTxnImpl;
  const first = out.count;
  /** This page's events so far (`out` may hold others before them: a stream's status event). */
  const written = (): number => out.count - first;
  const total = emptyStats();
  let last: EventCursor | undefined;
  const reuse = reusesReads(src);
  const direct = await rendersDirectly(ctx, src);
  for await (const batch of changes(model, src, opts.after, opts.until, () => opts.limit - written() + 1)) {
  const ahead = new ReadAhead(model, src, batch, !direct);
  for (let i = 0; i < batch.length; i++) {
    const c = batch[i];
    // At most the page's remaining events (and one more, for `more`) are read ahead.
    const reading = ahead.ready(i, opts.limit - written() + 1);
    if (reading !== undefined) await reading;
    const cursor: EventCursor = { ts: c.ts, ord: c.id };
    if (compareCursors(cursor, opts.after) <= 0) continue;
    const full = written() >= opts.limit || (written() > 0 && out.size > MAX_PAGE_BYTES);
    if (full || (opts.softDeadline !== undefined && performance.now() > opts.softDeadline && written() > 0)) {
      // Is there really another event? Only a relevant change counts (feeds' has_next).
      if (full && !(await membership(ctx, src, c))) continue;
      return { count: written(), last, more: true, failed: false, stats: total };
    }
    // Each event is a query of its own for the compute limit, as it is for its stats: one
    // budget for the whole page let a burst of writes end other clients' filtered streams
    // (found by probing, session 16).
    evalState(ctx).compute = 0;
    const startedAt = performance.now();
    const before = { compute: ctx.stats.computeOps, read: ctx.stats.readOps };
    const bytesBefore = model.kv.stats.bytesRead;
    const id = c.id.toString();
    try {
      const made = direct
        ? directEvent(ctx, src, c.versions ?? (await readVersionsAroundMany(model, src.def, [{ id, ts: c.ts }], false))[0])
        : await evaluatedEvent(ctx, src, c, id, reuse);
      if (made === undefined) continue;
      const stats = addStats(total, ctx, before, bytesBefore, model.kv.stats.bytesRead, startedAt);
      out.push(`{"type":"${made.type}","data":${made.data},"txn_ts":${c.ts},"cursor":"${encodeCursor(cursor)}","stats":${statsJson(stats)}}`);
      last = cursor;
    } catch (e) {
      if (e instanceof QueryTimeout || !(e instanceof QueryError)) throw e;
      const err = e.code === 'invalid_effect' && ctx.writesForbiddenIn !== undefined ? new QueryError('invalid_effect', EVENT_WRITES_MESSAGE) : e;
      const stats = addStats(total, ctx, before, bytesBefore, model.kv.stats.bytesRead, startedAt);
      out.push(errorEvent(await errorObject(ctx, err), stats));
      return { count: written(), last: cursor, more: false, failed: true, stats: total };
    } finally {
      // The change's versions are not asked for again (a later change of the document has
      // other times): dropped now, they die young instead of being promoted with the page.
      c.versions = undefined;
      if (!direct) model.forgetVersions(src.def, id, c.ts, c.ts - 1n);
    }
  }
  }
  return { count: written(), last, more: false, failed: false, stats: total };
}

/** Changes whose versions are read together, with one storage operation (see ReadAhead). */
const PREFETCH = 128;

/**
 * (ours) Bytes of events a page or stream batch holds before it ends with `more` (one event
 * may pass it alone, within the result limit of a query). Pages were bounded by their count
 * only: 30 events of 60 MiB made one feed page of 1.9 GB (found by probing, session 16).
 */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/**
 * Reads the versions of a batch's changes ahead of their evaluation, PREFETCH at a time: with
 * query workers each read is a message to the coordinator, so the versions of many documents
 * are read with one, and the next chunk is read by the coordinator (the storage thread) while
 * this thread evaluates the current one.
 */
class ReadAhead {
  /** Changes [0, done) have their versions; [done, requested) are being read by `pending`. */
  private done = 0;
  private requested = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly model: ModelTxnImpl, private readonly src: ResolvedSource, private readonly batch: readonly Change[],
    /** Whether the versions are also read through the transaction later (readVersionsAroundMany `remember`). */
    private readonly remember: boolean,
  ) {}

  /**
   * Waits until change `i`'s versions are read, then starts reading the next chunk if none is
   * on its way; `budget`: how many more changes, from `i` on, may still be needed.
   */
  ready(i: number, budget: number): Promise<void> | undefined {
    if (i >= this.requested) this.read(i, budget);
    if (i >= this.done) return this.arrive(i, budget);
    this.readNext(i, budget);
    return undefined;
  }

  /** Already read: no trip through the event loop (ready() is called for every change). */
  private async arrive(i: number, budget: number): Promise<void> {
    await this.pending;
    this.done = this.requested;
    this.readNext(i, budget);
  }

  private readNext(i: number, budget: number): void {
    // Read ahead only what the page can still use if every change before it makes an event.
    const left = budget - (this.requested - i);
    if (this.requested === this.done && this.requested < this.batch.length && left > 0) this.read(this.requested, left);
  }

  private read(from: number, budget: number): void {
    const to = Math.min(this.batch.length, from + Math.min(PREFETCH, budget));
    this.pending = handled(prefetch(this.model, this.src, this.batch.slice(from, to), this.remember));
    this.requested = to;
  }
}

async function prefetch(model: ModelTxnImpl, src: ResolvedSource, batch: readonly Change[], remember: boolean): Promise<void> {
  if (batch.length <= 1) return;
  const versions = await readVersionsAroundMany(model, src.def, batch.map((c) => ({ id: c.id.toString(), ts: c.ts })), remember);
  batch.forEach((c, i) => { c.versions = versions[i]; });
}
