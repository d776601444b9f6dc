// v4 query errors (core ast/Error.scala) with the descriptions core renders
// (Renderable.scala RenderError) and the HTTP status each implies (Error.statusCode).
import type { V4Value } from './values';
import { typeName4 } from './values';

export type Position = readonly (string | number)[];

export interface ValidationFailure {
  readonly field: readonly string[];
  readonly code: string;
  readonly description: string;
}

export class V4Error extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly position: Position,
    readonly failures: readonly ValidationFailure[] = [],
    /** The errors inside a called function (`call error`, core FunctionCallError). */
    readonly causes: readonly V4Error[] = [],
  ) {
    super(description);
  }

  /** Parse errors rank above invalid arguments, which rank above permission errors. */
  get severity(): number {
    if (this.code === 'invalid expression') return 3;
    if (this.code === 'invalid argument') return 2;
    if (this.code === 'permission denied') return 1;
    return 0;
  }

  get status(): number {
    switch (this.code) {
      case 'instance not found': return this.description.startsWith('No key found for secret') ? 400 : 404;
      case 'value not found': case 'schema not found': return 404;
      case 'permission denied': return 403;
      default: return 400;
    }
  }
}

/** `X expected, Y provided.` with core's list formatting. */
export function expectedMessage(expected: readonly string[], provided: string): string {
  if (expected.length === 0) return `${provided} provided.`;
  if (expected.length === 1) return `${expected[0]} expected, ${provided} provided.`;
  if (expected.length === 2) return `${expected[0]} or ${expected[1]} expected, ${provided} provided.`;
  return `${expected.slice(0, -1).join(', ')}, or ${expected[expected.length - 1]} expected, ${provided} provided.`;
}

export const invalidArgument = (expected: readonly string[], got: V4Value, pos: Position): V4Error =>
  new V4Error('invalid argument', expectedMessage(expected, typeName4(got)), pos);

export const permissionDenied = (pos: Position): V4Error =>
  new V4Error('permission denied', 'Insufficient privileges to perform the action.', pos);

export const validationFailed = (pos: Position, failures: readonly ValidationFailure[]): V4Error =>
  new V4Error('validation failed', 'document data is not valid.', pos, failures);

export const valueRequired = (field: readonly string[]): ValidationFailure =>
  ({ field, code: 'value required', description: 'Required value not found.' });

export const invalidRef = (kind: string, name: string, pos: Position): V4Error =>
  new V4Error('invalid ref', `Ref refers to undefined ${kind} '${name}'`, pos);

export const notUnique = (pos: Position): V4Error => new V4Error('instance not unique', 'document is not unique.', pos);

export const authenticationFailed = (pos: Position): V4Error =>
  new V4Error('authentication failed', 'The document was not found or provided password was incorrect.', pos);

/** Core `InvalidWriteTime`: a write inside `At`, or history inserted after the snapshot. */
export const invalidWriteTime = (pos: Position): V4Error =>
  new V4Error('invalid write time', 'Cannot write outside of snapshot time.', pos);

/** A request that took longer than its X-Query-Timeout (or the server's limit). */
export class V4Timeout extends Error {}
