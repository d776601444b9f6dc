// Computed fields used by indexes and unique constraints must be pure functions of their own
// document: an index entry is computed once, when the document is written, by whoever writes
// it, and index lookups then answer for whoever queries. A field that read other documents
// would turn the index into an oracle on values the querier cannot read.
//
// Core enforces this twice (fql.env.SchemaTypeValidator.postcheckIndexedComputedFields):
//   - statically, refusing the definition with `invalid_schema` when an indexed computed
//     field names a UDF or a collection, selects another computed field or a document's `ts`;
//   - at run time, evaluating indexed computed fields without reads: what fails (a read, a UDF
//     call, `Time.now()`) is indexed as null.
import type { Expr } from '../../fql/ast/nodes';
import type { Span } from '../../fql/ast/span';
import { QueryCheckError, QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import { freeNames } from '../../fql/eval/analysis';
import { renderDiagnostic } from '../../fql/summary';
import type { Value } from '../../fql/values/value';
import type { ModelTxn } from '../model-api';
import type { ModelTxnImpl } from '../model-txn';
import { allDefs } from '../identity/named-store';
import { parseStoredLambda } from '../stored-lambda';
import { parseSchema, type CollectionSchema, type IndexField } from './schema';

/**
 * Names of the computed fields that index terms and values and unique constraints start with,
 * once per use (core lists a field once for every index path that uses it).
 */
export function indexedComputedNames(schema: CollectionSchema): readonly string[] {
  let names = indexedNames.get(schema);
  if (!names) indexedNames.set(schema, (names = findIndexedComputed(schema)));
  return names;
}

const indexedNames = new WeakMap<CollectionSchema, readonly string[]>();

function findIndexedComputed(schema: CollectionSchema): string[] {
  const computed = new Set(schema.computed.map((c) => c.name));
  const heads = (fs: readonly IndexField[]) => fs.map((f) => f.path[0]).filter((p): p is string => typeof p === 'string');
  const used = [
    ...[...schema.indexes.values()].flatMap((i) => [...heads(i.terms), ...heads(i.values)]),
    ...schema.uniques.flatMap((u) => heads(u.fields)),
  ];
  return used.filter((n) => computed.has(n));
}

const MESSAGES = {
  udf: 'Computed fields used in indexes or constraints cannot call UDFs',
  collection: 'Computed fields used in indexes or constraints cannot access collections',
  computed: 'Computed fields used in indexes or constraints cannot use computed fields',
  ts: "Computed fields used in indexes or constraints cannot use a doc's ts field",
} as const;

interface Finding { readonly message: string; readonly span: Span }

/**
 * `.field` selections on the document: on the lambda's parameter, or on a variable bound to
 * it by `let` (core types the body; this follows the document through plain aliases).
 */
function docSelections(body: Expr, docNames: readonly string[], visit: (name: string, span: Span) => void): void {
  const walk = (e: Expr, docs: readonly string[]): void => {
    const isDoc = (x: Expr) => x.kind === 'ident' && docs.includes(x.name);
    switch (e.kind) {
      case 'member':
        if (isDoc(e.object)) visit(e.name, e.nameSpan);
        return walk(e.object, docs);
      case 'block': {
        let scope = [...docs];
        for (const s of e.body) {
          if (s.kind === 'let') {
            walk(s.value, scope);
            scope = isDoc(s.value) ? [...scope, s.name] : scope.filter((n) => n !== s.name);
          } else {
            walk(s.expr, scope);
          }
        }
        if (e.result) walk(e.result, scope);
        return;
      }
      case 'lambda': return walk(e.body, docs.filter((n) => !e.params.includes(n)));
      default:
        for (const child of children(e)) walk(child, docs);
    }
  };
  walk(body, docNames);
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'template': return e.parts.filter((p): p is Expr => typeof p !== 'string');
    case 'array': return [...e.elements];
    case 'object': return e.fields.map((f) => f.value);
    case 'unary': return [e.operand];
    case 'binary': case 'logical': return [e.left, e.right];
    case 'isa': return [e.value];
    case 'index': return [e.object, e.index];
    case 'call': return [e.callee, ...e.args];
    case 'nonNull': return [e.expr];
    case 'shortLambda': return [e.body];
    case 'if': return e.else ? [e.cond, e.then, e.else] : [e.cond, e.then];
    case 'at': return [e.time, e.body];
    case 'projection': return [e.object, ...e.fields.flatMap((f) => (f.kind === 'alias' ? [f.value] : []))];
    default: return [];
  }
}

