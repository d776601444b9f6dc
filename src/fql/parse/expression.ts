// Expressions: terms, member/call/index chains, operators, lambdas, literals, projections.
//
// Newlines matter (Fauna's rules): a line break ends an expression before `(`, `[`, `{`, `!`
// and before the arithmetic/comparison operators and `isa`, but not before `.`/`?.` (method
// chains continue on the next line) nor before `??`, `||`, `&&`, `|`, `^`, `&`. After an
// operator, `(`, `[`, `{`, `,` or `=>` the expression may continue on the next line.
import type {
  ArrayLit, BinaryOp, Call, Expr, ImplicitArg, IndexAccess, Lambda, Member, ObjectField, ObjectLit,
  ProjectionField, TypeExpr, UnaryOp,
} from '../ast/nodes';
import { isChainLink } from '../ast/nodes';
import type { Span } from '../ast/span';
import { KEYWORDS } from './chars';
import {
  duplicateKey, duplicateLambdaArgument, expected, interpolatedKey, invalidIdent, invalidShortLambda,
} from './failure';
import { numberLiteral } from './numbers';
import type { ParserState } from './state';
import { parseBlockAfterBrace } from './statement';
import { readInterpolated, readInterpolatedHeredoc, type StringPart } from './strings';
import type { Token } from './tokenize';

// Binding strength of the binary operators, loosest first (Fauna's ExprOpPrecedences).
const PRECEDENCE: Readonly<Record<string, number>> = {
  '??': 0, '||': 1, '&&': 2, '==': 3, '!=': 3, '>': 4, '<': 4, '>=': 4, '<=': 4, isa: 5,
  '|': 6, '^': 7, '&': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10, '**': 11,
};
/** Operators that may start a continuation line. */
const LINE_CONTINUING = new Set(['??', '||', '&&', '|', '^', '&']);
const UNARY = new Set(['-', '!', '~']);
const EXPRESSION_STARTS = new Set(['(', '[', '{', '.', '-', '+', '!', '~']);

/** Whether `t` can begin an expression (and therefore a statement). */
export function startsExpression(t: Token): boolean {
  switch (t.kind) {
    case 'ident': case 'number': case 'string': case 'dquote': case 'heredoc': case 'placeholder':
      return true;
    case 'punct':
      return EXPRESSION_STARTS.has(t.value);
    default:
      return false;
  }
}

const spanOf = (start: number, end: number): Span => ({ start, end });

/**
 * A full expression. A short lambda (`.name == 1`) is only valid where `allowShortLambda` is
 * set (call arguments, projection values); elsewhere Fauna reports it and keeps parsing.
 */
export function parseExpr(p: ParserState, allowShortLambda = false): Expr {
  const e = parseExpr0(p);
  if (e.kind === 'shortLambda' && !allowShortLambda && !p.parenthesized.has(e)) p.soft(invalidShortLambda(e.span));
  return e;
}

function parseExpr0(p: ParserState): Expr {
  if (p.isWord('if')) return parseIf(p);
  if (p.isWord('at')) return parseAt(p);
  const lambda = p.tok.kind === 'ident' ? tryIdentLambda(p) : p.isPunct('(') ? tryParenLambda(p) : null;
  if (lambda) return lambda;
  const value = parseBinary(p, 0);
  return p.isPunct('{', true) ? parseProjection(p, value) : value;
}

function parseIf(p: ParserState): Expr {
  const start = p.advance().start;
  p.expectPunct('(');
  const cond = parseExpr(p);
  p.expectPunct(')');
  const then = parseExpr(p);
  let otherwise: Expr | null = null;
  if (p.isWord('else')) {
    p.advance();
    otherwise = parseExpr(p);
  }
  return { kind: 'if', cond, then, else: otherwise, span: spanOf(start, (otherwise ?? then).span.end) };
}

function parseAt(p: ParserState): Expr {
  const start = p.advance().start;
  p.expectPunct('(');
  const time = parseExpr(p);
  p.expectPunct(')');
  const body = parseExpr(p);
  return { kind: 'at', time, body, span: spanOf(start, body.span.end) };
}

// Lambdas ------------------------------------------------------------------------------------

