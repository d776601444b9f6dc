// Static analysis of ASTs: the free names of an expression. Used by the pre-pass that reports
// unbound variables before evaluation, and to decide which captured variables a lambda needs
// when it is serialised into a set cursor.
import type { Expr, ProjectionField, TypeExpr } from '../ast/nodes';
import type { Span } from '../ast/span';

/** Type names `isa` understands without looking anything up. */
export const BUILTIN_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Any', 'Number', 'Int', 'Long', 'Double', 'Float', 'String', 'Boolean', 'Null', 'Array',
  'Object', 'Struct', 'Set', 'Time', 'Date', 'Bytes', 'UUID', 'ID', 'Function', 'EventSource',
]);

/** Free identifier occurrences, by name, in source order. */
export type FreeNames = Map<string, Span[]>;

export function freeNames(expr: Expr, bound: readonly string[] = []): FreeNames {
  const out: FreeNames = new Map();
  new FreeNameWalker(out, [...bound]).expr(expr);
  return out;
}

class FreeNameWalker {
  constructor(private readonly out: FreeNames, private readonly bound: string[]) {}

  private use(name: string, span: Span): void {
    if (this.bound.includes(name)) return;
    const spans = this.out.get(name);
    if (spans) spans.push(span);
    else this.out.set(name, [span]);
  }

  private scoped(names: readonly string[], body: () => void): void {
    const mark = this.bound.length;
    this.bound.push(...names);
    body();
    this.bound.length = mark;
  }

  expr(e: Expr): void {
    switch (e.kind) {
      case 'null': case 'boolean': case 'number': case 'string': case 'templateValue': case 'implicitArg':
        return;
      case 'template':
        for (const p of e.parts) if (typeof p !== 'string') this.expr(p);
        return;
      case 'ident': return this.use(e.name, e.span);
      case 'array': for (const x of e.elements) this.expr(x); return;
      case 'object': for (const f of e.fields) this.expr(f.value); return;
      case 'block':
        this.scoped([], () => {
          for (const s of e.body) {
            if (s.kind === 'let') {
              this.expr(s.value);
              this.bound.push(s.name);
            } else {
              this.expr(s.expr);
            }
          }
          if (e.result) this.expr(e.result);
        });
        return;
      case 'unary': return this.expr(e.operand);
      case 'binary': case 'logical': this.expr(e.left); this.expr(e.right); return;
      case 'isa': this.expr(e.value); this.type(e.type); return;
      case 'member': return this.expr(e.object);
      case 'index': this.expr(e.object); this.expr(e.index); return;
      case 'call': this.expr(e.callee); for (const a of e.args) this.expr(a); return;
      case 'nonNull': return this.expr(e.expr);
      case 'lambda': return this.scoped(e.params, () => this.expr(e.body));
      case 'shortLambda': return this.expr(e.body);
      case 'if': this.expr(e.cond); this.expr(e.then); if (e.else) this.expr(e.else); return;
      case 'at': this.expr(e.time); this.expr(e.body); return;
      case 'projection': this.expr(e.object); this.fields(e.fields); return;
    }
  }

  private fields(fields: readonly ProjectionField[]): void {
    for (const f of fields) {
      if (f.kind === 'alias') this.expr(f.value);
      else if (f.nested) this.fields(f.nested);
    }
  }

  /** `x isa Foo`: a type name that is not built in refers to a global (a collection). */
  private type(t: TypeExpr): void {
    if (t.kind === 'typeName' && t.args.length === 0 && !BUILTIN_TYPE_NAMES.has(t.name)) this.use(t.name, t.span);
  }
}
