// The tree-walking evaluator. One Evaluator per query (EvalContext); expressions evaluate
// asynchronously because field access may read documents. Errors raised without a span get
// the span of the innermost node being evaluated, like Fauna's stack frames.
import type {
  At, Binary, Block, Call, ChainLink, Expr, If, Lambda, Member, NonNull, Projection,
  ProjectionField, ShortLambda,
} from '../ast/nodes';
import { isChainLink } from '../ast/nodes';
import type { Span } from '../ast/span';
import { QUERY_ORIGIN, QueryError, type StoredSource } from '../errors';
import { dispatchKeys, isBuiltinModule, lookupApply, lookupMethod } from '../stdlib/registry';
import { FALSE, NULL, TRUE, arr, bool, double, int, isNullish, long, obj, str } from '../values/construct';
import { compareRelated, equals } from '../values/compare';
import type { CallSite, FunctionV, LambdaFn, Value } from '../values/value';
import { callMethod, invoke } from './calls';
import type { EvalContext } from './context';
import { displayString } from './display';
import { docExists, getField, readDoc } from './fields';
import {
  functionDoesNotExist, indexOutOfBounds, invalidArgType, invalidArgument, invalidType,
  notAFunction, unboundVariable,
} from './failures';
import { isA } from './isa';
import { causeOf, nonNullError, nullDocError, placeNull, withDistantNullHint, withNullHint } from './nulls';
import { arithmetic, concatDisplay, unary } from './operators';
import { CAPTURED_TEMPLATES, IMPLICIT, TEMPLATES, bind, lookup, type Scope } from './scope';
import { templatesIn } from './lambda-source';
import { checkpoint, resolveName, type EvalState } from './state';
import { checkStringSize } from '../limits';
import { mapSet } from './sets/combinators';
import { layerEventSource } from './sets/event-source-layers';

/**
 * An optional chain (`a?.b.c`) that met a null and skips the rest of the chain. It keeps the
 * null (a `!` after the chain reports its cause, core keeps the Value.Null) and `at`, the span of
 * the last link met or skipped: core evalMethodChain0's callee span, where that `!` points.
 */
interface Skipped { readonly t: 'skipped'; readonly value: Value; readonly at: Span }
type Chained = Value | Skipped;
const skipped = (value: Value, at: Span): Skipped => ({ t: 'skipped', value, at });

/** Binding that holds the source text spans refer to, for lambdas rebuilt from cursors. */
export const SOURCE = '\u0000source';
/** Fauna's name for the stored code SOURCE holds (`*udf:Name*`), bound alongside it. */
export const SOURCE_NAME = '\u0000source-name';
/** Parameter name of the function a projection over a set maps with. */
const PROJECTED = '__projected';

export class Evaluator {
  constructor(readonly ctx: EvalContext, readonly state: EvalState) {}

  async evalExpr(e: Expr, scope: Scope | null): Promise<Value> {
    try {
      return await this.dispatch(e, scope);
    } catch (err) {
      if (err instanceof QueryError) err.place(errorSpan(e));
      throw err;
    }
  }

  private dispatch(e: Expr, scope: Scope | null): Value | Promise<Value> {
    switch (e.kind) {
      case 'null': return this.placed(NULL, e.span, scope);
      case 'boolean': return e.value ? TRUE : FALSE;
      case 'number':
        return e.numType === 'int' ? int(e.value) : e.numType === 'long' ? long(e.big ?? BigInt(e.value)) : double(e.value);
      case 'string': return str(e.value);
      case 'template': return this.template(e.parts, scope);
      case 'templateValue': return this.templateValue(e.index, scope);
      case 'ident': return lookup(scope, e.name) ?? this.global(e.name, e.span);
      case 'array': return this.array(e.elements, scope);
      case 'object': return this.object(e, scope);
      case 'block': return this.block(e, scope);
      case 'unary': return this.unary(e.op, e.operand, e.opSpan, scope);
      case 'binary': return this.binary(e, scope);
      case 'logical': return this.logical(e.op, e.left, e.right, scope);
      case 'isa': return this.isa(e.value, e.type, scope);
      case 'member': case 'index': case 'call': case 'nonNull':
        return this.chainEnd(e, scope);
      case 'lambda': case 'shortLambda': return this.lambda(e, scope);
      case 'implicitArg': {
        const v = lookup(scope, IMPLICIT);
        if (v === undefined) throw new QueryError('invalid_query', 'Short form lambdas are not allowed here');
        return v;
      }
      case 'if': return this.ifElse(e, scope);
      case 'at': return this.at(e, scope);
      case 'projection': return this.projection(e, scope);
    }
  }

