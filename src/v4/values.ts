// The FQL v4 value model. v4 has its own shapes that v10 values lack (refs that carry their
// collection and database as nested refs, sets, pages, lambdas), so v4 keeps a union of its
// own; scalars mirror the v10 ones and convert one to one (src/v4/model/convert.ts).
import type { Json } from './json';

export type V4Value =
  | { readonly t: 'null' }
  | { readonly t: 'boolean'; readonly v: boolean }
  /** v4 integers are 64-bit (`LongL`). */
  | { readonly t: 'long'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Uint8Array }
  /** Nanoseconds since the epoch. */
  | { readonly t: 'time'; readonly ns: bigint }
  /** Days since 1970-01-01. */
  | { readonly t: 'date'; readonly days: number }
  | { readonly t: 'uuid'; readonly v: string }
  | ArrayV4
  | ObjectV4
  | RefV4
  | SetV4
  | PageV4
  | LambdaV4;

export interface ArrayV4 { readonly t: 'array'; readonly v: readonly V4Value[] }
export interface ObjectV4 { readonly t: 'object'; readonly v: ReadonlyMap<string, V4Value> }

/**
 * A reference exactly as the wire shows it: `id`, the collection it belongs to (itself a ref;
 * absent for native collections such as `credentials`) and, for refs into a child database, the
 * database ref on the schema-level ref (core `RenderContext.mkRef`).
 */
export interface RefV4 {
  readonly t: 'ref';
  readonly id: string;
  readonly coll?: RefV4;
  readonly db?: RefV4;
}

/** A set: something Paginate can walk (documents of a collection, index matches, ...). */
export interface SetV4 { readonly t: 'set'; readonly set: V4Set }

export interface PageV4 {
  readonly t: 'page';
  readonly data: readonly V4Value[];
  /** Each element's cursor (core's unmapped values), which Take and Drop turn into before/after. */
  readonly cursors?: readonly V4Value[];
  readonly before?: V4Value;
  readonly after?: V4Value;
}

/** `Lambda(params, expr)` closed over its bindings; also a `Query(...)`/`@query` value. */
export interface LambdaV4 {
  readonly t: 'lambda';
  readonly params: Json;
  readonly expr: Json;
  readonly env: Env;
  /** api_version echoed in `@query` (a request `@query` without one is 2.12). */
  readonly apiVersion: string;
  /** Where the body sits in the request, for error positions. */
  readonly bodyPos?: readonly (string | number)[];
}

export type Env = ReadonlyMap<string, V4Value>;

/** One element of a set, with the sort key its cursors are made of. */
export interface SetEntry {
  readonly value: V4Value;
  readonly key: readonly V4Value[];
  /** The sets the element came from (`Paginate(..., {sources: true})`); the set itself when absent. */
  readonly sources?: readonly V4Set[];
}

export interface V4Set {
  /** The set's wire form: `{"@set": ...}` contents, or a plain ref for a collection's documents. */
  render(): V4Value | { readonly setJson: Record<string, V4Value> };
  /** Every element in order (sets here are small enough to sort in memory). */
  entries(): Promise<readonly SetEntry[]>;
  /** How many index values precede the ref in a key (0: a set of refs); undefined when unknown. */
  readonly shape?: number;
  /** The order of the set's keys when it is not plain ascending (reversed index values, Reverse). */
  compare?(a: readonly V4Value[], b: readonly V4Value[]): number;
  /**
   * Sets read from storage by key range (index matches, ranges of them) list a window of their
   * elements without listing the others: Paginate reads O(log n + page) entries through it.
   */
  window?(w: SetWindow): Promise<readonly SetEntry[]>;
}

/**
 * A sort key bound, read as a prefix: a lower bound includes every key it prefixes (`inclusive`)
 * or none; an upper bound includes every key it prefixes (`inclusive`) or stops before them.
 */
export interface KeyBound { readonly key: readonly V4Value[]; readonly inclusive: boolean }

/**
 * Up to `limit` elements between every `from` and every `to` bound, in the set's order
 * (`reverse`: from the highest down).
 */
export interface SetWindow {
  readonly from: readonly KeyBound[];
  readonly to: readonly KeyBound[];
  readonly reverse: boolean;
  readonly limit: number;
}

export const NULL4: V4Value = Object.freeze({ t: 'null' });
export const TRUE4: V4Value = Object.freeze({ t: 'boolean', v: true });
export const FALSE4: V4Value = Object.freeze({ t: 'boolean', v: false });
export const bool4 = (b: boolean): V4Value => (b ? TRUE4 : FALSE4);
export const str4 = (s: string): V4Value => ({ t: 'string', v: s });
export const long4 = (n: bigint | number): V4Value => ({ t: 'long', v: BigInt(n) });
/**
 * A number of the request's JSON: an integer within the Long range is an Integer (the text's
 * `.0` is already gone after JSON.parse), anything else a Double.
 */
