// v10 model failures (thrown by the shared write broker, shapers and hooks) in v4's terms.
import { QueryError } from '../../fql/errors';
import { type Position, V4Error, notUnique, permissionDenied, validationFailed } from '../errors';

const NOT_UNIQUE = /unique|already has a credential/i;

export function fromQueryError(e: QueryError, pos: Position): V4Error {
  switch (e.code) {
    case 'permission_denied': return permissionDenied(pos);
    case 'document_not_found': return new V4Error('instance not found', 'Document not found.', pos);
    case 'document_id_exists': return new V4Error('instance already exists', 'Document already exists.', pos);
    case 'constraint_failure': {
      const failures = e.extra.constraintFailures ?? [];
      if (failures.some((f) => NOT_UNIQUE.test(f.message)) || NOT_UNIQUE.test(e.message)) return notUnique(pos);
      return validationFailed(pos, failures.map((f) => ({
        field: (f.paths[0] ?? []).map(String),
        code: f.message.startsWith('Expected') ? 'invalid type' : 'invalid value',
        description: f.message,
      })));
    }
    default: return new V4Error('invalid argument', e.message, pos);
  }
}
