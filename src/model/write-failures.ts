// Failures of document and schema writes, in the shape Fauna reports them: a
// `constraint_failure` whose message names the write and whose one failure names the field.
import { QueryError } from '../fql/errors';

export type WriteKind = 'create' | 'update' | 'replace';

/** A `constraint_failure` headed `headline` whose one failure names the field at `path`. */
function oneFailure(headline: string, path: string, message: string): QueryError {
  return new QueryError('constraint_failure', headline, undefined, { constraintFailures: [{ paths: [[path]], message }] });
}

/**
 * Fauna's headline of a failed document write: ``Failed to create document in collection `C`.``,
 * and for an existing document (update and replace alike) ``Failed to update document with id
 * 1 in collection `C`.``; native documents (keys, tokens, credentials) as `nativeWriteFailure`.
 */
export function docWriteMessage(action: WriteKind, coll: string, id?: string): string {
  if (NATIVE_COLLECTIONS.has(coll)) return nativeWriteMessage(action, coll, id);
  return action === 'create' || id === undefined
    ? `Failed to ${action} document in collection \`${coll}\`.`
    : `Failed to update document with id ${id} in collection \`${coll}\`.`;
}

/** ``Failed to create document in collection `Key`.`` with one constraint failure. */
export function docWriteFailure(action: WriteKind, coll: string, path: string, message: string, id?: string): QueryError {
  return oneFailure(docWriteMessage(action, coll, id), path, message);
}

/** `Failed to create Function.` with one constraint failure. */
export function schemaWriteFailure(action: WriteKind, coll: string, path: string, message: string): QueryError {
  return oneFailure(`Failed to ${action} ${coll}.`, path, message);
}

/**
 * A failed write of a native document (Key, Token, Credential): core names the collection
 * alone, `Failed to create Key.`, and an existing document by id, `Failed to update Key with
 * id 1.` (FQL2KeySpec.scala, FQL2TokenSpec.scala).
 */
export function nativeWriteFailure(action: WriteKind, coll: string, path: string, message: string, id?: string): QueryError {
  return oneFailure(nativeWriteMessage(action, coll, id), path, message);
}

/** The native collections whose write failures name the collection alone. */
const NATIVE_COLLECTIONS: ReadonlySet<string> = new Set(['Key', 'Token', 'Credential']);

function nativeWriteMessage(action: WriteKind, coll: string, id?: string): string {
  return action === 'create' || id === undefined ? `Failed to ${action} ${coll}.` : `Failed to update ${coll} with id ${id}.`;
}
