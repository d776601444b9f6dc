// `Account.byEmail("a@b.c")`, `Person.byAge({ from: 20, to: 30 })`: the documents of one term
// tuple of an index, in index order, within an optional range of the covered values. Read
// lazily in growing batches straight from the index keys, so a lookup costs O(log n + k) and
// a page reads only what it returns; positions are index keys, so a cursor resumes exactly
// after the last entry it returned even when entries were added or removed meanwhile.
// `reverse()` scans the same range backwards. Built inside `at (t) { ... }`, the set reads the
// entries as of `t` (src/model/indexes/index-history.ts) and its documents keep that snapshot;
// resumed from a cursor, it reads as of the cursor's snapshot (cursor-snapshot.ts).
// The entries it reads are remembered so that reads of their covered fields need not fetch
// the documents (src/model/sets/covered.ts).
import type { EvalContext } from '../../fql/eval/context';
import { QueryError } from '../../fql/errors';
import type { DocV, FqlSet, SetElement, SetPosition, Value } from '../../fql/values/value';
import { decodeValue, encodeValue } from '../codec';
import { indexKey, prefixEnd } from '../keys';
import { ModelTxnImpl, modelHooks, type SetDecoder } from '../model-txn';
import { decodeKey } from '../../storage/tuple';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { rangeBounds, termParts } from '../indexes/index-range';
import { entryTtl } from '../indexes/index-store';
import { historicalEntries } from '../indexes/index-history';
import { readsUnconditionally, recordEntry } from './covered';
import { entriesAsOf } from './cursor-snapshot';
import { checkReadableAt } from '../temporal/min-valid-time';
import { keyAfter } from '../../storage/bytes';

const FIRST_BATCH = 16;
const MAX_BATCH = 1024;

const maxKey = (a: Uint8Array, b: Uint8Array): Uint8Array => (Buffer.compare(a, b) >= 0 ? a : b);
const minKey = (a: Uint8Array, b: Uint8Array): Uint8Array => (Buffer.compare(a, b) <= 0 ? a : b);

export class IndexSet implements FqlSet {
  readonly label: string;
  private readonly start: Uint8Array;
  private readonly end: Uint8Array;
  /** Key bytes shared by every entry of the set; positions are the bytes after it. */
  private readonly prefix: Uint8Array;

  /**
   * `at`: the read snapshot (µs) when the set was built inside `at (t) { ... }`;
   * `descending`: entries in reverse index order (`reverse()` flips the scan, as Fauna does).
   */
  constructor(
    readonly db: number,
    readonly collId: number,
    readonly coll: string,
    readonly index: IndexDef,
    readonly terms: readonly Value[],
    readonly range: Value | undefined,
    readonly at?: bigint,
    readonly descending = false,
  ) {
    this.label = `${coll}.${index.name}()`;
    const tparts = termParts(index, terms);
    this.prefix = indexKey(db, collId, index.name, tparts);
    const { from, to } = rangeBounds(index, range);
    this.start = from ? indexKey(db, collId, index.name, [...tparts, ...from]) : this.prefix;
    this.end = prefixEnd(to ? indexKey(db, collId, index.name, [...tparts, ...to]) : this.prefix);
  }

  reverse(): FqlSet {
    return new IndexSet(this.db, this.collId, this.coll, this.index, this.terms, this.range, this.at, !this.descending);
  }

  private positionKey(pos: SetPosition): Uint8Array {
    if (typeof pos !== 'string') throw new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.');
    const suffix = Buffer.from(pos, 'base64');
    const key = new Uint8Array(this.prefix.length + suffix.length);
    key.set(this.prefix);
    key.set(suffix, this.prefix.length);
    return key;
  }

  /** The key range still to read after position `after`: [start, end). */
  private remaining(after: SetPosition | undefined): { start: Uint8Array; end: Uint8Array } {
    if (after === undefined) return { start: this.start, end: this.end };
    const key = this.positionKey(after);
    return this.descending
      ? { start: this.start, end: minKey(key, this.end) }
      : { start: maxKey(keyAfter(key), this.start), end: this.end };
  }

  private element(key: Uint8Array): SetElement {
    const parts = decodeKey(key);
    const id = String(parts[parts.length - 1]);
    const pos = Buffer.from(key.subarray(this.prefix.length)).toString('base64');
    const value: DocV = this.at === undefined
      ? { t: 'doc', coll: this.coll, id }
      : { t: 'doc', coll: this.coll, id, readTs: this.at };
    return { value, pos };
  }

  iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const ectx = ctx as EvalContext;
    const { start, end } = this.remaining(after);
    const entries = this.at !== undefined
      ? this.historical(ectx, start, end, this.at)
      : ectx.systemTs !== undefined ? this.asOfCursor(ectx, start, end, ectx.systemTs) : this.current(ectx, start, end);
    return modelHooks.guardDoc ? this.readable(ectx, entries) : entries;
  }

  /**
   * Documents the caller may not read vanish from sets silently. A caller who may read the
   * whole collection needs no document read for that.
   */
  private async *readable(ectx: EvalContext, entries: AsyncIterable<SetElement>): AsyncIterable<SetElement> {
    const model = ectx.model as ModelTxnImpl;
    if (this.at === undefined && (await readsUnconditionally(model, this.coll))) {
      yield* entries;
      return;
    }
    for await (const e of entries) {
      if (!('cause' in (await model.readDoc(e.value as DocV)))) yield e;
    }
  }

  private async *current(ectx: EvalContext, start: Uint8Array, end: Uint8Array): AsyncIterable<SetElement> {
    const model = ectx.model as ModelTxnImpl;
    const nowNs = model.txnTs * 1000n;
    const def = await model.collection(this.coll);
    const defTs = def && def.id === this.collId ? def.ts : undefined;
    let batch = FIRST_BATCH;
    for (;;) {
      if (Buffer.compare(start, end) >= 0) return;
      const rows = await model.kv.scan({ start, end, limit: batch, reverse: this.descending });
      ectx.stats.readOps += 1;
      for (const r of rows) {
        const ttl = entryTtl(r.value);
        if (ttl !== undefined && ttl <= nowNs) continue;
        const e = this.element(r.key);
        if (defTs !== undefined) recordEntry(model, this.coll, this.collId, defTs, this.index.name, (e.value as DocV).id, r.value);
        yield e;
      }
      if (rows.length < batch) return;
      const last = rows[rows.length - 1].key;
      if (this.descending) end = last;
      else start = keyAfter(last);
      batch = Math.min(batch * 4, MAX_BATCH);
    }
  }

  /**
   * Entries as of a resumed cursor's snapshot (cursor-snapshot.ts). Current entries among them
   * are remembered for covered reads when they are still current now (ttl not passed).
   */
  private async *asOfCursor(ectx: EvalContext, start: Uint8Array, end: Uint8Array, ts: bigint): AsyncIterable<SetElement> {
    const model = ectx.model as ModelTxnImpl;
    const def = await model.collection(this.coll);
    if (!def || def.id !== this.collId) return;
    const nowNs = model.txnTs * 1000n;
    for await (const { key, value } of entriesAsOf(ectx, def, this.index, ts, start, end, this.descending)) {
      const e = this.element(key);
      if (value !== undefined) {
        const ttl = entryTtl(value);
        if (ttl === undefined || ttl > nowNs) recordEntry(model, this.coll, this.collId, def.ts, this.index.name, (e.value as DocV).id, value);
      }
      yield e;
    }
  }

  /** Entries as of `ts`, recomputed from the documents' versions then (see index-history.ts). */
  private async *historical(ectx: EvalContext, start: Uint8Array, end: Uint8Array, ts: bigint): AsyncIterable<SetElement> {
    // A user's snapshot may not precede the history kept (temporal/min-valid-time.ts).
    const model = ectx.model as ModelTxnImpl;
    const def = await model.collection(this.coll);
    if (def) checkReadableAt(model, def, ts);
    const keys = await historicalEntries(ectx, this.collId, this.coll, this.index, ts, start, end);
    if (this.descending) keys.reverse();
    for (const k of keys) yield this.element(k);
  }

  describe(): unknown {
    return {
      kind: 'index',
      coll: this.coll,
      index: this.index.name,
      fp: this.index.fingerprint,
      terms: this.terms.map(encodeValue),
      range: this.range === undefined ? undefined : encodeValue(this.range),
      at: this.at?.toString(),
      rev: this.descending || undefined,
    };
  }
}

/**
 * Set by the identity layer: throws unless the caller may read the collection at all (core
 * checkReadCollectionPermission, checked by index methods and index cursors, not by `all()`).
 */
export type IndexReadGuard = (txn: ModelTxnImpl, coll: string) => Promise<void>;
let indexReadGuard: IndexReadGuard | undefined;
export function defineIndexReadGuard(guard: IndexReadGuard): void {
  indexReadGuard = guard;
}
export async function checkIndexRead(txn: ModelTxnImpl, coll: string): Promise<void> {
  await indexReadGuard?.(txn, coll);
}

/** The set an index method call returns, after checking the index can be queried. */
export function indexSet(
  model: ModelTxnImpl, coll: { readonly id: number; readonly name: string }, index: IndexDef,
  terms: readonly Value[], range: Value | undefined, at?: bigint, descending = false,
): IndexSet {
  if (!index.queryable) {
    throw new QueryError('invalid_index_invocation', `The index \`${coll.name}.${index.name}\` is not queryable.`);
  }
  return new IndexSet(model.db, coll.id, coll.name, index, terms, range, at, descending);
}

/** Decodes an `index` set description (a cursor's set), checking the index still matches. */
export const decodeIndexSet: SetDecoder = async (txn, d) => {
  const def = await txn.collection(String(d.coll));
  const index = def ? schemaOf(def).indexes.get(String(d.index)) : undefined;
  if (!def || !index || index.fingerprint !== d.fp || !Array.isArray(d.terms)) {
    throw new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.');
  }
  const terms = (d.terms as never[]).map(decodeValue);
  const range = d.range === undefined ? undefined : decodeValue(d.range as never);
  await checkIndexRead(txn, def.name);
  return indexSet(txn, def, index, terms, range, typeof d.at === 'string' ? BigInt(d.at) : undefined, d.rev === true);
};
