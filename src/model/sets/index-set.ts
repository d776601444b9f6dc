// `Account.byEmail("a@b.c")`, `Person.byAge({ from: 20, to: 30 })`: the documents of one term
// tuple of an index, in index order, within an optional range of the covered values. Read
// lazily in growing batches straight from the index keys, so a lookup costs O(log n + k) and
// a page reads only what it returns; positions are index keys, so a cursor resumes exactly
// after the last entry it returned even when entries were added or removed meanwhile.
import type { EvalContext } from '../../fql/eval/context';
import { QueryError } from '../../fql/errors';
import type { FqlSet, SetElement, SetPosition, Value } from '../../fql/values/value';
import { decodeValue, encodeValue } from '../codec';
import { indexKey, prefixEnd } from '../keys';
import { ModelTxnImpl, defineSetDecoder } from '../model-txn';
import { decodeKey } from '../../storage/tuple';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { rangeBounds, termParts } from '../indexes/index-range';
import { entryTtl } from '../indexes/index-store';

const FIRST_BATCH = 16;
const MAX_BATCH = 1024;

/** The smallest key after `key` (keys are prefix-free, so nothing lies in between). */
function keyAfter(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}

const maxKey = (a: Uint8Array, b: Uint8Array): Uint8Array => (Buffer.compare(a, b) >= 0 ? a : b);

export class IndexSet implements FqlSet {
  readonly label: string;
  private readonly start: Uint8Array;
  private readonly end: Uint8Array;
  /** Key bytes shared by every entry of the set; positions are the bytes after it. */
  private readonly prefix: Uint8Array;

  constructor(
    readonly db: number,
    readonly collId: number,
    readonly coll: string,
    readonly index: IndexDef,
    readonly terms: readonly Value[],
    readonly range: Value | undefined,
  ) {
    this.label = `${coll}.${index.name}()`;
    const tparts = termParts(index, terms);
    this.prefix = indexKey(db, collId, index.name, tparts);
    const { from, to } = rangeBounds(index, range);
    this.start = from ? indexKey(db, collId, index.name, [...tparts, ...from]) : this.prefix;
    this.end = prefixEnd(to ? indexKey(db, collId, index.name, [...tparts, ...to]) : this.prefix);
  }

  private positionKey(pos: SetPosition): Uint8Array {
    if (typeof pos !== 'string') throw new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.');
    const suffix = Buffer.from(pos, 'base64');
    const key = new Uint8Array(this.prefix.length + suffix.length);
    key.set(this.prefix);
    key.set(suffix, this.prefix.length);
    return key;
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const ectx = ctx as EvalContext;
    const model = ectx.model as ModelTxnImpl;
    const nowNs = model.txnTs * 1000n;
    let start = after === undefined ? this.start : maxKey(keyAfter(this.positionKey(after)), this.start);
    let batch = FIRST_BATCH;
    for (;;) {
      if (Buffer.compare(start, this.end) >= 0) return;
      const rows = await model.kv.scan({ start, end: this.end, limit: batch });
      ectx.stats.readOps += 1;
      for (const r of rows) {
        const ttl = entryTtl(r.value);
        if (ttl !== undefined && ttl <= nowNs) continue;
        const parts = decodeKey(r.key);
        const id = String(parts[parts.length - 1]);
        const pos = Buffer.from(r.key.subarray(this.prefix.length)).toString('base64');
        yield { value: { t: 'doc', coll: this.coll, id }, pos };
      }
      if (rows.length < batch) return;
      start = keyAfter(rows[rows.length - 1].key);
      batch = Math.min(batch * 4, MAX_BATCH);
    }
  }

  describe(): unknown {
    return {
      kind: 'index',
      coll: this.coll,
      index: this.index.name,
      fp: this.index.fingerprint,
      terms: this.terms.map(encodeValue),
      range: this.range === undefined ? undefined : encodeValue(this.range),
    };
  }
}

/** The set an index method call returns, after checking the index can be queried. */
export function indexSet(
  model: ModelTxnImpl, coll: { readonly id: number; readonly name: string }, index: IndexDef,
  terms: readonly Value[], range: Value | undefined,
): IndexSet {
  if (!index.queryable) {
    throw new QueryError('invalid_index_invocation', `The index \`${coll.name}.${index.name}\` is not queryable.`);
  }
  return new IndexSet(model.db, coll.id, coll.name, index, terms, range);
}

defineSetDecoder('index', async (txn, d) => {
  const def = await txn.collection(String(d.coll));
  const index = def ? schemaOf(def).indexes.get(String(d.index)) : undefined;
  if (!def || !index || index.fingerprint !== d.fp || !Array.isArray(d.terms)) {
    throw new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.');
  }
  const terms = (d.terms as never[]).map(decodeValue);
  const range = d.range === undefined ? undefined : decodeValue(d.range as never);
  return indexSet(txn, def, index, terms, range);
});