  // Names ---------------------------------------------------------------------------------------

  /** A free name: request argument, built-in module/global, user collection or function. */
  private async global(name: string, span: Span): Promise<Value> {
    const v = await resolveName(this.ctx, this.state, name);
    if (v === undefined) throw unboundVariable(name, span);
    return v;
  }

  private templateValue(index: number, scope: Scope | null): Value {
    const own = lookup(scope, TEMPLATES);
    const values = own !== undefined && own.t === 'array' ? own.v : this.ctx.templateValues;
    const v = values[index];
    if (v === undefined) throw new QueryError('invalid_query', 'Missing template value');
    return v;
  }

  /** A null value remembering that it was made at `span` of this scope's source (null hints). */
  private placed(v: Value, span: Span, scope: Scope | null): Value {
    if (v.t !== 'null') return v;
    const origin = originOf(scope);
    return origin ? placeNull(v, { span, origin }) : v;
  }

  /** The source text that spans in this scope refer to. */
  sourceOf(scope: Scope | null): string {
    const own = lookup(scope, SOURCE);
    return own !== undefined && own.t === 'string' ? own.v : this.ctx.source;
  }

  // Literals and blocks -------------------------------------------------------------------------

  /** core FQLInterpreter.evalStrTemplate: every part is size-checked before it is appended. */
  private async template(parts: readonly (string | Expr)[], scope: Scope | null): Promise<Value> {
    let out = '';
    for (const p of parts) {
      const piece = typeof p === 'string' ? p : await displayString(this.ctx, await this.evalExpr(p, scope));
      checkStringSize(out.length + piece.length);
      out += piece;
    }
    return str(out);
  }

  private async array(elements: readonly Expr[], scope: Scope | null): Promise<Value> {
    const out: Value[] = new Array(elements.length);
    for (let i = 0; i < elements.length; i++) out[i] = await this.evalExpr(elements[i], scope);
    return arr(out);
  }

  private async object(e: Extract<Expr, { kind: 'object' }>, scope: Scope | null): Promise<Value> {
    const m = new Map<string, Value>();
    for (const f of e.fields) m.set(f.key, await this.evalExpr(f.value, scope));
    return obj(m);
  }

  private async block(e: Block, scope: Scope | null): Promise<Value> {
    let s = scope;
    for (const stmt of e.body) {
      if (stmt.kind === 'let') s = bind(s, stmt.name, await this.evalExpr(stmt.value, s));
      else await this.evalExpr(stmt.expr, s);
    }
    return e.result ? this.evalExpr(e.result, s) : NULL;
  }

  private lambda(e: Lambda | ShortLambda, scope: Scope | null): FunctionV {
    const fn: LambdaFn = {
      kind: 'lambda',
      params: e.kind === 'lambda' ? e.params : [IMPLICIT],
      variadic: e.kind === 'lambda' ? e.variadic : false,
      body: e.body,
      env: this.captureTemplates(e.body, scope),
      source: this.sourceOf(scope).slice(e.span.start, e.span.end),
      span: e.span,
    };
    return { t: 'function', fn };
  }

  /** Remember the query's template values a lambda body uses, so the lambda can be serialised. */
  private captureTemplates(body: Expr, scope: Scope | null): Scope | null {
    const nodes = templatesIn(body);
    if (nodes.length === 0 || lookup(scope, TEMPLATES) !== undefined) return scope;
    return bind(scope, CAPTURED_TEMPLATES, arr(nodes.map((n) => this.templateValue(n.index, scope))));
  }

  // Operators -------------------------------------------------------------------------------------

  private async unary(op: '-' | '!' | '~', operand: Expr, opSpan: Span, scope: Scope | null): Promise<Value> {
    const v = await this.evalExpr(operand, scope);
    // Operators are native method calls in core: one compute unit each.
    checkpoint(this.ctx, this.state);
    try {
      return unary(op, v);
    } catch (err) {
      if (err instanceof QueryError && err.span === undefined) err.span = opSpan;
      throw err;
    }
  }

