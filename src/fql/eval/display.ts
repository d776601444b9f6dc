// Text renderings of values: `toString()` and string interpolation use the display form
// (strings raw, integral doubles without ".0"); nested values use the debug form, which reads
// like FQL source (`{ a: "x", b: [1, 2] }`). Mirrors Fauna's ToString.
import { displayScalar, formatBytes, formatDate, formatDouble, formatTime } from '../values/format';
import { displayedFields } from '../../model/doc-fields';
import type { Value } from '../values/value';
import type { EvalContext } from './context';
import { computedValues, docTs } from '../../model/model-api';
import { BoundedJoin, checkStringSize } from '../limits';
import { loopCheckpoint } from './state';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A double-quoted FQL string literal. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    // Escapes grow the text up to sixfold: stop at the string limit instead.
    checkStringSize(out.length);
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: {
        const c = ch.codePointAt(0)!;
        out += c < 0x20 ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return out + '"';
}

function functionText(v: Extract<Value, { t: 'function' }>): string {
  const fn = v.fn;
  return fn.kind === 'lambda' ? '[function <lambda>]' : `[function ${fn.name}()]`;
}

/** Display form: what `toString()` and `"#{x}"` produce (scalars as `displayScalar`). */
export async function displayString(ctx: EvalContext, v: Value): Promise<string> {
  return displayScalar(v) ?? debugString(ctx, v, false);
}

/**
 * Characters a rendering has produced so far, leaves and separators, shared by the whole walk.
 * Values share structure (`[a, a]` nested 24 deep is 2^24 leaves), and each level's join sees
 * only its own parts: without a total, a small value took 9 s to fail (found by probing,
 * session 16). With it, the walk ends once the text would pass the string limit.
 */
interface Rendered { size: number }

function produced(ctx: EvalContext, r: Rendered, text: string): string {
  r.size += text.length;
  checkStringSize(r.size);
  loopCheckpoint(ctx);
  return text;
}

/** The text of a value that holds no other values. */
function leafText(v: Exclude<Value, { t: 'array' | 'object' | 'doc' | 'named' }>): string {
  switch (v.t) {
    case 'null': return 'null';
    case 'boolean': return String(v.v);
    case 'int': return String(v.v);
    case 'long': return v.v.toString();
    case 'double': return formatDouble(v.v);
    // core ToString: an ID reads back as `ID("1")`, the transaction time as `TransactionTime()`.
    case 'string': return v.id ? `ID("${v.v}")` : quote(v.v);
    case 'bytes': return `Bytes("${formatBytes(v.v)}")`;
    case 'time': return v.txn ? 'TransactionTime()' : `Time("${formatTime(v.ns)}")`;
    case 'date': return `Date("${formatDate(v.days)}")`;
    case 'uuid': return `UUID("${v.v}")`;
    case 'module': return v.name;
    case 'set': return '[set]';
    case 'eventsource': return '[event source]';
    case 'function': return functionText(v);
    case 'nulldoc': return 'null';
  }
}

/** Debug form: FQL-like source text. Documents nested in documents render as `[doc 1 in C]`. */
export async function debugString(ctx: EvalContext, v: Value, nested: boolean, r: Rendered = { size: 0 }): Promise<string> {
  switch (v.t) {
    case 'array': {
      const out = new BoundedJoin(', ');
      for (const x of v.v) out.add(await debugString(ctx, x, nested, r));
      return `[${out.join()}]`;
    }
    case 'object': return objectText(ctx, v.v, nested, r);
    case 'doc': {
      if (nested) return produced(ctx, r, `[doc ${v.id} in ${v.coll}]`);
      const d = await ctx.model.readDoc(v);
      if ('cause' in d) return produced(ctx, r, 'null');
      const fields = new Map<string, Value>([
        ['coll', { t: 'module', name: d.coll }],
        ['ts', docTs(d)],
      ]);
      if (d.ttl !== undefined) fields.set('ttl', { t: 'time', ns: d.ttl });
      for (const [k, x] of displayedFields(d.coll, d.data, await computedValues(d, ctx))) fields.set(k, x);
      // core shows a document id as an ID: `{ id: ID("1"), coll: User, ... }`.
      return objectText(ctx, fields, true, r, [`id: ID("${d.id}")`]);
    }
    case 'named': {
      if (nested) return produced(ctx, r, `[doc ${v.name} in ${v.coll}]`);
      const d = await ctx.model.readNamed(v);
      if ('cause' in d) return produced(ctx, r, 'null');
      const fields = new Map<string, Value>([
        ['name', { t: 'string', v: d.name }],
        ['coll', { t: 'module', name: d.coll }],
        ['ts', { t: 'time', ns: d.ts * 1000n }],
      ]);
      for (const [k, x] of d.data) fields.set(k, x);
      return objectText(ctx, fields, true, r);
    }
    default: return produced(ctx, r, leafText(v));
  }
}

async function objectText(
  ctx: EvalContext, fields: ReadonlyMap<string, Value>, nested: boolean, r: Rendered, lead: readonly string[] = [],
): Promise<string> {
  if (fields.size === 0 && lead.length === 0) return '{}';
  // core renders through the same string limit.
  const out = new BoundedJoin(', ');
  for (const part of lead) out.add(produced(ctx, r, part));
  for (const [k, x] of fields) {
    const key = produced(ctx, r, IDENT.test(k) ? k : quote(k));
    out.add(`${key}: ${await debugString(ctx, x, nested, r)}`);
  }
  return `{ ${out.join()} }`;
}
