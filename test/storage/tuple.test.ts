import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeKey, encodeKey, encodeKeyWithPrefixEnd, prefixEnd, strinc, type KeyPart } from '../../src/storage/tuple';
import { rng } from '../helpers/random';

const f64 = new DataView(new ArrayBuffer(8));

function randomPart(r: () => number): KeyPart {
  const int = (n: number): number => Math.floor(r() * n);
  switch (int(12)) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2: {
      const bytes = new Uint8Array(int(6));
      for (let i = 0; i < bytes.length; i++) bytes[i] = [0, 0xff, 1, int(256)][int(4)];
      return bytes;
    }
    case 3:
    case 4: {
      // Code points from a few interesting ranges (no lone surrogates: UTF-8 cannot hold them).
      const cps: number[] = [];
      for (let i = int(6); i > 0; i--) {
        const pick = int(5);
        cps.push(pick === 0 ? 0 : pick === 1 ? 0x61 + int(3) : pick === 2 ? 0x80 + int(0x700) : pick === 3 ? 0xe000 + int(0x1000) : 0x10000 + int(0x1000));
      }
      return String.fromCodePoint(...cps);
    }
    case 5: {
      // Any double, from random bits.
      f64.setUint32(0, int(2 ** 32));
      f64.setUint32(4, int(2 ** 32));
      return f64.getFloat64(0);
    }
    case 6:
      return (int(2000) - 1000) / [1, 2, 4, 10, 3][int(5)];
    case 7:
      return [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 53, -(2 ** 53)][int(10)];
    case 8:
      return BigInt(int(2000) - 1000);
    case 9: {
      let v = 0n;
      for (let i = int(8); i >= 0; i--) v = (v << 32n) | BigInt(int(2 ** 32));
      return r() < 0.5 ? -v : v;
    }
    case 10:
      return BigInt(Math.floor(r() * 2 ** 53)) * (r() < 0.5 ? 1n : -1n);
    default:
      return int(100) - 50;
  }
}

function typeRank(p: KeyPart): number {
  if (p === null) return 0;
  if (p instanceof Uint8Array) return 1;
  if (typeof p === 'string') return 2;
  if (typeof p === 'number' || typeof p === 'bigint') return 3;
  return p ? 5 : 4;
}

/** Exact numeric order of a number and a bigint, or two of either; NaN last. */
function compareNumeric(a: number | bigint, b: number | bigint): number {
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : aNaN ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint') return -compareNumeric(b, a);
  const x = a as number;
  const y = b as bigint;
  if (x === Infinity) return 1;
  if (x === -Infinity) return -1;
  const floor = BigInt(Math.floor(x));
  if (floor < y) return -1;
  if (floor > y) return 1;
  return Number.isInteger(x) ? 0 : 1;
}

/** The natural order of parts; numbers before bigints of equal value, as documented. */
function comparePart(a: KeyPart, b: KeyPart): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (a instanceof Uint8Array) return Buffer.compare(a, b as Uint8Array);
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b as string, 'utf8'));
  if (typeof a === 'number' || typeof a === 'bigint') {
    const c = compareNumeric(a, b as number | bigint);
    if (c !== 0) return c;
    return (typeof a === 'bigint' ? 1 : 0) - (typeof b === 'bigint' ? 1 : 0);
  }
  return 0;
}