  private async binary(e: Binary, scope: Scope | null): Promise<Value> {
    const a = await this.evalExpr(e.left, scope);
    if (e.op === '??') {
      if (isNullish(a) || ((a.t === 'doc' || a.t === 'named') && !(await docExists(this, a)))) return this.evalExpr(e.right, scope);
      return a;
    }
    const b = await this.evalExpr(e.right, scope);
    // Operators other than `??`, `&&`, `||` and `isa` are native method calls in core
    // (FQLInterpreter.callOp): one compute unit each.
    checkpoint(this.ctx, this.state);
    switch (e.op) {
      case '==': return bool(await this.equal(a, b));
      case '!=': return bool(!(await this.equal(a, b)));
      case '<': case '<=': case '>': case '>=': {
        const c = compareRelated(a, b);
        if (c === undefined) return FALSE;
        return bool(e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0);
      }
      default:
        // core StringPrototype `+`: the other operand's display string, whatever its type.
        if (e.op === '+' && a.t === 'string') return concatDisplay(this.ctx, a, b);
        try {
          return arithmetic(e.op, a, b);
        } catch (err) {
          if (err instanceof QueryError && err.span === undefined && err.code === 'invalid_function_invocation') err.span = e.opSpan;
          // Fauna points a division by zero at the divisor (core FQL2ComputedFieldsSpec, `10 / 0`).
          if (err instanceof QueryError && err.span === undefined && err.code === 'divide_by_zero') err.span = e.right.span;
          throw err;
        }
    }
  }

  /** `==`: a document reference equals null exactly when the document does not exist. */
  async equal(a: Value, b: Value): Promise<boolean> {
    if ((a.t === 'doc' || a.t === 'named') && isNullish(b)) return !(await docExists(this, a));
    if ((b.t === 'doc' || b.t === 'named') && isNullish(a)) return !(await docExists(this, b));
    return equals(a, b);
  }

  private async logical(op: '&&' | '||', left: Expr, right: Expr, scope: Scope | null): Promise<Value> {
    const a = await this.evalExpr(left, scope);
    if (a.t !== 'boolean') throw invalidType('Boolean', a, left.span);
    if (a.v === (op === '||')) return a;
    const b = await this.evalExpr(right, scope);
    if (b.t !== 'boolean') throw invalidType('Boolean', b, right.span);
    return b;
  }

  private async isa(value: Expr, type: Extract<Expr, { kind: 'isa' }>['type'], scope: Scope | null): Promise<Value> {
    const v = await this.evalExpr(value, scope);
    return bool(await isA(v, type, async (name) => lookup(scope, name) ?? this.global(name, type.span)));
  }

  private async ifElse(e: If, scope: Scope | null): Promise<Value> {
    const c = await this.evalExpr(e.cond, scope);
    if (c.t !== 'boolean') throw invalidType('Boolean', c, e.cond.span);
    if (c.v) return this.evalExpr(e.then, scope);
    return e.else ? this.evalExpr(e.else, scope) : NULL;
  }

  /**
   * `at (time) expr`: reads inside `expr` see the database as of `time`, and writes are refused
   * (write-broker.ts refuseForbiddenWrite). At the transaction's own time (`at (Time.now())`,
   * `at (TransactionTime())`) there is no past snapshot: reads are current and writes allowed
   * (core FQLInterpreter.setValidTime stores no valid time equal to the snapshot time).
   */
  private async at(e: At, scope: Scope | null): Promise<Value> {
    const t = await this.evalExpr(e.time, scope);
    if (t.t !== 'time') throw invalidType('Time', t, e.time.span);
    const ts = t.ns / 1000n;
    if (ts > this.ctx.model.txnTs) throw invalidArgument('at_time', 'cannot evaluate `at` in the future', e.time.span);
    const previous = this.ctx.snapshotTs;
    this.ctx.snapshotTs = ts === this.ctx.model.txnTs ? undefined : ts;
    try {
      return await this.evalExpr(e.body, scope);
    } finally {
      this.ctx.snapshotTs = previous;
    }
  }

  // Member access, calls and optional chains ------------------------------------------------------

  /** The value of a whole chain: a skipped chain is its null (core returns the Value.Null). */
  private async chainEnd(e: ChainLink, scope: Scope | null): Promise<Value> {
    const v = await this.chain(e, scope);
    if (v.t !== 'skipped') return v;
    return isNullish(v.value) ? v.value : NULL;
  }

