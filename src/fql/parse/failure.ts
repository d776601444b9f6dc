// The parser's diagnostics, worded as Fauna's parser words them (`fql.parser.Failure`).
import type { Span } from '../ast/span';
import type { DetailedDiagnostic } from '../summary';

/**
 * Thrown to abandon parsing at the first syntax error. `generic` marks the catch-all
 * "Expected ..." failures, which Fauna only reports when nothing more specific was found.
 */
export class ParseFailure extends Error {
  constructor(readonly diagnostic: DetailedDiagnostic, readonly generic = false) {
    super(diagnostic.message);
  }
}

const fail = (d: DetailedDiagnostic): ParseFailure => new ParseFailure(d);

/** "Expected `)`", "Expected `,` or `)`", "Expected `)`, `,`, or expression" (sorted like Fauna). */
export function expected(what: readonly string[], at: number): ParseFailure {
  const names = [...new Set(what)].sort();
  let list: string;
  if (names.length === 1) list = names[0];
  else if (names.length === 2) list = `${names[0]} or ${names[1]}`;
  else list = `${names.slice(0, -1).join(', ')}, or ${names[names.length - 1]}`;
  return new ParseFailure({ message: `Expected ${list}`, span: { start: at, end: at + 1 } }, true);
}

export function unexpectedEnd(of: 'query' | 'block', at: number): ParseFailure {
  return fail({
    message: `Unexpected end of ${of}. Expected statement or expression`,
    span: { start: at, end: at + 1 },
  });
}

export function missingReturn(at: number, statement: Span): ParseFailure {
  return fail({
    message: 'Missing return expression',
    span: { start: at, end: at + 1 },
    hints: [{ message: 'Statement does not return a value', span: statement, label: 'cause' }],
  });
}

export function invalidIdent(name: string, span: Span): ParseFailure {
  return fail({ message: 'Invalid identifier', span, annotation: `\`${name}\` is a keyword` });
}

export function invalidEscape(span: Span, annotation: string): ParseFailure {
  return fail({ message: 'Invalid escape', span, annotation });
}

export function interpolatedKey(interpolation: Span, keyStart: number, key: Span): ParseFailure {
  return fail({
    message: 'Object keys do not support interpolation',
    span: interpolation,
    hints: [
      { message: 'Add a backslash to ignore the interpolation', span: { start: keyStart, end: keyStart }, suggestion: '\\' },
      { message: 'Use Object.fromEntries if you need a dynamic key', span: key },
    ],
  });
}

export function invalidVariadic(span: Span): ParseFailure {
  return fail({ message: 'Invalid variadic argument', span });
}

// Errors Fauna reports without stopping the parse --------------------------------------------

export const invalidShortLambda = (span: Span): DetailedDiagnostic =>
  ({ message: 'Invalid anonymous field access', span });

export const duplicateLambdaArgument = (original: Span, duplicate: Span): DetailedDiagnostic => ({
  message: 'Duplicate lambda argument',
  span: duplicate,
  hints: [{ message: 'Argument originally defined here', span: original }],
});

export const duplicateKey = (original: Span, duplicate: Span): DetailedDiagnostic => ({
  message: 'Duplicate key',
  span: duplicate,
  hints: [{ message: 'Key originally used here', span: original }],
});
