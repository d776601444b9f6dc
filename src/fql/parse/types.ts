// Type expressions, as written after `let x:`, in function signatures and in FSL field
// definitions: `String`, `Ref<Account>`, `Int | Null`, `String?`, `{ a: Int, b?: String, *: Any }`,
// `[Int, String]`, `(Int, String) => Boolean`, `String => String`, literals `"a"`, `1`, `true`.
import type { TypeExpr } from '../ast/nodes';
import type { Span } from '../ast/span';
import { expected } from './failure';
import { numberLiteral } from './numbers';
import type { ParserState } from './state';
import { readInterpolated } from './strings';
import { parseExpr } from './expression';

type TypeObjectField = { key: string; type: TypeExpr; optional: boolean; fallback?: Span };

const spanOf = (start: number, end: number): Span => ({ start, end });

/** A complete type; `A => B` and `(A, B) => C` are function types. */
export function parseTypeExpr(p: ParserState): TypeExpr {
  const start = p.tok.start;
  const params = p.isPunct('(') ? tryParamList(p) : null;
  if (params !== null) {
    p.expectPunct('=>');
    const result = parseTypeExpr(p);
    return { kind: 'typeFunction', params, result, span: spanOf(start, result.span.end) };
  }
  const t = parseUnion(p);
  if (p.isPunct('=>', true)) {
    p.advance();
    const result = parseTypeExpr(p);
    return { kind: 'typeFunction', params: [t], result, span: spanOf(start, result.span.end) };
  }
  return t;
}

/** `(A, B)` directly followed by `=>`; otherwise backtracks (a parenthesised type). */
function tryParamList(p: ParserState): TypeExpr[] | null {
  const mark = p.save();
  p.advance();
  const params: TypeExpr[] = [];
  try {
    while (!p.isPunct(')')) {
      params.push(parseTypeExpr(p));
      if (p.isPunct(',')) p.advance();
      else break;
    }
    p.expectPunct(')');
  } catch {
    p.restore(mark);
    return null;
  }
  if (p.isPunct('=>', true)) return params;
  p.restore(mark);
  return null;
}

/** `A | B | C`; a union may continue on the next line. */
function parseUnion(p: ParserState): TypeExpr {
  const first = parsePostfix(p);
  const members = [first];
  while (p.isPunct('|')) {
    p.advance();
    members.push(parsePostfix(p));
  }
  if (members.length === 1) return first;
  return { kind: 'typeUnion', members, span: spanOf(first.span.start, members[members.length - 1].span.end) };
}

/** `T?` (nullable) on the same line. */
function parsePostfix(p: ParserState): TypeExpr {
  let t = parsePrimaryType(p);
  while (p.isPunct('?', true)) {
    const q = p.advance();
    t = { kind: 'typeOptional', inner: t, span: spanOf(t.span.start, q.end) };
  }
  return t;
}

function parsePrimaryType(p: ParserState): TypeExpr {
  const t = p.tok;
  const here = spanOf(t.start, t.end);
  switch (t.kind) {
    case 'ident': {
      p.advance();
      if (t.value === 'true' || t.value === 'false') return { kind: 'typeLiteral', value: t.value === 'true', span: here };
      if (t.value === 'null') return { kind: 'typeLiteral', value: null, span: here };
      const args: TypeExpr[] = [];
      if (p.isPunct('<', true)) {
        p.advance();
        for (;;) {
          args.push(parseTypeExpr(p));
          if (!p.isPunct(',')) break;
          p.advance();
        }
        p.expectPunct('>', ['`,`']);
      }
      return { kind: 'typeName', name: t.value, args, span: spanOf(t.start, p.lastEnd) };
    }
    case 'string':
      p.advance();
      return { kind: 'typeLiteral', value: t.value, span: here };
    case 'dquote': {
      const { parts, end } = readInterpolated<never>(p.source, t.start, (pos) => { throw expected(['`"`'], pos - 2); });
      p.resetTo(end);
      return { kind: 'typeLiteral', value: parts.join(''), span: spanOf(t.start, end) };
    }
    case 'number':
      p.advance();
      return { kind: 'typeLiteral', value: numberLiteral(t.value, false, t.value, here).value, span: here };
    case 'punct':
      if (t.value === '{') return parseObjectType(p);
      if (t.value === '[') return parseTupleType(p);
      if (t.value === '(') {
        p.advance();
        const inner = parseTypeExpr(p);
        p.expectPunct(')');
        return { ...inner, span: spanOf(t.start, p.lastEnd) };
      }
      break;
    default:
      break;
  }
  throw expected(['type'], t.start);
}

/** `{ name: T, optional?: T, "quoted": T, *: T }` — `*` is the wildcard for other fields. */
function parseObjectType(p: ParserState): TypeExpr {
  const start = p.advance().start;
  const fields: TypeObjectField[] = [];
  let wildcard: TypeExpr | null = null;
  while (!p.isPunct('}')) {
    const key = p.tok;
    if (key.kind === 'punct' && key.value === '*') {
      p.advance();
      p.expectPunct(':');
      wildcard = parseTypeExpr(p);
    } else {
      let name: string;
      if (key.kind === 'ident' || key.kind === 'string') {
        name = key.value;
        p.advance();
      } else if (key.kind === 'dquote') {
        const { parts, end } = readInterpolated<never>(p.source, key.start, (pos) => { throw expected(['`"`'], pos - 2); });
        name = parts.join('');
        p.resetTo(end);
      } else {
        throw expected(['`}`', 'identifier'], key.start);
      }
      const optional = p.isPunct('?', true);
      if (optional) p.advance();
      p.expectPunct(':');
      const type = parseTypeExpr(p);
      // FSL struct fields may have defaults: `address: { street: Number = 10 }`.
      if (p.isPunct('=', true)) {
        p.advance();
        const fallback = parseExpr(p).span;
        fields.push({ key: name, type, optional, fallback });
      } else {
        fields.push({ key: name, type, optional });
      }
    }
    if (p.isPunct(',')) p.advance();
    // Fields may also be separated by newlines, as in FSL collection bodies.
    else if (!p.isPunct('}') && !p.tok.nlBefore) throw expected(['`,`', '`}`'], p.tok.start);
  }
  const close = p.advance();
  return { kind: 'typeObject', fields, wildcard, span: spanOf(start, close.end) };
}

function parseTupleType(p: ParserState): TypeExpr {
  const start = p.advance().start;
  const elements: TypeExpr[] = [];
  while (!p.isPunct(']')) {
    elements.push(parseTypeExpr(p));
    if (p.isPunct(',')) p.advance();
    else if (!p.isPunct(']')) throw expected(['`,`', '`]`'], p.tok.start);
  }
  const close = p.advance();
  return { kind: 'typeTuple', elements, span: spanOf(start, close.end) };
}
