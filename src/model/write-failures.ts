// Failures of document and schema writes, in the shape Fauna reports them: a
// `constraint_failure` whose message names the write and whose one failure names the field.
import { QueryError } from '../fql/errors';

export type WriteKind = 'create' | 'update' | 'replace';

/** ``Failed to create document in collection `Key`.`` with one constraint failure. */
export function docWriteFailure(action: WriteKind, coll: string, path: string, message: string, id?: string): QueryError {
  // core constraintViolationMessage: with the document at hand, replace reads "update" too.
  const what = id === undefined ? `${action} document` : `update document with id ${id}`;
  return new QueryError('constraint_failure', `Failed to ${what} in collection \`${coll}\`.`, undefined, {
    constraintFailures: [{ paths: [[path]], message }],
  });
}

/** `Failed to create Function.` with one constraint failure. */
export function schemaWriteFailure(action: WriteKind, coll: string, path: string, message: string): QueryError {
  return new QueryError('constraint_failure', `Failed to ${action} ${coll}.`, undefined, {
    constraintFailures: [{ paths: [[path]], message }],
  });
}
