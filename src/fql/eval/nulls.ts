// Null values that remember why they are null, so that `x!` and accesses on null can explain
// themselves the way Fauna does ("Null value, due to missing field `x`"). A CausedNull is an
// ordinary NullV to everything else (it has t: 'null').
import { QueryError, type StoredSource } from '../errors';
import type { Span } from '../ast/span';
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

/** Where a null value was made (a `null` literal, a missing field): Fauna's null hint. */
export interface NullOrigin { readonly span: Span; readonly origin: StoredSource }
interface PlacedNull extends NullV { readonly createdAt?: NullOrigin }

/** `v` remembering where it was made (nulls only; a null that knows already keeps it). */
export function placeNull(v: Value, at: NullOrigin): Value {
  if (v.t !== 'null' || (v as PlacedNull).createdAt) return v;
  return { ...v, createdAt: at } as PlacedNull;
}

/** Adds Fauna's "Null value created here" hint to an error about the null `v`. */
export function withNullHint(err: QueryError, v: Value): QueryError {
  const at = v.t === 'null' ? (v as PlacedNull).createdAt : undefined;
  if (at) err.hints.push({ message: 'Null value created here', span: at.span, origin: at.origin });
  return err;
}

/**
 * Adds the null hint unless the null was made within `at`, where the error already points
 * (core QueryRuntimeFailure.NullValue: no hint when the failing frame overlaps the null's span,
 * so `null!` shows none and `let x = null; x!` does).
 */
export function withDistantNullHint(err: QueryError, v: Value, at: NullOrigin): QueryError {
  const made = v.t === 'null' ? (v as PlacedNull).createdAt : undefined;
  return made && !overlaps(at, made) ? withNullHint(err, v) : err;
}

/**
 * core Span.overlaps, as the frame sees the null's span: same source, and the null's start or
 * end lies within the frame (ends included).
 */
function overlaps(frame: NullOrigin, inner: NullOrigin): boolean {
  if (!sameSource(frame.origin, inner.origin)) return false;
  const within = (offset: number) => offset >= frame.span.start && offset <= frame.span.end;
  return within(inner.span.start) || within(inner.span.end);
}

const sameSource = (a: StoredSource, b: StoredSource): boolean =>
  a === b || (a.name === b.name && a.text === b.text);

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
