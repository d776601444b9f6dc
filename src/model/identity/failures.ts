// Identity failures that are not write failures (those live in ../write-failures.ts).
import { QueryError } from '../../fql/errors';

export function invalidSecret(): QueryError {
  return new QueryError('invalid_secret', 'Provided secret did not match.');
}
