// Constructors for the runtime failures the evaluator and the standard library raise, with
// Fauna's codes and message wording (from Fauna's QueryRuntimeFailure). Keeping them in one
// place keeps the wording consistent across every method that can fail the same way.
import { QueryError } from '../errors';
import { typeName } from '../values/construct';
import { dynamicTypeName } from '../stdlib/native-args';
import type { Value } from '../values/value';
import type { Span } from '../ast/span';

/** How many arguments a function accepts: exactly one of `counts`, or at least `min`. */
export type Arity =
  | { readonly kind: 'fixed'; readonly counts: readonly number[] }
  | { readonly kind: 'variable'; readonly min: number };

export function arityFromDef(arity: number | readonly [number, number]): Arity {
  if (typeof arity === 'number') return { kind: 'fixed', counts: [arity] };
  const [min, max] = arity;
  if (max === Infinity) return { kind: 'variable', min };
  const counts: number[] = [];
  for (let n = min; n <= max; n++) counts.push(n);
  return { kind: 'fixed', counts };
}

export function arityAccepts(arity: Arity, n: number): boolean {
  return arity.kind === 'fixed' ? arity.counts.includes(n) : n >= arity.min;
}

export function displayArity(arity: Arity, word = 'argument'): string {
  if (arity.kind === 'variable') {
    if (arity.min === 0) return `any number of ${word}s`;
    return arity.min === 1 ? `at least 1 ${word}` : `at least ${arity.min} ${word}s`;
  }
  const c = arity.counts;
  if (c.length === 1) {
    if (c[0] === 0) return `no ${word}s`;
    return c[0] === 1 ? `exactly 1 ${word}` : `exactly ${c[0]} ${word}s`;
  }
  return `${c.slice(0, -1).join(', ')} or ${c[c.length - 1]} ${word}s`;
}

/** The type name used in "does not exist on `X`" messages (modules show their own name). */
export function receiverTypeName(v: Value): string {
  if (v.t === 'module') return v.name;
  return dynamicTypeName(v);
}

export const invalidType = (expected: string, v: Value, span?: Span): QueryError =>
  new QueryError('type_mismatch', `expected type: ${expected}, received ${dynamicTypeName(v)}`, span);

export const invalidArgType = (arg: string, expected: string, v: Value, span?: Span): QueryError =>
  new QueryError('invalid_argument', `expected value for \`${arg}\` of type ${expected}, received ${dynamicTypeName(v)}`, span);

export const invalidArgument = (arg: string, reason: string, span?: Span): QueryError =>
  new QueryError('invalid_argument', `invalid argument \`${arg}\`: ${reason}`, span);

export function invalidFuncParamArity(arg: string, expected: number, actual: Arity): QueryError {
  const s = expected === 1 ? '' : 's';
  return new QueryError(
    'invalid_argument',
    `\`${arg}\` should accept ${expected} parameter${s}, provided function requires ${displayArity(actual, 'parameter')}.`,
  );
}

export function invalidFuncArity(expected: Arity, actual: number, span?: Span): QueryError {
  return new QueryError(
    'invalid_function_invocation',
    `callee function expects ${displayArity(expected)}, but ${actual} ${actual === 1 ? 'was' : 'were'} provided.`,
    span,
  );
}

export const functionDoesNotExist = (name: string, receiver: Value, span?: Span): QueryError =>
  new QueryError('invalid_function_invocation', `The function \`${name}\` does not exist on \`${receiverTypeName(receiver)}\``, span);

export const notAFunction = (field: string, v: Value, span?: Span): QueryError =>
  new QueryError('invalid_function_invocation', `\`${field}\`: Expected a function, found \`${typeName(v)}\``, span);

export const invalidNullAccess = (field: string, span?: Span): QueryError =>
  new QueryError('invalid_null_access', `Cannot access \`${field}\` on null.`, span);

export const indexOutOfBounds = (index: number, length: number, span?: Span): QueryError =>
  new QueryError('index_out_of_bounds', `index ${index} out of bounds for length ${length}`, span);

export const divideByZero = (span?: Span): QueryError =>
  new QueryError('divide_by_zero', 'Attempted integer division by zero.', span);

export const stackOverflow = (limit: number, span?: Span): QueryError =>
  new QueryError('stack_overflow', `number of stack frames exceeded limit of ${limit}`, span);

export const invalidBounds = (arg: string, predicate: string, actual: string, span?: Span): QueryError =>
  new QueryError('invalid_bounds', `expected \`${arg}\` to be ${predicate}, received ${actual}`, span);

export const valueTooLarge = (reason: string, span?: Span): QueryError =>
  new QueryError('value_too_large', `Value too large: ${reason}.`, span);

/** Fauna's wording, including its doubled word. */
export const invalidCursor = (span?: Span): QueryError =>
  new QueryError('invalid_cursor', 'Cursor cursor is invalid or expired.', span);

export const unboundVariable = (name: string, span?: Span): QueryError =>
  new QueryError('unbound_variable', `Unbound variable \`${name}\``, span);

export const nullValue = (message: string, span?: Span): QueryError =>
  new QueryError('null_value', message, span);
