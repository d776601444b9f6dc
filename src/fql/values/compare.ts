// Equality and ordering of FQL values, following Fauna's ValueCmp: numbers compare across
// Int/Long/Double, documents compare by collection and id, and values of unrelated types are
// ordered by a fixed rank (numbers first, null last) so that `order()` is a total order.
import type { DoubleV, IntV, LongV, StringV, TimeV, Value } from './value';
import { parseLong } from './long-text';

/** Fauna's `totalOrderingPosition`: the rank of each kind of value in a total order. */
function rank(v: Value): number {
  switch (v.t) {
    case 'int': case 'long': case 'double': return 0;
    case 'bytes': return 1;
    case 'string': return v.id ? 5 : 2;
    case 'array': return 3;
    case 'object': return 4;
    case 'doc': case 'named': case 'nulldoc': return 6;
    // core Value.TransactionTime is a type of its own, ranked right after Time.
    case 'time': return v.txn ? 8 : 7;
    case 'date': return 9;
    case 'uuid': return 10;
    case 'boolean': return 11;
    case 'module': return 12;
    case 'set': return 13;
    case 'function': return 15;
    case 'eventsource': return 17;
    case 'null': return 18;
  }
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmpPrim = <T extends string | number | bigint | boolean>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Java's Double.compare: -0.0 < 0.0 and NaN above everything, including +Infinity. */
export function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  const az = Object.is(a, -0), bz = Object.is(b, -0);
  return az === bz ? 0 : az ? -1 : 1;
}

type NumberV = IntV | LongV | DoubleV;

/** Fauna's numeric ordering (-1, 0 or 1): exact between integers, Java's Double.compare otherwise. */
export function compareNumbers(a: NumberV, b: NumberV): number {
  if (a.t === 'double' || b.t === 'double') return compareDoubles(Number(a.v), Number(b.v));
  if (a.t === 'int' && b.t === 'int') return cmpPrim(a.v, b.v);
  return cmpPrim(BigInt(a.v), BigInt(b.v));
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return cmpPrim(a.length, b.length);
}

/** An ID as the Long it stands for (its digits are checked when it is made). */
const idNumber = (v: StringV): LongV => ({ t: 'long', v: BigInt(v.v) });

/**
 * core ValueCmp for an ID `a` against `b`: numerically against ids and numbers, against a
 * string only when the string reads as a Long; otherwise unrelated.
 */
function compareId(a: StringV, b: Value): number | undefined {
  if (b.t === 'int' || b.t === 'long' || b.t === 'double') return compareNumbers(idNumber(a), b);
  if (b.t !== 'string') return undefined;
  if (b.id) return cmpIds(a.v, b.v);
  const n = parseLong(b.v);
  return n === undefined ? undefined : cmpPrim(BigInt(a.v), n);
}

/** Numeric ids compare numerically; anything else (never expected) by text. */
function cmpIds(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return cmpPrim(BigInt(a), BigInt(b));
  return cmpPrim(a, b);
}

function docKey(v: Value): { coll: string; id?: string; name?: string } | undefined {
  if (v.t === 'doc') return { coll: v.coll, id: v.id };
  if (v.t === 'named') return { coll: v.coll, name: v.name };
  if (v.t === 'nulldoc') return { coll: v.coll, id: v.id, name: v.name };
  return undefined;
}

function sortedEntries(m: ReadonlyMap<string, Value>): [string, Value][] {
  return [...m.entries()].sort((x, y) => cmpPrim(x[0], y[0]));
}

/**
 * Times compare by instant; the transaction time only with itself: core keeps it a value of
 * its own (Value.TransactionTime) until commit fixes the instant, so `TransactionTime()` and
 * `Time.now()` are unrelated though they stand for the same instant (FQL2ComparisonSpec
 * "equals and hashCode works").
 */
function compareTimes(a: TimeV, b: TimeV): number | undefined {
  if (a.txn === true || b.txn === true) return a.txn === b.txn ? 0 : undefined;
  return cmpPrim(a.ns, b.ns);
}

/**
 * Order of two values of related types, or undefined when the types are unrelated (the
 * relational operators are then simply false).
 */
