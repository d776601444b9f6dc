// Materialisation of a query result inside the query's transaction (core
// `FQL2ValueMaterializer`): documents in the result are read, sets are paged (16 items),
// recursively inside set pages up to 10 levels, after which a set is returned as a cursor.
// A document's own fields that point at other documents stay references (`@ref`).
import type { EvalContext } from '../fql/eval/context';
import type { Callable, DocV, FqlSet, NamedDocV, NullDocV, Value } from '../fql/values/value';
import { computedValues, type DocData, type NamedData } from '../model/model-api';
import type { MValue } from './materialized';
import { displayedFields } from '../model/doc-fields';
import { cursorText, defaultPageSize, pageSet } from '../fql/eval/sets/paginate';
import { MAX_RESULT_SIZE, resultTooLarge } from '../fql/limits';
import { valueSize } from '../fql/values/size';
import { escapedLength } from '../fql/values/json-length';
import { loopCheckpoint } from '../fql/eval/state';

/** Estimated encoded bytes of a value besides its text (numbers, punctuation, tags). */
const VALUE_COST = 8;
/** Estimated encoded bytes of a value: strings by their JSON length, bytes as base64. */
const cost = (v: Value): number =>
  VALUE_COST + (v.t === 'string' ? escapedLength(v.v) : v.t === 'bytes' ? Math.ceil(v.v.length / 3) * 4 : 0);

/** Set nesting levels materialised; deeper sets render as `{"@set": "<cursor>"}`. */
export const SET_MATERIALIZATION_DEPTH = 10;

export function functionDisplay(fn: Callable): string {
  return fn.kind === 'lambda' ? '[function <lambda>]' : `[function ${fn.name}()]`;
}

/**
 * A read is shared by the references to one document at one snapshot: `[doc, at (t) { doc }]`
 * shows two versions (core reads each Value.Doc at its own readTS).
 */
function docKey(ref: DocV): string {
  return ref.readTs === undefined ? `${ref.coll}\u0000${ref.id}` : `${ref.coll}\u0000${ref.id}\u0000${ref.readTs}`;
}

class Materializer {
  /** Reads are shared: the same document appearing twice in a result is read once. */
  private readonly docs = new Map<string, Promise<DocData | NullDocV>>();
  /** Made on first use: most results (every event of a feed page) hold no named documents. */
  private named: Map<string, Promise<NamedData | NullDocV>> | undefined;

  /** Estimated size of the result so far; values share structure, so it is counted per visit. */
  private size = 0;

  /**
   * `cursorKey`: the store's set cursor key (ModelTxn.cursorKey), loaded before materialising,
   * for the cursors of sets rendered as references.
   */
  constructor(private readonly ctx: EvalContext, private readonly cursorKey?: Uint8Array) {}

  /** The cursor to the start of `set` (what `Set.paginate(cursor)` resumes), if it can be resumed. */
  private readonly setCursor = (set: FqlSet): string | undefined => {
    const d = set.describe();
    if (d === undefined) return undefined;
    const cursor = cursorText(this.ctx, this.cursorKey, d, undefined, defaultPageSize(set));
    this.charge(cursor.length);
    return cursor;
  };

  charge(bytes: number): void {
    this.size += bytes;
    if (this.size > MAX_RESULT_SIZE) throw resultTooLarge(this.size);
    loopCheckpoint(this.ctx);
  }

  async value(v: Value, setDepth: number): Promise<MValue> {
    this.charge(cost(v));
    switch (v.t) {
      case 'array': {
        const items = new Array<MValue>(v.v.length);
        for (let i = 0; i < v.v.length; i++) {
          const x = v.v[i];
          // Scalars need no reads: take them without a round trip through the event loop.
          if (isScalar(x)) {
            this.charge(cost(x));
            items[i] = x as MValue;
          } else {
            items[i] = await this.value(x, setDepth);
          }
        }
        return { t: 'array', v: items };
      }
      case 'object': {
        const m = new Map<string, MValue>();
        for (const [k, x] of v.v) {
          this.charge(k.length);
          m.set(k, await this.value(x, setDepth));
        }
        return { t: 'object', v: m };
      }
      case 'doc': return this.doc(v);
      case 'named': return this.namedDoc(v);
      case 'set': return this.set(v.set, setDepth);
      case 'function': return { t: 'function', display: functionDisplay(v.fn) };
      case 'eventsource': return { t: 'eventsource', token: v.token };
      default: return v;
    }
  }

  knownDoc(ref: DocV, d: DocData | NullDocV): void {
    this.docs.set(docKey(ref), Promise.resolve(d));
  }