export const jsonNumber4 = (n: number): V4Value =>
  (Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? { t: 'long', v: BigInt(n) } : { t: 'double', v: n });
export const arr4 = (v: readonly V4Value[]): ArrayV4 => ({ t: 'array', v });
export const obj4 = (entries: Iterable<readonly [string, V4Value]>): ObjectV4 => ({ t: 'object', v: new Map(entries) });

/**
 * Document and definition versions (what Get returns): objects on the wire, but core keeps them
 * a type of their own (`VersionL`) that IsDoc, IsCollection, ... recognize.
 */
const VERSIONS = new WeakSet<ObjectV4>();
export function version4(fields: Map<string, V4Value>): ObjectV4 {
  const v: ObjectV4 = { t: 'object', v: fields };
  VERSIONS.add(v);
  return v;
}
/** The ref of a version, or undefined for any other value. */
export const versionRef = (v: V4Value): RefV4 | undefined =>
  (v.t === 'object' && VERSIONS.has(v) && v.v.get('ref')?.t === 'ref' ? v.v.get('ref') as RefV4 : undefined);

// ------------------------------------------------------------------------------------ refs

/** Native collections (`Credentials()`, `Collections()`, ...) by their v4 name. */
export const NATIVE_COLLECTIONS = [
  'collections', 'databases', 'indexes', 'functions', 'roles', 'keys', 'tokens', 'credentials', 'access_providers',
] as const;
export type NativeName = (typeof NATIVE_COLLECTIONS)[number];
export const isNativeName = (s: string): s is NativeName => (NATIVE_COLLECTIONS as readonly string[]).includes(s);

/** `Credentials()`, or `Credentials(db)` for a child database. */
export function nativeRef(name: NativeName, db?: RefV4): RefV4 {
  return db ? { t: 'ref', id: name, db } : { t: 'ref', id: name };
}

/** `Collection("users")`, `Database("child")`, `Index("i")`, ... (`kind` is the native collection). */
export function schemaRef(kind: 'collections' | 'databases' | 'indexes' | 'functions' | 'roles' | 'access_providers', name: string, db?: RefV4): RefV4 {
  return db ? { t: 'ref', id: name, coll: nativeRef(kind), db } : { t: 'ref', id: name, coll: nativeRef(kind) };
}

export function docRef(coll: RefV4, id: string): RefV4 {
  return { t: 'ref', id, coll };
}

/** The native collection a ref is a document of (`keys`, `collections`, ...), if any. */
export function nativeCollOf(ref: RefV4): NativeName | undefined {
  const c = ref.coll;
  return c && c.coll === undefined && isNativeName(c.id) ? c.id : undefined;
}

export function isNativeCollectionRef(ref: RefV4): boolean {
  return ref.coll === undefined && isNativeName(ref.id);
}

/**
 * The database a ref points into (`Database("child")`): on the ref itself for native and
 * schema refs, on its collection ref for documents.
 */
export function scopeOf(ref: RefV4): RefV4 | undefined {
  return ref.db ?? ref.coll?.db;
}

/** Names of the databases from the request's database down to the Database ref `db`. */
export function databasePath(db: RefV4 | undefined): string[] {
  return db ? [...databasePath(db.db), db.id] : [];
}

// ------------------------------------------------------------------------------- names

/** The type name core prints in `X expected, Y provided.` (ast/Type.scala getType). */
export function typeName4(v: V4Value): string {
  switch (v.t) {
    case 'null': return 'Null';
    case 'boolean': return 'Boolean';
    case 'long': return 'Integer';
    case 'double': return 'Double';
    case 'string': return 'String';
    case 'bytes': return 'Bytes';
    case 'time': return 'Time';
    case 'date': return 'Date';
    case 'uuid': return 'UUID';
    case 'array': return 'Array';
    case 'object': return 'Object';
    case 'page': return 'Page';
    case 'set': return 'Set';
    case 'lambda': return 'Lambda';
    case 'ref': {
      const native = nativeCollOf(v);
      if (native === 'collections' || isNativeCollectionRef(v)) return 'Collection Ref';
      if (native === 'indexes') return 'Index Ref';
      if (native === 'databases') return 'Database Ref';
      if (native === 'keys') return 'Key Ref';
      if (native === 'functions') return 'User Function Ref';
      if (native === 'roles') return 'Role Ref';
      return 'Ref';
    }
  }
}
