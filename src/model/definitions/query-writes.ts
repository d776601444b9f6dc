// What one query wrote, for Fauna's rules that span statements of a query: a query may not
// write documents of a collection and change (update, replace, delete) that collection's
// definition (core QueryRuntimeFailure.CollectionDocModify); a collection renamed by a query
// keeps its old name, and does not have its new one, for the rest of that query.
import { QueryError } from '../../fql/errors';
import type { ModelTxn } from '../model-api';

interface QueryWrites {
  /** Collection ids with document writes. */
  readonly docs: Set<number>;
  /** Collection ids whose definition changed. */
  readonly defs: Set<number>;
  /** Renames: old name → new name. */
  readonly renamed: Map<string, string>;
  /** Names of collections deleted by this query. */
  readonly deleted: Set<string>;
  /** Collections and functions created by this query, as `Collection:Name` / `Function:Name`. */
  readonly created: Set<string>;
}

const byTxn = new WeakMap<ModelTxn, QueryWrites>();

function writesOf(model: ModelTxn): QueryWrites {
  let w = byTxn.get(model);
  if (!w) byTxn.set(model, (w = { docs: new Set(), defs: new Set(), renamed: new Map(), deleted: new Set(), created: new Set() }));
  return w;
}

const mixed = (): QueryError =>
  new QueryError('invalid_write', 'Cannot modify a document and its collection in the same query.');

export function noteDocumentWrite(model: ModelTxn, collId: number): void {
  const w = writesOf(model);
  if (w.defs.has(collId)) throw mixed();
  w.docs.add(collId);
}

export function noteDefinitionWrite(model: ModelTxn, collId: number): void {
  const w = writesOf(model);
  if (w.docs.has(collId)) throw mixed();
  w.defs.add(collId);
}

export function noteCreation(model: ModelTxn, kind: 'Collection' | 'Function', name: string): void {
  writesOf(model).created.add(`${kind}:${name}`);
}

/**
 * Whether this query created the collection or function `name`: core binds a query's names
 * when it starts, so `Collection(name)` / `Function(name)` do not find it (FQL2CollectionSpec,
 * FQL2FunctionSpec "give pretty error for collections created in this transaction").
 */
export function createdInQuery(model: ModelTxn, kind: 'Collection' | 'Function', name: string): boolean {
  return byTxn.get(model)?.created.has(`${kind}:${name}`) === true;
}

export function noteDeletion(model: ModelTxn, name: string): void {
  writesOf(model).deleted.add(name);
}

/** A document write to a collection this query deleted: the same refusal as any other mix. */
export function refuseWriteToDeleted(model: ModelTxn, name: string): void {
  if (byTxn.get(model)?.deleted.has(name)) throw mixed();
}

export function noteRename(model: ModelTxn, from: string, to: string): void {
  const w = writesOf(model);
  for (const [old, now] of w.renamed) if (now === from) w.renamed.set(old, to);
  w.renamed.set(from, to);
}

/** The current name of a collection this query knew as `name` (renamed since), if any. */
export function renamedTo(model: ModelTxn, name: string): string | undefined {
  return byTxn.get(model)?.renamed.get(name);
}

/** Whether `name` is a new name given by a rename in this query (not visible to it). */
export function isNewName(model: ModelTxn, name: string): boolean {
  const w = byTxn.get(model);
  if (!w) return false;
  for (const now of w.renamed.values()) if (now === name) return true;
  return false;
}
