// Renders diagnostics the way Fauna prints them in a response's `summary`:
//
//   error: The function `al` doesn't exist on `Collection`
//   at *query*:1:12
//     |
//   1 | Collection.al()
//     |            ^^
//     |
//
// The layout (gutter width, multi-line brackets, end-of-query clamping, template placeholders
// shown as `<value>`) follows Fauna's own renderer so that drivers and the CLI print the same
// text they would against Fauna.
import type { Span } from './ast/span';
import type { Diagnostic } from './errors';
import { SourceLines } from './parse/location';

export { lineCol, SourceLines } from './parse/location';
export type { LineCol } from './parse/location';

/** Source name Fauna prints for the query itself. */
export const QUERY_SOURCE = '*query*';

/**
 * A secondary note attached to a diagnostic, rendered after it. A `suggestion` turns the hint
 * into an edit proposal: `""` removes the span (`---`), text on an empty span is an insertion
 * (`+++`), text on a non-empty span replaces it (`~~~`); the excerpt shows the edited source.
 */
export interface DiagnosticHint {
  readonly message: string;
  readonly span: Span;
  readonly suggestion?: string;
  /** `hint` (default) or `cause` — the label Fauna prints before the message. */
  readonly label?: 'hint' | 'cause';
}

/**
 * A Diagnostic with Fauna's optional extras. The parser's QueryCheckError diagnostics are of
 * this shape; plain Diagnostics render the same way.
 */
export interface DetailedDiagnostic extends Diagnostic {
  /** Text printed after the carets, e.g. "`let` is a keyword". */
  readonly annotation?: string;
  readonly hints?: readonly DiagnosticHint[];
}

/**
 * The text diagnostics point into: a string, or the same split into lines once when many
 * blocks are rendered against it (a summary's diagnostics, a query's log lines).
 */
export type SummarySource = string | SourceLines;
const linesOf = (source: SummarySource): SourceLines => (typeof source === 'string' ? new SourceLines(source) : source);

// The template placeholder "\u0000value>" is printed as "<value>".
const NUL = /\u0000/g;

interface Row { readonly prefix: string; readonly gutter: string; readonly text: string }

/**
 * The caret excerpt for `span` (without the `at` line), plus the line/column it starts at.
 * A port of Fauna's `Span.annotateWithLineColNumber` with no context lines.
 */
function excerpt(
  source: SourceLines, span: Span, underline: string, annotation: string,
): { readonly text: string; readonly line: number; readonly column: number } {
  const start = Math.min(span.start, source.end);
  const length = Math.max(span.end - span.start, 0);

  const rows: Row[] = [];
  let index = source.lineIndexOf(start);
  const scanned = source.lineStart(start);
  const line = index + 1;
  const column = start - scanned + 1;

  if (index >= source.count) index = source.count - 1;
  const text = source.line(index);
  const indent = start - scanned;
  rows.push({ prefix: `${line} | `, gutter: '', text: text.replace(NUL, '<') });
  const multiline = indent + length > text.length && index + 1 < source.count;
  if (!multiline) {
    const marks = ' '.repeat(indent) + underline.repeat(length);
    rows.push({ prefix: '| ', gutter: '', text: annotation ? `${marks} ${annotation}` : marks });
  } else {
    // Multi-line spans get a bracket from the first character to the last one.
    rows.push({ prefix: '| ', gutter: ' _', text: '_'.repeat(indent) + underline });
    let remaining = length - (text.length - indent);
    let next = index + 1;
    while (remaining > 0) {
      const current = source.line(next);
      const after = remaining - current.length;
      rows.push({ prefix: `${next + 1} | `, gutter: '| ', text: current.replace(NUL, '<') });
      next++;
      if (after <= 0 || next >= source.count) {
        rows.push({ prefix: '| ', gutter: '|_', text: '_'.repeat(remaining - 1) + '^' });
        remaining = 0;
      } else {
        remaining = after;
      }
    }
  }

  rows.unshift({ prefix: '| ', gutter: '', text: '' });
  rows.push({ prefix: '| ', gutter: '', text: '' });
  const prefixWidth = Math.max(...rows.map((r) => r.prefix.length));
  const gutterWidth = Math.max(...rows.map((r) => r.gutter.length));
  const rendered = rows
    // trimEnd strips what /\s+$/ does, without V8 retrying that regex from each position of a
    // long whitespace run inside the line (quadratic in the run).
    .map((r) => (r.prefix.padStart(prefixWidth) + r.gutter.padStart(gutterWidth) + r.text).trimEnd())
    .join('\n');
  return { text: rendered, line, column };
}

