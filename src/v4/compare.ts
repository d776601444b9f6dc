// Equality (Equals, Match terms) and ordering (set elements, cursors) of v4 values.
import type { RefV4, V4Value } from './values';

function refEquals(a: RefV4 | undefined, b: RefV4 | undefined): boolean {
  if (!a || !b) return a === b;
  return a.id === b.id && refEquals(a.coll, b.coll) && refEquals(a.db, b.db);
}

/**
 * Containers already found equal within one comparison. Values share structure (a Reduce that
 * doubles `[a, a]` builds 2^n paths over n nodes), so each pair is compared once rather than
 * once per path: `Equals(x, x)` on such a value took time exponential in n.
 */
type Proven = Map<V4Value, Set<V4Value>>;

export function equals4(a: V4Value, b: V4Value): boolean {
  return eq(a, b, undefined);
}

function eq(a: V4Value, b: V4Value, proven: Proven | undefined): boolean {
  if ((a.t === 'long' || a.t === 'double') && (b.t === 'long' || b.t === 'double')) {
    return a.t === b.t && (a.t === 'long' ? a.v === (b.v as bigint) : a.v === (b.v as number));
  }
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'null': return true;
    case 'boolean': case 'string': case 'uuid': case 'long': case 'double': return a.v === (b as typeof a).v;
    case 'time': return a.ns === (b as typeof a).ns;
    case 'date': return a.days === (b as typeof a).days;
    case 'bytes': return Buffer.from(a.v).equals(Buffer.from((b as typeof a).v));
    case 'array': case 'object': case 'page': {
      const p = proven ?? new Map<V4Value, Set<V4Value>>();
      if (p.get(a)?.has(b)) return true;
      if (!containersEqual(a, b, p)) return false;
      let s = p.get(a);
      if (!s) p.set(a, (s = new Set()));
      s.add(b);
      return true;
    }
    case 'ref': return refEquals(a, b as RefV4);
    case 'set': return a.set === (b as typeof a).set;
    case 'lambda': return a === b;
  }
}

function containersEqual(a: V4Value, b: V4Value, p: Proven): boolean {
  if (a.t === 'array' && b.t === 'array') return a.v.length === b.v.length && a.v.every((x, i) => eq(x, b.v[i], p));
  if (a.t === 'page' && b.t === 'page') return eq({ t: 'array', v: a.data }, { t: 'array', v: b.data }, p);
  if (a.t !== 'object' || b.t !== 'object') return false;
  if (a.v.size !== b.v.size) return false;
  for (const [k, x] of a.v) { const y = b.v.get(k); if (!y || !eq(x, y, p)) return false; }
  return true;
}

const RANK: Readonly<Record<V4Value['t'], number>> = {
  long: 0, double: 0, bytes: 1, string: 2, array: 3, object: 4, page: 4, ref: 5, set: 6, time: 7, date: 8,
  boolean: 9, null: 10, uuid: 11, lambda: 12,
};

function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a), nb = /^\d+$/.test(b);
  if (na && nb) return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRefs(a: RefV4 | undefined, b: RefV4 | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return compareRefs(a.db, b.db) || compareRefs(a.coll, b.coll) || compareIds(a.id, b.id);
}

export function compare4(a: V4Value, b: V4Value): number {
  const ra = RANK[a.t], rb = RANK[b.t];
  if (ra !== rb) return ra - rb;
  switch (a.t) {
    case 'long': case 'double': {
      const x = Number(a.v), y = Number((b as { v: bigint | number }).v);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string': case 'uuid': { const y = (b as typeof a).v; return a.v < y ? -1 : a.v > y ? 1 : 0; }
    case 'boolean': return Number(a.v) - Number((b as typeof a).v);
    case 'time': { const y = (b as typeof a).ns; return a.ns < y ? -1 : a.ns > y ? 1 : 0; }
    case 'date': return a.days - (b as typeof a).days;
    case 'bytes': return Buffer.compare(Buffer.from(a.v), Buffer.from((b as typeof a).v));
    case 'array': return compareKeys(a.v, (b as typeof a).v);
    case 'ref': return compareRefs(a, b as RefV4);
    default: return 0;
  }
}

/** Lexicographic order of sort keys (index values, then the ref). */
export function compareKeys(a: readonly V4Value[], b: readonly V4Value[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compare4(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Whether two value tuples (index values) are equal element by element. */
export function sameValues4(a: readonly V4Value[], b: readonly V4Value[]): boolean {
  return a.length === b.length && a.every((v, i) => equals4(v, b[i]));
}
