// Numeric literal values: FQL integers are Int when they fit 32 bits, Long when they fit 64,
// and anything with a fraction or exponent is a Double.
import type { NumberLit } from '../ast/nodes';
import type { Span } from '../ast/span';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Builds the literal for `digits` (the token text: `0x1F`, `1_000`, `1.5e3`, ...) carrying an
 * optional leading minus sign. `raw` is the literal's full source text.
 */
export function numberLiteral(digits: string, negative: boolean, raw: string, span: Span): NumberLit {
  const text = digits.replace(/_/g, '');
  const radixPrefixed = /^0[xXoObB]/.test(text);
  if (!radixPrefixed && /[.eE]/.test(text)) {
    const value = Number(text);
    return { kind: 'number', numType: 'double', raw, value: negative ? -value : value, span };
  }
  let big = BigInt(text);
  if (negative) big = -big;
  if (big >= INT_MIN && big <= INT_MAX) return { kind: 'number', numType: 'int', raw, value: Number(big), span };
  if (big >= LONG_MIN && big <= LONG_MAX) return { kind: 'number', numType: 'long', raw, value: Number(big), big, span };
  // Beyond 64 bits the literal can only be represented approximately.
  return { kind: 'number', numType: 'double', raw, value: Number(big), span };
}
