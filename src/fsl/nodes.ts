// First stage of FSL parsing, like Fauna's: a generic tree of items
// `@annotation(x) keyword name value`, where a value is a `{ ... }` block of items, a
// `[ ... ]` list of paths, an FQL expression, a function, or a field definition. The second
// stage (schema.ts) turns the tree into typed definitions.
import type { Block, Expr, TypeExpr } from '../fql/ast/nodes';
import type { Span } from '../fql/ast/span';
import { parseExpr, startsExpression } from '../fql/parse/expression';
import { expected } from '../fql/parse/failure';
import type { ParserState } from '../fql/parse/state';
import { parseBlockAfterBrace } from '../fql/parse/statement';
import { parseTypeExpr } from '../fql/parse/types';
import { readInterpolated } from '../fql/parse/strings';

export interface FslName { readonly value: string; readonly span: Span }
export interface FslAnnotation { readonly name: string; readonly value: FslName; readonly span: Span }
export interface FslParam { readonly name: FslName; readonly type: TypeExpr | null; readonly variadic: boolean }

export type FslValue =
  | { readonly kind: 'block'; readonly items: readonly FslNode[]; readonly span: Span }
  | { readonly kind: 'paths'; readonly paths: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  | {
    readonly kind: 'function'; readonly params: readonly FslParam[]; readonly returnType: TypeExpr | null;
    readonly body: Block; readonly span: Span;
  }
  | {
    readonly kind: 'field'; readonly compute: boolean; readonly type: TypeExpr | null;
    readonly value: Expr | null; readonly span: Span;
  }
  /** A migration statement, kept as source text (`add .foo`, `move .a -> .b`, ...). */
  | { readonly kind: 'migration'; readonly text: string; readonly span: Span };

export interface FslNode {
  readonly annotations: readonly FslAnnotation[];
  readonly keyword: FslName;
  readonly name: FslName | null;
  readonly value: FslValue | null;
  readonly span: Span;
}

// Keywords that take an optional name and then an optional value (Fauna's `genericKWs`).
const NAMED = new Set([
  'collection', 'role', 'index', 'terms', 'values', 'unique', 'predicate', 'migrations', 'privileges',
  'membership', 'history_days', 'ttl_days', 'check',
]);
// Privilege actions: optionally followed by a `{ predicate (...) }` block.
const ACTIONS = new Set([
  'create', 'create_with_id', 'delete', 'read', 'write', 'history_read', 'history_write',
  'unrestricted_read', 'call',
]);
// Settings followed directly by a value (`issuer "..."`, `document_ttls true`).
const SETTINGS = new Set(['issuer', 'jwks_uri', 'document_ttls']);
const MIGRATIONS = new Set(['backfill', 'drop', 'split', 'move', 'add', 'move_conflicts', 'move_wildcard', 'add_wildcard']);

const spanOf = (start: number, end: number): Span => ({ start, end });

function nameAt(p: ParserState): FslName {
  const t = p.tok;
  if (t.kind !== 'ident' && t.kind !== 'string') throw expected(['identifier'], t.start);
  p.advance();
  return { value: t.value, span: spanOf(t.start, t.end) };
}

/**
 * An annotation's value: a name, or a string for values that are not identifiers, as Fauna
 * writes `@role("server-readonly")` (interpolation is not allowed there).
 */
function annotationValueAt(p: ParserState): FslName {
  const t = p.tok;
  if (t.kind !== 'dquote') return nameAt(p);
  const { parts, end } = readInterpolated<never>(p.source, t.start, (pos) => { throw expected(['`"`'], pos - 2); });
  p.resetTo(end);
  return { value: parts.join(''), span: spanOf(t.start, end) };
}

function parseAnnotations(p: ParserState): FslAnnotation[] {
  const out: FslAnnotation[] = [];
  while (p.isPunct('@')) {
    const at = p.advance();
    const name = nameAt(p);
    p.expectPunct('(');
    const value = annotationValueAt(p);
    p.expectPunct(')');
    out.push({ name: name.value, value, span: spanOf(at.start, p.lastEnd) });
  }
  return out;
}

/**
 * Items up to a closing `}` (or the end), usually one per line or separated by `;`; actions
 * may share a line (`privileges Account { create read }`).
 */
export function parseItems(p: ParserState): FslNode[] {
  const items: FslNode[] = [];
  for (;;) {
    while (p.isPunct(';')) p.advance();
    if (p.tok.kind === 'eof' || p.isPunct('}')) return items;
    items.push(parseItem(p));
  }
}

function parseItem(p: ParserState): FslNode {
  const start = p.tok.start;
  const annotations = parseAnnotations(p);
  const kw = p.tok;
  if (kw.kind !== 'ident' && !(kw.kind === 'punct' && kw.value === '*')) throw expected(['identifier'], kw.start);
  const keyword: FslName = { value: kw.value, span: spanOf(kw.start, kw.end) };
  const node = (name: FslName | null, value: FslValue | null): FslNode =>
    ({ annotations, keyword, name, value, span: spanOf(start, p.lastEnd) });
  p.advance();

  // Fields first, so that a field may be called `privileges` or `index`.
  if (p.isPunct(':', true) || p.isPunct('=', true)) return node(keyword, parseField(p, false, kw.start));
  if (kw.value === 'compute') {
    const name = nameAt(p);
    return node(name, parseField(p, true, kw.start));
  }
  if (kw.value === 'function') {
    const name = nameAt(p);
    return node(name, parseFunction(p));
  }
  if (kw.value === 'access') {
    if (!p.isWord('provider')) throw expected(['`provider`'], p.tok.start);
    p.advance();
    const name = nameAt(p);
    return node(name, parseValue(p));
  }
  if (MIGRATIONS.has(kw.value)) {
    // To the end of the line, a `;` or the block's `}`, but not inside brackets or strings
    // (`.["a}"]`). A backfill's value is an FQL expression, parsed as one: it may hold object
    // literals (`backfill .a = { b: 1 }`), strings with braces, or span lines in parentheses.
    let depth = 0;
    while (p.tok.kind !== 'eof' && (depth > 0 || (!p.tok.nlBefore && !p.isPunct(';') && !p.isPunct('}')))) {
      if (kw.value === 'backfill' && depth === 0 && p.isPunct('=')) {
        p.advance();
        parseExpr(p);
        continue;
      }
      if (p.tok.kind === 'dquote' || p.tok.kind === 'heredoc') {
        parseExpr(p);
        continue;
      }
      if (p.isPunct('(') || p.isPunct('[') || p.isPunct('{')) depth++;
      else if (p.isPunct(')') || p.isPunct(']') || p.isPunct('}')) depth--;
      p.advance();
    }
    return node(null, { kind: 'migration', text: p.source.slice(kw.start, p.lastEnd), span: spanOf(kw.start, p.lastEnd) });
  }
  if (NAMED.has(kw.value)) {
    const hasName = !p.tok.nlBefore && (p.tok.kind === 'ident' || (p.tok.kind === 'string' && kw.value !== 'check'));
    const name = hasName ? nameAt(p) : null;
    return node(name, parseValue(p));
  }
  if (ACTIONS.has(kw.value)) return node(null, p.isPunct('{', true) ? parseValue(p) : null);
  if (SETTINGS.has(kw.value)) return node(null, parseValue(p));
  throw expected(['schema item'], kw.start);
}

/** An optional value on the same line: `{ items }`, `[paths]` or an FQL expression. */
function parseValue(p: ParserState): FslValue | null {
  if (p.tok.nlBefore) return null;
  const start = p.tok.start;
  if (p.isPunct('{')) {
    p.advance();
    const items = parseItems(p);
    p.expectPunct('}');
    return { kind: 'block', items, span: spanOf(start, p.lastEnd) };
  }
  if (p.isPunct('[')) {
    p.advance();
    const paths: Expr[] = [];
    while (!p.isPunct(']')) {
      paths.push(parseExpr(p, true));
      if (p.isPunct(',')) p.advance();
      else if (!p.isPunct(']')) throw expected(['`,`', '`]`'], p.tok.start);
    }
    p.advance();
    return { kind: 'paths', paths, span: spanOf(start, p.lastEnd) };
  }
  if (!startsExpression(p.tok)) return null;
  const expr = parseExpr(p);
  return { kind: 'expr', expr, span: expr.span };
}

/** `name: Type`, `name: Type = default`, `compute name: Type = (doc => ...)`. */
function parseField(p: ParserState, compute: boolean, start: number): FslValue {
  let type: TypeExpr | null = null;
  let value: Expr | null = null;
  if (p.isPunct(':')) {
    p.advance();
    type = parseTypeExpr(p);
  }
  if (p.isPunct('=', true)) {
    p.advance();
    value = parseExpr(p);
  }
  return { kind: 'field', compute, type, value, span: spanOf(start, p.lastEnd) };
}

/** `(a: T, b, ...rest: T): R { body }` */
function parseFunction(p: ParserState): FslValue {
  const start = p.expectPunct('(').start;
  const params: FslParam[] = [];
  while (!p.isPunct(')')) {
    const variadic = p.isPunct('...');
    if (variadic) p.advance();
    const name = nameAt(p);
    let type: TypeExpr | null = null;
    if (p.isPunct(':')) {
      p.advance();
      type = parseTypeExpr(p);
    }
    params.push({ name, type, variadic });
    if (p.isPunct(',')) p.advance();
    else if (!p.isPunct(')')) throw expected(['`)`', '`,`'], p.tok.start);
  }
  p.advance();
  let returnType: TypeExpr | null = null;
  if (p.isPunct(':')) {
    p.advance();
    returnType = parseTypeExpr(p);
  }
  const open = p.expectPunct('{');
  const body = parseBlockAfterBrace(p, open.start);
  return { kind: 'function', params, returnType, body, span: spanOf(start, p.lastEnd) };
}
