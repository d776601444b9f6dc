// Argument checks shared by the model's standard-library methods, with Fauna's messages.
import { QueryError } from '../../fql/errors';
import { typeName } from '../../fql/values/construct';
import type { EvalContext } from '../../fql/eval/context';
import type { ObjectV, StringV, Value } from '../../fql/values/value';
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

/** Parse an `id` argument or fail with Fauna's `invalid_id` error. */
export function expectDocId(v: Value | undefined, name = 'id'): string {
  if (!v || (v.t !== 'string' && v.t !== 'int' && v.t !== 'long')) throw argTypeError(name, 'ID', v ?? { t: 'null' });
  const id = toDocId(v);
  if (id === undefined) throw new QueryError('invalid_id', `\`${v.t === 'string' ? v.v : String(v.v)}\` is not a valid ID.`);
  return id;
}
