// Argument checks shared by the model's standard-library methods, with Fauna's messages.
import { QueryError } from '../../fql/errors';
import { typeName } from '../../fql/values/construct';
import type { EvalContext } from '../../fql/eval/context';
import type { CallSite, ObjectV, StringV, Value } from '../../fql/values/value';
import type { ModelTxnImpl } from '../model-txn';

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

const ID_RE = /^\d{1,19}$/;
const MAX_ID = 2n ** 63n - 1n;

/**
 * A document id from an FQL value: a numeric string or a non-negative Int/Long below 2^63.
 * Returns undefined when the value is not a valid id.
 */
export function toDocId(v: Value): string | undefined {
  let n: bigint;
  if (v.t === 'string') {
    if (!ID_RE.test(v.v)) return undefined;
    n = BigInt(v.v);
  } else if (v.t === 'int') n = BigInt(v.v);
  else if (v.t === 'long') n = v.v;
  else return undefined;
  if (n < 0n || n > MAX_ID) return undefined;
  return n.toString();
}

/** Parse an `id` argument or fail with Fauna's `invalid_id` error. */
export function expectDocId(v: Value | undefined, name = 'id'): string {
  if (!v || (v.t !== 'string' && v.t !== 'int' && v.t !== 'long')) throw argTypeError(name, 'ID', v ?? { t: 'null' });
  const id = toDocId(v);
  if (id === undefined) throw new QueryError('invalid_id', `\`${v.t === 'string' ? v.v : String(v.v)}\` is not a valid ID.`);
  return id;
}

/**
 * Runs a document write method, pointing what fails inside it the way Fauna does: constraint
 * failures, refused effects and errors from stored code it ran (checks) at the argument list.
 */
export async function atArguments<T>(site: CallSite, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof QueryError && (e.span !== undefined || e.code === 'constraint_failure' || e.code === 'invalid_effect' || e.code === 'invalid_write')) {
      e.place(site.argsSpan);
    }
    throw e;
  }
}
