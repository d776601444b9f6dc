// FSL (Fauna Schema Language) → typed schema definitions. Bodies of functions, predicates,
// checks and computed fields are kept as FQL source text, which is what Fauna stores in the
// corresponding documents (`body`, `predicate`, ...), and is parsed again when evaluated.
import type { Expr, TypeExpr } from '../fql/ast/nodes';
import type { Span } from '../fql/ast/span';
import { isStackOverflow } from '../fql/errors';
import { ParseFailure } from '../fql/parse/failure';
import { ParserState } from '../fql/parse/state';
import { type DetailedDiagnostic, renderSummary } from '../fql/summary';
import { type FslNode, type FslValue, parseItems } from './nodes';

export interface IndexField {
  /** The path as written, e.g. `.email` or `.address.city`. */
  readonly field: string;
  readonly mva: boolean;
  /** Only for index values. */
  readonly order?: 'asc' | 'desc';
  readonly span: Span;
}
export interface IndexDef {
  readonly name: string; readonly terms: readonly IndexField[] | null; readonly values: readonly IndexField[] | null;
  readonly span: Span;
}
export interface UniqueDef { readonly fields: readonly IndexField[]; readonly span: Span }
export interface CheckDef { readonly name: string; readonly body: string; readonly span: Span }
/** `name: Type [= default]`; the wildcard `*: Type` has name `*`. */
export interface FieldDef {
  readonly name: string; readonly type: TypeExpr | null; readonly typeSource: string | null;
  readonly default: string | null; readonly span: Span;
}
export interface ComputedFieldDef {
  readonly name: string; readonly type: TypeExpr | null; readonly typeSource: string | null;
  readonly body: string; readonly span: Span;
}
export interface CollectionDef {
  readonly kind: 'collection';
  readonly name: string;
  readonly nameSpan: Span;
  readonly alias: string | null;
  readonly fields: readonly FieldDef[];
  readonly computedFields: readonly ComputedFieldDef[];
  readonly indexes: readonly IndexDef[];
  readonly uniqueConstraints: readonly UniqueDef[];
  readonly checkConstraints: readonly CheckDef[];
  readonly historyDays: number | null;
  readonly ttlDays: number | null;
  readonly documentTtls: boolean | null;
  /** Migration statements as written (`add .foo`, `drop .bar`, ...). */
  readonly migrations: readonly string[];
  readonly span: Span;
}
export interface FunctionParam { readonly name: string; readonly type: string | null; readonly variadic: boolean }
export interface FunctionDef {
  readonly kind: 'function';
  readonly name: string;
  readonly nameSpan: Span;
  readonly alias: string | null;
  /** `@role(server)` → "server". */
  readonly role: string | null;
  readonly params: readonly FunctionParam[];
  readonly returnType: string | null;
  /** The function as Fauna stores it in `body`: `(a, b) => { ... }`. */
  readonly body: string;
  /** `(a: T, b: U) => R` when the declaration has types (untyped parts are `Any`). */
  readonly signature: string | null;
  readonly span: Span;
}
export interface Predicated { readonly predicate: string | null }
export interface RoleDef {
  readonly kind: 'role';
  readonly name: string;
  readonly nameSpan: Span;
  readonly membership: readonly ({ readonly collection: string } & Predicated)[];
  readonly privileges: readonly { readonly resource: string; readonly actions: readonly ({ readonly action: string } & Predicated)[] }[];
  readonly span: Span;
}
export interface AccessProviderDef {
  readonly kind: 'accessProvider';
  readonly name: string;
  readonly nameSpan: Span;
  readonly issuer: string | null;
  readonly jwksUri: string | null;
  readonly roles: readonly ({ readonly role: string } & Predicated)[];
  readonly span: Span;
}
export type SchemaItem = CollectionDef | FunctionDef | RoleDef | AccessProviderDef;

/** An invalid schema file; `summary` renders the diagnostics against the file. */
export class FslError extends Error {
  readonly summary: string;
  constructor(readonly diagnostics: readonly DetailedDiagnostic[], readonly filename: string, source: string) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.summary = renderSummary(source, diagnostics, 'error', filename);
  }
}

class Invalid extends Error {
  constructor(readonly diagnostic: DetailedDiagnostic) { super(diagnostic.message); }
}
const invalid = (message: string, span: Span): Invalid => new Invalid({ message, span });

/**
 * Remembers where each key was first defined and refuses a second definition the way core's
 * FSL parser does (FSLParserSpec "reject duplicated names"): the error at the repeat, a hint at
 * the original.
 */
class Seen {
  private readonly first = new Map<string, Span>();
  constructor(private readonly hint = 'Originally defined here') {}
  check(key: string, span: Span, message: string): void {
    const original = this.first.get(key);
    if (original) throw new Invalid({ message, span, hints: [{ message: this.hint, span: original }] });
    this.first.set(key, span);
  }
}

