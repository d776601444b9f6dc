// Test helpers: a compact S-expression rendering of FQL ASTs, and error capture.
import assert from 'node:assert/strict';
import type { Expr, ProjectionField, Stmt, TypeExpr } from '../../src/fql/ast/nodes';
import { QueryCheckError } from '../../src/fql/errors';
import { parseExpression, parseQuery } from '../../src/fql/parse/parse';
import type { DetailedDiagnostic } from '../../src/fql/summary';

export function showType(t: TypeExpr): string {
  switch (t.kind) {
    case 'typeName': return t.args.length ? `${t.name}<${t.args.map(showType).join(', ')}>` : t.name;
    case 'typeUnion': return `(${t.members.map(showType).join(' | ')})`;
    case 'typeOptional': return `${showType(t.inner)}?`;
    case 'typeLiteral': return JSON.stringify(t.value);
    case 'typeObject': {
      const fields = t.fields.map((f) => `${f.key}${f.optional ? '?' : ''}: ${showType(f.type)}`);
      if (t.wildcard) fields.push(`*: ${showType(t.wildcard)}`);
      return `{ ${fields.join(', ')} }`;
    }
    case 'typeTuple': return `[${t.elements.map(showType).join(', ')}]`;
    case 'typeFunction': return `((${t.params.map(showType).join(', ')}) => ${showType(t.result)})`;
  }
}

function showField(f: ProjectionField): string {
  if (f.kind === 'alias') return `${f.name}: ${show(f.value)}`;
  return f.nested ? `${f.name} {${f.nested.map(showField).join(', ')}}` : f.name;
}

function showStmt(s: Stmt): string {
  if (s.kind === 'let') return `(let ${s.name}${s.type ? `: ${showType(s.type)}` : ''} ${show(s.value)})`;
  return show(s.expr);
}

export function show(e: Expr): string {
  switch (e.kind) {
    case 'null': return 'null';
    case 'boolean': return String(e.value);
    case 'number': return `${e.numType}:${e.big ?? e.value}`;
    case 'string': return JSON.stringify(e.value);
    case 'template': return `(tpl ${e.parts.map((x) => (typeof x === 'string' ? JSON.stringify(x) : show(x))).join(' ')})`;
    case 'templateValue': return `<value${e.index}>`;
    case 'ident': return e.name;
    case 'array': return `[${e.elements.map(show).join(', ')}]`;
    case 'object': return `{${e.fields.map((f) => `${f.key}: ${show(f.value)}`).join(', ')}}`;
    case 'block': return `{${[...e.body.map(showStmt), e.result ? show(e.result) : ''].join('; ')}}`;
    case 'unary': return `(${e.op} ${show(e.operand)})`;
    case 'binary': case 'logical': return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'isa': return `(isa ${show(e.value)} ${showType(e.type)})`;
    case 'member': return `(${e.optional ? '?.' : '.'} ${show(e.object)} ${e.name})`;
    case 'index': return `(${e.optional ? '?.[]' : '[]'} ${show(e.object)} ${show(e.index)})`;
    case 'call': return `(${e.optional ? '?.call' : 'call'} ${[e.callee, ...e.args].map(show).join(' ')})`;
    case 'nonNull': return `(! ${show(e.expr)})`;
    case 'lambda': return `(fn [${e.params.join(' ')}${e.variadic ? '...' : ''}] ${show(e.body)})`;
    case 'shortLambda': return `(short ${show(e.body)})`;
    case 'implicitArg': return '$';
    case 'if': return `(if ${show(e.cond)} ${show(e.then)}${e.else ? ` ${show(e.else)}` : ''})`;
    case 'at': return `(at ${show(e.time)} ${show(e.body)})`;
    case 'projection': return `(proj ${show(e.object)} {${e.fields.map(showField).join(', ')}})`;
  }
}

/** The whole query rendered: statements joined with `; `. */
export function showQuery(source: string): string {
  const { body } = parseQuery(source);
  return [...body.body.map(showStmt), body.result ? show(body.result) : ''].join('; ');
}

export const showExpr = (source: string): string => show(parseExpression(source));

/** The diagnostics of a source that must fail to parse as a query. */
export function queryErrors(source: string): readonly DetailedDiagnostic[] {
  try {
    parseQuery(source);
  } catch (e) {
    assert.ok(e instanceof QueryCheckError, `unexpected ${String(e)}`);
    assert.equal(e.code, 'invalid_query');
    return e.diagnostics;
  }
  assert.fail(`expected ${JSON.stringify(source)} to fail`);
}

/** The single diagnostic of a failing query as `[message, start, end]`. */
export function queryError(source: string): [string, number, number] {
  const ds = queryErrors(source);
  assert.equal(ds.length, 1, JSON.stringify(ds));
  return [ds[0].message, ds[0].span.start, ds[0].span.end];
}
