// Order-preserving key encoding in the spirit of FoundationDB's tuple layer: a key is a sequence
// of parts, and comparing two encodings bytewise gives the same answer as comparing the tuples
// part by part in their natural order. Each part is self-delimiting, so a tuple's encoding is a
// prefix of the encoding of every tuple that extends it, and range scans over prefixes work.
//
// Order between types (fixed by the leading type byte):
//   null < bytes < string < numbers (number and bigint together) < false < true
// Within types:
//   - bytes and strings: bytewise, strings by their UTF-8 encoding (= code point order). 0x00 is
//     escaped as 0x00 0xFF and the part ends with 0x00, so "a" < "a\0" < "ab".
//     (Lone UTF-16 surrogates cannot be encoded as UTF-8 and come back as U+FFFD.)
//   - numbers: numerically; -Infinity first, then negatives, zero (-0 is stored as 0), positives,
//     +Infinity, NaN last. A number and a bigint of equal value are ordered number first (a
//     trailing type byte keeps them distinct so that decoding returns the original type).
//
// Numeric encoding. A non-zero finite magnitude is 1.m × 2^E with a finite binary fraction m (every
// double and every integer has one). Magnitudes order by E, then by m read as a bit string. We
// write: E as an order-preserving signed integer (a length byte 0x80±len, then len big-endian
// bytes, one's complement for negatives); then m in 7-bit groups, each stored as 0x80|group,
// trailing zero groups dropped; then a 0x00 terminator. The terminator sorts below any group byte,
// so a shorter m (implicitly zero-padded) sorts first, as it should. Negative numbers store the
// magnitude's bytes inverted, which reverses their order and keeps them self-delimiting.

export type KeyPart = string | number | bigint | Uint8Array | null | boolean;

const T_NULL = 0x00;
const T_BYTES = 0x01;
const T_STRING = 0x02;
const T_NEG_INFINITY = 0x10;
const T_NEGATIVE = 0x11;
const T_ZERO = 0x12;
const T_POSITIVE = 0x13;
const T_POS_INFINITY = 0x14;
const T_NAN = 0x15;
const T_FALSE = 0x26;
const T_TRUE = 0x27;

const SUFFIX_NUMBER = 0x00;
const SUFFIX_BIGINT = 0x01;

const TWO_POW_32 = 2 ** 32;

/** Scratch view for taking doubles apart and building powers of two bit-exactly. */
const f64 = new DataView(new ArrayBuffer(8));

class ByteWriter {
  private buf = new Uint8Array(32);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** Writes bytes with 0x00 escaped as 0x00 0xFF, then the 0x00 terminator. */
  escaped(src: Uint8Array): void {
    this.reserve(src.length * 2 + 1);
    const buf = this.buf;
    let n = this.length;
    for (let i = 0; i < src.length; i++) {
      const b = src[i];
      buf[n++] = b;
      if (b === 0) buf[n++] = 0xff;
    }
    buf[n++] = 0;
    this.length = n;
  }

  /** A string's UTF-8 bytes, escaped and terminated; ASCII without NUL is copied directly. */
  escapedString(s: string): void {
    this.reserve(s.length + 1);
    const buf = this.buf;
    let n = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c >= 0x80) {
        this.escaped(Buffer.from(s, 'utf8'));
        return;
      }
      buf[n++] = c;
    }
    buf[n++] = 0;
    this.length = n;
  }

  invertFrom(start: number): void {
    for (let i = start; i < this.length; i++) this.buf[i] ^= 0xff;
  }

  /**
   * A copy of what was written, with room for `extra` more bytes (zeros) after it; a buffer
   * grown large for one big key is let go.
   */
  finish(extra = 0): Uint8Array {
    const out = new Uint8Array(this.length + extra);
    out.set(this.buf.subarray(0, this.length));
    if (this.buf.length > 4096) this.buf = new Uint8Array(32);
    return out;
  }

  at(i: number): number {
    return this.buf[i];
  }
}

/** Number of significant bits of a non-negative integer below 2^53. */
function bitLength(v: number): number {
  if (v >= TWO_POW_32) return 32 + (32 - Math.clz32(Math.floor(v / TWO_POW_32)));
  return 32 - Math.clz32(v);
}

