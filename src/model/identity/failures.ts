// Failures of identity writes, in the shape Fauna reports document and schema write failures.
import { QueryError } from '../../fql/errors';

/** `Failed to create document in collection \`Key\`.` with one constraint failure. */
export function docWriteFailure(action: 'create' | 'update' | 'replace', coll: string, path: string, message: string): QueryError {
  return new QueryError('constraint_failure', `Failed to ${action} document in collection \`${coll}\`.`, undefined, {
    constraintFailures: [{ paths: [[path]], message }],
  });
}

/** `Failed to create Function.` with one constraint failure. */
export function schemaWriteFailure(action: 'create' | 'update' | 'replace', coll: string, path: string, message: string): QueryError {
  return new QueryError('constraint_failure', `Failed to ${action} ${coll}.`, undefined, {
    constraintFailures: [{ paths: [[path]], message }],
  });
}

export function invalidSecret(): QueryError {
  return new QueryError('invalid_secret', 'Provided secret did not match.');
}
