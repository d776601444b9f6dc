// `Format(fmt, values)` (core StringFunctions.scala FormatFunction): core splits the format with
// its own specifier pattern, then hands each specifier and one value to java.util.Formatter.
// This module reproduces that split and the Formatter conversions core admits: d x X o, f e E
// g G, s S, b B, % n, the date/time suffixes of %t/%T, and core's own %@ / %^ (the value as
// wire JSON). Failures are tagged so the form can turn them into core's errors.
import { MAX_STRING_SIZE, checkStringSize, stringTooLarge } from '../fql/limits';
import { civilFields } from '../fql/stdlib/time';
import { formatDate, formatDouble, formatTime } from '../fql/values/format';
import { encodeV4Within } from './encode';
import type { V4Value } from './values';

/** One piece of a parsed format: literal text or a specifier for one value. */
export type FormatPiece =
  | { readonly t: 'raw'; readonly text: string }
  | {
    readonly t: 'spec';
    /** 1-based explicit argument index (`%2$s`), or 0 for the next argument. */
    readonly index: number;
    /** The specifier without its index (`%-5.2f`), as core reports it in errors. */
    readonly text: string;
    readonly flags: string;
    readonly width?: number;
    readonly precision?: number;
    readonly dateTime?: 't' | 'T';
    /** The conversion letter; empty for a bare `%t`. */
    readonly conversion: string;
  };

/** Why a value could not be printed. */
export type FormatFailure =
  | { readonly t: 'conversion'; readonly text: string }
  | { readonly t: 'expected'; readonly expected: readonly string[] }
  | { readonly t: 'cast'; readonly target: string }
  | { readonly t: 'suffix'; readonly text: string };

export class FormatError extends Error {
  constructor(readonly failure: FormatFailure) { super(failure.t); }
}

const SPEC = /%(\d+\$)?(([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%@^])?)/g;
const KNOWN = 'feEgGdxXosSbB%n@^';

/** Split a format string as core's FormatFunction.parse does. */
export function parseFormat(fmt: string): FormatPiece[] {
  const out: FormatPiece[] = [];
  let i = 0;
  while (i < fmt.length) {
    SPEC.lastIndex = i;
    const m = SPEC.exec(fmt);
    if (!m) {
      out.push({ t: 'raw', text: fmt.slice(i) });
      break;
    }
    if (m.index !== i) out.push({ t: 'raw', text: fmt.slice(i, m.index) });
    const [whole, index, body, flags, width, precision, dt, conversion] = m;
    // `%t` with no suffix is core's own: the date or time in its ISO form.
    if (dt === undefined && (conversion === undefined || !KNOWN.includes(conversion))) {
      throw new FormatError({ t: 'conversion', text: whole });
    }
    if (dt === undefined && conversion === '%') out.push({ t: 'raw', text: '%' });
    else if (dt === undefined && conversion === 'n') out.push({ t: 'raw', text: '\n' });
    else {
      out.push({
        t: 'spec', index: index ? Number(index.slice(0, -1)) : 0, text: `%${body}`, flags: flags ?? '',
        width: width === undefined ? undefined : Number(width),
        precision: precision === undefined ? undefined : Number(precision.slice(1)),
        dateTime: dt as 't' | 'T' | undefined, conversion: conversion ?? '',
      });
    }
    i = m.index + whole.length;
  }
  return out;
}

type Spec = Extract<FormatPiece, { t: 'spec' }>;

const invalid = (s: Spec): FormatError => new FormatError({ t: 'conversion', text: s.text });

/** java.util.Formatter's flag checks for a conversion that admits `allowed` flags. */
function checkFlags(s: Spec, allowed: string, precision: boolean): void {
  const f = s.flags;
  for (const c of f) if (!allowed.includes(c)) throw invalid(s);
  if ((f.includes('-') || f.includes('0')) && s.width === undefined) throw invalid(s);
  if (f.includes('-') && f.includes('0')) throw invalid(s);
  if (f.includes('+') && f.includes(' ')) throw invalid(s);
  if (!precision && s.precision !== undefined) throw invalid(s);
}

function justify(s: Spec, text: string): string {
  if (s.width === undefined || text.length >= s.width) return text;
  checkStringSize(s.width);
  const pad = ' '.repeat(s.width - text.length);
  return s.flags.includes('-') ? text + pad : pad + text;
}

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Sign, grouping and zero padding around the magnitude `body` (digits, maybe a point). */
function signed(s: Spec, negative: boolean, body: string, prefix = ''): string {
  const f = s.flags;
  const lead = negative ? (f.includes('(') ? '(' : '-') : f.includes('+') ? '+' : f.includes(' ') ? ' ' : '';
  const trail = negative && f.includes('(') ? ')' : '';
  if (f.includes('0') && s.width !== undefined) {
    checkStringSize(s.width);
    const room = s.width - lead.length - trail.length - prefix.length;
    if (body.length < room) body = '0'.repeat(room - body.length) + body;
  }
  return justify(s, lead + prefix + body + trail);
}

