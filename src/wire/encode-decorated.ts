// MValue → FQL-like source text (x-format decorated; core `MaterializedValue.Decorator`, spec
// §2.4). The result is sent as one JSON string. Layout rules copied from core: two-space
// indentation, one element/field per line, `[]`/`{}` when empty, multi-line strings as
// `<<-END` heredocs (END0..END9 when the text contains END), refs as `User("1")` /
// `Collection.byName("User")`, missing docs followed by `/* <cause> */`.
import type { MValue } from './materialized';
import { formatBytes, formatDate, formatDouble, formatTime } from '../fql/values/format';
import { fqlStringLiteral, isIdentifier } from './fql-literal';

class Decorator {
  out = '';
  private depth = 0;
  private needsIndent = true;

  private write(s: string): void {
    if (this.needsIndent) {
      this.out += '  '.repeat(this.depth);
      this.needsIndent = false;
    }
    this.out += s;
    if (s.endsWith('\n')) this.needsIndent = true;
  }

  private writeln(s: string): void {
    this.write(s);
    this.write('\n');
  }

  private writeStrLit(s: string): void {
    this.write(''); // emit pending indentation
    if (!s.includes('\n')) {
      this.out += fqlStringLiteral(s);
      return;
    }
    const sigil = heredocSigil(s);
    if (sigil === undefined) {
      this.out += fqlStringLiteral(s);
      return;
    }
    this.writeln(`<<-${sigil}`);
    this.depth++;
    for (const line of javaLines(s)) this.writeln(line);
    this.depth--;
    this.write(sigil);
  }

  private writeKey(k: string): void {
    if (isIdentifier(k)) this.write(k);
    else this.writeStrLit(k);
  }

  private list(items: readonly MValue[]): void {
    if (items.length === 0) {
      this.write('[]');
      return;
    }
    this.writeln('[');
    this.depth++;
    items.forEach((item, i) => {
      this.encode(item);
      this.writeln(i === items.length - 1 ? '' : ',');
    });
    this.depth--;
    this.write(']');
  }

  private struct(entries: readonly (readonly [string, MValue | (() => void)])[]): void {
    if (entries.length === 0) {
      this.write('{}');
      return;
    }
    this.writeln('{');
    this.depth++;
    entries.forEach(([k, v], i) => {
      this.writeKey(k);
      this.write(': ');
      if (typeof v === 'function') v();
      else this.encode(v);
      this.writeln(i === entries.length - 1 ? '' : ',');
    });
    this.depth--;
    this.write('}');
  }

  private call(fn: string, arg: string): void {
    this.write(`${fn}(`);
    this.writeStrLit(arg);
    this.write(')');
  }

  private ref(coll: string, key: { id?: string; name?: string }): void {
    if (key.name !== undefined) {
      this.write(`${coll}.byName(`);
      this.writeStrLit(key.name);
      this.write(')');
    } else {
      this.write(`${coll}("${key.id ?? ''}")`);
    }
  }

  encode(v: MValue): void {
    switch (v.t) {
      case 'null': this.write('null'); return;
      case 'boolean': this.write(v.v ? 'true' : 'false'); return;
      case 'int': this.write(String(v.v)); return;
      case 'long': this.write(v.v.toString()); return;
      case 'double':
        if (Number.isNaN(v.v)) this.write('Math.NaN');
        else if (v.v === Infinity) this.write('Math.Infinity');
        else if (v.v === -Infinity) this.write('-Math.Infinity');
        else this.write(formatDouble(v.v));
        return;
      case 'string': this.writeStrLit(v.v); return;
      case 'bytes': this.call('Bytes', formatBytes(v.v)); return;
      case 'time': this.call('Time', formatTime(v.ns)); return;
      case 'date': this.call('Date', formatDate(v.days)); return;
      case 'uuid': this.writeStrLit(v.v); return;
      case 'module': this.write(v.name); return;
      case 'array': this.list(v.v); return;
      case 'object': this.struct([...v.v]); return;
      case 'doc': {
        const head: [string, MValue | (() => void)][] = [
          ['id', { t: 'string', v: v.id }],
          ['coll', { t: 'module', name: v.coll }],
          ['ts', { t: 'time', ns: v.ts * 1000n }],
        ];
        if (v.ttl !== undefined) head.push(['ttl', { t: 'time', ns: v.ttl }]);
        this.struct([...head, ...v.data]);
        return;
      }
      case 'named':
        this.struct([
          ['name', { t: 'string', v: v.name }],
          ['coll', { t: 'module', name: v.coll }],
          ['ts', { t: 'time', ns: v.ts * 1000n }],
          ...v.data,
        ]);
        return;
      case 'ref': this.ref(v.coll, { id: v.id }); return;
      case 'namedRef': this.ref(v.coll, { name: v.name }); return;
      case 'nulldoc':
        this.ref(v.coll, v);
        this.write(` /* ${v.cause} */`);
        return;
      case 'page': {
        const entries: [string, MValue | (() => void)][] = [['data', () => this.list(v.data)]];
        if (v.after !== undefined) entries.push(['after', { t: 'string', v: v.after }]);
        this.struct(entries);
        return;
      }
      case 'setRef': this.writeStrLit(v.cursor); return;
      // Core shows native functions without the `()` used by the JSON formats.
      case 'function': this.writeStrLit(v.display.replace(/\(\)\]$/, ']')); return;
      case 'eventsource': this.writeStrLit(v.token); return;
    }
  }
}

/** "END", or END0..END9 when the text already contains END; undefined if all are taken. */
function heredocSigil(s: string): string | undefined {
  if (!s.includes('END')) return 'END';
  for (let i = 0; i < 10; i++) if (!s.includes(`END${i}`)) return `END${i}`;
  return undefined;
}

/** Java `String.lines()`: split on \n, \r or \r\n, without a trailing empty line. */
function javaLines(s: string): string[] {
  const lines = s.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function encodeDecorated(v: MValue): string {
  const d = new Decorator();
  d.encode(v);
  return d.out;
}