export function compareRelated(a: Value, b: Value): number | undefined {
  if (a === b) return 0;
  switch (a.t) {
    case 'int': case 'long': case 'double':
      if (b.t === 'string' && b.id) return compareNumbers(a as NumberV, idNumber(b));
      return b.t === 'int' || b.t === 'long' || b.t === 'double' ? compareNumbers(a as NumberV, b as NumberV) : undefined;
    case 'string':
      if (a.id) return compareId(a, b);
      if (b.t === 'string' && b.id) { const c = compareId(b, a); return c === undefined ? undefined : -c; }
      return b.t === 'string' ? cmpPrim(a.v, b.v) : undefined;
    case 'boolean': return b.t === 'boolean' ? cmpPrim(a.v, b.v) : undefined;
    case 'time': return b.t === 'time' ? compareTimes(a, b) : undefined;
    case 'date': return b.t === 'date' ? cmpPrim(a.days, b.days) : undefined;
    case 'bytes': return b.t === 'bytes' ? cmpBytes(a.v, b.v) : undefined;
    case 'uuid': return b.t === 'uuid' ? cmpPrim(a.v, b.v) : undefined;
    case 'null': return b.t === 'null' ? 0 : undefined;
    case 'module': return b.t === 'module' ? cmpPrim(a.name, b.name) : undefined;
    case 'array': {
      if (b.t !== 'array') return undefined;
      const n = Math.min(a.v.length, b.v.length);
      for (let i = 0; i < n; i++) {
        const c = compare(a.v[i], b.v[i]);
        if (c !== 0) return c;
      }
      return cmpPrim(a.v.length, b.v.length);
    }
    case 'object': {
      if (b.t !== 'object') return undefined;
      const ea = sortedEntries(a.v), eb = sortedEntries(b.v);
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const c = cmpPrim(ea[i][0], eb[i][0]) || compare(ea[i][1], eb[i][1]);
        if (c !== 0) return c;
      }
      return cmpPrim(ea.length, eb.length);
    }
    case 'doc': case 'named': case 'nulldoc': {
      const ka = docKey(a)!, kb = docKey(b);
      if (!kb) return undefined;
      const c = cmpPrim(ka.coll, kb.coll);
      if (c !== 0) return c;
      if (ka.name !== undefined && kb.name !== undefined) return cmpPrim(ka.name, kb.name);
      return cmpIds(ka.id ?? '', kb.id ?? '');
    }
    case 'set': case 'function': case 'eventsource':
      return b.t === a.t ? 0 : undefined;
  }
}

/** Total order over all values (used by `order()`, `distinct()` and sorting). */
export function compare(a: Value, b: Value): number {
  const c = compareRelated(a, b);
  return c === undefined ? sign(rank(a) - rank(b)) : c;
}

/**
 * Structural equality (`==`). Documents are equal when they are the same document. A
 * document reference is never equal to null here: whether it exists needs a read, which the
 * evaluator does before calling this.
 */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  switch (a.t) {
    case 'null': return b.t === 'null' || b.t === 'nulldoc';
    case 'nulldoc': return b.t === 'null' || (docKey(b) !== undefined && compareRelated(a, b) === 0);
    case 'int': case 'long': case 'double':
      if (b.t === 'string' && b.id) return compareId(b, a) === 0;
      if (b.t !== 'int' && b.t !== 'long' && b.t !== 'double') return false;
      if (a.t === 'double' || b.t === 'double') {
        return Number((a as { v: number | bigint }).v) === Number((b as { v: number | bigint }).v);
      }
      return compareNumbers(a as NumberV, b as NumberV) === 0;
    case 'array':
      if (b.t !== 'array' || a.v.length !== b.v.length) return false;
      for (let i = 0; i < a.v.length; i++) if (!equals(a.v[i], b.v[i])) return false;
      return true;
    case 'object': {
      if (b.t !== 'object' || a.v.size !== b.v.size) return false;
      for (const [k, x] of a.v) {
        const y = b.v.get(k);
        if (y === undefined || !equals(x, y)) return false;
      }
      return true;
    }
    case 'set': {
      if (b.t !== 'set') return false;
      if (a.set === b.set) return true;
      // Sets are values: two sets built the same way are equal (core compares set structures).
      const da = a.set.describe?.(), db = b.set.describe?.();
      return da !== undefined && db !== undefined && JSON.stringify(da) === JSON.stringify(db);
    }
    case 'function':
      return b.t === 'function' && a.fn === b.fn;
    case 'eventsource': return b.t === 'eventsource' && a.token === b.token;
    default:
      return compareRelated(a, b) === 0;
  }
}
