// Decoding of plain JSON (`arguments` with x-format simple, core `UndecidedValue.parseSimple`):
// no tags are interpreted, integer literals become Int (or Long when wider), other numbers
// (fraction or exponent, even `1.0`) Double. The reader already refused integers beyond a long.
import type { Value } from '../fql/values/value';
import { INT_MAX, INT_MIN, NULL, arr, bool, double, int, long, obj, str } from '../fql/values/construct';
import { JsonNumber, JsonObject, type JsonValue } from './json-reader';

/** Integer literals this short are exact as JS numbers (|n| < 2^53). */
const SAFE_DIGITS = 15;

function decodeNumber(n: JsonNumber): Value {
  if (!n.isInteger) return double(Number(n.text));
  if (n.text.length <= SAFE_DIGITS) {
    const v = Number(n.text);
    if (v >= INT_MIN && v <= INT_MAX) return int(v === 0 ? 0 : v);
    return long(BigInt(v));
  }
  return long(BigInt(n.text));
}

export function decodeSimple(json: JsonValue): Value {
  if (typeof json === 'string') return str(json);
  if (typeof json === 'boolean') return bool(json);
  if (json === null) return NULL;
  if (json instanceof JsonNumber) return decodeNumber(json);
  if (json instanceof JsonObject) {
    const m = new Map<string, Value>();
    for (const [k, v] of json.toMap()) m.set(k, decodeSimple(v));
    return obj(m);
  }
  return arr(json.map(decodeSimple));
}
