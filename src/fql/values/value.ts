// The FQL v10 value model: one tagged union, discriminated by `t`.
// Values are immutable once built; arrays and objects are never mutated in place
// (builders copy), so values can be shared between closures, caches and sets.

import type { Span } from '../ast/span';

export type Value =
  | NullV
  | BooleanV
  | IntV
  | LongV
  | DoubleV
  | StringV
  | BytesV
  | TimeV
  | DateV
  | UuidV
  | ArrayV
  | ObjectV
  | ModuleV
  | DocV
  | NamedDocV
  | NullDocV
  | SetV
  | FunctionV
  | EventSourceV;

export interface NullV { readonly t: 'null' }
export interface BooleanV { readonly t: 'boolean'; readonly v: boolean }
/** 32-bit signed integer (FQL `Int`). */
export interface IntV { readonly t: 'int'; readonly v: number }
/** 64-bit signed integer (FQL `Long`). */
export interface LongV { readonly t: 'long'; readonly v: bigint }
/** IEEE-754 double (FQL `Double`). */
export interface DoubleV { readonly t: 'double'; readonly v: number }
export interface StringV {
  readonly t: 'string'; readonly v: string;
  /**
   * Set on an ID (core Value.ID: a document id, `ID(1)`, `newId()`). An ID is carried as its
   * decimal digits so that it stays a string wherever one is accepted (arguments, stored
   * fields, the wire, where drivers see ids as strings); the tag gives it core's own
   * semantics: `isa ID` (not `isa String`), numeric comparison with numbers and ids, and
   * `ID("1")` in debug text. Values built from it (concatenation, stored copies) are plain
   * strings, as core converts an ID to a string when it stores it.
   */
  readonly id?: true;
}
export interface BytesV { readonly t: 'bytes'; readonly v: Uint8Array }
/** An instant with nanosecond precision, as nanoseconds since the Unix epoch (UTC). */
export interface TimeV {
  readonly t: 'time'; readonly ns: bigint;
  /**
   * Set on the transaction time (core Value.TransactionTime): `TransactionTime()` and the `ts`
   * of a document written by this transaction. `ns` is that time, so it behaves as a Time in
   * arithmetic, comparison and on the wire; only text renders differently: `TransactionTime()`
   * in debug text and `[transaction time]` in display text, as core cannot know the time
   * before commit.
   */
  readonly txn?: true;
}
/** A calendar date, as days since 1970-01-01. */
export interface DateV { readonly t: 'date'; readonly days: number }
export interface UuidV { readonly t: 'uuid'; readonly v: string }
export interface ArrayV { readonly t: 'array'; readonly v: readonly Value[] }
/** Insertion-ordered; a Map so that integer-like keys keep their order. */
export interface ObjectV { readonly t: 'object'; readonly v: ReadonlyMap<string, Value> }

/**
 * A module / singleton object: `Collection`, `Math`, `Time`, a user collection `Account`,
 * a user-defined function `MyFn` used as a value, etc. Rendered `{"@mod":"<name>"}`.
 */
export interface ModuleV { readonly t: 'module'; readonly name: string }

/**
 * A reference to a document with a numeric id in collection `coll` (a user collection, or a
 * system collection with ids such as `Key`, `Token`, `Credential`). Existence is checked when
 * the document is read; a document known not to exist is a NullDocV.
 */
export interface DocV {
  readonly t: 'doc'; readonly coll: string; readonly id: string;
  /**
   * Read snapshot (µs) of a document obtained inside `at (t) { ... }` (Fauna's Doc readTS):
   * reads of it show the version as of `t` even outside the `at` block. Unset: the reading
   * context's snapshot.
   */
  readonly readTs?: bigint;
}

/** A named schema document: Collection, Function, Role, Database, AccessProvider definitions. */
export interface NamedDocV { readonly t: 'named'; readonly coll: string; readonly name: string }

export type NullDocCause = 'not found' | 'deleted' | 'permission denied' | 'collection deleted';

/** A document that does not exist (or cannot be read); behaves as `null` in FQL. */
export interface NullDocV {
  readonly t: 'nulldoc';
  readonly coll: string;
  /** Either `id` (id-keyed collections) or `name` (named schema collections) is set. */
  readonly id?: string;
  readonly name?: string;
  readonly cause: NullDocCause;
}

/** A lazy set. Its behaviour lives in the model/stdlib layers behind the FqlSet interface. */
export interface SetV { readonly t: 'set'; readonly set: FqlSet }

export interface FunctionV { readonly t: 'function'; readonly fn: Callable }

export interface EventSourceV { readonly t: 'eventsource'; readonly token: string }

// ---------------------------------------------------------------------------------------------
// Functions

export type Callable = LambdaFn | NativeFn | UdfFn;

/** A closure created by an FQL anonymous function expression. */
export interface LambdaFn {
  readonly kind: 'lambda';
  /** Parameter names; `variadic` means the last one collects the remaining arguments. */
  readonly params: readonly string[];
  readonly variadic: boolean;
  /** The body AST (typed as unknown here to keep values independent of the AST module). */
  readonly body: unknown;
  /** Captured lexical environment. */
  readonly env: unknown;
  /** Source text of the whole lambda, used to render and to serialise it (cursors). */
  readonly source: string;
  readonly span?: Span;
}

/** A function implemented in TypeScript (standard library). */
export interface NativeFn {
  readonly kind: 'native';
  readonly name: string;
  /** Number of accepted arguments: exact arity, or a [min, max] range (max Infinity = variadic). */
  readonly arity: number | readonly [number, number];
  readonly call: (ctx: unknown, args: readonly Value[], site: CallSite) => Value | Promise<Value>;
}

/** A user-defined function stored in the database, resolved by name at call time. */
export interface UdfFn { readonly kind: 'udf'; readonly name: string }

/** Where a call happened: used to point error summaries at the right span. */
export interface CallSite {
  readonly span?: Span;
  readonly argSpans?: readonly (Span | undefined)[];
  /** The parenthesised argument list, where Fauna points failures of writes. */
  readonly argsSpan?: Span;
}

// ---------------------------------------------------------------------------------------------
// Sets

/**
 * A lazily evaluated, possibly very large, ordered collection of values. Implementations:
 * array-backed sets (`[1,2].toSet()`), collection scans, index ranges and the transformations
 * (`where`, `map`, `take`, ...) layered over them.
 */
export interface FqlSet {
  /** Stream elements in order, starting after `after` (an opaque position) when given. */
  iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement>;
  /**
   * A JSON-serialisable description of the set from which `decodeSet` can rebuild it in a
   * later query (for pagination cursors). Undefined when the set cannot be resumed
   * (the whole page is then materialised and no cursor is issued past it).
   */
  describe(): unknown | undefined;
  /**
   * True when a page that ends at `pos`, with no element after it, still gets a cursor: core
   * pages some sets without reading past the page (a concat's first part, ConcatSet), so its
   * last page can be empty. Absent: no.
   */
  cursorAtEnd?(pos: SetPosition): boolean;
  /** Short human description for `toString()` / decorated output, e.g. `Account.all()`. */
  readonly label: string;
}

export interface SetElement { readonly value: Value; readonly pos: SetPosition }
/** An opaque, JSON-serialisable position inside a set (resume point for cursors). */
export type SetPosition = unknown;