function compareTuple(a: readonly KeyPart[], b: readonly KeyPart[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = comparePart(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Expected decoding: -0 comes back as 0. */
function normalise(p: KeyPart): KeyPart {
  return typeof p === 'number' && Object.is(p, -0) ? 0 : p;
}

function randomTuple(r: () => number): KeyPart[] {
  return Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomPart(r));
}

test('tuple: random round-trips', () => {
  const r = rng(1);
  for (let i = 0; i < 20000; i++) {
    const tuple = randomTuple(r);
    assert.deepStrictEqual(decodeKey(encodeKey(tuple)), tuple.map(normalise), `tuple ${i}`);
  }
});

test('tuple: bytewise order of encodings equals the natural order of tuples', () => {
  const r = rng(2);
  for (let i = 0; i < 20000; i++) {
    // Share a prefix half of the time so later parts decide.
    const a = randomTuple(r);
    const b = r() < 0.5 ? [...a.slice(0, Math.floor(r() * a.length)), ...randomTuple(r)] : randomTuple(r);
    const expected = sign(compareTuple(a, b));
    const actual = sign(Buffer.compare(encodeKey(a), encodeKey(b)));
    assert.equal(actual, expected, `${String(a)} vs ${String(b)}`);
  }
});

test('tuple: sorting encodings sorts values', () => {
  const values: KeyPart[] = [
    true, false, null, 'b', 'a', 'a\0', 'ab', '', '\u{10000}', '\uffff', new Uint8Array([0]), new Uint8Array([]),
    1, 1n, 1.5, -1, -1n, -1.5, 0, 0n, -0.25, 2 ** 64, 2n ** 64n + 1n, -(2n ** 64n), Infinity, -Infinity, NaN, 5e-324,
    -5e-324, 1e308, -1e308, 2n ** 2000n, -(2n ** 2000n), 255, 256, -255, -256, 127n, 128n,
  ];
  const byEncoding = [...values].sort((x, y) => Buffer.compare(encodeKey([x]), encodeKey([y])));
  const byValue = [...values].sort(comparePart);
  assert.deepStrictEqual(byEncoding, byValue);
  assert.deepStrictEqual(byValue.slice(0, 4), [null, new Uint8Array([]), new Uint8Array([0]), '']);
});

test('tuple: encodings of a prefix tuple are byte prefixes', () => {
  const r = rng(3);
  for (let i = 0; i < 2000; i++) {
    const a = randomTuple(r);
    const b = [...a, ...randomTuple(r)];
    const ea = encodeKey(a);
    assert.deepEqual(Buffer.from(encodeKey(b).subarray(0, ea.length)), Buffer.from(ea));
    const eb = encodeKey(b);
    assert.ok(Buffer.compare(eb, prefixEnd(ea)) < 0);
    assert.ok(Buffer.compare(eb, ea) > 0);
  }
});

test('tuple: NUL bytes are escaped, and types round-trip exactly', () => {
  assert.deepEqual([...encodeKey(['a\0b'])], [0x02, 0x61, 0x00, 0xff, 0x62, 0x00]);
  assert.deepEqual([...encodeKey([new Uint8Array([0, 1])])], [0x01, 0x00, 0xff, 0x01, 0x00]);
  const decoded = decodeKey(encodeKey([1, 1n, new Uint8Array([7]), 'x', null, true, false]));
  assert.deepStrictEqual(decoded, [1, 1n, new Uint8Array([7]), 'x', null, true, false]);
  assert.equal(typeof decoded[0], 'number');
  assert.equal(typeof decoded[1], 'bigint');
  assert.ok(decoded[2] instanceof Uint8Array);
  assert.deepEqual(decodeKey(encodeKey([])), []);
});

test('tuple: malformed keys are rejected', () => {
  assert.throws(() => decodeKey(new Uint8Array([0x02, 0x61])), /malformed key: unterminated string/);
  assert.throws(() => decodeKey(new Uint8Array([0x7f])), /malformed key: unknown type byte 0x7f at 0/);
  assert.throws(() => decodeKey(new Uint8Array([0x13, 0x81])), /malformed key: truncated/);
  assert.throws(() => encodeKey([{} as unknown as KeyPart]), /cannot encode key part of type object/);
});

test('tuple: strinc and prefixEnd', () => {
  assert.deepEqual([...strinc(new Uint8Array([1, 2, 3]))], [1, 2, 4]);
  assert.deepEqual([...strinc(new Uint8Array([1, 0xff, 0xff]))], [2]);
  assert.deepEqual([...prefixEnd(new Uint8Array([0, 0xfe]))], [0, 0xff]);
  assert.throws(() => strinc(new Uint8Array([0xff, 0xff])), RangeError);
  assert.throws(() => strinc(new Uint8Array([])), RangeError);
});

/**
 * The bigint encoding spelled out from the file comment of src/storage/tuple.ts, from the binary
 * digits: type byte, exponent (length byte 0x80+len, big-endian bytes), the fraction in 7-bit
 * groups (0x80|g, trailing zero bits dropped), 0x00, the bigint suffix 0x01; negatives inverted.
 */
function referenceBigint(x: bigint): number[] {
  if (x === 0n) return [0x12, 0x01];
  const bits = (x < 0n ? -x : x).toString(2);
  const e = bits.length - 1;
  const exp: number[] = [];
  for (let v = e; v > 0; v = Math.floor(v / 256)) exp.unshift(v % 256);
  const frac = bits.slice(1).replace(/0+$/, '');
  const groups: number[] = [];
  for (let i = 0; i < frac.length; i += 7) groups.push(0x80 | parseInt(frac.slice(i, i + 7).padEnd(7, '0'), 2));
  const body = [0x80 + exp.length, ...exp, ...groups, 0];
  return x > 0n ? [0x13, ...body, 0x01] : [0x11, ...body.map((b) => b ^ 0xff), 0x01];
}

test('tuple: bigints of every size encode as specified and round-trip (fast paths below 2^53 and 2^64 included)', () => {
  const r = rng(11);
  const values: bigint[] = [
    1n, 2n, 127n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 1n,
    2n ** 63n + 2n ** 32n + 2n ** 31n, 2n ** 62n + 2n ** 31n - 1n, 915257102514077696n, 2n ** 63n + 1n,
  ];
  for (let bitsLen = 1; bitsLen <= 100; bitsLen++) {
    for (let k = 0; k < 5; k++) {
      let v = 1n;
      for (let i = 1; i < bitsLen; i++) v = (v << 1n) | (r() < 0.5 ? 0n : 1n);
      if (k === 0) v = 1n << BigInt(bitsLen - 1); // a power of two: empty fraction
      values.push(v);
    }
  }
  for (const v of [...values, ...values.map((x) => -x), 0n]) {
    assert.deepEqual([...encodeKey([v])], referenceBigint(v), `encoding of ${v}`);
    assert.deepStrictEqual(decodeKey(encodeKey([v])), [v]);
    assert.deepStrictEqual(decodeKey(new Uint8Array(referenceBigint(v))), [v], `decoding of ${v}`);
  }
});

test('tuple: encodeKeyWithPrefixEnd is encodeKey and prefixEnd of the prefix, in one buffer', () => {
  const r = rng(12);
  for (let n = 0; n < 300; n++) {
    const parts = Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomPart(r));
    const k = 1 + Math.floor(r() * parts.length);
    const { key, prefixEnd: end } = encodeKeyWithPrefixEnd(parts, k);
    assert.deepEqual([...key], [...encodeKey(parts)]);
    assert.deepEqual([...end], [...prefixEnd(encodeKey(parts.slice(0, k)))]);
    assert.equal(key.buffer, end.buffer);
  }
  assert.throws(() => encodeKeyWithPrefixEnd([], 0), RangeError);
});