/** Exactly 2^e for -1074 <= e <= 1023. */
function pow2(e: number): number {
  if (e >= -1022) {
    f64.setUint32(0, (e + 1023) << 20);
    f64.setUint32(4, 0);
  } else {
    const bit = e + 1074; // position within the 52-bit subnormal fraction
    f64.setUint32(0, bit >= 32 ? 1 << (bit - 32) : 0);
    f64.setUint32(4, bit < 32 ? (1 << bit) >>> 0 : 0);
  }
  return f64.getFloat64(0);
}

function writeExponent(w: ByteWriter, e: number): void {
  const magnitude = Math.abs(e);
  let len = 0;
  for (let m = magnitude; m > 0; m = Math.floor(m / 256)) len++;
  // One's complement for negatives: -1 → 0xFE, -255 → 0x00, so larger means larger.
  const v = e >= 0 ? e : 256 ** len - 1 + e;
  w.byte(e >= 0 ? 0x80 + len : 0x80 - len);
  for (let i = len - 1; i >= 0; i--) w.byte(Math.floor(v / 256 ** i) % 256);
}

/** m given as `mbits` bits in a number (mbits <= 52), trailing zeros not yet stripped. */
function writeSmallFraction(w: ByteWriter, mant: number, mbits: number): void {
  while (mbits > 0 && mant % 2 === 0) {
    mant /= 2;
    mbits--;
  }
  const groups = Math.ceil(mbits / 7);
  const padded = mant * 2 ** (groups * 7 - mbits);
  for (let i = groups - 1; i >= 0; i--) w.byte(0x80 | (Math.floor(padded / 2 ** (7 * i)) % 128));
  w.byte(0);
}

function writeBigFraction(w: ByteWriter, mant: bigint, mbits: number): void {
  while (mbits > 0 && (mant & 1n) === 0n) {
    mant >>= 1n;
    mbits--;
  }
  const groups = Math.ceil(mbits / 7);
  const padded = mant << BigInt(groups * 7 - mbits);
  for (let i = groups - 1; i >= 0; i--) w.byte(0x80 | Number((padded >> BigInt(7 * i)) & 0x7fn));
  w.byte(0);
}

function writePositiveDouble(w: ByteWriter, x: number): void {
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * TWO_POW_32 + lo;
  if (biased > 0) {
    writeExponent(w, biased - 1023);
    writeSmallFraction(w, frac, 52);
  } else {
    const bits = bitLength(frac);
    writeExponent(w, -1074 + bits - 1);
    writeSmallFraction(w, frac - 2 ** (bits - 1), bits - 1);
  }
}

