// Builders for the standard-library conformance areas (cases/strings.ts, numbers.ts, ...): core's
// stdlib specs are long lists of `checkOk(query, value)` / `checkErr(query, failure)`, so the
// areas are written as the same kind of lists, one builder per source file.
import type { CaseError, ConformanceCase } from './case';

/** Tagged-format values, for results whose exact type matters (Int vs Long vs Double, ...). */
export const I = (n: number | string): unknown => ({ '@int': String(n) });
export const L = (n: number | string | bigint): unknown => ({ '@long': String(n) });
export const D = (n: string): unknown => ({ '@double': n });
export const T = (s: string): unknown => ({ '@time': s });
export const DATE = (s: string): unknown => ({ '@date': s });

export interface CaseBuilder {
  /** Query → exact `simple` result. */
  ok(query: string, result: unknown, name?: string): ConformanceCase;
  /** Query → exact `tagged` result. */
  tagged(query: string, tagged: unknown, name?: string): ConformanceCase;
  /** Query → error with this code and exact message (any message when undefined). */
  err(query: string, code: string, message: string | undefined, extra?: Partial<CaseError>): ConformanceCase;
  /** A case that is known to differ from Fauna; asserts nothing. */
  todo(query: string, todo: string, expected: unknown): ConformanceCase;
}

/** Builders whose cases cite `source`. */
export function from(source: string): CaseBuilder {
  return {
    ok: (query, result, name) => ({ name: name ?? query, query, result, source }),
    tagged: (query, tagged, name) => ({ name: name ?? `${query} (tagged)`, query, tagged, source }),
    err: (query, code, message, extra) => ({ name: `${query} fails`, query, error: { code, ...(message === undefined ? {} : { message }), ...extra }, source }),
    todo: (query, todo, expected) => ({ name: query, query, result: expected, source, todo }),
  };
}

/** Names must be unique within an area: repeats get ` #2`, ` #3`, ... */
export function uniqueNames(cases: readonly ConformanceCase[]): ConformanceCase[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c : { ...c, name: `${c.name} #${n}` };
  });
}