/** Parses an FSL file into its schema items. Throws FslError. */
export function parseSchema(source: string, filename = 'main.fsl'): SchemaItem[] {
  let nodes: FslNode[];
  let p: ParserState | undefined;
  try {
    p = new ParserState(source);
    nodes = parseItems(p);
    if (p.tok.kind !== 'eof') throw invalid('Unexpected `}`', { start: p.tok.start, end: p.tok.end });
    if (p.softErrors.length > 0) throw new FslError(p.softErrors, filename, source);
    const items = nodes.map((n) => convertItem(source, n));
    refuseDuplicateItems(items);
    return items;
  } catch (e) {
    if (e instanceof ParseFailure) throw new FslError([...(p?.softErrors ?? []), e.diagnostic], filename, source);
    if (e instanceof Invalid) throw new FslError([e.diagnostic], filename, source);
    if (isStackOverflow(e)) {
      // Recursive descent over absurdly nested input, as the FQL parser refuses it (parse.ts):
      // a schema error, not a 500 with the engine's message.
      throw new FslError([{ message: 'The schema is too deeply nested.', span: { start: 0, end: Math.min(1, source.length) } }], filename, source);
    }
    throw e;
  }
}

const text = (source: string, span: Span): string => source.slice(span.start, span.end);

/** Collections and functions share one namespace; roles and access providers have their own. */
function refuseDuplicateItems(items: readonly SchemaItem[]): void {
  const globals = new Seen();
  const roles = new Seen();
  const providers = new Seen();
  for (const item of items) {
    if (item.kind === 'collection' || item.kind === 'function') globals.check(item.name, item.nameSpan, `Duplicate collection or function \`${item.name}\``);
    else if (item.kind === 'role') roles.check(item.name, item.nameSpan, `Duplicate role \`${item.name}\``);
    else providers.check(item.name, item.nameSpan, `Duplicate access provider \`${item.name}\``);
  }
}

/** Annotations each kind of item takes (`@alias`, `@role`); others are refused as in core. */
const ANNOTATIONS: Readonly<Record<string, readonly string[]>> = { collection: ['alias'], function: ['alias', 'role'] };

function convertItem(source: string, n: FslNode): SchemaItem {
  if (n.name === null) throw invalid(`Missing name for \`${n.keyword.value}\``, n.keyword.span);
  const allowed = ANNOTATIONS[n.keyword.value];
  for (const a of n.annotations) {
    if (allowed === undefined) throw invalid('Annotations are not allowed here', a.span);
    if (!allowed.includes(a.name)) throw invalid('Annotation not supported here', a.span);
  }
  switch (n.keyword.value) {
    case 'collection': return convertCollection(source, n);
    case 'function': return convertFunction(source, n);
    case 'role': return convertRole(source, n);
    case 'access': return convertAccessProvider(source, n);
    default: throw invalid(`Unexpected \`${n.keyword.value}\``, n.keyword.span);
  }
}

function annotation(n: FslNode, name: string): string | null {
  const a = n.annotations.find((x) => x.name === name);
  return a ? a.value.value : null;
}

function blockItems(n: FslNode): readonly FslNode[] {
  if (n.value === null) return [];
  if (n.value.kind !== 'block') throw invalid('Expected `{`', n.value.span);
  return n.value.items;
}

function exprValue(n: FslNode): Expr {
  if (n.value?.kind !== 'expr') throw invalid(`Expected a value for \`${n.keyword.value}\``, n.keyword.span);
  return n.value.expr;
}

function intValue(n: FslNode): number {
  const e = exprValue(n);
  if (e.kind !== 'number' || e.numType === 'double') throw invalid('Expected an integer', e.span);
  return e.value;
}

function stringValue(n: FslNode): string {
  const e = exprValue(n);
  if (e.kind !== 'string') throw invalid('Expected a string', e.span);
  return e.value;
}

/** Predicates and checks are lambdas, `((doc) => ...)` or `(.field)` (core FSLParserSpec). */
const isLambda = (e: Expr): boolean => e.kind === 'lambda' || e.kind === 'shortLambda';

/** `(predicate (x => ...))` inside a block, as source text. */
function predicateOf(source: string, n: FslNode): string | null {
  let predicate: string | null = null;
  for (const item of blockItems(n)) {
    if (item.keyword.value !== 'predicate') throw invalid(`Unexpected \`${item.keyword.value}\``, item.keyword.span);
    const e = exprValue(item);
    if (!isLambda(e)) throw invalid('Expected lambda predicate', e.span);
    predicate = text(source, e.span);
  }
  return predicate;
}

