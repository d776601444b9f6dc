// How FQL values are persisted: compact JSON with `$`-tags for the types JSON lacks.
// The format is part of the on-disk contract (export/import relies on it), so tags never
// change meaning:
//   Int → JSON integer · Long → {"$l":"<digits>"} · Double → {"$d":"<text>"}
//   Time → {"$t":"<ns>"} · Date → {"$D":<days>} · Bytes → {"$b":"<base64>"} · UUID → {"$u":"…"}
//   doc ref → {"$r":["<coll>","<id>"]} · named ref → {"$n":["<coll>","<name>"]}
//   module → {"$m":"<name>"} · object → plain JSON object when its keys are safe (no `$`
//   prefix, not integer-like, which JSON.parse would reorder), else {"$o":[k1,v1,k2,v2,…]}
import { QueryError } from '../fql/errors';
import { typeName } from '../fql/values/construct';
import type { Value } from '../fql/values/value';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const INTEGER_LIKE = /^(0|[1-9]\d*)$/;

function safeKeys(m: ReadonlyMap<string, Value>): boolean {
  for (const k of m.keys()) if (k.startsWith('$') || INTEGER_LIKE.test(k)) return false;
  return true;
}

export function encodeValue(v: Value): Json {
  switch (v.t) {
    case 'null': return null;
    case 'boolean': return v.v;
    case 'int': return v.v;
    case 'string': return v.v;
    case 'long': return { $l: v.v.toString() };
    case 'double': return { $d: String(v.v) };
    case 'time': return { $t: v.ns.toString() };
    case 'date': return { $D: v.days };
    case 'bytes': return { $b: Buffer.from(v.v).toString('base64') };
    case 'uuid': return { $u: v.v };
    case 'array': return v.v.map(encodeValue);
    case 'object': {
      if (safeKeys(v.v)) {
        const o: { [k: string]: Json } = {};
        for (const [k, x] of v.v) o[k] = encodeValue(x);
        return o;
      }
      const flat: Json[] = [];
      for (const [k, x] of v.v) flat.push(k, encodeValue(x));
      return { $o: flat };
    }
    case 'doc': return { $r: [v.coll, v.id] };
    case 'nulldoc':
      return v.id !== undefined ? { $r: [v.coll, v.id] } : { $n: [v.coll, v.name ?? ''] };
    case 'named': return { $n: [v.coll, v.name] };
    case 'module': return { $m: v.name };
    case 'set': case 'function': case 'eventsource':
      throw new QueryError('invalid_type', `Value of type ${typeName(v)} cannot be persisted.`);
  }
}

export function decodeValue(j: Json): Value {
  if (j === null) return { t: 'null' };
  switch (typeof j) {
    case 'boolean': return { t: 'boolean', v: j };
    case 'number': return { t: 'int', v: j };
    case 'string': return { t: 'string', v: j };
  }
  if (Array.isArray(j)) return { t: 'array', v: j.map(decodeValue) };
  const keys = Object.keys(j);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const x = j[keys[0]] as Json;
    switch (keys[0]) {
      case '$l': return { t: 'long', v: BigInt(x as string) };
      case '$d': return { t: 'double', v: Number(x as string) };
      case '$t': return { t: 'time', ns: BigInt(x as string) };
      case '$D': return { t: 'date', days: x as number };
      case '$b': return { t: 'bytes', v: new Uint8Array(Buffer.from(x as string, 'base64')) };
      case '$u': return { t: 'uuid', v: x as string };
      case '$r': { const [coll, id] = x as string[]; return { t: 'doc', coll, id }; }
      case '$n': { const [coll, name] = x as string[]; return { t: 'named', coll, name }; }
      case '$m': return { t: 'module', name: x as string };
      case '$o': {
        const flat = x as Json[];
        const m = new Map<string, Value>();
        for (let i = 0; i < flat.length; i += 2) m.set(flat[i] as string, decodeValue(flat[i + 1]));
        return { t: 'object', v: m };
      }
    }
  }
  const m = new Map<string, Value>();
  for (const k of keys) m.set(k, decodeValue(j[k]));
  return { t: 'object', v: m };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export const toBytes = (j: unknown): Uint8Array => enc.encode(JSON.stringify(j));
export const fromBytes = <T>(b: Uint8Array): T => JSON.parse(dec.decode(b)) as T;

/** Encode an object's fields (a document's data) as a stored JSON object. */
export function encodeFields(fields: ReadonlyMap<string, Value>): Json {
  return encodeValue({ t: 'object', v: fields });
}

export function decodeFields(j: Json): Map<string, Value> {
  const v = decodeValue(j);
  return v.t === 'object' ? (v.v as Map<string, Value>) : new Map();
}
