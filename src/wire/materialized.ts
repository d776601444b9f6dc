// A query result after materialisation: documents read, set pages fetched, everything the
// encoders need present, so that encoding (simple / tagged / decorated) is a pure, synchronous
// function. Materialisation happens inside the query's transaction (src/wire/materialize.ts).
import type {
  BooleanV, BytesV, DateV, DoubleV, IntV, LongV, ModuleV, NullDocV, NullV, StringV, TimeV, UuidV,
} from '../fql/values/value';

export type MValue =
  | NullV | BooleanV | IntV | LongV | DoubleV | StringV | BytesV | TimeV | DateV | UuidV | ModuleV
  | NullDocV
  | { readonly t: 'array'; readonly v: readonly MValue[] }
  | { readonly t: 'object'; readonly v: ReadonlyMap<string, MValue> }
  /**
   * A live document at the top of the result: `@doc` with id, coll, ts, [ttl], fields.
   * Units as in DocData: `ts` in µs since the epoch, `ttl` in ns since the epoch.
   */
  | { readonly t: 'doc'; readonly coll: string; readonly id: string; readonly ts: bigint; readonly ttl?: bigint; readonly data: ReadonlyMap<string, MValue> }
  /** A live named document: `@doc` with name, coll, ts (µs), fields. */
  | { readonly t: 'named'; readonly coll: string; readonly name: string; readonly ts: bigint; readonly data: ReadonlyMap<string, MValue> }
  /** A document reference not materialised (nested inside a document): `@ref`. */
  | { readonly t: 'ref'; readonly coll: string; readonly id: string }
  | { readonly t: 'namedRef'; readonly coll: string; readonly name: string }
  /** A materialised set page: `@set` {data, after?}. */
  | { readonly t: 'page'; readonly data: readonly MValue[]; readonly after?: string }
  /** A set not materialised (too deep): `{"@set": "<cursor>"}`. */
  | { readonly t: 'setRef'; readonly cursor: string }
  /** Functions render as "[function <name>]" strings. */
  | { readonly t: 'function'; readonly display: string }
  | { readonly t: 'eventsource'; readonly token: string };