/** An index path: `.a.b`, `.["x"]`, optionally wrapped in `mva(...)`, `asc(...)`, `desc(...)`. */
function indexField(source: string, e: Expr, allowOrder: boolean): IndexField {
  let expr = e;
  let mva = false;
  let order: 'asc' | 'desc' | undefined;
  while (expr.kind === 'call' && expr.callee.kind === 'ident' && expr.args.length === 1) {
    const fn = expr.callee.name;
    if (fn === 'mva') mva = true;
    else if (allowOrder && (fn === 'asc' || fn === 'desc')) order = fn;
    else throw invalid(allowOrder ? "Expected 'asc', 'desc', or 'mva'" : "Expected 'mva'", expr.callee.span);
    expr = expr.args[0];
  }
  if (expr.kind !== 'shortLambda' || !isFieldPath(expr.body)) throw invalid('Invalid field path', expr.span);
  return { field: pathText(expr.body), mva, ...(allowOrder ? { order: order ?? 'asc' } : {}), span: e.span };
}

const PATH_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A field path in Fauna's display form, whatever its spacing or quoting in the source:
 * `.phone .email` is `.phone.email`, `.["name"]` is `.name`, `.["0baz"]` stays bracketed.
 */
function pathText(e: Expr): string {
  if (e.kind === 'implicitArg') return '';
  if (e.kind === 'member') return `${pathText(e.object)}.${e.name}`;
  if (e.kind === 'index') {
    const head = pathText(e.object);
    const key = e.index;
    if (key.kind === 'string') {
      if (PATH_IDENT.test(key.value)) return `${head}.${key.value}`;
      return `${head === '' ? '.' : head}[${JSON.stringify(key.value)}]`;
    }
    const n = key.kind === 'number' ? key.raw : '';
    return `${head === '' ? '.' : head}[${n}]`;
  }
  return '';
}

function isFieldPath(e: Expr): boolean {
  if (e.kind === 'implicitArg') return true;
  if (e.kind === 'member') return !e.optional && isFieldPath(e.object);
  if (e.kind === 'index') {
    return !e.optional && (e.index.kind === 'string' || (e.index.kind === 'number' && e.index.numType !== 'double'))
      && isFieldPath(e.object);
  }
  return false;
}

function paths(n: FslNode): readonly Expr[] {
  if (n.value?.kind !== 'paths') throw invalid('Expected `[`', n.value?.span ?? n.keyword.span);
  return n.value.paths;
}

function convertCollection(source: string, n: FslNode): CollectionDef {
  const fields: FieldDef[] = [];
  const computedFields: ComputedFieldDef[] = [];
  const indexes: IndexDef[] = [];
  const uniqueConstraints: UniqueDef[] = [];
  const checkConstraints: CheckDef[] = [];
  const migrations: string[] = [];
  let historyDays: number | null = null;
  let ttlDays: number | null = null;
  let documentTtls: boolean | null = null;
  const settings = new Seen();
  const indexNames = new Seen();
  const checkNames = new Seen();
  const uniques = new Seen('This unique constraint covers the same fields.');
  for (const item of blockItems(n)) {
    const v: FslValue | null = item.value;
    if (v?.kind === 'field') {
      const name = item.name?.value ?? item.keyword.value;
      const typeSource = v.type ? text(source, v.type.span) : null;
      if (v.compute) {
        if (v.value === null) throw invalid('Computed fields require a value', item.span);
        computedFields.push({ name, type: v.type, typeSource, body: text(source, v.value.span), span: item.span });
      } else {
        fields.push({ name, type: v.type, typeSource, default: v.value ? text(source, v.value.span) : null, span: item.span });
      }
      continue;
    }
    switch (item.keyword.value) {
      case 'history_days': settings.check('history_days', item.span, 'Duplicate history days'); historyDays = intValue(item); break;
      case 'ttl_days': settings.check('ttl_days', item.span, 'Duplicate ttl days'); ttlDays = intValue(item); break;
      case 'document_ttls': {
        settings.check('document_ttls', item.span, 'Duplicate document TTLs');
        const e = exprValue(item);
        if (e.kind !== 'boolean') throw invalid('Expected `true` or `false`', e.span);
        documentTtls = e.value;
        break;
      }
      case 'index': {
        if (item.name === null) throw invalid('Missing name for `index`', item.keyword.span);
        indexNames.check(item.name.value, item.name.span, `Duplicate index name \`${item.name.value}\``);
        let terms: IndexField[] | null = null;
        let values: IndexField[] | null = null;
        for (const part of blockItems(item)) {
          if (part.keyword.value === 'terms') terms = paths(part).map((e) => indexField(source, e, false));
          else if (part.keyword.value === 'values') values = paths(part).map((e) => indexField(source, e, true));
          else throw invalid(`Unexpected \`${part.keyword.value}\``, part.keyword.span);
        }
        indexes.push({ name: item.name.value, terms, values, span: item.span });
        break;
      }
      case 'unique': {
        const fields = paths(item).map((e) => indexField(source, e, false));
        // The same fields in any order, however written, are the same constraint.
        const key = fields.map((f) => `${f.mva ? 'mva:' : ''}${f.field}`).sort().join('\u0000');
        uniques.check(key, item.value!.span, 'Duplicate unique constraint.');
        uniqueConstraints.push({ fields, span: item.span });
        break;
      }
      case 'check': {
        if (item.name === null) throw invalid('Missing required name', item.keyword.span);
        checkNames.check(item.name.value, item.name.span, `Duplicate check constraint name \`${item.name.value}\``);
        const body = exprValue(item);
        if (!isLambda(body)) throw invalid('Expected lambda check predicate', body.span);
        checkConstraints.push({ name: item.name.value, body: text(source, body.span), span: item.span });
        break;
      }
      case 'migrations':
        if (blockItems(item).length === 0) throw invalid('Empty migration blocks are not allowed', item.span);
        for (const m of blockItems(item)) {
          if (m.value?.kind !== 'migration') throw invalid(`Unexpected \`${m.keyword.value}\``, m.keyword.span);
          migrations.push(m.value.text);
        }
        break;
      default:
        throw invalid(`Unexpected \`${item.keyword.value}\``, item.keyword.span);
    }
  }
  const name = n.name!;
  return {
    kind: 'collection', name: name.value, nameSpan: name.span, alias: annotation(n, 'alias'),
    fields, computedFields, indexes, uniqueConstraints, checkConstraints, historyDays, ttlDays, documentTtls,
    migrations, span: n.span,
  };
}