  /** A link's receiver: links of the same chain pass a skip on; a parenthesized chain ends it. */
  private chainLink(e: Expr, scope: Scope | null): Promise<Chained> {
    if (isChainLink(e) && !e.grouped) {
      return this.chain(e, scope).catch((err: unknown) => {
        if (err instanceof QueryError) err.place(errorSpan(e));
        throw err;
      });
    }
    return this.evalExpr(e, scope);
  }

  /** Whether `?.` on `v` short-circuits: null, a null document, or a document that is gone. */
  private async absent(v: Value): Promise<boolean> {
    if (isNullish(v)) return true;
    return (v.t === 'doc' || v.t === 'named') && !(await docExists(this, v));
  }

  private async chain(e: ChainLink, scope: Scope | null): Promise<Chained> {
    switch (e.kind) {
      case 'member': {
        const o = await this.chainLink(e.object, scope);
        if (o.t === 'skipped') return skipped(o.value, { start: e.dotSpan.start, end: e.nameSpan.end });
        if (e.optional && (await this.absent(o))) return skipped(o, e.nameSpan);
        return this.withSpan(e.nameSpan, async () => {
          try {
            return this.placed(await getField(this, o, e.name), e.nameSpan, scope);
          } catch (err) {
            // A field of a document that is gone: Fauna points at the document (`doc` of `doc.a`).
            if (err instanceof QueryError && err.span === undefined && err.code === 'document_not_found') err.span = e.object.span;
            throw err;
          }
        });
      }
      case 'index': {
        const o = await this.chainLink(e.object, scope);
        // Fauna points index failures at the brackets (`[2]` of `[1][2]`).
        const brackets = { start: e.object.span.end, end: e.span.end };
        if (o.t === 'skipped') return skipped(o.value, brackets);
        if (e.optional && (await this.absent(o))) return skipped(o, brackets);
        const i = await this.evalExpr(e.index, scope);
        return this.withSpan(brackets, () => this.index(o, i));
      }
      case 'nonNull': return this.nonNull(e, scope);
      case 'call':
        // `(a.f)(x)` applies the group's value: the parentheses end the chain before the call.
        return e.callee.kind === 'member' && !e.callee.grouped ? this.methodCall(e, e.callee, scope) : this.apply(e, scope);
    }
  }

  /**
   * `x!`. Its failures point from the last link of `x` to the `!` (core: the callee span to the
   * bang), and a null made elsewhere gets the "Null value created here" hint.
   */
  private async nonNull(e: NonNull, scope: Scope | null): Promise<Value> {
    const c = await this.chainLink(e.expr, scope);
    const v = c.t === 'skipped' ? c.value : c;
    const at: Span = { start: (c.t === 'skipped' ? c.at : calleeSpan(e.expr)).start, end: e.bangSpan.end };
    const fail = (err: QueryError): QueryError => {
      err.place(at);
      const origin = originOf(scope);
      return origin ? withDistantNullHint(err, v, { span: at, origin }) : err;
    };
    if (isNullish(v)) throw fail(nonNullError(v));
    if (v.t === 'doc' || v.t === 'named') {
      const d = v.t === 'doc' ? await this.ctx.model.readDoc(v) : await this.ctx.model.readNamed(v);
      if ('cause' in d) throw fail(nonNullError(d));
    }
    return v;
  }

  private withSpan<T>(span: Span, f: () => Promise<T>): Promise<T> {
    return onQueryError(f, (err) => err.place(span));
  }

  /**
   * Runs the call at `span` (its argument list). An error raised in a lambda it called shows
   * the call as a trace frame below the failing expression, as in core, where every method call
   * and application runs with its span pushed on the stack trace (FQLInterpreter.evalMethodChain0
   * `withStackFrame(span)`, FQL2PureSpec "writes within set functions make nice errors").
   */
  private inCall<T>(span: Span, f: () => Promise<T>): Promise<T> {
    return onQueryError(f, (err) => err.leaveCall(span));
  }

  private async index(o: Value, i: Value): Promise<Value> {
    switch (o.t) {
      case 'array': {
        if (i.t !== 'int') throw invalidArgType('index', 'Int', i);
        if (i.v < 0 || i.v >= o.v.length) throw indexOutOfBounds(i.v, o.v.length);
        return o.v[i.v];
      }
      case 'null': throw new QueryError('invalid_null_access', 'Cannot access `[]` on null.');
      case 'nulldoc': throw nullDocError(o);
      case 'object': case 'doc': case 'named': {
        if (i.t !== 'string') throw invalidArgType('field', 'String', i);
        return getField(this, o, i.v);
      }
      default: {
        const def = lookupMethod(dispatchKeys(o), '[]');
        if (!def) throw functionDoesNotExist('[]', o);
        return callMethod(this, def, o, [i], {});
      }
    }
  }