/** `x => body` (the arrow must be on the parameter's line). */
function tryIdentLambda(p: ParserState): Lambda | null {
  const param = p.tok;
  if (KEYWORDS.has(param.value)) return null;
  const mark = p.save();
  p.advance();
  if (!p.isPunct('=>', true)) {
    p.restore(mark);
    return null;
  }
  p.advance();
  const body = parseExpr(p);
  return { kind: 'lambda', params: [param.value], variadic: false, body, span: spanOf(param.start, body.span.end) };
}

/** `(a, b) => body`, `(...rest) => body`, `() => body`; otherwise backtracks. */
function tryParenLambda(p: ParserState): Lambda | null {
  const mark = p.save();
  const start = p.advance().start;
  const params: Token[] = [];
  let variadic = false;
  const isParam = (): boolean => p.tok.kind === 'ident' && !KEYWORDS.has(p.tok.value);
  while (!p.isPunct(')')) {
    if (p.isPunct('...')) {
      p.advance();
      if (!isParam()) break;
      params.push(p.advance());
      variadic = true;
      break;
    }
    if (!isParam()) break;
    params.push(p.advance());
    if (p.isPunct(',')) p.advance();
    else break;
  }
  if (!p.isPunct(')')) {
    p.restore(mark);
    return null;
  }
  p.advance();
  if (!p.isPunct('=>', true)) {
    p.restore(mark);
    return null;
  }
  p.advance();
  const body = parseExpr(p);
  const seen = new Map<string, Span>();
  for (const t of params) {
    if (t.value === '_') continue;
    const here = spanOf(t.start, t.end);
    const original = seen.get(t.value);
    if (original) p.soft(duplicateLambdaArgument(original, here));
    else seen.set(t.value, here);
  }
  return {
    kind: 'lambda', params: params.map((t) => t.value), variadic, body, span: spanOf(start, body.span.end),
  };
}

// Operators ----------------------------------------------------------------------------------

/** The binary operator at the cursor, if the current token continues the expression. */
function peekOperator(p: ParserState): string | null {
  const t = p.tok;
  let op: string;
  if (t.kind === 'punct' && t.value in PRECEDENCE) op = t.value;
  else if (t.kind === 'ident' && t.value === 'isa') op = 'isa';
  else return null;
  if (t.nlBefore && !LINE_CONTINUING.has(op)) return null;
  return op;
}

/** Precedence climbing; every operator is left-associative except `**`. */
function parseBinary(p: ParserState, minPrecedence: number): Expr {
  let left = parseUnary(p);
  for (;;) {
    const op = peekOperator(p);
    if (op === null || PRECEDENCE[op] < minPrecedence) return left;
    const opTok = p.advance();
    const prec = PRECEDENCE[op];
    const right = parseBinary(p, op === '**' ? prec : prec + 1);
    left = combine(op, spanOf(opTok.start, opTok.end), left, right);
  }
}

/**
 * Builds `left op right`. Short lambdas among the operands merge: `.a > 1 && .b` is one short
 * lambda whose body is the whole comparison.
 */
function combine(op: string, opSpan: Span, left: Expr, right: Expr): Expr {
  const short = left.kind === 'shortLambda' || right.kind === 'shortLambda';
  const l = left.kind === 'shortLambda' ? left.body : left;
  const r = right.kind === 'shortLambda' ? right.body : right;
  const span = spanOf(l.span.start, r.span.end);
  let e: Expr;
  if (op === '&&' || op === '||') e = { kind: 'logical', op, left: l, right: r, opSpan, span };
  else if (op === 'isa') e = { kind: 'isa', value: l, type: typeOfIsa(r), span };
  else e = { kind: 'binary', op: op as BinaryOp, left: l, right: r, opSpan, span };
  return short ? wrapShort(e) : e;
}

/** The right side of `isa` is written as an expression naming a type. */
function typeOfIsa(e: Expr): TypeExpr {
  switch (e.kind) {
    case 'ident': return { kind: 'typeName', name: e.name, args: [], span: e.span };
    case 'null': return { kind: 'typeLiteral', value: null, span: e.span };
    case 'boolean': case 'number': case 'string': return { kind: 'typeLiteral', value: e.value, span: e.span };
    case 'binary':
      if (e.op === '|') {
        const members = [typeOfIsa(e.left), typeOfIsa(e.right)]
          .flatMap((t) => (t.kind === 'typeUnion' ? t.members : [t]));
        return { kind: 'typeUnion', members, span: e.span };
      }
      break;
    default:
      break;
  }
  throw expected(['type'], e.span.start);
}