function convertFunction(source: string, n: FslNode): FunctionDef {
  const v = n.value;
  if (v?.kind !== 'function') throw invalid('Expected `(`', n.keyword.span);
  const params = v.params.map((x) => ({
    name: x.name.value, type: x.type ? text(source, x.type.span) : null, variadic: x.variadic,
  }));
  const returnType = v.returnType ? text(source, v.returnType.span) : null;
  const paramList = (typed: boolean): string => params
    .map((x) => `${x.variadic ? '...' : ''}${x.name}${typed ? `: ${x.type ?? 'Any'}` : ''}`).join(', ');
  const typed = returnType !== null || params.some((x) => x.type !== null);
  const name = n.name!;
  return {
    kind: 'function', name: name.value, nameSpan: name.span, alias: annotation(n, 'alias'), role: annotation(n, 'role'),
    params, returnType,
    body: `(${paramList(false)}) => ${text(source, v.body.span)}`,
    signature: typed ? `(${paramList(true)}) => ${returnType ?? 'Any'}` : null,
    span: n.span,
  };
}

function convertRole(source: string, n: FslNode): RoleDef {
  const membership: ({ collection: string } & Predicated)[] = [];
  const privileges: { resource: string; actions: ({ action: string } & Predicated)[] }[] = [];
  const members = new Seen();
  const resources = new Seen();
  for (const item of blockItems(n)) {
    if (item.name === null) throw invalid(`Missing name for \`${item.keyword.value}\``, item.keyword.span);
    if (item.keyword.value === 'membership') {
      members.check(item.name.value, item.name.span, `Duplicate membership \`${item.name.value}\``);
      membership.push({ collection: item.name.value, predicate: predicateOf(source, item) });
    } else if (item.keyword.value === 'privileges') {
      resources.check(item.name.value, item.name.span, `Duplicate privileges \`${item.name.value}\``);
      const actionNames = new Seen();
      const actions = blockItems(item).map((a) => {
        actionNames.check(a.keyword.value, a.keyword.span, `Duplicate action \`${a.keyword.value}\``);
        return { action: a.keyword.value, predicate: predicateOf(source, a) };
      });
      privileges.push({ resource: item.name.value, actions });
    } else {
      throw invalid(`Unexpected \`${item.keyword.value}\``, item.keyword.span);
    }
  }
  const name = n.name!;
  return { kind: 'role', name: name.value, nameSpan: name.span, membership, privileges, span: n.span };
}

function convertAccessProvider(source: string, n: FslNode): AccessProviderDef {
  let issuer: string | null = null;
  let jwksUri: string | null = null;
  const roles: ({ role: string } & Predicated)[] = [];
  for (const item of blockItems(n)) {
    switch (item.keyword.value) {
      case 'issuer': issuer = stringValue(item); break;
      case 'jwks_uri': jwksUri = stringValue(item); break;
      case 'role':
        if (item.name === null) throw invalid('Missing name for `role`', item.keyword.span);
        roles.push({ role: item.name.value, predicate: predicateOf(source, item) });
        break;
      default:
        throw invalid(`Unexpected \`${item.keyword.value}\``, item.keyword.span);
    }
  }
  const name = n.name!;
  return { kind: 'accessProvider', name: name.value, nameSpan: name.span, issuer, jwksUri, roles, span: n.span };
}
