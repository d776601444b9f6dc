// Check constraints: `{ check: { name, body } }` predicates run against the new version of
// every created, updated or replaced document; a result other than `true` refuses the write.
import type { EvalContext } from '../../fql/eval/context';
import { QueryError } from '../../fql/errors';
import type { DocV } from '../../fql/values/value';
import { docWriteMessage } from '../write-failures';
import type { ModelTxn } from '../model-api';
import type { CollectionSchema } from '../definitions/schema';
import { callDefinitionFunction } from '../definitions/stored-lambda';
import type { WriteAction } from '../write-broker';

export async function enforceChecks(
  ctx: EvalContext, model: ModelTxn, schema: CollectionSchema, coll: string, action: WriteAction, doc: DocV, id: string,
): Promise<void> {
  const failed: string[] = [];
  for (const check of schema.checks) {
    const result = await callDefinitionFunction(model, ctx, check.body, [doc],
      { name: `*check_constraint:${check.name}*`, writesForbiddenIn: 'check constraints' });
    if (result.t === 'boolean' && result.v) continue;
    // null (a missing field) fails like false; anything else is a broken check.
    failed.push(result.t === 'boolean' || result.t === 'null'
      ? `Document failed check constraint \`${check.name}\``
      : `Error evaluating check constraint \`${check.name}\`: function returned a non-boolean value`);
  }
  if (failed.length === 0) return;
  throw new QueryError('constraint_failure', docWriteMessage(action === 'delete' ? 'update' : action, coll, id), undefined, {
    constraintFailures: failed.map((message) => ({ paths: [], message })),
  });
}
