// Arguments of an index method turned into a key range: the term values select one exact
// prefix; the optional `{ from, to }` argument bounds the covered values (or, for an index
// without values, the document id), both ends inclusive and read as prefixes, as in Fauna's
// CollectionIndexMethod.collectRange.
import { invalidArgument } from '../../fql/eval/failures';
import type { Value } from '../../fql/values/value';
import type { KeyPart } from '../../storage/tuple';
import { toDocId } from '../stdlib/args';
import type { IndexDef, IndexValueField } from '../definitions/schema';
import { indexPart, isIndexable } from './value-encoding';

export interface KeyBounds {
  /** Parts after the terms where the range starts (inclusive), if bounded. */
  readonly from?: readonly KeyPart[];
  /** Parts after the terms where the range ends (inclusive, as a prefix), if bounded. */
  readonly to?: readonly KeyPart[];
}

export function termParts(idx: IndexDef, terms: readonly Value[]): KeyPart[] {
  return terms.map((v, i) => {
    if (!isIndexable(v)) throw invalidArgument(`term${i + 1}`, 'Argument cannot be used as lookup term');
    return indexPart(v);
  });
}

const isIdField = (f: IndexValueField): boolean => f.path.length === 1 && f.path[0] === 'id';

/** A range bound on an `id` value: documents and ids as given, null lowest, anything else highest. */
function idBound(v: Value): Value {
  if (v.t === 'doc') return { t: 'long', v: BigInt(v.id) };
  if (v.t === 'null') return { t: 'long', v: 0n };
  const id = toDocId(v);
  return { t: 'long', v: id !== undefined ? BigInt(id) : 2n ** 63n - 1n };
}

function valuePrefix(idx: IndexDef, field: 'from' | 'to', v: Value): KeyPart[] {
  const covered = idx.values;
  let elems: readonly Value[];
  if (v.t === 'array' && covered.length === 1) {
    // A lone covered array value still reads `to` as a prefix: the trailing null (sorting
    // last) makes it include the longer arrays that start with it.
    elems = [field === 'to' ? { t: 'array', v: [...v.v, { t: 'null' }] } : v];
  } else if (v.t === 'array') elems = v.v;
  else elems = [v];
  if (elems.length > covered.length) {
    throw invalidArgument('range', `The field \`${field}\` can have at most ${covered.length} values`);
  }
  return elems.map((e, i) => {
    const f = covered[i];
    if (isIdField(f)) return indexPart(idBound(e), f.desc);
    if (!isIndexable(e)) {
      throw invalidArgument('range', `The \`${field}\` field should be either an indexable value or an array of values`);
    }
    return indexPart(e, f.desc);
  });
}

function docIdBound(field: 'from' | 'to', v: Value): KeyPart[] {
  const id = v.t === 'doc' ? v.id : toDocId(v);
  if (id === undefined) throw invalidArgument('range', `The \`${field}\` field must be a document id.`);
  return [BigInt(id)];
}

/** The `from` and `to` of a range argument (at least one is given). */
function rangeEnds(range: Value): { from?: Value; to?: Value } {
  const invalid = () => invalidArgument('range', 'should be an object contining `{ from }`, `{ to }`, or `{ from, to }` fields');
  if (range.t !== 'object') throw invalid();
  const from = range.v.get('from');
  const to = range.v.get('to');
  if (from === undefined && to === undefined) throw invalid();
  return { from, to };
}

export function rangeBounds(idx: IndexDef, range: Value | undefined): KeyBounds {
  if (range === undefined) return {};
  const { from, to } = rangeEnds(range);
  const bound = (field: 'from' | 'to', v: Value | undefined) =>
    v === undefined ? undefined : idx.values.length === 0 ? docIdBound(field, v) : valuePrefix(idx, field, v);
  return { from: bound('from', from), to: bound('to', to) };
}

/** `Coll.all({ from, to })`: inclusive document id bounds (core collectRange without values). */
export function idRange(range: Value): { from?: bigint; to?: bigint } {
  const { from, to } = rangeEnds(range);
  return {
    from: from === undefined ? undefined : docIdBound('from', from)[0] as bigint,
    to: to === undefined ? undefined : docIdBound('to', to)[0] as bigint,
  };
}
