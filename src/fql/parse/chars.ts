// Character classes and reserved words of FQL v10.

/** The placeholder the server substitutes for each driver template `value` fragment. */
export const TEMPLATE_PLACEHOLDER = '\u0000value>';

/** Words that can never be identifiers (Fauna's `Tokens.invalidIdents`). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'else', 'at', 'match', 'case', 'let', 'null', 'true', 'false', 'isa', 'join', 'on', 'of',
]);

/** Names a `let` may not bind, in addition to the keywords. */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set(['FQL', '_']);

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isHexDigit = (c: number): boolean =>
  isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
export const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** FQL identifiers may continue with digits and apostrophes (`x'`). */
export const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 39;
export const isBlank = (c: number): boolean => c === 32 || c === 9;
export const isNewline = (c: number): boolean => c === 10 || c === 13;

/**
 * Characters allowed verbatim in source text and strings: everything but control
 * characters and the invisible formatting characters that can disguise code.
 */
export function isDisplayChar(c: number): boolean {
  if (c <= 0x08) return false;
  if (c >= 0x0e && c <= 0x1f) return false;
  if (c === 0x7f || c === 0xfeff) return false;
  if (c >= 0xfff0 && c <= 0xffff) return false;
  if (c >= 0x2000 && c <= 0x200f) return false;
  if (c >= 0x2028 && c <= 0x202f) return false;
  if (c >= 0x2060 && c <= 0x206f) return false;
  return true;
}
