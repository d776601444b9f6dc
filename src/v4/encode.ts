// Rendering of v4 values as response JSON (core Renderable.scala): special values are tagged
// `@ref`, `@ts`, `@date`, `@bytes`, `@uuid`, `@set`, `@query`; objects with a key starting
// with `@` are wrapped in `@obj` so the driver does not mistake them for tags.
import { formatBytes, formatDate, formatTime } from '../fql/values/format';
import type { Json } from './json';
import type { RefV4, V4Value } from './values';

/** The `@query` text of a lambda (api_version first, as core renders it). */
function lambdaJson(v: Extract<V4Value, { t: 'lambda' }>): string {
  return `{"@query":{"api_version":${JSON.stringify(v.apiVersion)},"lambda":${JSON.stringify(v.params)},"expr":${JSON.stringify(v.expr as Json)}}}`;
}

function refJson(r: RefV4): string {
  let inner = `"id":${JSON.stringify(r.id)}`;
  if (r.coll) inner += `,"collection":${refJson(r.coll)}`;
  if (r.db) inner += `,"database":${refJson(r.db)}`;
  return `{"@ref":{${inner}}}`;
}

function doubleJson(n: number): string {
  if (!Number.isFinite(n)) return JSON.stringify(String(n));
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.0` : JSON.stringify(n);
}

function fieldsJson(entries: Iterable<readonly [string, V4Value]>): string {
  const parts: string[] = [];
  let escape = false;
  for (const [k, v] of entries) {
    if (k.startsWith('@')) escape = true;
    parts.push(`${JSON.stringify(k)}:${encodeV4(v)}`);
  }
  const body = `{${parts.join(',')}}`;
  return escape ? `{"@obj":${body}}` : body;
}

export function encodeV4(v: V4Value): string {
  switch (v.t) {
    case 'null': return 'null';
    case 'boolean': return v.v ? 'true' : 'false';
    case 'long': return v.v.toString();
    case 'double': return doubleJson(v.v);
    case 'string': return JSON.stringify(v.v);
    case 'bytes': return `{"@bytes":${JSON.stringify(formatBytes(v.v))}}`;
    case 'time': return `{"@ts":${JSON.stringify(formatTime(v.ns))}}`;
    case 'date': return `{"@date":${JSON.stringify(formatDate(v.days))}}`;
    case 'uuid': return `{"@uuid":${JSON.stringify(v.v)}}`;
    case 'array': return `[${v.v.map(encodeV4).join(',')}]`;
    case 'object': return fieldsJson(v.v);
    case 'ref': return refJson(v);
    case 'set': {
      const r = v.set.render();
      return 'setJson' in r ? `{"@set":${fieldsJson(Object.entries(r.setJson))}}` : encodeV4(r);
    }
    case 'page': {
      const parts: string[] = [];
      if (v.before !== undefined) parts.push(`"before":${encodeV4(v.before)}`);
      if (v.after !== undefined) parts.push(`"after":${encodeV4(v.after)}`);
      parts.push(`"data":[${v.data.map(encodeV4).join(',')}]`);
      return `{${parts.join(',')}}`;
    }
    case 'lambda': return lambdaJson(v);
  }
}
