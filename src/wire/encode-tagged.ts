// MValue → JSON text in Fauna's tagged format (core `MaterializedValue.encode` with Tagged;
// spec §2.1). Built by string concatenation: this runs on every response.
import type { MValue } from './materialized';
import { formatBytes, formatDate, formatDouble, formatTime } from '../fql/values/format';

const q = JSON.stringify;

function tag(name: string, text: string): string {
  return `{"${name}":${q(text)}}`;
}

function modTag(name: string): string {
  return `{"@mod":${q(name)}}`;
}

/** Document `ts` is in µs; Time values are in ns. */
function tsTag(micros: bigint): string {
  return tag('@time', formatTime(micros * 1000n));
}

function fields(m: ReadonlyMap<string, MValue>, first: boolean): string {
  let out = '';
  for (const [k, v] of m) {
    out += (first ? '' : ',') + q(k) + ':' + encodeTagged(v);
    first = false;
  }
  return out;
}

function hasAtKey(m: ReadonlyMap<string, MValue>): boolean {
  for (const k of m.keys()) if (k.charCodeAt(0) === 64 /* @ */) return true;
  return false;
}

export function encodeTagged(v: MValue): string {
  switch (v.t) {
    case 'null': return 'null';
    case 'boolean': return v.v ? 'true' : 'false';
    case 'int': return `{"@int":"${v.v}"}`;
    case 'long': return `{"@long":"${v.v}"}`;
    case 'double': return `{"@double":"${formatDouble(v.v)}"}`;
    case 'string': return q(v.v);
    case 'bytes': return tag('@bytes', formatBytes(v.v));
    case 'time': return tag('@time', formatTime(v.ns));
    case 'date': return tag('@date', formatDate(v.days));
    case 'uuid': return tag('@uuid', v.v);
    case 'module': return modTag(v.name);
    case 'array': {
      let out = '[';
      for (let i = 0; i < v.v.length; i++) out += (i > 0 ? ',' : '') + encodeTagged(v.v[i]);
      return out + ']';
    }
    case 'object': {
      const body = '{' + fields(v.v, true) + '}';
      return hasAtKey(v.v) ? `{"@object":${body}}` : body;
    }
    case 'doc': {
      let out = `{"@doc":{"id":${q(v.id)},"coll":${modTag(v.coll)},"ts":${tsTag(v.ts)}`;
      if (v.ttl !== undefined) out += `,"ttl":${tag('@time', formatTime(v.ttl))}`;
      return out + fields(v.data, false) + '}}';
    }
    case 'named':
      return `{"@doc":{"name":${q(v.name)},"coll":${modTag(v.coll)},"ts":${tsTag(v.ts)}${fields(v.data, false)}}}`;
    case 'ref':
      return `{"@ref":{"id":${q(v.id)},"coll":${modTag(v.coll)}}}`;
    case 'namedRef':
      return `{"@ref":{"name":${q(v.name)},"coll":${modTag(v.coll)}}}`;
    case 'nulldoc': {
      const key = v.name !== undefined ? `"name":${q(v.name)}` : `"id":${q(v.id ?? '')}`;
      return `{"@ref":{${key},"coll":${modTag(v.coll)},"exists":false,"cause":${q(v.cause)}}}`;
    }
    case 'page': {
      let out = '{"@set":{"data":[';
      for (let i = 0; i < v.data.length; i++) out += (i > 0 ? ',' : '') + encodeTagged(v.data[i]);
      out += ']';
      if (v.after !== undefined) out += `,"after":${q(v.after)}`;
      return out + '}}';
    }
    case 'setRef': return tag('@set', v.cursor);
    case 'function': return q(v.display);
    case 'eventsource': return tag('@stream', v.token);
  }
}
