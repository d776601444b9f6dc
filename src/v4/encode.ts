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

/**
 * Renders one value, counting the characters written against `limit` as it goes: values share
 * structure (`Let` a 16 MiB string, return it in an array 30 times), so a small query can
 * describe a rendering far larger than the heap, and it must stop before building it.
 */
class Encoder {
  private size = 0;
  constructor(private readonly limit: number, private readonly tooLarge: (size: number) => Error) {}

  private charge(chars: number): void {
    this.size += chars;
    if (this.size > this.limit) throw this.tooLarge(this.size);
  }

  /** `text`, counted. */
  private emit(text: string): string {
    this.charge(text.length);
    return text;
  }

  /** `{...}` (wrapped in `@obj` when a key starts with `@`, as the driver reads tags). */
  private fields(entries: Iterable<readonly [string, V4Value]>): string {
    const parts: string[] = [];
    let escape = false;
    this.charge(2);
    for (const [k, v] of entries) {
      if (k.startsWith('@')) escape = true;
      this.charge(parts.length > 0 ? 2 : 1);
      parts.push(`${this.emit(JSON.stringify(k))}:${this.encode(v)}`);
    }
    const body = `{${parts.join(',')}}`;
    return escape ? this.tagged('@obj', body) : body;
  }

  private list(items: readonly V4Value[]): string {
    this.charge(2);
    return `[${items.map((x, i) => { if (i > 0) this.charge(1); return this.encode(x); }).join(',')}]`;
  }

  /** `{"<tag>":<inner>}` around an already counted inner text. */
  private tagged(tag: string, inner: string): string {
    this.charge(tag.length + 5);
    return `{"${tag}":${inner}}`;
  }

  encode(v: V4Value): string {
    switch (v.t) {
      case 'null': return this.emit('null');
      case 'boolean': return this.emit(v.v ? 'true' : 'false');
      case 'long': return this.emit(v.v.toString());
      case 'double': return this.emit(doubleJson(v.v));
      case 'string': {
        // Counted before it is escaped too: a string past the limit is never copied.
        this.charge(v.v.length + 2);
        const json = JSON.stringify(v.v);
        this.charge(json.length - v.v.length - 2);
        return json;
      }
      case 'bytes': return this.emit(`{"@bytes":${JSON.stringify(formatBytes(v.v))}}`);
      case 'time': return this.emit(`{"@ts":${JSON.stringify(formatTime(v.ns))}}`);
      case 'date': return this.emit(`{"@date":${JSON.stringify(formatDate(v.days))}}`);
      case 'uuid': return this.emit(`{"@uuid":${JSON.stringify(v.v)}}`);
      case 'array': return this.list(v.v);
      case 'object': return this.fields(v.v);
      case 'ref': return this.emit(refJson(v));
      case 'set': {
        const r = v.set.render();
        return 'setJson' in r ? this.tagged('@set', this.fields(Object.entries(r.setJson))) : this.encode(r);
      }
      case 'page': {
        const parts: string[] = [];
        const field = (name: string, text: () => string) => {
          this.charge(name.length + (parts.length > 0 ? 4 : 3));
          parts.push(`"${name}":${text()}`);
        };
        this.charge(2);
        if (v.before !== undefined) field('before', () => this.encode(v.before!));
        if (v.after !== undefined) field('after', () => this.encode(v.after!));
        field('data', () => this.list(v.data));
        return `{${parts.join(',')}}`;
      }
      case 'lambda': return this.emit(lambdaJson(v));
    }
  }
}

const unbounded = (): Error => new Error('unreachable');

/** A value's wire form (also its identity when values are grouped by equality). */
export function encodeV4(v: V4Value): string {
  return new Encoder(Infinity, unbounded).encode(v);
}

/** A value's wire form, or `tooLarge(size)` once it passes `limit` characters. */
export function encodeV4Within(v: V4Value, limit: number, tooLarge: (size: number) => Error): string {
  return new Encoder(limit, tooLarge).encode(v);
}
