// The length JSON.stringify will give, known before it allocates: a string of control characters
// encodes six times its length (`\u0001`), so sizes counted by length let a short query build
// a response far past its limits (found by probing, session 16: a 150-byte query answered with
// a 495 MB cursor).

/** Characters that need an escape, or a UTF-16 surrogate (paired or not: the slow path decides). */
const NEEDS_SCAN = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** Length of `JSON.stringify(s)` without its quotes. */
export function escapedLength(s: string): number {
  if (!NEEDS_SCAN.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5;
    else if (c === 0x22 || c === 0x5c) n += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate encodes as `\udXXX` (well-formed JSON.stringify); a pair as itself.
      const pairs = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pairs) i++;
      else n += 5;
    }
  }
  return n;
}

/**
 * Length of `JSON.stringify(json)` for plain JSON data (objects, arrays, strings, numbers,
 * booleans, null), or a number past `limit` as soon as it exceeds it: the walk stops there, so
 * data that shares structure costs at most `limit` steps.
 */
export function jsonLengthWithin(json: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [json];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    // Reading a string's characters makes V8 copy it flat if it was built by concatenation:
    // past the limit by length alone, it is not read.
    if (typeof v === 'string') n += (n + v.length > limit ? v.length : escapedLength(v)) + 2;
    else if (Array.isArray(v)) {
      n += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      n += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        n += escapedLength(k) + 3;
        stack.push((v as Record<string, unknown>)[k]);
      }
    } else n += String(v).length;
  }
  return n;
}
