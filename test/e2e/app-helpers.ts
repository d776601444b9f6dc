// Shared by the application end-to-end suites (app-*.test.ts): assertions on the errors an
// application sees (`abort()` values, constraint failures), and the CLI runner they push their
// schema with (test/helpers/fauna-cli.ts).
import assert from 'node:assert/strict';
import { AbortError, ConstraintFailureError, type Client, type Query, type QueryValue } from 'fauna';
import { fails } from './identity-helpers';

export { FaunaCli } from '../helpers/fauna-cli';

/** Assert that a query ends in `abort(value)`: code "abort", "Query aborted.", the value. */
export async function aborts(client: Client, query: Query<QueryValue>, value: QueryValue): Promise<void> {
  const e = await fails(client, query, 'abort');
  assert.ok(e instanceof AbortError);
  assert.equal(e.message, 'Query aborted.');
  assert.deepEqual(e.abort, value);
}

/**
 * Assert a constraint_failure with its message and failures ({ message, paths? }); `message`
 * null leaves the top-level message to a separate (todo) step.
 */
export async function violates(
  client: Client, query: Query<QueryValue>, message: string | null, failures: { message: string; paths?: (string | number)[][] }[],
): Promise<void> {
  const e = await fails(client, query, 'constraint_failure');
  assert.ok(e instanceof ConstraintFailureError);
  if (message !== null) assert.equal(e.message, message);
  assert.deepEqual(e.constraint_failures.map((f) => (f.paths ? { message: f.message, paths: f.paths } : { message: f.message })), failures);
}
