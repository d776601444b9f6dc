// FQL double-quoted string literals, escaped the way core's `MaterializedValue.escape0` (a copy
// of the parser's unescape table) does: backslash, NUL, both quotes, backtick, \n \r \v \t \b \f
// and `#` (which would otherwise start an interpolation).
const ESCAPES: Record<string, string> = {
  '\\': '\\\\', '\u0000': '\\0', "'": "\\'", '"': '\\"', '`': '\\`', '\n': '\\n', '\r': '\\r',
  '\u000b': '\\v', '\t': '\\t', '\b': '\\b', '\f': '\\f', '#': '\\#',
};
const NEEDS_ESCAPE = /[\\\u0000'"`\n\r\u000b\t\b\f#]/g;

export function fqlStringLiteral(s: string): string {
  return '"' + s.replace(NEEDS_ESCAPE, (c) => ESCAPES[c]) + '"';
}

/** Core's `isIdent`: a letter followed by letters, digits or underscores. */
const IDENT_RE = /^\p{L}[\p{L}\p{N}_]*$/u;

export function isIdentifier(s: string): boolean {
  return IDENT_RE.test(s);
}
