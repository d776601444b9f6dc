// On-demand tokenizer: the parser asks for the token starting at (or after trivia from) a
// given offset. Tokens are immutable, so the parser can backtrack by keeping an old token.
// Double-quoted strings and interpolating heredocs contain expressions, so the tokenizer only
// marks where they open and the parser reads them (see strings.ts).
import {
  TEMPLATE_PLACEHOLDER, isBlank, isDigit, isHexDigit, isIdentPart, isIdentStart, isNewline,
} from './chars';
import { expected } from './failure';
import { readHeredocOpening, readRawHeredoc, readQuoted } from './strings';

export type TokenKind =
  | 'ident'        // identifiers and keywords; `value` is the word
  | 'number'       // `value` is the raw literal (underscores, prefixes kept)
  | 'string'       // single-quoted string or `<<-` heredoc; `value` is the decoded text
  | 'dquote'       // the opening `"` of a double-quoted (interpolating) string
  | 'heredoc'      // an interpolating `<<+DELIM` opening; `value` is the delimiter
  | 'placeholder'  // a driver template value ("\u0000value>")
  | 'punct'        // operators and punctuation; `value` is the text
  | 'invalid'      // a character FQL does not use here
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** A line break (or line comment) separates this token from the previous one. */
  readonly nlBefore: boolean;
}

// Longest first, so that e.g. `...` wins over `.` and `?.` over `?`.
const PUNCTUATORS = [
  '...', '?.', '??', '=>', '==', '!=', '<=', '>=', '&&', '||', '**',
  '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '+', '-', '*', '/', '%',
  '<', '>', '=', '!', '~', '&', '|', '^', '?', '@',
];

export class Tokenizer {
  constructor(readonly source: string) {}

  /** The next token at or after `pos`, skipping blanks, line breaks and comments. */
  next(pos: number): Token {
    const { start, nlBefore } = this.skipTrivia(pos);
    return this.lex(start, nlBefore);
  }

  /** Skips blanks, newlines and comments; reports whether a statement break was crossed. */
  private skipTrivia(pos: number): { start: number; nlBefore: boolean } {
    const src = this.source;
    let i = pos;
    let nlBefore = false;
    for (;;) {
      const c = src.charCodeAt(i);
      if (isBlank(c)) { i++; continue; }
      if (isNewline(c)) { nlBefore = true; i++; continue; }
      if (c === 47 && src.charCodeAt(i + 1) === 47) {
        const nl = src.indexOf('\n', i);
        i = nl < 0 ? src.length : nl + 1;
        nlBefore = true;
        continue;
      }
      if (c === 47 && src.charCodeAt(i + 1) === 42) { i = this.skipBlockComment(i); continue; }
      return { start: i, nlBefore };
    }
  }

  /** Block comments nest, like Fauna's. */
  private skipBlockComment(open: number): number {
    const src = this.source;
    let depth = 0;
    let i = open;
    while (i < src.length) {
      if (src.startsWith('/*', i)) { depth++; i += 2; continue; }
      if (src.startsWith('*/', i)) {
        depth--; i += 2;
        if (depth === 0) return i;
        continue;
      }
      i++;
    }
    throw expected(['`*/`'], src.length);
  }

  private lex(start: number, nlBefore: boolean): Token {
    const src = this.source;
    const tok = (kind: TokenKind, end: number, value = src.slice(start, end)): Token =>
      ({ kind, value, start, end, nlBefore });
    if (start >= src.length) return tok('eof', start, '');
    const c = src.charCodeAt(start);
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      return tok('ident', i);
    }
    if (isDigit(c)) return tok('number', this.scanNumber(start));
    if (c === 39) {
      const { value, end } = readQuoted(src, start);
      return tok('string', end, value);
    }
    if (c === 34) return tok('dquote', start + 1);
    if (src.startsWith('<<-', start)) {
      const { value, end } = readRawHeredoc(src, start);
      return tok('string', end, value);
    }
    if (src.startsWith('<<+', start)) {
      const { delimiter, bodyStart } = readHeredocOpening(src, start);
      return tok('heredoc', bodyStart, delimiter);
    }
    if (c === 0) {
      if (src.startsWith(TEMPLATE_PLACEHOLDER, start)) return tok('placeholder', start + TEMPLATE_PLACEHOLDER.length);
      return tok('invalid', start + 1);
    }
    for (const p of PUNCTUATORS) if (src.startsWith(p, start)) return tok('punct', start + p.length);
    return tok('invalid', start + 1);
  }

  /**
   * Numeric literal grammar: `0x`/`0o`/`0b` integers, decimal integers (no leading zeros), an
   * optional fraction (`.` must be followed by a digit, so `1.foo` is a member access) and an
   * optional exponent. Underscores may separate digits.
   */
  private scanNumber(start: number): number {
    const src = this.source;
    const at = (i: number): number => src.charCodeAt(i);
    const run = (from: number, ok: (c: number) => boolean): number => {
      let i = from;
      while (i < src.length && (ok(at(i)) || at(i) === 95)) i++;
      return i;
    };
    if (at(start) === 48) {
      const radix = src[start + 1]?.toLowerCase();
      const digit = radix === 'x' ? isHexDigit
        : radix === 'o' ? (c: number) => c >= 48 && c <= 55
          : radix === 'b' ? (c: number) => c === 48 || c === 49 : null;
      if (digit) {
        const end = run(start + 2, digit);
        if (end === start + 2) throw expected([radix === 'x' ? 'hex digit' : 'digit'], end);
        return end;
      }
    }
    let i = at(start) === 48 ? start + 1 : run(start + 1, isDigit);
    if (at(i) === 46 && isDigit(at(i + 1))) i = run(i + 2, isDigit);
    if (at(i) === 101 || at(i) === 69) {
      let j = i + 1;
      if (at(j) === 43 || at(j) === 45) j++;
      if (!isDigit(at(j))) throw expected(['digit'], j);
      i = run(j + 1, isDigit);
    }
    return i;
  }
}
