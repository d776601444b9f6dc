// Decoding of Fauna's tagged JSON value format (requests: `arguments` with x-format tagged or
// decorated, and every template `value` fragment). Mirrors core's `UndecidedValue.parseTagged`,
// including its error messages. Existence checks that need the database (`@mod` naming an
// unknown module, `@ref` to an unknown schema object) are left to evaluation, which sees the
// decoded ModuleV / DocV / NamedDocV.
import type { Value } from '../fql/values/value';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, NULL, arr, bool, double, int, long, obj, str } from '../fql/values/construct';
import { parseDate, parseTime } from '../fql/values/format';
import { JsonNumber, JsonObject, type JsonValue } from './json-reader';

/** A value that cannot be decoded; the message is lowercase, it is embedded in a sentence. */
export class InvalidValueError extends Error {}

/** Collections whose documents are identified by name rather than by numeric id. */
export const NAMED_COLLECTIONS: ReadonlySet<string> = new Set([
  'Collection', 'Function', 'Role', 'AccessProvider', 'Database',
]);

const INTEGER_RE = /^[+-]?\d+$/;
// Java's Double.parseDouble grammar (minus hex floats): trimmed, optional type suffix.
const DOUBLE_RE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?)$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeTagged(json: JsonValue): Value {
  if (typeof json === 'string') return str(json);
  if (typeof json === 'boolean') return bool(json);
  if (json === null) return NULL;
  if (json instanceof JsonNumber) throw new InvalidValueError('numbers must be tagged');
  if (json instanceof JsonObject) return decodeObject(json);
  return arr(json.map(decodeTagged));
}

/** Core reads objects into a SeqMap first, merging repeated keys (see JsonObject.toMap). */
function decodeObject(o: JsonObject): Value {
  const members = o.toMap();
  for (const [k, v] of members) {
    if (k.charCodeAt(0) !== 64 /* @ */) continue;
    if (members.size > 1) throw new InvalidValueError('too many keys in tagged value');
    return decodeTag(k, v);
  }
  return decodeMembers(members);
}

function decodeMembers(members: ReadonlyMap<string, JsonValue>): Value {
  const m = new Map<string, Value>();
  for (const [k, v] of members) m.set(k, decodeTagged(v));
  return obj(m);
}

function asString(tag: string, v: JsonValue): string {
  if (typeof v !== 'string') throw new InvalidValueError(`${tag} requires a string value`);
  return v;
}

/** Java `Long.parseLong`-style integer parse with a range; undefined when invalid. */
function parseInteger(s: string, min: bigint, max: bigint): bigint | undefined {
  if (!INTEGER_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < min || n > max ? undefined : n;
}

function decodeTag(tag: string, v: JsonValue): Value {
  switch (tag) {
    case '@int': {
      const n = parseInteger(asString(tag, v), BigInt(INT_MIN), BigInt(INT_MAX));
      if (n === undefined) throw new InvalidValueError('invalid integer');
      return int(Number(n));
    }
    case '@long': {
      const n = parseInteger(asString(tag, v), LONG_MIN, LONG_MAX);
      if (n === undefined) throw new InvalidValueError('invalid long');
      return long(n);
    }
    case '@double': {
      const s = asString(tag, v).trim();
      if (!DOUBLE_RE.test(s)) throw new InvalidValueError('invalid double');
      return double(Number(s.replace(/[dDfF]$/, '')));
    }
    case '@object': {
      if (!(v instanceof JsonObject)) throw new InvalidValueError(`${tag} requires an object value`);
      return decodeMembers(v.toMap());
    }
    case '@time': {
      const ns = parseTime(asString(tag, v));
      if (ns === undefined) throw new InvalidValueError('invalid time');
      return { t: 'time', ns };
    }
    case '@date': {
      const days = parseDate(asString(tag, v));
      if (days === undefined) throw new InvalidValueError('invalid date');
      return { t: 'date', days };
    }
    case '@bytes': {
      const s = asString(tag, v);
      if (!BASE64_RE.test(s) || s.length % 4 === 1) throw new InvalidValueError('invalid bytes');
      return { t: 'bytes', v: new Uint8Array(Buffer.from(s, 'base64')) };
    }
    case '@mod':
      return { t: 'module', name: asString(tag, v) };
    case '@doc':
    case '@ref':
      return decodeDocRef(tag, decodeTagged(v));
    default:
      throw new InvalidValueError(`invalid tag '${tag}'`);
  }
}

function normaliseId(s: string): string | undefined {
  const n = parseInteger(s, LONG_MIN, LONG_MAX);
  return n === undefined ? undefined : n.toString();
}

function decodeDocRef(tag: string, inner: Value): Value {
  if (inner.t === 'string') return decodeLegacyDocString(inner.v);
  if (inner.t !== 'object') throw new InvalidValueError(`${tag} requires an object value`);
  const coll = inner.v.get('coll');
  if (coll === undefined) throw new InvalidValueError(`${tag} field 'coll' is required`);
  if (coll.t !== 'module') throw new InvalidValueError(`${tag} field 'coll' requires a module value`);
  if (NAMED_COLLECTIONS.has(coll.name)) {
    const name = inner.v.get('name');
    if (name === undefined) throw new InvalidValueError(`${tag} field 'name' is required`);
    if (name.t !== 'string') throw new InvalidValueError(`${tag} field 'name' requires a string value`);
    return { t: 'named', coll: coll.name, name: name.v };
  }
  const id = inner.v.get('id');
  if (id === undefined) throw new InvalidValueError(`${tag} field 'id' is required`);
  if (id.t !== 'string') throw new InvalidValueError(`${tag} field 'id' requires a string value`);
  const norm = normaliseId(id.v);
  if (norm === undefined) throw new InvalidValueError(`${tag} field 'id' must be an integer`);
  return { t: 'doc', coll: coll.name, id: norm };
}

/** The pre-object form `"Coll:id"` (still accepted by core). */
function decodeLegacyDocString(s: string): Value {
  const first = s.indexOf(':');
  // Java's split(":", 3) must yield exactly two sections.
  if (first < 0 || s.indexOf(':', first + 1) >= 0) {
    throw new InvalidValueError('doc id must be in the format <coll>:<id>');
  }
  const coll = s.slice(0, first);
  const id = s.slice(first + 1);
  if (NAMED_COLLECTIONS.has(coll)) return { t: 'named', coll, name: id };
  const norm = normaliseId(id);
  if (norm === undefined) throw new InvalidValueError(`invalid document id '${id}'`);
  return { t: 'doc', coll, id: norm };
}
