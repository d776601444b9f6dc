// `String` methods (core Strings.scala). Strings are UTF-16 as on the JVM; the indexes FQL
// exposes (`at`, `slice`, `indexOf`, `length`, ...) count code points, converted to and from
// UTF-16 positions exactly as core does, including its quirks (unchecked slice bounds, JS-like
// split, regexes applied to the unmatched remainder).
import { QueryError } from '../errors';
import { NULL, arr, bool, double, int, long, str } from '../values/construct';
import type { Value } from '../values/value';
import { defineFields, defineMethods, defineModule, type FieldImpl, type MethodDef } from './registry';
import { INT, STRING, invalidArgument, method, overloaded, param, sig } from './native-args';
import { compileJavaRegex, regexFor } from './java-regex';
import type { EvalContext } from '../eval/context';
import { loopCheckpoint } from '../eval/state';
import { MAX_STRING_SIZE, checkArraySize, checkStringSize, stringTooLarge } from '../limits';
import { checkHeapBefore } from '../memory-guard';

// --- code point <-> UTF-16 index conversions (java.lang.String semantics) -----------------

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Code points in s[0, end): a surrogate pair counts once, a lone surrogate once. */
export function codePointCount(s: string, end: number): number {
  let n = end;
  for (let i = 0; i < end - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) { n--; i++; }
  }
  return n;
}

export const codePointLength = (s: string): number => codePointCount(s, s.length);

/** String.offsetByCodePoints(0, n); undefined where Java throws (fewer than n code points). */
export function offsetByCodePoints(s: string, n: number): number | undefined {
  let x = 0;
  for (let i = 0; i < n; i++) {
    if (x >= s.length) return undefined;
    if (isHigh(s.charCodeAt(x++)) && x < s.length && isLow(s.charCodeAt(x))) x++;
  }
  return x;
}

const outOfBounds = (s: string, idx: number): QueryError =>
  new QueryError('index_out_of_bounds', `index ${idx} out of bounds for length ${codePointLength(s)}`);

/** Code point index → UTF-16 index; idx may equal the length (an insertion point). */
function toCharIndexInclusive(s: string, idx: number): number {
  if (idx > s.length || idx < 0) throw outOfBounds(s, idx);
  const at = offsetByCodePoints(s, idx);
  if (at === undefined) throw outOfBounds(s, idx);
  return at;
}

/** Code point index → UTF-16 index of an existing character. */
function toCharIndex(s: string, idx: number): number {
  if (idx >= s.length || idx < 0) throw outOfBounds(s, idx);
  const at = toCharIndexInclusive(s, idx);
  if (at === s.length) throw outOfBounds(s, idx);
  return at;
}

/** As core's unchecked conversion for `slice`: out-of-range indexes pass through unchanged. */
function toCharIndexUnchecked(s: string, idx: number): number {
  if (idx >= s.length || idx < 0) return idx;
  return offsetByCodePoints(s, idx) ?? s.length;
}

/** Scala's StringOps.slice: clamps both ends, empty when they cross. */
function scalaSlice(s: string, from: number, until: number): string {
  const lo = Math.max(from, 0), hi = Math.min(until, s.length);
  return hi <= lo ? '' : s.substring(lo, hi);
}

/** The character (code point) at a code point index: `s.at(i)` and `s[i]`. */
export function stringAt(s: string, idx: number): Value {
  return str(String.fromCodePoint(s.codePointAt(toCharIndex(s, idx)) ?? 0));
}

// --- matching, replacing and splitting ---------------------------------------------------

/**
 * Finds the first match in the remainder `s[from..]`, as [start, end) UTF-16 offsets relative
 * to `from`. Core matches against the remainder as a new string, which matters for regexes
 * (`^`, lookbehind); a literal search can skip the copy.
 */
type Matcher = (s: string, from: number) => readonly [number, number] | undefined;

const literalMatcher = (pattern: string): Matcher => (s, from) => {
  const i = s.indexOf(pattern, from);
  return i < 0 ? undefined : [i - from, i - from + pattern.length];
};

