// Argument casts shared by the forms, with core's `X expected, Y provided.` failures.
import { type Position, invalidArgument } from '../errors';
import type { LambdaV4, RefV4, V4Value } from '../values';

export function expectString(v: V4Value, pos: Position): string {
  if (v.t !== 'string') throw invalidArgument(['String'], v, pos);
  return v.v;
}

export function expectBoolean(v: V4Value, pos: Position): boolean {
  if (v.t !== 'boolean') throw invalidArgument(['Boolean'], v, pos);
  return v.v;
}

export function expectRef(v: V4Value, pos: Position): RefV4 {
  if (v.t !== 'ref') throw invalidArgument(['Ref'], v, pos);
  return v;
}

export function expectLambda(v: V4Value, pos: Position): LambdaV4 {
  if (v.t !== 'lambda') throw invalidArgument(['Lambda'], v, pos);
  return v;
}

export function expectInteger(v: V4Value, pos: Position): bigint {
  if (v.t !== 'long') throw invalidArgument(['Integer'], v, pos);
  return v.v;
}

/** Variadic arguments: the driver sends a single argument unwrapped. */
export const varargs = (v: V4Value): readonly V4Value[] => (v.t === 'array' ? v.v : [v]);