function formatInteger(s: Spec, v: bigint): string {
  if (s.conversion === 'd') {
    checkFlags(s, '-+ 0,(', false);
    const digits = (v < 0n ? -v : v).toString();
    return signed(s, v < 0n, s.flags.includes(',') ? group(digits) : digits);
  }
  checkFlags(s, '-#0', false);
  const unsigned = BigInt.asUintN(64, v);
  const hex = s.conversion !== 'o';
  const digits = unsigned.toString(hex ? 16 : 8);
  const prefix = s.flags.includes('#') ? (hex ? '0x' : '0') : '';
  const out = signed(s, false, digits, prefix);
  return s.conversion === 'X' ? out.toUpperCase() : out;
}

// --- floating point: Java rounds the shortest decimal form HALF_UP --------------------------

/** The decimal digits of |d| and the exponent of the first: d = 0.DIGITS × 10^(point). */
function decimal(d: number): { digits: string; point: number } {
  if (d === 0) return { digits: '0', point: 1 };
  const [mant, exp] = Math.abs(d).toExponential().split('e');
  return { digits: mant.replace('.', ''), point: Number(exp) + 1 };
}

/** Round to `keep` digits (HALF_UP); the point moves when a carry adds a digit. */
function roundTo(x: { digits: string; point: number }, keep: number): { digits: string; point: number } {
  if (keep >= x.digits.length) return { digits: x.digits.padEnd(Math.max(keep, 0), '0'), point: x.point };
  if (keep < 0) return { digits: '', point: x.point };
  const up = x.digits.charCodeAt(keep) >= 53; // '5'
  let kept = x.digits.slice(0, keep);
  if (!up) return { digits: kept, point: x.point };
  const n = (BigInt(kept || '0') + 1n).toString();
  if (n.length > keep) return { digits: keep === 0 ? '1' : n.slice(0, keep), point: x.point + 1 };
  kept = n.padStart(keep, '0');
  return { digits: kept, point: x.point };
}

function fixed(d: number, p: number, grouping: boolean, alt: boolean): string {
  const r = roundTo(decimal(d), decimal(d).point + p);
  let digits = r.digits;
  const point = r.point;
  if (point <= 0) digits = '0'.repeat(1 - point) + digits;
  const intLen = Math.max(point, 1);
  const padded = digits.padEnd(intLen + p, '0');
  const int = padded.slice(0, intLen).replace(/^0+(?=\d)/, '');
  const frac = padded.slice(intLen, intLen + p);
  const head = grouping ? group(int) : int;
  return p > 0 ? `${head}.${frac}` : alt ? `${head}.` : head;
}

function scientific(d: number, p: number, alt: boolean): string {
  const x = decimal(d);
  const r = d === 0 ? { digits: '0'.repeat(p + 1), point: 1 } : roundTo(x, p + 1);
  const exp = d === 0 ? 0 : r.point - 1;
  const mant = p > 0 ? `${r.digits[0]}.${r.digits.slice(1)}` : alt ? `${r.digits[0]}.` : r.digits[0];
  const e = Math.abs(exp).toString().padStart(2, '0');
  return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
}

function formatFloat(s: Spec, d: number): string {
  const c = s.conversion.toLowerCase();
  checkFlags(s, c === 'f' ? '-#+ 0,(' : c === 'e' ? '-#+ 0(' : '-+ 0,(', true);
  const negative = d < 0 || Object.is(d, -0);
  let body: string;
  const upper = s.conversion === s.conversion.toUpperCase();
  if (!Number.isFinite(d)) {
    // Java pads NaN and Infinity with spaces only; NaN takes no sign.
    const spaces = { ...s, flags: s.flags.replace('0', '') };
    const out = Number.isNaN(d) ? justify(spaces, 'NaN') : signed(spaces, d < 0, 'Infinity');
    return upper ? out.toUpperCase() : out;
  }
  const alt = s.flags.includes('#');
  const grouping = s.flags.includes(',');
  const a = Math.abs(d);
  if (c === 'f') body = fixed(a, s.precision ?? 6, grouping, alt);
  else if (c === 'e') body = scientific(a, s.precision ?? 6, alt);
  else {
    const p = s.precision === 0 ? 1 : s.precision ?? 6;
    const r = a === 0 ? { digits: '0', point: 1 } : roundTo(decimal(a), p);
    const rounded = Number(`0.${r.digits || '0'}e${r.point}`);
    body = a === 0 || (rounded >= 1e-4 && rounded < 10 ** p)
      ? fixed(a, Math.max(0, p - (a === 0 ? 1 : r.point)), grouping, false)
      : scientific(a, p - 1, false);
  }
  const out = signed(s, negative, body);
  return upper ? out.toUpperCase() : out;
}

// --- dates and times ----------------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const two = (n: number): string => String(n).padStart(2, '0');