  private async args(nodes: readonly Expr[], scope: Scope | null): Promise<Value[]> {
    const out: Value[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) out[i] = await this.evalExpr(nodes[i], scope);
    return out;
  }

  /** Errors of a method call point at its argument list, as Fauna's stack traces do (`'foo'.insert(4, 'x')` → `(4, 'x')`). */
  private site(call: Call): CallSite {
    return { span: call.argsSpan, argSpans: call.args.map((a) => a.span), argsSpan: call.argsSpan };
  }

  /** `recv.name(args)`: a registry method, a collection index, or a function-valued field. */
  private async methodCall(call: Call, callee: Member, scope: Scope | null): Promise<Chained> {
    const recv = await this.chainLink(callee.object, scope);
    if (recv.t === 'skipped') return skipped(recv.value, call.argsSpan);
    if (callee.optional && (await this.absent(recv))) return skipped(recv, callee.nameSpan);
    const site = this.site(call);
    const keys = dispatchKeys(recv);
    let def = lookupMethod(keys, callee.name);
    if (!def && recv.t === 'module' && !isBuiltinModule(recv.name)) {
      def = await this.ctx.model.collectionIndex(recv.name, callee.name);
    }
    if (def) {
      const args = await this.args(call.args, scope);
      return this.inCall(site.span!, () => callMethod(this, def!, recv, args, site));
    }
    if (recv.t === 'null') throw withNullHint(new QueryError('invalid_null_access', `Cannot access \`${callee.name}\` on null.`, callee.nameSpan), recv);
    const fv = await this.withSpan(callee.nameSpan, () => getField(this, recv, callee.name));
    if (fv.t === 'null' && causeOf(fv)?.kind === 'missingField') throw functionDoesNotExist(callee.name, recv, callee.nameSpan);
    if (call.optional && isNullish(fv)) return skipped(fv, call.argsSpan);
    if (fv.t !== 'function' && !(fv.t === 'module' && this.applicable(fv))) throw notAFunction(callee.name, fv, callee.nameSpan);
    const args = await this.args(call.args, scope);
    return this.inCall(site.span!, () => this.applyValue(fv, args, site));
  }

  private async apply(call: Call, scope: Scope | null): Promise<Chained> {
    const f = await this.chainLink(call.callee, scope);
    if (f.t === 'skipped') return skipped(f.value, call.argsSpan);
    if (call.optional && isNullish(f)) return skipped(f, call.argsSpan);
    const args = await this.args(call.args, scope);
    const site: CallSite = { span: call.argsSpan, argSpans: call.args.map((a) => a.span) };
    return this.inCall(call.argsSpan, () => this.applyValue(f, args, site));
  }

  private applicable(m: Extract<Value, { t: 'module' }>) {
    return lookupApply(m.name) ?? (isBuiltinModule(m.name) ? undefined : lookupApply('collection'));
  }

  /** Call a value: a function, or a module that can be applied (`Time("...")`). */
  async applyValue(f: Value, args: readonly Value[], site: CallSite): Promise<Value> {
    if (f.t === 'function') return invoke(this, f.fn, args, site);
    if (f.t === 'module') {
      const def = this.applicable(f);
      if (def) return callMethod(this, def, f, args, site);
    }
    if (f.t === 'null') {
      const cause = causeOf(f);
      if (cause?.kind === 'missingField') throw new QueryError('invalid_function_invocation', `The function \`${cause.field}\` does not exist`);
    }
    throw invalidType('Function', f);
  }

  // Projection --------------------------------------------------------------------------------------

  private async projection(e: Projection, scope: Scope | null): Promise<Value> {
    const v = await this.evalExpr(e.object, scope);
    if (v.t === 'set' || v.t === 'eventsource') return this.projectSource(v, e.fields, e.span, scope);
    return this.project(v, e.fields, scope);
  }

