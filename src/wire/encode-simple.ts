// MValue → JSON text in Fauna's simple format (core `MaterializedValue.encodeSimple`; spec
// §2.3): the tagged traversal without tags. Numbers are JSON numbers (doubles keep Java's
// `Double.toString` text, e.g. 3.0 and 1.0E10, which are valid JSON); non-finite doubles are
// strings; missing documents are null.
import type { MValue } from './materialized';
import { formatBytes, formatDate, formatDouble, formatTime } from '../fql/values/format';

const q = JSON.stringify;

function fields(m: ReadonlyMap<string, MValue>, first: boolean): string {
  let out = '';
  for (const [k, v] of m) {
    out += (first ? '' : ',') + q(k) + ':' + encodeSimple(v);
    first = false;
  }
  return out;
}

function list(items: readonly MValue[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + encodeSimple(items[i]);
  return out + ']';
}

export function encodeSimple(v: MValue): string {
  switch (v.t) {
    case 'null': return 'null';
    case 'boolean': return v.v ? 'true' : 'false';
    case 'int': return String(v.v);
    case 'long': return v.v.toString();
    case 'double': return Number.isFinite(v.v) ? formatDouble(v.v) : `"${formatDouble(v.v)}"`;
    case 'string': return q(v.v);
    case 'bytes': return q(formatBytes(v.v));
    case 'time': return q(formatTime(v.ns));
    case 'date': return q(formatDate(v.days));
    case 'uuid': return q(v.v);
    case 'module': return q(v.name);
    case 'array': return list(v.v);
    case 'object': return '{' + fields(v.v, true) + '}';
    case 'doc': {
      let out = `{"id":${q(v.id)},"coll":${q(v.coll)},"ts":${q(formatTime(v.ts * 1000n))}`;
      if (v.ttl !== undefined) out += `,"ttl":${q(formatTime(v.ttl))}`;
      return out + fields(v.data, false) + '}';
    }
    case 'named':
      return `{"name":${q(v.name)},"coll":${q(v.coll)},"ts":${q(formatTime(v.ts * 1000n))}${fields(v.data, false)}}`;
    case 'ref': return `{"id":${q(v.id)},"coll":${q(v.coll)}}`;
    case 'namedRef': return `{"name":${q(v.name)},"coll":${q(v.coll)}}`;
    case 'nulldoc': return 'null';
    case 'page': {
      const data = list(v.data);
      return v.after !== undefined ? `{"data":${data},"after":${q(v.after)}}` : `{"data":${data}}`;
    }
    case 'setRef': return q(v.cursor);
    case 'function': return q(v.display);
    case 'eventsource': return q(v.token);
  }
}