function bigintBitLength(x: bigint): number {
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + bitLength(parseInt(hex[0], 16));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TWO_POW_64 = 1n << 64n;

/** Trailing zero bits of a non-zero uint32. */
const ctz32 = (v: number): number => 31 - Math.clz32(v & -v);

/**
 * 2^53 <= x < 2^64 (document ids) without BigInt arithmetic per group: x as two 32-bit words,
 * the fraction read bit by bit from them. Writes what the general path writes.
 */
function writePositiveUint64(w: ByteWriter, x: bigint): void {
  const hi = Number(x >> 32n);
  const lo = Number(x & 0xffffffffn);
  const e = 63 - Math.clz32(hi);
  writeExponent(w, e);
  const mhi = hi - 2 ** (e - 32); // the fraction: x without its leading bit, e bits
  const mbits = lo !== 0 ? e - ctz32(lo) : mhi !== 0 ? e - 32 - ctz32(mhi) : 0;
  const groups = Math.ceil(mbits / 7);
  for (let g = 0, p = e - 1; g < groups; g++) {
    let group = 0;
    for (let j = 0; j < 7; j++, p--) group = (group << 1) | (p >= 32 ? (mhi >>> (p - 32)) & 1 : p >= 0 ? (lo >>> p) & 1 : 0);
    w.byte(0x80 | group);
  }
  w.byte(0);
}

function writePositiveBigint(w: ByteWriter, x: bigint): void {
  // Fast paths (timestamps, document ids); an integer's magnitude encodes the same either way.
  if (x <= MAX_SAFE) return writePositiveDouble(w, Number(x));
  if (x < TWO_POW_64) return writePositiveUint64(w, x);
  const e = bigintBitLength(x) - 1;
  writeExponent(w, e);
  const mant = x - (1n << BigInt(e));
  if (e <= 52) writeSmallFraction(w, Number(mant), e);
  else writeBigFraction(w, mant, e);
}

function writeNumber(w: ByteWriter, x: number): void {
  if (Number.isNaN(x)) w.byte(T_NAN);
  else if (x === Infinity) w.byte(T_POS_INFINITY);
  else if (x === -Infinity) w.byte(T_NEG_INFINITY);
  else if (x === 0) w.byte(T_ZERO);
  else if (x > 0) {
    w.byte(T_POSITIVE);
    writePositiveDouble(w, x);
  } else {
    w.byte(T_NEGATIVE);
    const start = w.length;
    writePositiveDouble(w, -x);
    w.invertFrom(start);
  }
  w.byte(SUFFIX_NUMBER);
}

function writeBigint(w: ByteWriter, x: bigint): void {
  if (x === 0n) w.byte(T_ZERO);
  else if (x > 0n) {
    w.byte(T_POSITIVE);
    writePositiveBigint(w, x);
  } else {
    w.byte(T_NEGATIVE);
    const start = w.length;
    writePositiveBigint(w, -x);
    w.invertFrom(start);
  }
  w.byte(SUFFIX_BIGINT);
}

/**
 * One writer for every encoding: encodeKey runs to completion without re-entering itself, and
 * only its result is a fresh buffer (allocating ArrayBuffers is what keys cost most).
 */
const scratch = new ByteWriter();

export function encodeKey(parts: readonly KeyPart[]): Uint8Array {
  const w = scratch;
  w.length = 0;
  writeParts(w, parts, 0, parts.length);
  return w.finish();
}

/**
 * encodeKey(parts) and prefixEnd(encodeKey(parts.slice(0, prefixParts))) at once, as views of
 * one buffer: the bounds of a scan from a key to the end of its prefix (a document's versions
 * from a time on) with one allocation instead of three.
 */
export function encodeKeyWithPrefixEnd(parts: readonly KeyPart[], prefixParts: number): { key: Uint8Array; prefixEnd: Uint8Array } {
  const w = scratch;
  w.length = 0;
  writeParts(w, parts, 0, prefixParts);
  let m = w.length;
  while (m > 0 && w.at(m - 1) === 0xff) m--;
  if (m === 0) throw new RangeError('strinc: key must contain a byte other than 0xFF');
  writeParts(w, parts, prefixParts, parts.length);
  const n = w.length;
  const out = w.finish(m);
  out.copyWithin(n, 0, m);
  out[n + m - 1]++;
  return { key: out.subarray(0, n), prefixEnd: out.subarray(n) };
}

function writeParts(w: ByteWriter, parts: readonly KeyPart[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const part = parts[i];
    if (part === null) w.byte(T_NULL);
    else if (typeof part === 'string') {
      w.byte(T_STRING);
      w.escapedString(part);
    } else if (typeof part === 'number') writeNumber(w, part);
    else if (typeof part === 'bigint') writeBigint(w, part);
    else if (typeof part === 'boolean') w.byte(part ? T_TRUE : T_FALSE);
    else if (part instanceof Uint8Array) {
      w.byte(T_BYTES);
      w.escaped(part);
    } else throw new TypeError(`cannot encode key part of type ${typeof part}`);
  }
}

class ByteReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('malformed key: truncated');
    return this.bytes[this.pos++];
  }

  /** Reads an escaped, 0x00-terminated byte string. */
  escaped(): Uint8Array {
    const bytes = this.bytes;
    const start = this.pos;
    let escapes = 0;
    let i = start;
    for (;;) {
      if (i >= bytes.length) throw new Error('malformed key: unterminated string');
      if (bytes[i] === 0) {
        if (bytes[i + 1] !== 0xff) break;
        escapes++;
        i += 2;
      } else i++;
    }
    this.pos = i + 1;
    if (escapes === 0) return bytes.slice(start, i);
    const out = new Uint8Array(i - start - escapes);
    let n = 0;
    for (let j = start; j < i; j++) {
      out[n++] = bytes[j];
      if (bytes[j] === 0) j++;
    }
    return out;
  }
}

/** A magnitude as written by writePositive*: 1.m × 2^e with m given as 7-bit groups. */
interface Magnitude { readonly e: number; readonly groups: readonly number[] }

/** Reads a magnitude, undoing the inversion of negative numbers with `mask`. */
function readMagnitude(r: ByteReader, mask: number): Magnitude {
  const code = r.byte() ^ mask;
  const len = code >= 0x80 ? code - 0x80 : 0x80 - code;
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + (r.byte() ^ mask);
  const e = code >= 0x80 ? v : v - (256 ** len - 1);
  const groups: number[] = [];
  for (let b = r.byte() ^ mask; b !== 0; b = r.byte() ^ mask) {
    if (b < 0x80) throw new Error('malformed key: bad number');
    groups.push(b & 0x7f);
  }
  return { e, groups };
}