/** What core's static check reports for one computed field body. */
function findings(body: string, udfs: readonly string[], colls: readonly string[], computed: ReadonlySet<string>): Finding[] {
  let lambda: Expr;
  try {
    lambda = parseStoredLambda(body);
  } catch (e) {
    if (e instanceof QueryCheckError) return []; // reported by the definition's own validation
    throw e;
  }
  const params = lambda.kind === 'lambda' ? lambda.params : [];
  const inner = lambda.kind === 'lambda' || lambda.kind === 'shortLambda' ? lambda.body : lambda;
  const free = freeNames(inner, params);
  const out: Finding[] = [];
  for (const f of udfs) if (free.has(f)) out.push({ message: MESSAGES.udf, span: free.get(f)![0] });
  for (const c of colls) if (free.has(c)) out.push({ message: MESSAGES.collection, span: free.get(c)![0] });
  const docs = lambda.kind === 'lambda' && params.length > 0 ? [params[0]] : [];
  docSelections(inner, docs, (name, span) => {
    if (computed.has(name)) out.push({ message: MESSAGES.computed, span });
    if (name === 'ts') out.push({ message: MESSAGES.ts, span });
  });
  return out;
}

/** A definition about to be written, which the check sees in place of the stored one. */
export interface PendingSchema {
  /** A collection definition being created or changed (validated, as it will be stored). */
  readonly coll?: { readonly name: string; readonly data: ReadonlyMap<string, Value> };
  /** A function name being created or renamed to. */
  readonly udf?: string;
}

/** Every impure use by indexed computed fields of `colls`, rendered. */
function renderedFindings(colls: ReadonlyMap<string, ReadonlyMap<string, Value>>, udfs: readonly string[]): string[] {
  const out: string[] = [];
  for (const [coll, data] of colls) {
    const schema = parseSchema(data);
    const bodies = new Map(schema.computed.map((c) => [c.name, c.body]));
    const computed = new Set(bodies.keys());
    for (const name of indexedComputedNames(schema)) {
      const body = bodies.get(name)!;
      for (const f of findings(body, udfs, [...colls.keys()], computed)) {
        out.push(renderDiagnostic(body, f, 'error', `*computed_field:${coll}:${name}*`));
      }
    }
  }
  return out;
}

/**
 * Refuse a schema change after which some indexed computed field is not pure (core code
 * `invalid_schema`). As in core, the whole database's schema is checked: a new function or
 * collection can make an existing field refer to it. Only problems the change introduces are
 * reported: definitions stored before this rule existed keep working (their entries are
 * computed purely anyway) and do not block unrelated changes. Diagnostics point into the
 * field's body, named as core names computed field sources (`*computed_field:<coll>:<field>*`).
 */
export async function refuseImpureIndexedFields(ctx: EvalContext, pending: PendingSchema): Promise<void> {
  const model = ctx.model as ModelTxnImpl;
  const colls = new Map((await allDefs(model.kv, model.db, 'Collection')).map((c) => [c.name, c.data]));
  const udfs = (await allDefs(model.kv, model.db, 'Function')).map((f) => f.name);
  const before = new Set(renderedFindings(colls, udfs));
  if (pending.coll) colls.set(pending.coll.name, pending.coll.data);
  if (pending.udf !== undefined) udfs.push(pending.udf);
  const introduced = renderedFindings(colls, udfs).filter((r) => !before.has(r));
  if (introduced.length === 0) return;
  const indented = introduced.join('\n').split('\n').map((l) => (l === '' ? l : `    ${l}`)).join('\n');
  throw new QueryError('invalid_schema', `Invalid database schema update.\n${indented}`);
}

/** A model that refuses everything: reads, writes, names, the transaction time. */
const PURE_MODEL: ModelTxn = new Proxy({} as ModelTxn, {
  get() {
    throw new QueryError('invalid_effect', 'Computed fields used in indexes or constraints cannot read or write.');
  },
});

/**
 * Evaluate an indexed computed field without any access to the database (the run-time half of
 * the rule): whatever it cannot do without reading yields null.
 */
export async function evalPure(call: (model: ModelTxn) => Promise<Value>): Promise<Value> {
  try {
    return await call(PURE_MODEL);
  } catch (e) {
    if (e instanceof QueryError) return { t: 'null' };
    throw e;
  }
}
