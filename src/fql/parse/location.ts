// Line/column arithmetic over query sources, shared by the parser and the summary renderer.
// Fauna points spans past the last visible character back onto that character (trailing
// whitespace is ignored), so `lineCol` and the renderer agree on where "end of query" is.

export interface LineCol { readonly line: number; readonly column: number }

/** Java's `Character.isWhitespace` over ASCII: space, \t \n \v \f \r and \u001c-\u001f. */
const isTrailingWs = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);

/**
 * The source without trailing whitespace (Java's `String.stripTrailing`). A backward scan, not
 * a `/\s+$/` regex: V8 retries such a regex from every position of a whitespace run that does
 * not end the source, quadratic in the run (40,000 spaces took two seconds).
 */
export function stripTrailing(source: string): string {
  let end = source.length;
  while (end > 0 && isTrailingWs(source.charCodeAt(end - 1))) end--;
  return source.slice(0, end);
}

/**
 * A source as diagnostics are placed in it: without trailing whitespace (a single space when
 * nothing else is left), split into lines once. A summary renders every diagnostic against
 * one of these, so many diagnostics cost a search each rather than a pass over the source.
 */
export class SourceLines {
  readonly text: string;
  /** Where the visible source ends (0 for a blank one, whose text is ' '). */
  readonly end: number;
  /** Offset of the first character of each line: 0, then one past each `\n`. */
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    const trimmed = stripTrailing(source);
    this.end = trimmed.length;
    this.text = trimmed.length === 0 ? ' ' : trimmed;
    for (let nl = this.text.indexOf('\n'); nl >= 0; nl = this.text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
  }

  /** How many lines the text has (it never ends with `\n`, having no trailing whitespace). */
  get count(): number {
    return this.starts.length;
  }

  /** Line `index` (zero-based) with its terminating `\n` (Scala's `linesWithSeparators`). */
  line(index: number): string {
    return this.text.slice(this.starts[index], this.starts[index + 1] ?? this.text.length);
  }

  /** Zero-based index of the line holding `offset` (the number of `\n` before it). */
  lineIndexOf(offset: number): number {
    const limit = Math.min(offset, this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= limit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Offset of the first character of the line holding `offset`. At offset 0 of a text that
   * starts with `\n` this is 1, as `lastIndexOf('\n', -1) + 1` has always answered (a negative
   * start still looks at index 0); rendered columns depend on it.
   */
  lineStart(offset: number): number {
    if (Math.min(offset, this.text.length) === 0) return this.text.charCodeAt(0) === 10 ? 1 : 0;
    return this.starts[this.lineIndexOf(offset)];
  }

  /**
   * The 1-based line and column Fauna reports for `offset` (`at *query*:<line>:<col>`).
   * Offsets in trailing whitespace are moved back so that "end of query" points just after
   * the last visible character.
   */
  lineCol(offset: number): LineCol {
    const start = Math.min(offset, this.end);
    return { line: this.lineIndexOf(start) + 1, column: start - this.lineStart(start) + 1 };
  }
}

/** `SourceLines.lineCol` for one offset. */
export function lineCol(source: string, offset: number): LineCol {
  return new SourceLines(source).lineCol(offset);
}
