// Argument casts shared by the forms (core ast/Casts.scala), with core's `X expected, Y
// provided.` failures at the argument's position.
import { type Position, V4Error, invalidArgument } from '../errors';
import type { FormArgs } from '../evaluator';
import type { LambdaV4, RefV4, V4Value } from '../values';

export type Num = Extract<V4Value, { t: 'long' | 'double' }>;
type Cast<T> = (v: V4Value, pos: Position) => T;

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

export function expectNumber(v: V4Value, pos: Position): Num {
  if (v.t !== 'long' && v.t !== 'double') throw invalidArgument(['Number'], v, pos);
  return v;
}

export function expectArray(v: V4Value, pos: Position): readonly V4Value[] {
  if (v.t !== 'array') throw invalidArgument(['Array'], v, pos);
  return v.v;
}

/** Core `Casts.Scalar`: anything but arrays, objects, pages and lambdas. */
export function expectScalar(v: V4Value, pos: Position): V4Value {
  if (v.t === 'array' || v.t === 'object' || v.t === 'page' || v.t === 'lambda') throw invalidArgument(['Scalar'], v, pos);
  return v;
}

export const anyValue: Cast<V4Value> = (v) => v;

/** Variadic arguments: the driver sends a single argument unwrapped. */
export const varargs = (v: V4Value): readonly V4Value[] => (v.t === 'array' ? v.v : [v]);

/** Core `ZeroOrMore`: an array's elements cast at their own positions, or a single value. */
export function zeroOrMore<T>(v: V4Value, pos: Position, cast: Cast<T>): T[] {
  return v.t === 'array' ? v.v.map((x, i) => cast(x, [...pos, i])) : [cast(v, pos)];
}

/** Core `OneOrMore`: as zeroOrMore, and an empty array is `Non-empty array expected.` */
export function oneOrMore<T>(v: V4Value, pos: Position, cast: Cast<T>): T[] {
  const out = zeroOrMore(v, pos, cast);
  if (out.length === 0) throw new V4Error('invalid argument', 'Non-empty array expected.', pos);
  return out;
}

/** A form argument cast at its position. */
export async function arg<T>(a: FormArgs, key: string, cast: Cast<T>): Promise<T> {
  return cast(await a.value(key), a.at(key));
}

/** An optional form argument: undefined when absent. */
export async function optArg<T>(a: FormArgs, key: string, cast: Cast<T>): Promise<T | undefined> {
  return a.has(key) ? cast(await a.value(key), a.at(key)) : undefined;
}

/** Core's `BoundsError`: `<argument> must be <predicate>`. */
export const boundsError = (argument: string, predicate: string, pos: Position): V4Error =>
  new V4Error('invalid argument', `${argument} must be ${predicate}`, pos);

/** Core's `InvalidCast`: `Cannot cast <type> to <type>.` */
export const invalidCast = (provided: string, target: string, pos: Position): V4Error =>
  new V4Error('invalid argument', `Cannot cast ${provided} to ${target}.`, pos);
