// A 64-bit integer written in decimal, read as Scala's `toLongOption` (Java `Long.parseLong`):
// an optional sign, then digits, within the Long range.
const LONG_TEXT = /^[+-]?\d+$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function parseLong(s: string): bigint | undefined {
  if (!LONG_TEXT.test(s)) return undefined;
  const n = BigInt(s);
  return n < LONG_MIN || n > LONG_MAX ? undefined : n;
}
