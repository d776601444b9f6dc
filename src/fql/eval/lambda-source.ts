// Lambdas as text: cursors carry a lambda as source code plus the captured values it uses,
// and rebuild it by re-parsing. These helpers find what a lambda body needs from its
// surroundings: template values (driver-interpolated `<value>` placeholders) and free names.
import type { Expr, ProjectionField, TemplateValue } from '../ast/nodes';

const templateNodes = new WeakMap<Expr, readonly TemplateValue[]>();

/** Template-value placeholders in `body`, in source order (cached per AST node). */
export function templatesIn(body: Expr): readonly TemplateValue[] {
  let found = templateNodes.get(body);
  if (!found) {
    const out: TemplateValue[] = [];
    walk(body, (e) => { if (e.kind === 'templateValue') out.push(e); });
    out.sort((a, b) => a.span.start - b.span.start);
    templateNodes.set(body, (found = out));
  }
  return found;
}

/**
 * Offsets (relative to `origin`) where a short lambda's implicit receiver appears, i.e. where
 * `.x` must become `param.x` to turn the short form into an ordinary lambda. Nested short
 * lambdas and projection aliases have their own receivers and are skipped.
 */
export function implicitArgOffsets(body: Expr, origin: number): number[] {
  const out: number[] = [];
  walk(body, (e) => { if (e.kind === 'implicitArg') out.push(e.span.start - origin); }, true);
  return out.sort((a, b) => a - b);
}

function walk(e: Expr, visit: (e: Expr) => void, ownReceiverOnly = false): void {
  visit(e);
  const go = (x: Expr) => walk(x, visit, ownReceiverOnly);
  switch (e.kind) {
    case 'template': for (const p of e.parts) if (typeof p !== 'string') go(p); return;
    case 'array': e.elements.forEach(go); return;
    case 'object': for (const f of e.fields) go(f.value); return;
    case 'block':
      for (const s of e.body) go(s.kind === 'let' ? s.value : s.expr);
      if (e.result) go(e.result);
      return;
    case 'unary': go(e.operand); return;
    case 'binary': case 'logical': go(e.left); go(e.right); return;
    case 'isa': go(e.value); return;
    case 'member': go(e.object); return;
    case 'index': go(e.object); go(e.index); return;
    case 'call': go(e.callee); e.args.forEach(go); return;
    case 'nonNull': go(e.expr); return;
    case 'lambda': go(e.body); return;
    case 'shortLambda': if (!ownReceiverOnly) go(e.body); return;
    case 'if': go(e.cond); go(e.then); if (e.else) go(e.else); return;
    case 'at': go(e.time); go(e.body); return;
    case 'projection': go(e.object); if (!ownReceiverOnly) walkFields(e.fields, go); return;
    default: return;
  }
}

function walkFields(fields: readonly ProjectionField[], go: (e: Expr) => void): void {
  for (const f of fields) {
    if (f.kind === 'alias') go(f.value);
    else if (f.nested) walkFields(f.nested, go);
  }
}
