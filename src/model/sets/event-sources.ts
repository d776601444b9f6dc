// Which sets can become event sources, and the event source a set becomes (core ValueSet.scala
// `toEventSourceImpl` per set class, `changesOn`, `validateWatchedFields`; FQL2StreamsSpec.scala).
//
// A streamable set is a source — `C.all()` / `C.where(p)` over a user collection, a user index
// call without a range, `Set.single(doc)` — under any chain of `.where`, `.map` (projections
// are maps) and `.pageSize(n)` (accepted and dropped). Everything else is refused with
// `invalid_receiver` "can't call `<method>` because <reason>". The token carries the set's
// description (FqlSet.describe(), see src/streams/token.ts) with the `pageSize` layers removed.
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import type { DocV, EventSourceV, FqlSet } from '../../fql/values/value';
import { ArraySet, SequenceSet, SingleSet } from '../../fql/eval/sets/array-set';
import {
  ConcatSet, DistinctSet, DropSet, FlatMapSet, MapSet, OrderSet, PagedSet, ReverseSet, TakeSet, WhereSet,
} from '../../fql/eval/sets/combinators';
import { encodeEventSource, type FieldPath } from '../../streams/token';
import { pathLabel } from '../definitions/field-path';
import type { ModelTxnImpl } from '../model-txn';
import { SYSTEM_COLLECTIONS } from '../identity/system';
import { CollectionScanSet } from './collection-scan';
import { IndexSet, checkIndexRead } from './index-set';

/** Why a set cannot be streamed: core's reasons, verbatim. */
const REASON = {
  notStreamable: 'only collections and user defined indexes are streamable.',
  at: 'streaming is not supported for sets created within an `at()` expression.',
  reversed: 'streaming is not supported on sets that have been reversed.',
  range: 'range queries are not supported yet, use `.where()` method instead.',
  singleNotDoc: 'streaming on `Set.single()` is only supported if its element is a document.',
  take: 'streaming is not supported on sets returned from `.take()`.',
  drop: 'streaming is not supported on sets returned from `.drop()`.',
  order: 'streaming is not supported on sets returned from `.order()`.',
  distinct: 'streaming is not supported on distinct sets.',
  concat: 'streaming is not supported on concatenated sets.',
  flatMap: 'streaming is not supported on `.flatMap()` sets.',
  array: 'streaming is not supported on array sets.',
  sequence: 'streaming is not supported on sets created from `Set.sequence()`.',
} as const;

/** The set an event source watches: its source and what is layered over it. */
type Source =
  | { readonly kind: 'collAll'; readonly set: CollectionScanSet }
  | { readonly kind: 'index'; readonly set: IndexSet }
  | { readonly kind: 'single'; readonly set: SingleSet; readonly doc: DocV };

type Shape =
  | {
    readonly kind: 'streamable';
    readonly source: Source;
    /** The set to describe in the token: `set` without its `pageSize` layers. */
    readonly set: FqlSet;
    /** Whether `set` is the source itself (where `eventsOn` may be called). */
    readonly direct: boolean;
  }
  | { readonly kind: 'rejected'; readonly reason: string };

const rejected = (reason: string): Shape => ({ kind: 'rejected', reason });
const direct = (source: Source): Shape => ({ kind: 'streamable', source, set: source.set, direct: true });

/** A layer over a streamable set: the same layer over its (page-size-free) set. */
function layered(inner: Shape, rebuild: (set: FqlSet) => FqlSet): Shape {
  return inner.kind === 'rejected' ? inner : { ...inner, set: rebuild(inner.set), direct: false };
}