function wrapShort(body: Expr): Expr {
  return { kind: 'shortLambda', body, span: body.span };
}

/** A term with optional prefix operators; `-1`/`+1` are literals, not negations. */
function parseUnary(p: ParserState): Expr {
  const t = p.tok;
  if (t.kind === 'punct' && (t.value === '-' || t.value === '+')) {
    const digits = p.tokenizer.next(t.end);
    if (digits.kind === 'number' && !digits.nlBefore) {
      p.advance();
      p.advance();
      const lit = numberLiteral(digits.value, t.value === '-', p.source.slice(t.start, digits.end), spanOf(t.start, digits.end));
      return parseChain(p, lit);
    }
  }
  if (t.kind === 'punct' && UNARY.has(t.value)) {
    p.advance();
    if (p.tok.nlBefore) throw expected(['expression'], p.tok.start);
    const operand = parseUnary(p);
    const inner = operand.kind === 'shortLambda' ? operand.body : operand;
    const e: Expr = {
      kind: 'unary', op: t.value as UnaryOp, operand: inner, opSpan: spanOf(t.start, t.end),
      span: spanOf(t.start, inner.span.end),
    };
    return operand.kind === 'shortLambda' ? wrapShort(e) : e;
  }
  return parseChain(p, parsePrimary(p));
}

// Chains -------------------------------------------------------------------------------------

/** Applies `.x`, `?.x`, `(args)`, `[i]`, `!` suffixes; a short lambda's chain stays inside it. */
function parseChain(p: ParserState, start: Expr): Expr {
  if (start.kind === 'shortLambda' && !p.parenthesized.has(start)) {
    return wrapShort(parseChain(p, start.body));
  }
  let e = start;
  for (;;) {
    const next = parseChainStep(p, e);
    if (next === null) return e;
    e = next;
  }
}

function parseChainStep(p: ParserState, e: Expr): Expr | null {
  const t = p.tok;
  if (t.kind !== 'punct') return null;
  switch (t.value) {
    case '.':
      p.advance();
      return member(p, e, false, spanOf(t.start, t.end));
    case '?.':
      p.advance();
      if (p.isPunct('(')) return call(p, e, true);
      if (p.isPunct('[')) return index(p, e, true);
      return member(p, e, true, spanOf(t.start, t.end));
    case '(':
      return t.nlBefore ? null : call(p, e, false);
    case '[':
      return t.nlBefore ? null : index(p, e, false);
    case '!':
      if (t.nlBefore) return null;
      p.advance();
      return { kind: 'nonNull', expr: e, bangSpan: spanOf(t.start, t.end), span: spanOf(e.span.start, t.end) };
    default:
      return null;
  }
}

/** Field names after `.` may be any word, keywords included (`{ if: 1 }.if`). */
function member(p: ParserState, object: Expr, optional: boolean, dotSpan: Span): Member {
  const name = p.tok;
  if (name.kind !== 'ident') throw expected(['identifier'], name.start);
  p.advance();
  return {
    kind: 'member', object, name: name.value, nameSpan: spanOf(name.start, name.end), optional, dotSpan,
    span: spanOf(object.span.start, name.end),
  };
}

function call(p: ParserState, callee: Expr, optional: boolean): Call {
  const open = p.advance();
  const args: Expr[] = [];
  while (!p.isPunct(')')) {
    if (args.length === 0 && !startsExpression(p.tok)) throw expected(['`)`', 'expression'], p.tok.start);
    args.push(parseExpr(p, true));
    if (p.isPunct(',')) p.advance();
    else if (!p.isPunct(')')) throw expected(['`)`', '`,`'], p.tok.start);
  }
  const close = p.advance();
  return {
    kind: 'call', callee, args, optional, argsSpan: spanOf(open.start, close.end),
    span: spanOf(callee.span.start, close.end),
  };
}

function index(p: ParserState, object: Expr, optional: boolean): IndexAccess {
  p.advance();
  if (!startsExpression(p.tok)) throw expected(['expression'], p.tok.start);
  const i = parseExpr(p, true);
  const close = p.expectPunct(']');
  return { kind: 'index', object, index: i, optional, span: spanOf(object.span.start, close.end) };
}

// Primary terms ------------------------------------------------------------------------------

