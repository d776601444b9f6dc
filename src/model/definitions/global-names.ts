// Collections and functions share one namespace of globals (core GlobalNamespaceValidator):
// a collection's or function's `name` or `alias` may not be a name or alias another collection
// or function already has, or `Foo` in a query could mean either. Checked when the field is
// set or changed, in core's order: collection names, collection aliases, function names,
// function aliases; the first conflict is reported at the field's path.
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import type { ModelTxnImpl } from '../model-txn';
import { allDefs, stringField } from '../identity/named-store';
import { schemaWriteFailure, type WriteKind } from '../write-failures';

type GlobalKind = 'Collection' | 'Function';

async function conflictOf(model: ModelTxnImpl, value: string): Promise<string | undefined> {
  for (const kind of ['Collection', 'Function'] as const) {
    const defs = await allDefs(model.kv, model.db, kind);
    if (defs.some((d) => d.name === value)) return `A ${kind} already exists with the name \`${value}\``;
    if (defs.some((d) => stringField(d.data, 'alias') === value)) return `A ${kind} already exists with the alias \`${value}\``;
  }
  return undefined;
}

/**
 * Refuse a definition whose new `name` or `alias` is already a global. `fields` are the
 * definition's fields as they will be stored; `previous` its stored fields (on update), whose
 * name an update's failure message names.
 */
export async function refuseNameConflicts(
  ctx: EvalContext, kind: GlobalKind, action: WriteKind,
  fields: ReadonlyMap<string, Value>, previous?: ReadonlyMap<string, Value>,
): Promise<void> {
  const current = previous && stringField(previous, 'name');
  const model = ctx.model as ModelTxnImpl;
  for (const field of ['name', 'alias']) {
    const value = stringField(fields, field);
    if (value === undefined || (previous !== undefined && stringField(previous, field) === value)) continue;
    const conflict = await conflictOf(model, value);
    if (conflict === undefined) continue;
    if (current === undefined) throw schemaWriteFailure(action, kind, field, conflict);
    throw new QueryError('constraint_failure', `Failed to ${action} ${kind} \`${current}\`.`, undefined, {
      constraintFailures: [{ paths: [[field]], message: conflict }],
    });
  }
}
