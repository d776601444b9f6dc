// Entry points of the FQL v10 parser. Every syntax error surfaces as a QueryCheckError
// (`invalid_query`) whose diagnostics carry Fauna's messages, spans and hints.
import type { Expr, Query, TypeExpr } from '../ast/nodes';
import { QueryCheckError, isStackOverflow } from '../errors';
import type { DetailedDiagnostic } from '../summary';
import { expected, ParseFailure } from './failure';
import { parseExpr } from './expression';
import { ParserState } from './state';
import { parseQueryBody } from './statement';
import { parseTypeExpr } from './types';

export interface ExpressionOptions {
  /** Accept a top-level short lambda (`.name`), as Fauna does for field-path-like sources. */
  readonly allowShortLambda?: boolean;
}

/**
 * Runs `parse` over `source`. Non-fatal errors collected on the way are reported together;
 * a generic "Expected ..." failure is only reported when nothing more specific was found.
 */
function run<T>(source: string, parse: (p: ParserState) => T): T {
  let p: ParserState | undefined;
  let diagnostics: DetailedDiagnostic[];
  try {
    p = new ParserState(source);
    const result = parse(p);
    if (p.softErrors.length === 0) return result;
    diagnostics = p.softErrors;
  } catch (e) {
    if (isStackOverflow(e)) {
      // Recursive descent over absurdly nested input: refuse the query, not the process.
      throw new QueryCheckError([{ message: 'The query is too deeply nested.', span: { start: 0, end: Math.min(1, source.length) } }]);
    }
    if (!(e instanceof ParseFailure)) throw e;
    const soft = p?.softErrors ?? [];
    diagnostics = e.generic && soft.length > 0 ? soft : [...soft, e.diagnostic];
  }
  throw new QueryCheckError(diagnostics);
}

/** Requires the parse to have consumed the whole source. */
function toEnd<T>(parse: (p: ParserState) => T): (p: ParserState) => T {
  return (p) => {
    const result = parse(p);
    if (p.tok.kind !== 'eof') throw expected(['end-of-input'], p.tok.start);
    return result;
  };
}

/**
 * Parses a whole query: statements separated by newlines or `;`, the last one an expression.
 * Driver template values appear in `source` as "\u0000value>" placeholders and become
 * TemplateValue nodes numbered in source order.
 */
export function parseQuery(source: string): Query {
  return { source, body: run(source, parseQueryBody) };
}

/** Parses a single expression, e.g. a stored function body `(a, b) => { ... }`. */
export function parseExpression(source: string, options: ExpressionOptions = {}): Expr {
  return run(source, toEnd((p) => parseExpr(p, options.allowShortLambda ?? false)));
}

/** Parses a type expression, e.g. `String | Null` or `(Int, Int) => Int`. */
export function parseType(source: string): TypeExpr {
  return run(source, toEnd(parseTypeExpr));
}