function parsePrimary(p: ParserState): Expr {
  const t = p.tok;
  const here = spanOf(t.start, t.end);
  switch (t.kind) {
    case 'placeholder':
      p.advance();
      return { kind: 'templateValue', index: p.placeholderIndex(t.start), span: here };
    case 'number':
      p.advance();
      return numberLiteral(t.value, false, t.value, here);
    case 'string':
      p.advance();
      return { kind: 'string', value: t.value, span: here };
    case 'dquote': {
      const { parts, end } = readInterpolated(p.source, t.start, interpolation(p));
      p.resetTo(end);
      return stringOrTemplate(parts, spanOf(t.start, end));
    }
    case 'heredoc': {
      const { parts, end } = readInterpolatedHeredoc(p.source, t.end, t.value, interpolation(p));
      p.resetTo(end);
      return stringOrTemplate(parts, spanOf(t.start, end));
    }
    case 'ident':
      return parseWord(p, t);
    case 'punct':
      if (t.value === '(') return parseParenthesized(p);
      if (t.value === '[') return parseArray(p);
      if (t.value === '{') return parseBraced(p);
      if (t.value === '.') return parseShortLambdaStart(p);
      break;
    default:
      break;
  }
  throw expected(['expression'], t.start);
}

function parseWord(p: ParserState, t: Token): Expr {
  const span = spanOf(t.start, t.end);
  switch (t.value) {
    case 'null': p.advance(); return { kind: 'null', span };
    case 'true': p.advance(); return { kind: 'boolean', value: true, span };
    case 'false': p.advance(); return { kind: 'boolean', value: false, span };
    default:
      if (KEYWORDS.has(t.value)) throw invalidIdent(t.value, span);
      p.advance();
      return { kind: 'ident', name: t.value, span };
  }
}

/** Parses `#{ expr }` for the string readers. */
function interpolation(p: ParserState): (pos: number) => { value: Expr; end: number } {
  return (pos) => {
    p.resetTo(pos);
    const value = parseExpr(p);
    if (!p.isPunct('}')) throw expected(['`}`'], p.tok.start);
    return { value, end: p.tok.end };
  };
}

function stringOrTemplate(parts: readonly StringPart<Expr>[], span: Span): Expr {
  if (parts.every((x) => typeof x === 'string')) return { kind: 'string', value: parts.join(''), span };
  return { kind: 'template', parts, span };
}

function parseParenthesized(p: ParserState): Expr {
  const open = p.advance();
  if (!startsExpression(p.tok)) throw expected(['expression'], p.tok.start);
  const inner = parseExpr(p, true);
  // `(a, b)` is a tuple (core Expr.Tuple), which evaluates to an array: index ranges use it
  // for multi-value bounds, `{ from: (100, 100) }`.
  if (p.isPunct(',')) {
    const elements: Expr[] = [inner];
    while (p.isPunct(',')) {
      p.advance();
      elements.push(parseExpr(p));
    }
    p.expectPunct(')');
    return { kind: 'array', elements, span: spanOf(open.start, p.lastEnd) };
  }
  p.expectPunct(')');
  // The parentheses belong to the span, as in Fauna (errors point at the whole group).
  const span = spanOf(open.start, p.lastEnd);
  const e: Expr = isChainLink(inner) ? { ...inner, span, grouped: true } : { ...inner, span };
  p.parenthesized.add(e);
  return e;
}

function parseArray(p: ParserState): ArrayLit {
  const open = p.advance();
  const elements: Expr[] = [];
  while (!p.isPunct(']')) {
    if (elements.length === 0 && !startsExpression(p.tok)) throw expected(['`]`', 'expression'], p.tok.start);
    elements.push(parseExpr(p));
    if (p.isPunct(',')) p.advance();
    else if (!p.isPunct(']')) throw expected(['`,`', '`]`'], p.tok.start);
  }
  const close = p.advance();
  return { kind: 'array', elements, span: spanOf(open.start, close.end) };
}

/** `.name`, `.(args)` or `.[i]` at the start of a term: a short lambda over its argument. */
function parseShortLambdaStart(p: ParserState): Expr {
  const dot = p.tok;
  const receiver: ImplicitArg = { kind: 'implicitArg', span: spanOf(dot.start, dot.start) };
  p.advance();
  let body: Expr;
  if (p.isPunct('(')) body = call(p, receiver, false);
  else if (p.isPunct('[')) body = index(p, receiver, false);
  else body = member(p, receiver, false, spanOf(dot.start, dot.end));
  return wrapShort(body);
}