/** Whether `set` can be streamed, and what. Pure: reads nothing. */
export function streamShape(set: FqlSet): Shape {
  // Layers built inside `at (t) { ... }` carry their snapshot (core validTime).
  if (set instanceof WhereSet) return set.at !== undefined ? rejected(REASON.at) : layered(streamShape(set.inner), (s) => new WhereSet(s, set.pred));
  if (set instanceof MapSet) return set.at !== undefined ? rejected(REASON.at) : layered(streamShape(set.inner), (s) => new MapSet(s, set.fn));
  if (set instanceof PagedSet) return layered(streamShape(set.inner), (s) => s);
  if (set instanceof CollectionScanSet) {
    if (set.at !== undefined) return rejected(REASON.at);
    if (set.descending) return rejected(REASON.reversed);
    if (set.bounds.from !== undefined || set.bounds.to !== undefined) return rejected(REASON.range);
    // Key, Token and Credential documents are system documents (core: not a UserCollectionID).
    if (SYSTEM_COLLECTIONS.has(set.coll)) return rejected(REASON.notStreamable);
    return direct({ kind: 'collAll', set });
  }
  if (set instanceof IndexSet) {
    if (set.at !== undefined) return rejected(REASON.at);
    if (set.descending) return rejected(REASON.reversed);
    if (set.range !== undefined) return rejected(REASON.range);
    return direct({ kind: 'index', set });
  }
  if (set instanceof SingleSet) {
    const doc = set.item;
    if (doc.t !== 'doc') return rejected(REASON.singleNotDoc);
    if (doc.readTs !== undefined) return rejected(REASON.at);
    return direct({ kind: 'single', set, doc });
  }
  if (set instanceof ReverseSet) return rejected(REASON.reversed);
  if (set instanceof TakeSet) return rejected(REASON.take);
  if (set instanceof DropSet) return rejected(REASON.drop);
  if (set instanceof OrderSet) return rejected(REASON.order);
  if (set instanceof DistinctSet) return rejected(REASON.distinct);
  if (set instanceof ConcatSet) return rejected(REASON.concat);
  if (set instanceof FlatMapSet) return rejected(REASON.flatMap);
  if (set instanceof SequenceSet) return rejected(REASON.sequence);
  if (set instanceof ArraySet) return rejected(REASON.array);
  // Schema scans (`Database.all()`), `Token.byDocument(d)`, sets resumed from cursors.
  return rejected(REASON.notStreamable);
}

const invalidReceiver = (method: string, reason: string): QueryError =>
  new QueryError('invalid_receiver', `can't call \`${method}\` because ${reason}`);

/**
 * Creation needs read access to what is watched (core IndexSet / SingletonSet
 * toEventSourceImpl): some read privilege on the collection (a predicate is not evaluated), or
 * read permission on the single document.
 */
async function checkCanWatch(ctx: EvalContext, source: Source): Promise<void> {
  const model = ctx.model as ModelTxnImpl;
  if (source.kind !== 'single') return checkIndexRead(model, source.set.coll);
  const denied = () => new QueryError('permission_denied', 'Insufficient privileges to create a stream on the source document.');
  const read = await model.readDoc(source.doc);
  if (!('cause' in read)) return;
  if (read.cause === 'permission denied') throw denied();
  // A document that does not exist (yet) has no version to judge: ask for the collection-level
  // read privilege instead, so a caller without any never watches the collection's ids.
  try {
    await checkIndexRead(model, source.doc.coll);
  } catch (e) {
    if (e instanceof QueryError && e.code === 'permission_denied') throw denied();
    throw e;
  }
}

/**
 * Watched fields on an index must be covered by it (its terms and values), `.id` always is,
 * and anything is when the index covers `.ts` (core validateWatchedFields).
 */
function checkCovered(set: IndexSet, fields: readonly FieldPath[]): void {
  const covered = [...set.index.terms, ...set.index.values].map((f) => JSON.stringify(f.path));
  if (covered.includes(JSON.stringify(['ts']))) return;
  const missing = fields.filter((p) => !(p.length === 1 && p[0] === 'id') && !covered.includes(JSON.stringify(p)));
  if (missing.length === 0) return;
  const list = missing.map((p) => `\`${pathLabel(p)}\``).join(', ');
  throw new QueryError('invalid_argument', `invalid argument \`fields\`: ${list} not covered by the \`${set.index.name}\` index.`);
}

/**
 * `set.eventSource()` / `.toStream()` (no `fields`) and `set.eventsOn(...)` / `.changesOn(...)`
 * (`fields`, empty = watch everything): the event source, starting after this transaction.
 * `method` is the name called, as error messages quote it (`.eventSource()`).
 */
export async function createEventSource(
  ctx: EvalContext, set: FqlSet, method: string, fields?: readonly FieldPath[],
): Promise<EventSourceV> {
  const shape = streamShape(set);
  if (shape.kind === 'rejected') throw invalidReceiver(method, shape.reason);
  await checkCanWatch(ctx, shape.source);
  if (fields !== undefined) {
    // Core names `.changesOn()` here whatever was called (ValueSet.scala changesOn).
    if (!shape.direct) throw invalidReceiver('.changesOn()', 'it was not called on the source set.');
    if (shape.source.kind === 'index') checkCovered(shape.source.set, fields);
  }
  const token = encodeEventSource({
    set: shape.set.describe(),
    fields: fields !== undefined && fields.length > 0 ? fields : undefined,
    start: ctx.model.txnTs,
  });
  return { t: 'eventsource', token };
}