  private async doc(ref: DocV): Promise<MValue> {
    const key = docKey(ref);
    let read = this.docs.get(key);
    if (!read) this.docs.set(key, (read = this.ctx.model.readDoc(ref)));
    const d = await read;
    if ('t' in d) return d;
    return this.docFields(d, await computedValues(d, this.ctx));
  }

  /** A read document with all its fields (stored and computed): `@doc`, nested documents as references. */
  docFields(d: DocData, computed?: ReadonlyMap<string, Value>): MValue {
    const fields = displayedFields(d.coll, d.data, computed);
    this.charge(fieldsCost(fields));
    return { t: 'doc', coll: d.coll, id: d.id, ts: d.ts, ttl: d.ttl, data: shallowFields(fields, this.setCursor) };
  }

  private async namedDoc(ref: NamedDocV): Promise<MValue> {
    const key = `${ref.coll}\u0000${ref.name}`;
    this.named ??= new Map();
    let read = this.named.get(key);
    if (!read) this.named.set(key, (read = this.ctx.model.readNamed(ref)));
    const d = await read;
    if ('t' in d) return d;
    this.charge(fieldsCost(d.data));
    return { t: 'named', coll: d.coll, name: d.name, ts: d.ts, data: shallowFields(d.data, this.setCursor) };
  }

  private async set(set: FqlSet, setDepth: number): Promise<MValue> {
    if (setDepth >= SET_MATERIALIZATION_DEPTH) {
      const cursor = this.setCursor(set);
      if (cursor !== undefined) return { t: 'setRef', cursor };
    }
    const page = await pageSet(this.ctx, set, defaultPageSize(set));
    if (page.after !== undefined) this.charge(page.after.length);
    const data = new Array<MValue>(page.items.length);
    for (let i = 0; i < page.items.length; i++) data[i] = await this.value(page.items[i], setDepth + 1);
    return page.after !== undefined ? { t: 'page', data, after: page.after } : { t: 'page', data };
  }
}

/**
 * A document's fields, rendered every time the document occurs in the result (estimated by
 * logical size: text plus one unit per nested value).
 */
function fieldsCost(data: ReadonlyMap<string, Value>): number {
  let size = 0;
  for (const [k, v] of data) size += VALUE_COST + k.length + valueSize(v);
  return size;
}

const COMPOUND = new Set<Value['t']>(['array', 'object', 'doc', 'named', 'set', 'function', 'eventsource']);
const isScalar = (v: Value): boolean => !COMPOUND.has(v.t);

/** Fields of a materialised document: nested documents stay references, nothing is read. */
function shallowFields(data: ReadonlyMap<string, Value>, setCursor: SetCursorOf): ReadonlyMap<string, MValue> {
  // Scalars are MValues as they are: a document of scalar fields needs no copy.
  let plain = true;
  for (const v of data.values()) if (!isScalar(v)) { plain = false; break; }
  if (plain) return data as ReadonlyMap<string, MValue>;
  const m = new Map<string, MValue>();
  for (const [k, v] of data) m.set(k, shallow(v, setCursor));
  return m;
}

type SetCursorOf = (set: FqlSet) => string | undefined;

function shallow(v: Value, setCursor: SetCursorOf): MValue {
  switch (v.t) {
    case 'array': return { t: 'array', v: v.v.map((x) => shallow(x, setCursor)) };
    case 'object': return { t: 'object', v: shallowFields(v.v, setCursor) };
    case 'doc': return { t: 'ref', coll: v.coll, id: v.id };
    case 'named': return { t: 'namedRef', coll: v.coll, name: v.name };
    case 'set': return { t: 'setRef', cursor: setCursor(v.set) ?? '' };
    case 'function': return { t: 'function', display: functionDisplay(v.fn) };
    case 'eventsource': return { t: 'eventsource', token: v.token };
    default: return v;
  }
}

/**
 * materialize(ctx, reference to `d`, d), without a trip through the event loop, for a document
 * read as it is stored (no computed fields: nothing left to evaluate or read).
 */
export function materializeStoredDoc(ctx: EvalContext, d: DocData): MValue {
  if (d.computed) throw new Error('a document with computed fields is materialised by materialize()');
  const m = new Materializer(ctx);
  // As value() charges the reference before reading it.
  m.charge(VALUE_COST);
  return m.docFields(d);
}

/**
 * Read documents and page sets in `v` so that it can be encoded synchronously. `known`: the
 * document `v` refers to, which the caller has just read through `ctx.model.readDoc` under the
 * same snapshot (event streams), taken instead of reading it again.
 */
export async function materialize(ctx: EvalContext, v: Value, known?: DocData | NullDocV): Promise<MValue> {
  const m = new Materializer(ctx, await ctx.model.cursorKey?.());
  if (known !== undefined && v.t === 'doc') m.knownDoc(v, known);
  return m.value(v, 0);
}
