// Collection scans and index ranges as of a resumed cursor's snapshot (EvalContext.systemTs):
// core reads every later page of a set at the time of the query that made its first page
// (FQLInterpreter.withSystemValidTime, Sets.scala paginateImpl; FQL2PaginationSpec "set
// pagination is stable in presence of subsequent writes").
//
// A page must cost about what it costs now, not a scan of the collection's history
// (index-history.ts, what `at()` pays). Most documents a page meets are unchanged since the
// snapshot, and for those the current version, row or index entry is the one of the snapshot.
// The change log (src/model/keys.ts `changeKey`) names the documents written since, so a page
// reads the current rows or entries of the others and, for those, their versions as of the
// snapshot, merged in set order: O(page + documents of the collection written since the
// snapshot). Past MAX_CHANGED such writes, the history is scanned as `at()` does.
//
// Known gap: a document removed by the expiry sweep after its `ttl` passed (expiry.ts) leaves
// no change-log entry, so a page read after the sweep omits a document that expired after the
// snapshot. Before the sweep, its row and entries are still there and it shows.
//
// Past the collection's history retention (history_days plus 15 minutes) the change log and
// the versions are swept, and a page reads what is left (`at()` is refused then:
// temporal/min-valid-time.ts).
import type { EvalContext } from '../../fql/eval/context';
import { checkDeadline } from '../../fql/eval/state';
import { decodeKey } from '../../storage/tuple';
import { fromBytes } from '../codec';
import { changeCollBound, changeCollPrefix, docKey, docPrefix, indexKey, prefixEnd } from '../keys';
import { modelHooks, type CollectionDef, type ModelTxnImpl, type StoredDoc } from '../model-txn';
import type { DocData } from '../model-api';
import { fullDocView } from '../definitions/doc-view';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { entryParts } from '../indexes/entries';
import { entryTtl } from '../indexes/index-store';
import { scanDocsAt } from '../temporal/historical-scan';
import { historicalEntries } from '../indexes/index-history';
import { keyAfter } from '../../storage/bytes';

/** Change-log entries read at most before falling back to a scan of the history. */
export const MAX_CHANGED = 10_000;
const LOG_BATCH = 1024;
const FIRST_BATCH = 16;
const MAX_BATCH = 1024;

/** The last tuple element of a key: the document id of a row, entry or change-log key. */
function lastId(key: Uint8Array): bigint {
  const parts = decodeKey(key);
  return BigInt(parts[parts.length - 1] as bigint | number);
}

/**
 * Ids of the documents of collection `collId` written after `ts` (this transaction's own
 * writes included), or undefined when the change log holds more than MAX_CHANGED entries since.
 */
export async function writtenSince(ctx: EvalContext, collId: number, ts: bigint): Promise<Set<bigint> | undefined> {
  const model = ctx.model as ModelTxnImpl;
  const end = prefixEnd(changeCollPrefix(model.db, collId));
  const ids = new Set<bigint>();
  let read = 0;
  for (let start = changeCollBound(model.db, collId, ts + 1n); ;) {
    const rows = await model.kv.scan({ start, end, limit: LOG_BATCH });
    ctx.stats.readOps += 1;
    for (const r of rows) ids.add(lastId(r.key));
    read += rows.length;
    if (read > MAX_CHANGED) return undefined;
    if (rows.length < LOG_BATCH) return ids;
    start = keyAfter(rows[rows.length - 1].key);
    checkDeadline(ctx);
  }
}

const ascending = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The documents of `def` the caller may read as of `ts`, in id order (or reverse) after
 * `afterId`, stopping before the first id `beyond` accepts.
 */
export async function* docsAsOf(
  ctx: EvalContext, def: CollectionDef, ts: bigint, afterId: bigint | undefined, descending: boolean,
  beyond: (id: bigint) => boolean,
): AsyncIterable<DocData> {
  const model = ctx.model as ModelTxnImpl;
  const changed = await writtenSince(ctx, def.id, ts);
  if (changed === undefined) {
    yield* historicalDocs(ctx, def, ts, afterId, descending, beyond);
    return;
  }
  const order = descending ? (a: bigint, b: bigint) => ascending(b, a) : ascending;
  const extra = [...changed].filter((id) => afterId === undefined || order(afterId, id) < 0).sort(order);
  let next = 0;
  // The current version when it is older than the snapshot (and still visible now: else its
  // ttl passed since, and the history knows whether it had by then), else the version then.
  const readable = async (id: bigint, row?: StoredDoc): Promise<DocData | undefined> => {
    const current = row && model.decodeDoc(def.name, id.toString(), row);
    if (current) model.cacheDoc(current);
    const doc = current && current.ts <= ts ? current : await model.versionAt(def, id.toString(), ts);
    if (!doc) return undefined;
    const visible = modelHooks.guardDoc ? await modelHooks.guardDoc(model, doc) : doc;
    return 'cause' in visible ? undefined : visible;
  };
  for await (const row of docRows(ctx, def, afterId, descending)) {
    const id = lastId(row.key);
    for (; next < extra.length && order(extra[next], id) < 0; next++) {
      if (beyond(extra[next])) return;
      const d = await readable(extra[next]);
      if (d) yield d;
    }
    if (next < extra.length && extra[next] === id) next++;
    if (beyond(id)) return;
    const d = await readable(id, fromBytes<StoredDoc>(row.value));
    if (d) yield d;
  }
  for (; next < extra.length; next++) {
    if (beyond(extra[next])) return;
    const d = await readable(extra[next]);
    if (d) yield d;
  }
}

