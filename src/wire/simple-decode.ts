// Decoding of plain JSON (`arguments` with x-format simple, core `UndecidedValue.parseSimple`):
// no tags are interpreted, integers become Int (or Long when wider), other numbers Double.
import type { Value } from '../fql/values/value';
import { INT_MAX, INT_MIN, NULL, arr, bool, double, int, long, obj, str } from '../fql/values/construct';

const LONG_LIMIT = 2 ** 63;

export function decodeSimple(json: unknown): Value {
  switch (typeof json) {
    case 'string': return str(json);
    case 'boolean': return bool(json);
    case 'number':
      if (Number.isInteger(json)) {
        if (json >= INT_MIN && json <= INT_MAX) return int(json);
        if (json >= -LONG_LIMIT && json < LONG_LIMIT) return long(BigInt(json));
      }
      return double(json);
    default:
      if (json === null) return NULL;
      if (Array.isArray(json)) return arr(json.map(decodeSimple));
      {
        const rec = json as Record<string, unknown>;
        const m = new Map<string, Value>();
        for (const k in rec) m.set(k, decodeSimple(rec[k]));
        return obj(m);
      }
  }
}
