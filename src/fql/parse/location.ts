// Line/column arithmetic over query sources, shared by the parser and the summary renderer.
// Fauna points spans past the last visible character back onto that character (trailing
// whitespace is ignored), so `lineCol` and the renderer agree on where "end of query" is.

export interface LineCol { readonly line: number; readonly column: number }

const TRAILING_WS = /[ \t\n\r\f\v\u001c-\u001f]+$/;

/** The source without trailing whitespace (Java's `String.stripTrailing`). */
export function stripTrailing(source: string): string {
  return source.replace(TRAILING_WS, '');
}

/** Zero-based index of the line holding `offset` (the number of `\n` before it). */
export function lineIndexOf(source: string, offset: number): number {
  let count = 0;
  const limit = Math.min(offset, source.length);
  for (let i = 0; i < limit; i++) if (source.charCodeAt(i) === 10) count++;
  return count;
}

/** Offset of the first character of the line holding `offset`. */
export function lineStart(source: string, offset: number): number {
  const limit = Math.min(offset, source.length);
  return source.lastIndexOf('\n', limit - 1) + 1;
}

/**
 * The source split into lines, each keeping its terminating `\n` (Scala's
 * `linesWithSeparators`); an empty source has no lines.
 */
export function linesWithSeparators(source: string): string[] {
  const lines: string[] = [];
  let from = 0;
  while (from < source.length) {
    const nl = source.indexOf('\n', from);
    const to = nl < 0 ? source.length : nl + 1;
    lines.push(source.slice(from, to));
    from = to;
  }
  return lines;
}

/**
 * The 1-based line and column Fauna reports for `offset` (`at *query*:<line>:<col>`).
 * Offsets in trailing whitespace are moved back so that "end of query" points just after the
 * last visible character.
 */
export function lineCol(source: string, offset: number): LineCol {
  let trimmed = stripTrailing(source);
  let start = offset;
  if (start > trimmed.length) start = trimmed.length;
  if (trimmed.length === 0) trimmed = ' ';
  const line = lineIndexOf(trimmed, start);
  return { line: line + 1, column: start - lineStart(trimmed, start) + 1 };
}