function magnitudeAsBigint({ e, groups }: Magnitude): bigint {
  // Below 2^53 the value is exact as a double (timestamps, small ids).
  if (e <= 52) return BigInt(Math.trunc(magnitudeAsNumber({ e, groups })));
  if (e <= 63) return magnitudeAsUint64(e, groups);
  let mant = 1n;
  for (const g of groups) mant = (mant << 7n) | BigInt(g);
  const shift = e - groups.length * 7;
  return shift >= 0 ? mant << BigInt(shift) : mant >> BigInt(-shift);
}

/**
 * 2^53 <= x < 2^64 (document ids, read back from every change-log and document key) as two
 * 32-bit words, bit by bit, and one BigInt at the end instead of two per 7-bit group; fraction
 * bits below 2^0 (none in an integer's encoding) are dropped as the general path drops them.
 */
function magnitudeAsUint64(e: number, groups: readonly number[]): bigint {
  let hi = 2 ** (e - 32);
  let lo = 0;
  let p = e - 1;
  for (const g of groups) {
    for (let j = 6; j >= 0 && p >= 0; j--, p--) {
      if (((g >> j) & 1) === 0) continue;
      if (p >= 32) hi += 2 ** (p - 32);
      else lo += 2 ** p;
    }
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function magnitudeAsNumber({ e, groups }: Magnitude): number {
  let mant = 1;
  for (const g of groups) mant = mant * 128 + g;
  // mant × 2^-bits is in [1, 2) and exact; scale in two steps so nothing underflows on the way.
  return mant * 2 ** -(groups.length * 7) * pow2(e);
}

function readNumeric(r: ByteReader, type: number): number | bigint {
  // The number/bigint suffix follows the body, so the body is parsed before converting it.
  const magnitude =
    type === T_POSITIVE || type === T_NEGATIVE ? readMagnitude(r, type === T_NEGATIVE ? 0xff : 0) : undefined;
  const suffix = r.byte();
  if (suffix !== SUFFIX_NUMBER && suffix !== SUFFIX_BIGINT) throw new Error('malformed key: bad number');
  const isBigint = suffix === SUFFIX_BIGINT;
  switch (type) {
    case T_NAN:
      return NaN;
    case T_POS_INFINITY:
      return Infinity;
    case T_NEG_INFINITY:
      return -Infinity;
    case T_ZERO:
      return isBigint ? 0n : 0;
  }
  const m = magnitude as Magnitude;
  if (isBigint) return type === T_NEGATIVE ? -magnitudeAsBigint(m) : magnitudeAsBigint(m);
  return type === T_NEGATIVE ? -magnitudeAsNumber(m) : magnitudeAsNumber(m);
}

export function decodeKey(bytes: Uint8Array): KeyPart[] {
  const r = new ByteReader(bytes);
  const parts: KeyPart[] = [];
  while (r.pos < bytes.length) {
    const type = r.byte();
    switch (type) {
      case T_NULL:
        parts.push(null);
        break;
      case T_BYTES:
        parts.push(r.escaped());
        break;
      case T_STRING:
        parts.push(Buffer.from(r.escaped()).toString('utf8'));
        break;
      case T_FALSE:
        parts.push(false);
        break;
      case T_TRUE:
        parts.push(true);
        break;
      case T_NEG_INFINITY:
      case T_NEGATIVE:
      case T_ZERO:
      case T_POSITIVE:
      case T_POS_INFINITY:
      case T_NAN:
        parts.push(readNumeric(r, type));
        break;
      default:
        throw new Error(`malformed key: unknown type byte 0x${type.toString(16)} at ${r.pos - 1}`);
    }
  }
  return parts;
}

/**
 * FoundationDB's strinc: the smallest byte string greater than every string that starts with
 * `key` (trailing 0xFF bytes dropped, last byte incremented). Throws if `key` is empty or all 0xFF,
 * since no such string exists.
 */
export function strinc(key: Uint8Array): Uint8Array {
  let n = key.length;
  while (n > 0 && key[n - 1] === 0xff) n--;
  if (n === 0) throw new RangeError('strinc: key must contain a byte other than 0xFF');
  const out = key.slice(0, n);
  out[n - 1]++;
  return out;
}

/** Exclusive end of the range of keys starting with `prefix` (the same as strinc). */
export const prefixEnd: (prefix: Uint8Array) => Uint8Array = strinc;
