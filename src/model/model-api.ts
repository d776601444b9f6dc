// What the evaluator, the standard library and the wire encoders need from the database for
// one query. Implemented by src/model over a storage transaction (src/storage/kv.ts).
import type { DocV, NamedDocV, NullDocV, TimeV, Value, FqlSet } from '../fql/values/value';
import { txnTimeValue } from '../fql/values/construct';
import type { MethodDef } from '../fql/stdlib/registry';
import type { EvalContext } from '../fql/eval/context';

/** A document as read at the query's snapshot. */
export interface DocData {
  readonly coll: string;
  readonly id: string;
  /** Version timestamp, µs since the epoch. */
  readonly ts: bigint;
  /** Expiry, ns since the epoch, when set. */
  readonly ttl?: bigint;
  /** User fields, in stored order (excluding id/coll/ts/ttl). */
  readonly data: ReadonlyMap<string, Value>;
  /** The collection's computed fields, evaluated one at a time when read (as Fauna does). */
  readonly computed?: ComputedFields;
  /** This version was written by the reading transaction: its `ts` is the transaction time. */
  readonly written?: boolean;
}

/**
 * `doc.ts` as FQL sees it. A version this transaction wrote shows core's TransactionTime
 * (`ts: TransactionTime()` in `toString`): the time is only final at commit. The wire encoders
 * render every ts as the time itself.
 */
export function docTs(d: Pick<DocData, 'ts' | 'written'>): TimeV {
  return d.written ? txnTimeValue(d.ts * 1000n) : { t: 'time', ns: d.ts * 1000n };
}

/** Computed fields of a document read: names in definition order, each evaluated on demand. */
export interface ComputedFields {
  readonly names: readonly string[];
  /** Runs the field's function on the document, in the reading context `ctx` (stack depth, logs). */
  value(name: string, ctx: EvalContext): Promise<Value>;
}

/**
 * The values of a document's computed fields in definition order, for output and display
 * (doc-fields.ts displayedFields places them); undefined when the collection has none.
 */
export async function computedValues(d: DocData, ctx: EvalContext): Promise<ReadonlyMap<string, Value> | undefined> {
  if (!d.computed) return undefined;
  const out = new Map<string, Value>();
  for (const name of d.computed.names) out.set(name, await d.computed.value(name, ctx));
  return out;
}

/** A named schema document (Collection, Function, Role, Database, AccessProvider). */
export interface NamedData {
  readonly coll: string;
  readonly name: string;
  readonly ts: bigint;
  /** Definition fields excluding name/coll/ts, in Fauna's order. */
  readonly data: ReadonlyMap<string, Value>;
}

export interface ModelTxn {
  /** This transaction's timestamp (µs): `txn_ts` of the response, `ts` of written versions. */
  readonly txnTs: bigint;
  readDoc(ref: DocV): Promise<DocData | NullDocV>;
  readNamed(ref: NamedDocV): Promise<NamedData | NullDocV>;
  /**
   * Resolve a global identifier that is not a built-in module or a variable: a user
   * collection (ModuleV) or a user-defined function (FunctionV udf). Undefined if unknown.
   */
  resolveGlobal(name: string): Promise<Value | undefined>;
  /** A user-defined index method on a collection (`Account.byEmail`), if defined. */
  collectionIndex(coll: string, name: string): Promise<MethodDef | undefined>;
  /** Rebuild a set from its `describe()` output (for `Set.paginate(cursor)`). */
  decodeSet(description: unknown): Promise<FqlSet>;
  /** Highest schema-change timestamp of the current database (µs; 0 if never). */
  schemaVersion(): Promise<bigint>;
  /**
   * The server's key for authenticating the snapshot time of set cursors
   * (src/fql/eval/sets/cursor-mac.ts), or undefined when the store has none: cursors then
   * carry no snapshot and resume at the reading query's own.
   */
  cursorKey?(): Promise<Uint8Array | undefined>;
}