  /** Project a value: objects and documents select fields, arrays project each element. */
  async project(v: Value, fields: readonly ProjectionField[], scope: Scope | null): Promise<Value> {
    switch (v.t) {
      case 'object': case 'doc': case 'named': {
        if (v.t !== 'object' && !(await docExists(this, v))) {
          return v.t === 'doc' ? await this.nullDocOf(v) : v;
        }
        const out = new Map<string, Value>();
        for (const f of fields) {
          if (f.kind === 'alias') {
            out.set(f.name, await this.evalExpr(f.value, bind(scope, IMPLICIT, v)));
          } else {
            const fv = await this.withSpan(f.span, () => getField(this, v, f.name));
            out.set(f.name, f.nested ? await this.project(fv, f.nested, scope) : fv);
          }
        }
        return obj(out);
      }
      case 'array': {
        const out: Value[] = [];
        for (const x of v.v) out.push(await this.project(x, fields, scope));
        return arr(out);
      }
      case 'set': case 'eventsource': return this.projectSource(v, fields, undefined, scope);
      default: return v;
    }
  }

  private async nullDocOf(v: Extract<Value, { t: 'doc' }>): Promise<Value> {
    const d = await this.ctx.model.readDoc(v);
    return 'cause' in d ? d : v;
  }

  /**
   * A projection over a set is a lazy map whose function is the projection itself, written as
   * a lambda so that cursors can carry it: `(__projected) => __projected { ...fields }`. Over an
   * event source it maps the source's set the same way (core EventSourcePrototype map).
   */
  private async projectSource(
    v: Extract<Value, { t: 'set' | 'eventsource' }>, fields: readonly ProjectionField[], span: Span | undefined, scope: Scope | null,
  ): Promise<Value> {
    const fn = this.projectionFn(fields, span, scope);
    if (v.t === 'eventsource') return layerEventSource(v, (inner) => mapSet(inner, fn, this.ctx.snapshotTs));
    return { t: 'set', set: mapSet(v.set, fn, this.ctx.snapshotTs) };
  }

  private projectionFn(fields: readonly ProjectionField[], span: Span | undefined, scope: Scope | null): FunctionV {
    const at = span ?? { start: 0, end: 0 };
    const body: Projection = { kind: 'projection', object: { kind: 'ident', name: PROJECTED, span: at }, fields, span: at };
    const fn: LambdaFn = {
      kind: 'lambda',
      params: [PROJECTED],
      variadic: false,
      body,
      env: this.captureTemplates(body, scope),
      source: `(${PROJECTED}) => ${PROJECTED} ${projectionText(fields, this.sourceOf(scope))}`,
      span,
    };
    return { t: 'function', fn };
  }
}

/** Source text of projection fields, rebuilt from the AST (alias values sliced from source). */
function projectionText(fields: readonly ProjectionField[], source: string): string {
  const parts = fields.map((f) => {
    if (f.kind === 'alias') return `${f.name}: ${source.slice(f.value.span.start, f.value.span.end)}`;
    return f.nested ? `${f.name} ${projectionText(f.nested, source)}` : f.name;
  });
  return `{ ${parts.join(', ')} }`;
}

/**
 * Core's callee span of the link `e` ends with, where a `!` after it points from: the name of
 * a field, the argument list of a call, the brackets of an index, else the whole expression.
 */
function calleeSpan(e: Expr): Span {
  if (!isChainLink(e) || e.grouped) return e.span;
  switch (e.kind) {
    case 'member': return e.nameSpan;
    case 'call': return e.argsSpan;
    case 'index': return { start: e.object.span.end, end: e.span.end };
    case 'nonNull': return { start: calleeSpan(e.expr).start, end: e.bangSpan.end };
  }
}

/** The source spans in `scope` point into (unset: stored code whose text is not bound). */
export function originOf(scope: Scope | null): StoredSource | undefined {
  const text = lookup(scope, SOURCE);
  if (text === undefined) return QUERY_ORIGIN;
  const name = lookup(scope, SOURCE_NAME);
  return text.t === 'string' && name?.t === 'string' ? { text: text.v, name: name.v } : undefined;
}

/** Where an error raised while evaluating `e` points (Fauna's carets). */
function errorSpan(e: Expr): Span {
  switch (e.kind) {
    case 'member': return e.nameSpan;
    case 'call': return e.callee.kind === 'member' ? { start: e.callee.nameSpan.start, end: e.span.end } : e.argsSpan;
    default: return e.span;
  }
}

/** Runs `f`; a QueryError it throws is handed to `handle` (to place it) on its way out. */
async function onQueryError<T>(f: () => Promise<T>, handle: (err: QueryError) => void): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof QueryError) handle(err);
    throw err;
  }
}
