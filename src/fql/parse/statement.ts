// Statements and blocks. A block (and the query itself) is a list of `let` and expression
// statements separated by line breaks or `;`; its value is the final expression, so a block
// may not end with a `let`.
import type { Block, Expr, LetStmt, Stmt, TypeExpr } from '../ast/nodes';
import { KEYWORDS, RESERVED_VARIABLES } from './chars';
import { expected, invalidIdent, missingReturn, unexpectedEnd } from './failure';
import { parseExpr, startsExpression } from './expression';
import type { ParserState } from './state';
import { parseTypeExpr } from './types';

function parseLet(p: ParserState): LetStmt {
  const start = p.advance().start;
  const name = p.tok;
  if (name.kind !== 'ident') throw expected(['identifier'], name.start);
  const nameSpan = { start: name.start, end: name.end };
  if (KEYWORDS.has(name.value) || RESERVED_VARIABLES.has(name.value)) throw invalidIdent(name.value, nameSpan);
  p.advance();
  let type: TypeExpr | null = null;
  if (p.isPunct(':')) {
    p.advance();
    type = parseTypeExpr(p);
  }
  // Without a type annotation yet, core names both tokens that may follow the name.
  p.expectPunct('=', type === null ? ['`:`'] : []);
  const value = parseExpr(p);
  return { kind: 'let', name: name.value, nameSpan, type, value, span: { start, end: value.span.end } };
}

function parseStatement(p: ParserState): Stmt {
  if (p.isWord('let')) return parseLet(p);
  const expr = parseExpr(p);
  return { kind: 'exprStmt', expr, span: expr.span };
}

/** Statements up to the first token that neither separates nor starts one. */
function parseStatements(p: ParserState, of: 'query' | 'block'): { body: Stmt[]; result: Expr } {
  const stmts: Stmt[] = [];
  while (startsExpression(p.tok)) {
    stmts.push(parseStatement(p));
    if (p.isPunct(';')) {
      while (p.isPunct(';')) p.advance();
    } else if (!p.tok.nlBefore) {
      break;
    }
  }
  const last = stmts.pop();
  if (last === undefined) {
    // A body of bare separators is as empty as no body at all.
    while (p.isPunct(';')) p.advance();
    throw unexpectedEnd(of, p.tok.start);
  }
  if (last.kind !== 'exprStmt') throw missingReturn(p.tok.start, last.span);
  return { body: stmts, result: last.expr };
}

/** The body of a `{ ... }` block whose `{` (at `start`) was consumed. */
export function parseBlockAfterBrace(p: ParserState, start: number): Block {
  const { body, result } = parseStatements(p, 'block');
  const close = p.expectPunct('}');
  return { kind: 'block', body, result, span: { start, end: close.end } };
}

/** The top level of a query: a block without braces that must reach the end of the source. */
export function parseQueryBody(p: ParserState): Block {
  const { body, result } = parseStatements(p, 'query');
  if (p.tok.kind !== 'eof') throw expected(['end-of-input'], p.tok.start);
  const start = body.length > 0 ? body[0].span.start : result.span.start;
  return { kind: 'block', body, result, span: { start, end: result.span.end } };
}
