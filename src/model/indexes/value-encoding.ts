// Index keys hold FQL values. Each value becomes one bytes part of the key whose bytewise order
// is Fauna's value order: first by type rank (numbers, bytes, strings, arrays, objects,
// documents, times, dates, uuids, booleans, null last — as src/fql/values/compare.ts), then by
// value; Int, Long and Double compare numerically, so 1, 1.0 and Long 1 are the same key.
// The inner encoding is a tuple (src/storage/tuple.ts) that is prefix-free (arrays and objects
// end with a terminator that sorts before any element), so inverting its bytes reverses the
// order exactly: that is how `order: "desc"` fields are stored.
import { encodeKey, type KeyPart } from '../../storage/tuple';
import type { Value } from '../../fql/values/value';
import { isPersistable } from '../definitions/persistable';

const RANK = {
  number: 0, bytes: 1, string: 2, array: 3, object: 4, doc: 6, time: 7, date: 9, uuid: 10,
  boolean: 11, module: 12, null: 18,
} as const;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function numberPart(v: bigint): KeyPart {
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/**
 * True for values that can be stored in an index: the persistable ones, checked all the way
 * down (core converts a lookup term or range bound with Value.toIR, which refuses a module such
 * as `Collection` too, or an array holding one).
 */
export function isIndexable(v: Value): boolean {
  return isPersistable(v);
}

function pushParts(v: Value, out: KeyPart[]): void {
  switch (v.t) {
    case 'int': out.push(RANK.number, v.v); return;
    case 'double': out.push(RANK.number, Object.is(v.v, -0) ? 0 : v.v); return;
    case 'long': out.push(RANK.number, numberPart(v.v)); return;
    case 'bytes': out.push(RANK.bytes, v.v); return;
    case 'string': out.push(RANK.string, v.v); return;
    case 'array':
      out.push(RANK.array);
      for (const e of v.v) pushParts(e, out);
      out.push(null);
      return;
    case 'object': {
      out.push(RANK.object);
      for (const k of [...v.v.keys()].sort()) {
        out.push(k);
        pushParts(v.v.get(k)!, out);
      }
      out.push(null);
      return;
    }
    case 'doc': out.push(RANK.doc, v.coll, numberPart(BigInt(v.id))); return;
    case 'nulldoc': out.push(RANK.doc, v.coll, v.id !== undefined ? numberPart(BigInt(v.id)) : v.name ?? ''); return;
    case 'named': out.push(RANK.doc, v.coll, v.name); return;
    case 'time': out.push(RANK.time, v.ns); return;
    case 'date': out.push(RANK.date, v.days); return;
    case 'uuid': out.push(RANK.uuid, v.v); return;
    case 'boolean': out.push(RANK.boolean, v.v); return;
    case 'module': out.push(RANK.module, v.name); return;
    case 'null': case 'set': case 'function': case 'eventsource': out.push(RANK.null); return;
  }
}

/** The order-preserving encoding of one value. */
export function encodeIndexValue(v: Value): Uint8Array {
  const parts: KeyPart[] = [];
  pushParts(v, parts);
  return encodeKey(parts);
}

function invert(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ 0xff;
  return out;
}

/** The key part for a value in an index field, inverted for descending fields. */
export function indexPart(v: Value, desc = false): Uint8Array {
  const enc = encodeIndexValue(v);
  return desc ? invert(enc) : enc;
}