/** Current rows of `def` after `afterId`, in id order (or reverse), in growing batches. */
async function* docRows(ctx: EvalContext, def: CollectionDef, afterId: bigint | undefined, descending: boolean) {
  const model = ctx.model as ModelTxnImpl;
  const prefix = docPrefix(model.db, def.id);
  let start = prefix;
  let end = prefixEnd(prefix);
  if (afterId !== undefined) {
    if (descending) end = docKey(model.db, def.id, afterId);
    else start = prefixEnd(docKey(model.db, def.id, afterId));
  }
  yield* entryRows(ctx, start, end, descending);
}

/**
 * The documents visible as of `ts` from the version history (what `at()` reads): one seek per
 * document id with a retained version. The caller may read them (modelHooks.guardDoc).
 */
export async function* historicalDocs(
  ctx: EvalContext, def: CollectionDef, ts: bigint, afterId: bigint | undefined, descending: boolean,
  beyond: (id: bigint) => boolean,
): AsyncIterable<DocData> {
  const model = ctx.model as ModelTxnImpl;
  let from = afterId;
  for (let batch = FIRST_BATCH; ; batch = Math.min(batch * 4, MAX_BATCH)) {
    const { docs, lastId: last, more } = await scanDocsAt(model, def, ts, from, batch, descending);
    for (const d of docs) {
      if (beyond(BigInt(d.id))) return;
      yield d;
    }
    if (!more || last === undefined || beyond(last)) return;
    from = last;
  }
}

/** An index entry as of a snapshot: `value` when it is the current entry (else recomputed). */
export interface SnapshotEntry { readonly key: Uint8Array; readonly value?: Uint8Array }

/**
 * The entries of `index` (of collection `def`) in [start, end) as of `ts`, in key order (or
 * reverse): current entries of documents unchanged since `ts` whose ttl had not passed by then,
 * and the entries of the changed documents' versions as of `ts`. Unreadable documents are the
 * caller's to drop (IndexSet.readable).
 */
export async function* entriesAsOf(
  ctx: EvalContext, def: CollectionDef, index: IndexDef, ts: bigint, start: Uint8Array, end: Uint8Array, descending: boolean,
): AsyncIterable<SnapshotEntry> {
  const changed = await writtenSince(ctx, def.id, ts);
  if (changed === undefined) {
    const keys = await historicalEntries(ctx, def.id, def.name, index, ts, start, end);
    if (descending) keys.reverse();
    for (const key of keys) yield { key };
    return;
  }
  const redone = await changedEntries(ctx, def, index, changed, ts, start, end);
  if (descending) redone.reverse();
  const order = descending ? (a: Uint8Array, b: Uint8Array) => Buffer.compare(b, a) : Buffer.compare;
  const tsNs = ts * 1000n;
  let next = 0;
  for await (const r of entryRows(ctx, start, end, descending)) {
    if (changed.has(lastId(r.key))) continue;
    const ttl = entryTtl(r.value);
    if (ttl !== undefined && ttl <= tsNs) continue;
    for (; next < redone.length && order(redone[next], r.key) < 0; next++) yield { key: redone[next] };
    yield { key: r.key, value: r.value };
  }
  for (; next < redone.length; next++) yield { key: redone[next] };
}

/** Keys of the entries in [start, end) of the documents `ids` as they were at `ts`, ascending. */
async function changedEntries(
  ctx: EvalContext, def: CollectionDef, index: IndexDef, ids: ReadonlySet<bigint>, ts: bigint, start: Uint8Array, end: Uint8Array,
): Promise<Uint8Array[]> {
  const model = ctx.model as ModelTxnImpl;
  const schema = schemaOf(def);
  const fields = [...index.terms, ...index.values];
  const keys: Uint8Array[] = [];
  for (const id of ids) {
    const v = await model.versionAt(def, id.toString(), ts);
    if (!v) continue;
    const view = await fullDocView(model, ctx, schema, v);
    for (const parts of entryParts(view, fields, index.terms.length)) {
      const key = indexKey(model.db, def.id, index.name, [...parts, id]);
      if (Buffer.compare(key, start) >= 0 && Buffer.compare(key, end) < 0) keys.push(key);
    }
    checkDeadline(ctx);
  }
  return keys.sort(Buffer.compare);
}

/** Current rows (documents, index entries) in [start, end), in key order (or reverse), in growing batches. */
async function* entryRows(ctx: EvalContext, start: Uint8Array, end: Uint8Array, descending: boolean) {
  const model = ctx.model as ModelTxnImpl;
  for (let batch = FIRST_BATCH; ; batch = Math.min(batch * 4, MAX_BATCH)) {
    if (Buffer.compare(start, end) >= 0) return;
    const rows = await model.kv.scan({ start, end, limit: batch, reverse: descending });
    ctx.stats.readOps += 1;
    yield* rows;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1].key;
    if (descending) end = last;
    else start = keyAfter(last);
  }
}
