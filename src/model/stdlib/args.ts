// Argument checks shared by the model's standard-library methods, with Fauna's messages.
import { QueryError } from '../../fql/errors';
import { typeName } from '../../fql/values/construct';
import type { EvalContext } from '../../fql/eval/context';
import type { CallSite, ObjectV, StringV, Value } from '../../fql/values/value';
import type { ModelTxnImpl } from '../model-txn';
import { castId } from '../../fql/stdlib/companions';

export function argTypeError(name: string, expected: string, v: Value): QueryError {
  return new QueryError('invalid_argument', `expected value for \`${name}\` of type ${expected}, received ${typeName(v)}`);
}

export function expectObject(v: Value | undefined, name: string): ObjectV {
  if (!v || v.t !== 'object') throw argTypeError(name, '{ *: Any }', v ?? { t: 'null' });
  return v;
}

export function expectString(v: Value | undefined, name: string): StringV {
  if (!v || v.t !== 'string') throw argTypeError(name, 'String', v ?? { t: 'null' });
  return v;
}

/** The model transaction behind a query context. */
export const modelOf = (ctx: EvalContext): ModelTxnImpl => ctx.model as ModelTxnImpl;

/**
 * A document id from an FQL value: a numeric string or a non-negative Int/Long below 2^63.
 * Returns undefined when the value is not a valid id.
 */
export const toDocId = castId;

/**
 * Parse an `id` argument (core's `"id" -> tt.ID` parameters): a value that does not cast to an
 * ID fails the argument's type check.
 */
export function expectDocId(v: Value | undefined, name = 'id'): string {
  const id = v === undefined ? undefined : toDocId(v);
  if (id === undefined) throw argTypeError(name, 'ID', v ?? { t: 'null' });
  return id;
}

/**
 * Runs a document write method, pointing what fails inside it the way Fauna does: constraint
 * failures, invalid schema updates, refused effects and permissions, and errors from stored code
 * it ran (checks) at the argument list (FQL2RoleSpec "create predicate": `Books.create({})`
 * denied at `({})`; FQL2SchemaSpec protected mode: `Foo.definition.update(...)` at its `(...)`).
 */
export async function atArguments<T>(site: CallSite, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof QueryError && (e.span !== undefined || e.code === 'constraint_failure' || e.code === 'invalid_schema' || e.code === 'invalid_effect' || e.code === 'invalid_write' || e.code === 'permission_denied')) {
      e.place(site.argsSpan);
    }
    throw e;
  }
}