/** The compiled Java `pattern`, in the variant that runs on `s` (java-regex.ts regexFor). */
const javaRegexOn = (pattern: string, s: string): RegExp => regexFor(compileJavaRegex(pattern), s);

/** A matcher for a Java pattern; it picks the regex variant once per searched string. */
function regexMatcher(pattern: string): Matcher {
  const compiled = compileJavaRegex(pattern);
  let searched: string | undefined;
  let re = compiled;
  return (s, from) => {
    if (s !== searched) {
      searched = s;
      re = regexFor(compiled, s);
    }
    re.lastIndex = 0;
    const m = re.exec(from === 0 ? s : s.slice(from));
    return m ? [m.index, m.index + m[0].length] : undefined;
  };
}

/**
 * Replace up to `count` matches (all when undefined). Each search runs on the remainder after
 * the previous match, so a match that is empty at the start of the remainder repeats forever:
 * Fauna then grows the result until it is too large, which is reported without looping.
 */
function replaceMatches(ctx: EvalContext, s: string, find: Matcher, replacement: string, count: number | undefined): string {
  if (count !== undefined && count < 1) throw invalidArgument('count', 'must be greater than or equal to 1');
  let prev = 0;
  let size = 0;
  let remaining = count ?? Infinity;
  const parts: string[] = [];
  while (remaining > 0) {
    loopCheckpoint(ctx);
    const m = find(s, prev);
    if (!m) break;
    const [start, end] = m;
    if (end === 0) {
      if (replacement.length === 0) break;
      const fits = Math.floor((MAX_STRING_SIZE - size) / replacement.length);
      if (remaining > fits) throw stringTooLarge(size + (fits + 1) * replacement.length);
      parts.push(replacement.repeat(remaining));
      size += remaining * replacement.length;
      break;
    }
    const minLen = size + start + replacement.length;
    checkStringSize(minLen);
    parts.push(s.slice(prev, prev + start), replacement);
    size = minLen;
    prev += end;
    remaining--;
  }
  checkStringSize(size + s.length - prev);
  parts.push(s.slice(prev));
  return parts.join('');
}

/** Core's JavaScript-like split: "f b ".split(" ") is ["f", "b", ""]. */
function splitMatches(ctx: EvalContext, s: string, find: Matcher): Value {
  let prev = 0;
  let done = false;
  const out: Value[] = [];
  while (!done && prev < s.length) {
    loopCheckpoint(ctx);
    // One more piece always follows this one.
    checkArraySize(out.length + 2);
    const m = find(s, prev);
    if (!m) break;
    const [start, end] = m;
    if (start === end) {
      // An empty match splits off one character.
      out.push(str(s.slice(prev, prev + 1)));
      prev += 1;
      if (prev === s.length - 1) done = true;
    } else {
      out.push(str(s.slice(prev, prev + start)));
      prev += end;
    }
  }
  out.push(str(s.slice(prev)));
  return arr(out);
}

function allMatches(ctx: EvalContext, s: string, pattern: string): [number, string][] {
  const re = javaRegexOn(pattern, s);
  re.lastIndex = 0;
  const out: [number, string][] = [];
  for (const m of s.matchAll(re)) {
    loopCheckpoint(ctx);
    checkArraySize(out.length + 1);
    out.push([m.index ?? 0, m[0]]);
  }
  return out;
}

// --- number parsing (java.lang.Integer/Long/Double semantics) -----------------------------

/** Integer.parseInt / Long.parseLong: optional sign, then ASCII digits of the radix. */
function parseInteger(s: string, radix: number, bits: 32 | 64): bigint | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; i = 1; }
  if (i >= s.length) return undefined;
  let acc = 0n;
  const r = BigInt(radix);
  const limit = 2n ** BigInt(bits - 1);
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 36);
    if (Number.isNaN(d) || d >= radix) return undefined;
    acc = acc * r + BigInt(d);
    // Out of range either way (Java's parseInt/parseLong refuse overflow as they refuse a bad
    // digit), and going on would multiply an ever longer BigInt: quadratic in the length (a
    // 16 Mi-digit string took hours; found by probing, session 16).
    if (acc > limit) return undefined;
  }
  const value = neg ? -acc : acc;
  return value >= -limit && value < limit ? value : undefined;
}

