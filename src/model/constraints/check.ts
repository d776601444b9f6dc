// Check constraints: `{ check: { name, body } }` predicates run against the new version of
// every created, updated or replaced document; a result other than `true` refuses the write.
import type { EvalContext } from '../../fql/eval/context';
import { QueryError } from '../../fql/errors';
import type { ObjectV } from '../../fql/values/value';
import type { ModelTxn } from '../model-api';
import type { CollectionSchema } from '../definitions/schema';
import { callDefinitionFunction } from '../definitions/stored-lambda';
import type { WriteAction } from '../write-broker';

export async function enforceChecks(
  ctx: EvalContext, model: ModelTxn, schema: CollectionSchema, coll: string, action: WriteAction, view: ObjectV,
): Promise<void> {
  const failed: string[] = [];
  for (const check of schema.checks) {
    const result = await callDefinitionFunction(model, ctx, check.body, [view]);
    if (!(result.t === 'boolean' && result.v)) failed.push(check.name);
  }
  if (failed.length === 0) return;
  throw new QueryError('constraint_failure', `Failed to ${action} document in collection \`${coll}\`.`, undefined, {
    constraintFailures: failed.map((name) => ({ paths: [], message: `Document failed check constraint \`${name}\`` })),
  });
}
