// Decoding of Fauna's tagged JSON value format (requests: `arguments` with x-format tagged or
// decorated, and every template `value` fragment). Mirrors core's `UndecidedValue.parseTagged`,
// including its error messages. Existence checks that need the database (`@mod` naming an
// unknown module, `@ref` to an unknown schema object) are left to evaluation, which sees the
// decoded ModuleV / DocV / NamedDocV.
import type { Value } from '../fql/values/value';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, NULL, arr, bool, double, int, long, obj, str } from '../fql/values/construct';
import { parseDate, parseTime } from '../fql/values/format';
import { isJsonObject } from './json-labels';

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

export function decodeTagged(json: unknown): Value {
  if (typeof json === 'string') return str(json);
  if (typeof json === 'boolean') return bool(json);
  if (json === null) return NULL;
  if (typeof json === 'number') throw new InvalidValueError('numbers must be tagged');
  if (Array.isArray(json)) return arr(json.map(decodeTagged));
  const rec = json as Record<string, unknown>;
  let tag: string | undefined;
  let count = 0;
  for (const k in rec) {
    count++;
    if (tag === undefined && k.charCodeAt(0) === 64 /* @ */) tag = k;
  }
  if (tag === undefined) return decodeObjectFields(rec);
  if (count > 1) throw new InvalidValueError('too many keys in tagged value');
  return decodeTag(tag, rec[tag]);
}

function decodeObjectFields(rec: Record<string, unknown>): Value {
  const m = new Map<string, Value>();
  for (const k in rec) m.set(k, decodeTagged(rec[k]));
  return obj(m);
}

function asString(tag: string, v: unknown): string {
  if (typeof v !== 'string') throw new InvalidValueError(`${tag} requires a string value`);
  return v;
}

/** Java `Long.parseLong`-style integer parse with a range; undefined when invalid. */
function parseInteger(s: string, min: bigint, max: bigint): bigint | undefined {
  if (!INTEGER_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < min || n > max ? undefined : n;
}

function decodeTag(tag: string, v: unknown): Value {
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
      if (!isJsonObject(v)) throw new InvalidValueError(`${tag} requires an object value`);
      return decodeObjectFields(v);
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
