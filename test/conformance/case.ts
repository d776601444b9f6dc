// The shape of the conformance corpus: query → expected result or error, in Fauna's exact terms,
// grouped by area, each expectation with its source (a Fauna core file, usually a
// `ext/api/src/test/scala/fql2/*Spec.scala`, or a docs.fauna.com page).

/** Who runs a case: a built-in role of the area's database, a user role, or a document identity. */
export type CaseSecret =
  | 'admin' | 'server' | 'server-readonly'
  /** `@role/<Name>`: a key with that user role (scoped secret). */
  | `@role/${string}`
  /** `@doc/<Coll>/<id>`: the identity of that document (scoped secret). */
  | `@doc/${string}`;

export interface CaseError {
  /** Fauna's error code (`invalid_argument`, `permission_denied`, ...). */
  readonly code: string;
  /** The exact `error.message`. */
  readonly message?: string;
  /** Text `error.message` must contain (core's `should include`), when the rest varies (times). */
  readonly messageIncludes?: string;
  /** The exact `summary` (with carets), or use `summaryIncludes`. */
  readonly summary?: string;
  readonly summaryIncludes?: string;
  /** HTTP status when not 400. */
  readonly status?: number;
}

export interface ConformanceCase {
  /** Unique within its area. */
  readonly name: string;
  /** FQL v10 source, sent as the plain-string query body. */
  readonly query: string;
  /** Runs with this secret of the area's database; default `admin`. */
  readonly secret?: CaseSecret;
  /** Runs in this child database of the area's database instead (`/`-separated path, e.g. `A/B`). */
  readonly database?: string;
  /**
   * Runs with the secret this FQL query returns (run first with the area's admin secret), e.g.
   * `Key.create({ role: "client" }).secret`: for keys and tokens minted by the database itself.
   */
  readonly secretFrom?: string;
  /** Extra request headers, e.g. `{ 'x-typecheck': 'false' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Expected `data` in the `simple` format, compared exactly (deepStrictEqual on parsed JSON). */
  readonly result?: unknown;
  /** Expected `data` in the `tagged` format, compared exactly. */
  readonly tagged?: unknown;
  /** The `simple` `data` must contain these fields/values (recursively, objects only). */
  readonly subset?: unknown;
  /**
   * Expected `data` of each page, in order: the page the query returns (a set, or the object
   * `paginate()` returns), then each page `Set.paginate(after)` returns in a query of its own.
   * Every page but the last must have an `after` cursor; the last must not.
   */
  readonly pages?: readonly (readonly unknown[])[];
  /**
   * Queries run with the admin secret between the pages of `pages`: the i-th once page i + 1 is
   * checked, before page i + 2 is fetched (writes a later page must not see).
   */
  readonly betweenPages?: readonly string[];
  /** The query must fail with this error. */
  readonly error?: CaseError;
  /** Where the expectation comes from: core file name (e.g. `FQL2DocSpec.scala`) or a docs URL. */
  readonly source: string;
  /** Set while a known difference is unfixed; the case then asserts nothing and is reported as a todo. */
  readonly todo?: string;
}

export interface ConformanceArea {
  /** Short name, used for the area's child database (`conf_<area>`). */
  readonly area: string;
  /** FQL run in order with the area's admin secret before the cases; each must succeed. */
  readonly setup?: readonly string[];
  /** Run in order; later cases see earlier cases' writes. */
  readonly cases: readonly ConformanceCase[];
}
