// Event source tokens: what `set.eventSource()` returns to the client and `/stream/1` and
// `/feed/1` take back. Core's token is base64(CBOR(set expression, closure values, start
// cursor)) (Value.scala `EventSource.toBase64`); ours is base64url(JSON) of the same parts:
//   - `set`: the source set's description (FqlSet.describe()): a chain of
//     `{ src: 'where' | 'map', fn, inner }` layers over a base, which is one of
//     `{ kind: 'collAll', coll }`, `{ kind: 'index', coll, index, fp, terms }` or
//     `{ src: 'single', item }` (Set.single(doc)); collections and indexes by name, so every
//     connect re-resolves them, lambdas with their captured values.
//   - `fields`: the paths `eventsOn(.a, .b.c)` watches (absent: every change).
//   - `start`: the creating transaction's time (µs); the stream starts after its writes.
// The token is not signed: it is re-evaluated with the caller's own secret on every use, so a
// forged one can do nothing its caller could not do in a query.

/** A field path: object keys and array indexes (`.a.b[0]` = ['a', 'b', 0]). */
export type FieldPath = readonly (string | number)[];

export interface EventSourceToken {
  readonly set: unknown;
  readonly fields?: readonly FieldPath[];
  readonly start: bigint;
}

/** Marks our tokens so that other base64url JSON (set cursors) is never taken for one. */
const MAGIC = 'fqles1';

export function encodeEventSource(t: EventSourceToken): string {
  const body: Record<string, unknown> = { k: MAGIC, set: t.set, start: t.start.toString() };
  if (t.fields !== undefined) body.fields = t.fields;
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const isPath = (p: unknown): p is FieldPath =>
  Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isSafeInteger(s)));

/** base64url of the start every token has (encodeEventSource writes `k` first). */
const PREFIX = Buffer.from(`{"k":"${MAGIC}",`).toString('base64url').slice(0, -1);

/**
 * Whether `text` has the form of a token of ours, without decoding its content: what the
 * coordinator checks (requests.ts) in time independent of what the token holds. Any token
 * decodeEventSource accepts passes; a forged one may pass too, to be refused where it is decoded.
 */
export function looksLikeEventSource(text: string): boolean {
  return text.startsWith(PREFIX) && /^[A-Za-z0-9_-]+$/.test(text);
}

/** The token's parts, or undefined when `text` is not a token of ours. */
export function decodeEventSource(text: string): EventSourceToken | undefined {
  if (typeof text !== 'string' || text.length === 0 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let j: unknown;
  try {
    j = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof j !== 'object' || j === null) return undefined;
  const o = j as Record<string, unknown>;
  if (o.k !== MAGIC || typeof o.set !== 'object' || o.set === null) return undefined;
  if (typeof o.start !== 'string' || !/^[0-9]{1,19}$/.test(o.start)) return undefined;
  if (o.fields !== undefined && !(Array.isArray(o.fields) && o.fields.every(isPath))) return undefined;
  return { set: o.set, start: BigInt(o.start), fields: o.fields as FieldPath[] | undefined };
}