// Objects and blocks -------------------------------------------------------------------------

interface Key { readonly name: string; readonly span: Span; readonly interpolation: Span | null }

/** An object key: a word, or a string without interpolation. */
function readKey(p: ParserState): Key | null {
  const t = p.tok;
  const span = spanOf(t.start, t.end);
  if (t.kind === 'ident' || t.kind === 'string') {
    p.advance();
    return { name: t.value, span, interpolation: null };
  }
  if (t.kind === 'dquote') {
    const { parts, end } = readInterpolated(p.source, t.start, interpolation(p));
    p.resetTo(end);
    const dynamic = parts.find((x): x is Expr => typeof x !== 'string');
    return {
      name: parts.filter((x) => typeof x === 'string').join(''),
      span: spanOf(t.start, end),
      interpolation: dynamic ? dynamic.span : null,
    };
  }
  return null;
}

/** `{` starts an object when a key and `:` follow, otherwise a block. `{}` is an empty object. */
function parseBraced(p: ParserState): Expr {
  const open = p.advance();
  if (p.isPunct('}')) {
    const close = p.advance();
    return { kind: 'object', fields: [], span: spanOf(open.start, close.end) };
  }
  const mark = p.save();
  const key = readKey(p);
  const isObject = key !== null && p.isPunct(':', true);
  p.restore(mark);
  if (!isObject) return parseBlockAfterBrace(p, open.start);
  return parseObjectFields(p, open.start);
}

function parseObjectFields(p: ParserState, start: number): ObjectLit {
  const fields: ObjectField[] = [];
  const seen = new Map<string, Span>();
  while (!p.isPunct('}')) {
    const keyStart = p.tok.start;
    const key = readKey(p);
    if (key === null) throw expected(['`}`', 'identifier'], p.tok.start);
    if (!p.isPunct(':', true)) throw expected(['`:`'], p.tok.start);
    if (key.interpolation) throw interpolatedKey(key.interpolation, keyStart + 1, key.span);
    p.advance();
    const value = parseExpr(p);
    const original = seen.get(key.name);
    if (original) p.soft(duplicateKey(original, key.span));
    else seen.set(key.name, key.span);
    fields.push({ key: key.name, keySpan: key.span, value });
    if (p.isPunct(',')) p.advance();
    else if (!p.isPunct('}')) throw expected(['`,`', '`}`'], p.tok.start);
  }
  const close = p.advance();
  return { kind: 'object', fields, span: spanOf(start, close.end) };
}

// Projection ---------------------------------------------------------------------------------

/** `value { a, b: .x + 1, c { d } }`; applies to the whole preceding expression. */
function parseProjection(p: ParserState, value: Expr): Expr {
  const short = value.kind === 'shortLambda';
  const object = short ? value.body : value;
  const fields = parseProjectionFields(p);
  const e: Expr = { kind: 'projection', object, fields, span: spanOf(object.span.start, p.lastEnd) };
  return short ? wrapShort(e) : e;
}

function parseProjectionFields(p: ParserState): ProjectionField[] {
  p.advance();
  const fields: ProjectionField[] = [];
  do {
    const name = p.tok;
    if (name.kind !== 'ident') throw expected(['identifier'], name.start);
    const nameSpan = spanOf(name.start, name.end);
    if (KEYWORDS.has(name.value)) throw invalidIdent(name.value, nameSpan);
    p.advance();
    if (p.isPunct(':', true)) {
      p.advance();
      const v = parseExpr(p, true);
      // The value is evaluated with the projected value as its implicit receiver.
      fields.push({ kind: 'alias', name: name.value, span: spanOf(name.start, v.span.end), value: v.kind === 'shortLambda' ? v.body : v });
    } else if (p.isPunct('{', true)) {
      fields.push({ kind: 'field', name: name.value, span: nameSpan, nested: parseProjectionFields(p) });
    } else {
      fields.push({ kind: 'field', name: name.value, span: nameSpan });
    }
    if (!p.isPunct(',')) break;
    p.advance();
  } while (!p.isPunct('}'));
  p.expectPunct('}', ['`,`']);
  return fields;
}