const DECIMAL_RE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)[fFdD]?$/;

/** Double.parseDouble: trims ASCII control/space, accepts type suffixes and hex floats. */
function parseDouble(raw: string): number | undefined {
  const s = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (DECIMAL_RE.test(s)) return Number(s.replace(/[fFdD]$/, ''));
  const hex = HEX_RE.exec(s);
  if (!hex || (hex[2] + hex[3]).length === 0) return undefined;
  const mantissa = parseInt(hex[2] + hex[3] || '0', 16);
  const value = mantissa * Math.pow(2, Number(hex[4]) - 4 * hex[3].length);
  return hex[1] === '-' ? -value : value;
}

function parseNumber(s: string): Value {
  const i = parseInteger(s, 10, 32);
  if (i !== undefined) return int(Number(i));
  const l = parseInteger(s, 10, 64);
  if (l !== undefined) return long(l);
  const d = parseDouble(s);
  return d === undefined ? NULL : double(d);
}

function checkRadix(radix: number): number {
  if (radix < 2 || radix > 36) throw invalidArgument('format', 'invalid radix, expected a number from 2-36');
  return radix;
}

// --- case folding --------------------------------------------------------------------------

// Default-ignorable code points that NFKC_Casefold removes.
const IGNORABLE_RE = /[\u00ad\u034f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/g;

/**
 * ICU's NFKC_Casefold, approximated: compatibility decomposition, full case folding (the
 * upper-then-lower round trip folds ß → ss and final sigma, which plain lowering misses), and
 * recomposition. Dotless ı and other Turkic forms are left as-is, as the default folding does.
 */
function nfkcCasefold(s: string): string {
  const folded = [...s.replace(IGNORABLE_RE, '').normalize('NFKD')]
    .map((c) => (c === 'ı' || c === 'İ' ? c.toLowerCase() : c.toUpperCase().toLowerCase()))
    .join('');
  return folded.normalize('NFKC');
}

export const NORMALIZERS: ReadonlyMap<string, (s: string) => string> = new Map([
  ['NFKCCaseFold', nfkcCasefold],
  ['NFC', (s: string) => s.normalize('NFC')],
  ['NFD', (s: string) => s.normalize('NFD')],
  ['NFKC', (s: string) => s.normalize('NFKC')],
  ['NFKD', (s: string) => s.normalize('NFKD')],
]);

// --- registration ----------------------------------------------------------------------------

const text = (v: Value): string => (v.t === 'string' ? v.v : '');

function concat(a: string, b: string): Value {
  checkStringSize(a.length + b.length);
  return str(a + b);
}

/**
 * Case mappings grow a string at most threefold (toUpperCase; toLowerCase at most twofold), so
 * a maximal input still maps within bounds; the result is checked before it is returned.
 */
function caseMapped(s: string): Value {
  checkStringSize(s.length);
  return str(s);
}

/** A case mapping builds its result before caseMapped sees it: check the heap for it first. */
function beforeMapping(s: string): string {
  checkHeapBefore(s.length * 2);
  return s;
}

/**
 * Normalization can grow a string eighteenfold (U+FDFA), so large inputs are mapped in pieces
 * and the limit is checked as they add up. Pieces end before a character that never combines
 * with what precedes it (not a mark, not a conjoining Hangul vowel or trailing consonant, not
 * a low surrogate), so mapping them separately gives the same text as mapping the whole.
 */
const NORMALIZE_GROWTH = 18;
const PIECE = 1 << 16;
const COMBINES_BACKWARD = /[\p{M}\u1160-\u11ff\ud7b0-\ud7ff\udc00-\udfff]/u;

function mapInPieces(ctx: EvalContext, s: string, f: (piece: string) => string): Value {
  if (s.length * NORMALIZE_GROWTH <= MAX_STRING_SIZE) return caseMapped(f(s));
  const parts: string[] = [];
  let size = 0;
  for (let start = 0; start < s.length;) {
    loopCheckpoint(ctx);
    let end = Math.min(start + PIECE, s.length);
    while (end < s.length && COMBINES_BACKWARD.test(s[end])) end++;
    const piece = f(s.slice(start, end));
    size += piece.length;
    checkStringSize(size);
    parts.push(piece);
    start = end;
  }
  return str(parts.join(''));
}

/** A char index in `s` as the code point index FQL reports. */
const cpIndex = (s: string, charIndex: number): Value => int(codePointCount(s, charIndex));
const foundAt = (s: string, charIndex: number): Value => (charIndex < 0 ? NULL : cpIndex(s, charIndex));

const PATTERN = param('pattern', STRING);
const REGEX = param('regex', STRING);
const REPLACEMENT = param('replacement', STRING);
const AMOUNT = param('amount', INT);
const RADIX = param('radix', INT);

const AT = method(sig([param('index', INT)], (_ctx, self, [i]) => stringAt(text(self), i)));

const STRING_METHODS: Record<string, MethodDef> = {
  // `s[i]`: the evaluator dispatches index access to the `[]` method.
  '[]': AT,
  at: AT,
  casefold: overloaded('casefold',
    sig([], (ctx, self) => mapInPieces(ctx, text(self), nfkcCasefold)),
    sig([param('format', STRING)], (ctx, self, [format]) => {
      const normalize = NORMALIZERS.get(format);
      if (!normalize) {
        throw invalidArgument('format', 'expected a casefold format (one of NFKCCaseFold, NFC, NFD, NFKC, or NFKD)');
      }
      return mapInPieces(ctx, text(self), normalize);
    })),
  concat: method(sig([param('other', STRING)], (_ctx, self, [other]) => concat(text(self), other))),
  endsWith: method(sig([param('suffix', STRING)], (_ctx, self, [suffix]) => bool(text(self).endsWith(suffix)))),
  includes: method(sig([PATTERN], (_ctx, self, [p]) => bool(text(self).includes(p)))),
  includesRegex: method(sig([REGEX], (_ctx, self, [p]) =>
    bool(regexMatcher(p)(text(self), 0) !== undefined))),
  indexOf: overloaded('indexOf',
    sig([PATTERN], (_ctx, self, [p]) => foundAt(text(self), text(self).indexOf(p))),
    sig([PATTERN, param('start', INT)], (_ctx, self, [p, start]) => {
      const s = text(self);
      return foundAt(s, s.indexOf(p, toCharIndex(s, start)));
    })),
  indexOfRegex: overloaded('indexOfRegex',
    sig([REGEX], (_ctx, self, [p]) => {
      const m = regexMatcher(p)(text(self), 0);
      return m ? cpIndex(text(self), m[0]) : NULL;
    }),
    sig([REGEX, param('start', INT)], (_ctx, self, [p, start]) => {
      const s = text(self);
      const from = toCharIndex(s, start);
      const m = regexMatcher(p)(s, from);
      return m ? cpIndex(s, m[0] + from) : NULL;
    })),
  insert: method(sig([param('index', INT), param('other', STRING)], (_ctx, self, [i, other]) => {
    const s = text(self);
    const at = toCharIndexInclusive(s, i);
    checkStringSize(s.length + other.length);
    return str(s.slice(0, at) + other + s.slice(at));
  })),
  lastIndexOf: overloaded('lastIndexOf',
    sig([PATTERN], (_ctx, self, [p]) => foundAt(text(self), text(self).lastIndexOf(p))),
    sig([PATTERN, param('end', INT)], (_ctx, self, [p, end]) => {
      const s = text(self);
      return foundAt(s, s.lastIndexOf(p, toCharIndex(s, end)));
    })),
  matches: method(sig([REGEX], (ctx, self, [p]) =>
    arr(allMatches(ctx, text(self), p).map(([, m]) => str(m))))),
  matchIndexes: method(sig([REGEX], (ctx, self, [p]) =>
    arr(allMatches(ctx, text(self), p).map(([i, m]) => arr([cpIndex(text(self), i), str(m)]))))),
  parseDouble: method(sig([], (_ctx, self) => {
    const d = parseDouble(text(self));
    return d === undefined ? NULL : double(d);
  })),
  parseInt: overloaded('parseInt',
    sig([], (_ctx, self) => {
      const n = parseInteger(text(self), 10, 32);
      return n === undefined ? NULL : int(Number(n));
    }),
    sig([RADIX], (_ctx, self, [radix]) => {
      const n = parseInteger(text(self), checkRadix(radix), 32);
      return n === undefined ? NULL : int(Number(n));
    })),
  parseLong: overloaded('parseLong',
    sig([], (_ctx, self) => {
      const n = parseInteger(text(self), 10, 64);
      return n === undefined ? NULL : long(n);
    }),
    sig([RADIX], (_ctx, self, [radix]) => {
      const n = parseInteger(text(self), checkRadix(radix), 64);
      return n === undefined ? NULL : long(n);
    })),
  parseNumber: method(sig([], (_ctx, self) => parseNumber(text(self)))),
  replace: overloaded('replace',
    sig([PATTERN, REPLACEMENT], (ctx, self, [p, r]) =>
      str(replaceMatches(ctx, text(self), literalMatcher(p), r, 1))),
    sig([PATTERN, REPLACEMENT, AMOUNT], (ctx, self, [p, r, n]) =>
      str(replaceMatches(ctx, text(self), literalMatcher(p), r, n)))),
  replaceAll: method(sig([PATTERN, REPLACEMENT], (ctx, self, [p, r]) =>
    str(replaceMatches(ctx, text(self), literalMatcher(p), r, undefined)))),
  replaceRegex: overloaded('replaceRegex',
    sig([REGEX, REPLACEMENT], (ctx, self, [p, r]) =>
      str(replaceMatches(ctx, text(self), regexMatcher(p), r, 1))),
    sig([REGEX, REPLACEMENT, AMOUNT], (ctx, self, [p, r, n]) =>
      str(replaceMatches(ctx, text(self), regexMatcher(p), r, n)))),
  replaceAllRegex: method(sig([PATTERN, REPLACEMENT], (ctx, self, [p, r]) =>
    str(replaceMatches(ctx, text(self), regexMatcher(p), r, undefined)))),
  slice: overloaded('slice',
    sig([param('start', INT)], (_ctx, self, [start]) => {
      const s = text(self);
      return str(scalaSlice(s, toCharIndexUnchecked(s, start), s.length));
    }),
    sig([param('start', INT), param('end', INT)], (_ctx, self, [start, end]) => {
      const s = text(self);
      return str(scalaSlice(s, toCharIndexUnchecked(s, start), toCharIndexUnchecked(s, end)));
    })),
  split: method(sig([param('separator', STRING)], (ctx, self, [sep]) =>
    splitMatches(ctx, text(self), literalMatcher(sep)))),
  splitAt: method(sig([param('index', INT)], (_ctx, self, [i]) => {
    const s = text(self);
    const at = toCharIndexInclusive(s, i);
    return arr([str(s.slice(0, at)), str(s.slice(at))]);
  })),
  splitRegex: method(sig([REGEX], (ctx, self, [p]) =>
    splitMatches(ctx, text(self), regexMatcher(p)))),
  startsWith: method(sig([param('prefix', STRING)], (_ctx, self, [prefix]) => bool(text(self).startsWith(prefix)))),
  toLowerCase: method(sig([], (_ctx, self) => caseMapped(beforeMapping(text(self)).toLowerCase()))),
  toString: method(sig([], (_ctx, self) => self)),
  toUpperCase: method(sig([], (_ctx, self) => caseMapped(beforeMapping(text(self)).toUpperCase()))),
};

const STRING_FIELDS: Record<string, FieldImpl> = {
  length: (_ctx, self) => int(codePointLength(text(self))),
};

/** Registers the `String` module and the members of strings (called by src/fql/stdlib/index.ts). */
export function wireString(): void {
  defineModule('String');
  defineMethods('string', STRING_METHODS);
  defineFields('string', STRING_FIELDS);
}
