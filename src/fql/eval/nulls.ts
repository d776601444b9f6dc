// Null values that remember why they are null, so that `x!` and accesses on null can explain
// themselves the way Fauna does ("Null value, due to missing field `x`"). A CausedNull is an
// ordinary NullV to everything else (it has t: 'null').
import { QueryError } from '../errors';
import type { NullDocV, NullV, Value } from '../values/value';
import { nullValue } from './failures';

export type NullCause =
  | { readonly kind: 'missingField'; readonly field: string }
  | { readonly kind: 'noSuchElement'; readonly reason: string }
  | { readonly kind: 'invalidNumber' };

export interface CausedNull extends NullV { readonly cause: NullCause }

export const missingField = (field: string): CausedNull =>
  ({ t: 'null', cause: { kind: 'missingField', field } });

export const noSuchElement = (reason: string): CausedNull =>
  ({ t: 'null', cause: { kind: 'noSuchElement', reason } });

export function causeOf(v: NullV): NullCause | undefined {
  return (v as Partial<CausedNull>).cause;
}

/** The failure Fauna raises when a null document is used as if it existed. */
export function nullDocError(doc: NullDocV): QueryError {
  const ident = doc.name !== undefined ? doc.name : doc.id ?? '';
  switch (doc.cause) {
    case 'permission denied':
      return new QueryError('permission_denied', 'Insufficient privileges to perform the action.');
    case 'collection deleted':
      return new QueryError('document_not_found', `Document with id ${ident} does not exist because the collection was deleted.`);
    default:
      return new QueryError(
        'document_not_found',
        doc.name !== undefined
          ? `${doc.coll} \`${doc.name}\` not found.`
          : `Collection \`${doc.coll}\` does not contain document with id ${ident}.`,
      );
  }
}

/** The failure for `x!` when x is null. */
export function nonNullError(v: Value): QueryError {
  // core ReadBroker: an unreadable document is a null whose cause is the denied permission.
  if (v.t === 'nulldoc') return v.cause === 'permission denied' ? nullValue('Null value, due to permission denied') : nullDocError(v);
  const cause = v.t === 'null' ? causeOf(v) : undefined;
  if (!cause) return nullValue('Null literal value');
  switch (cause.kind) {
    case 'missingField': return nullValue(`Null value, due to missing field \`${cause.field}\``);
    case 'noSuchElement': return nullValue(`Null value, due to ${cause.reason}`);
    case 'invalidNumber': return nullValue('Null value, due to invalid number');
  }
}