function dateSuffix(c: string, days: number): string | undefined {
  const { year, month, day, dayOfWeek, dayOfYear } = civilFields(days);
  switch (c) {
    case 'B': return MONTHS[month - 1];
    case 'b': case 'h': return MONTHS[month - 1].slice(0, 3);
    case 'A': return DAYS[dayOfWeek - 1];
    case 'a': return DAYS[dayOfWeek - 1].slice(0, 3);
    case 'C': return two(Math.floor(year / 100));
    case 'Y': return String(year).padStart(4, '0');
    case 'y': return two(((year % 100) + 100) % 100);
    case 'd': return two(day);
    case 'e': return String(day);
    case 'm': return two(month);
    case 'j': return String(dayOfYear).padStart(3, '0');
    case 'D': return `${two(month)}/${two(day)}/${two(((year % 100) + 100) % 100)}`;
    case 'F': return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
    default: return undefined;
  }
}

const NS_PER_DAY = 86_400_000_000_000n;

function timeSuffix(c: string, ns: bigint): string | undefined {
  const days = Number((ns - (((ns % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY)) / NS_PER_DAY);
  const inDay = ((ns % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY;
  const secs = Number(inDay / 1_000_000_000n);
  const nanos = Number(inDay % 1_000_000_000n);
  const h = Math.floor(secs / 3600), m = Math.floor(secs / 60) % 60, sec = secs % 60;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  switch (c) {
    case 'H': return two(h);
    case 'I': return two(h12);
    case 'k': return String(h);
    case 'l': return String(h12);
    case 'M': return two(m);
    case 'S': return two(sec);
    case 'L': return String(Math.floor(nanos / 1e6)).padStart(3, '0');
    case 'N': return String(nanos).padStart(9, '0');
    case 'p': return h < 12 ? 'am' : 'pm';
    case 'z': return '+0000';
    case 'Z': return 'Z';
    case 's': return floorDiv(ns, 1_000_000_000n).toString();
    case 'Q': return floorDiv(ns, 1_000_000n).toString();
    case 'R': return `${two(h)}:${two(m)}`;
    case 'T': return `${two(h)}:${two(m)}:${two(sec)}`;
    case 'r': return `${two(h12)}:${two(m)}:${two(sec)} ${h < 12 ? 'AM' : 'PM'}`;
    case 'c': return `${dateSuffix('a', days)} ${dateSuffix('b', days)} ${two(civilFields(days).day)} ${two(h)}:${two(m)}:${two(sec)} Z ${civilFields(days).year}`;
    default: return dateSuffix(c, days);
  }
}

function formatDateTime(s: Spec, v: V4Value): string {
  if (v.t !== 'date' && v.t !== 'time') throw new FormatError({ t: 'expected', expected: ['Date', 'Time'] });
  if (s.conversion === '') return v.t === 'date' ? formatDate(v.days) : formatTime(v.ns);
  checkFlags(s, '-', false);
  const text = v.t === 'date' ? dateSuffix(s.conversion, v.days) : timeSuffix(s.conversion, v.ns);
  if (text === undefined) throw new FormatError({ t: 'suffix', text: s.text });
  const out = justify(s, text);
  return s.dateTime === 'T' ? out.toUpperCase() : out;
}

// --- strings and booleans ------------------------------------------------------------------

/** Core ToStringFunction: the text of a scalar; other values cannot be cast. */
export function toText(v: V4Value): string | undefined {
  switch (v.t) {
    case 'string': return v.v;
    case 'long': return v.v.toString();
    case 'double': return formatDouble(v.v);
    case 'boolean': return String(v.v);
    case 'null': return 'null';
    case 'time': return formatTime(v.ns);
    case 'date': return formatDate(v.days);
    case 'uuid': return v.v;
    default: return undefined;
  }
}

function textual(s: Spec, text: string): string {
  checkFlags(s, '-', true);
  const cut = s.precision === undefined ? text : text.slice(0, s.precision);
  const out = justify(s, cut);
  return s.conversion === s.conversion.toUpperCase() ? out.toUpperCase() : out;
}

/** Print one value with one specifier. */
export function printSpec(s: Spec, v: V4Value): string {
  if (s.dateTime) return formatDateTime(s, v);
  switch (s.conversion) {
    case 'd': case 'x': case 'X': case 'o':
      if (v.t !== 'long') throw new FormatError({ t: 'expected', expected: ['Integer'] });
      return formatInteger(s, v.v);
    case 'f': case 'e': case 'E': case 'g': case 'G':
      if (v.t !== 'double') throw new FormatError({ t: 'expected', expected: ['Number'] });
      return formatFloat(s, v.v);
    case 's': case 'S': {
      const text = toText(v);
      if (text === undefined) throw new FormatError({ t: 'cast', target: 'String' });
      return textual(s, text);
    }
    case 'b': case 'B':
      // Java prints "false" for null and Boolean false, "true" for anything else.
      return textual(s, v.t === 'null' ? 'false' : v.t === 'boolean' ? String(v.v) : 'true');
    default: // '@' and '^': the value as the wire shows it, within the string limit.
      return encodeV4Within(v, MAX_STRING_SIZE, stringTooLarge);
  }
}