/** `<label>: <message>` (or `<label>:` for an empty message). */
function headline(label: string, message: string): string {
  return message === '' ? `${label}:` : `${label}: ${message}`;
}

/** A span never renders as nothing: zero-width spans get one caret. */
function visible(span: Span): Span {
  return span.end > span.start ? span : { start: span.start, end: span.start + 1 };
}

function renderBlock(
  source: SourceLines, label: string, message: string, span: Span, underline: string, annotation: string,
  srcName: string, parentLine?: number,
): { readonly text: string; readonly line: number } {
  const ex = excerpt(source, span, underline, annotation);
  const parts = [headline(label, message)];
  // A hint on the same line as its diagnostic omits its own `at` line.
  if (parentLine !== ex.line) parts.push(`at ${srcName}:${ex.line}:${ex.column}`);
  parts.push(ex.text);
  return { text: parts.join('\n'), line: ex.line };
}

function renderHint(source: SourceLines, hint: DiagnosticHint, srcName: string, parentLine: number): string {
  const label = hint.label ?? 'hint';
  const { suggestion } = hint;
  if (suggestion === undefined) {
    return renderBlock(source, label, hint.message, visible(hint.span), '^', '', srcName, parentLine).text;
  }
  if (suggestion === '') {
    return renderBlock(source, label, hint.message, visible(hint.span), '-', '', srcName, parentLine).text;
  }
  // Insertions and replacements show the source as it would read after the edit.
  const raw = source.source;
  const edited = new SourceLines(raw.slice(0, hint.span.start) + suggestion + raw.slice(hint.span.end));
  const mark = hint.span.start === hint.span.end ? '+' : '~';
  const span = { start: hint.span.start, end: hint.span.start + suggestion.length };
  return renderBlock(edited, label, hint.message, span, mark, '', srcName, parentLine).text;
}

/**
 * One diagnostic as Fauna prints it. `kind` is the label (`error`, `warning`, `info`, ...);
 * `srcName` the source name after `at` (`*query*`, or e.g. `*udf:Name*` for a function body).
 * A plain `hint` string is printed as a hint pointing at the diagnostic's own span.
 */
export function renderDiagnostic(
  text: SummarySource, d: DetailedDiagnostic, kind = 'error', srcName = QUERY_SOURCE,
): string {
  const source = linesOf(text);
  const main = renderBlock(source, kind, d.message, visible(d.span), '^', d.annotation ?? '', srcName);
  const blocks = [main.text];
  if (d.hint !== undefined) blocks.push(renderHint(source, { message: d.hint, span: d.span }, srcName, main.line));
  for (const hint of d.hints ?? []) blocks.push(renderHint(source, hint, srcName, main.line));
  return blocks.join('\n');
}

/** Several diagnostics, one block each, separated by a blank line. */
export function renderSummary(
  text: SummarySource, diagnostics: readonly DetailedDiagnostic[], kind = 'error', srcName = QUERY_SOURCE,
): string {
  const source = linesOf(text);
  return diagnostics.map((d) => renderDiagnostic(source, d, kind, srcName)).join('\n\n');
}

/**
 * A stack-trace frame (`at <src>:<line>:<col>` plus the excerpt), as Fauna appends below an
 * error raised inside a function body for each calling site.
 */
export function renderFrame(source: SummarySource, span: Span, srcName = QUERY_SOURCE): string {
  const ex = excerpt(linesOf(source), visible(span), '^', '');
  return `at ${srcName}:${ex.line}:${ex.column}\n${ex.text}`;
}

/**
 * The `summary` entry of a `log()`/`dbg()` call: an `info` block pointing at the call's
 * arguments. Without a span only the message line is printed.
 */
export function renderLog(source: SummarySource, text: string, span?: Span, srcName = QUERY_SOURCE): string {
  if (span === undefined) return headline('info', text);
  return renderBlock(linesOf(source), 'info', text, visible(span), '^', '', srcName).text;
}
