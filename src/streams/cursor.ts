// Event cursors: a position in a source's event sequence, (transaction time µs, ordinal). The
// ordinal of an event is its document's numeric id, so events of one transaction come out in id
// order on every path (live, replay, feed) and a cursor means the same whichever token it is
// used with (spec streams-feeds.md §3). `ord: 'max'` is "after every event of that transaction"
// (a token's start, a `start_ts`, an idle position). Opaque to clients: base64url of a tagged
// string, so that set-pagination cursors and other strings are never taken for one.

export interface EventCursor {
  readonly ts: bigint;
  readonly ord: bigint | 'max';
}

const TAG = 'fqlec';

export function encodeCursor(c: EventCursor): string {
  return Buffer.from(`${TAG}:${c.ts}:${c.ord}`).toString('base64url');
}

export function decodeCursor(text: unknown): EventCursor | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 100 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const m = /^fqlec:([0-9]{1,19}):([0-9]{1,20}|max)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!m) return undefined;
  return { ts: BigInt(m[1]), ord: m[2] === 'max' ? 'max' : BigInt(m[2]) };
}

/** After everything at `ts` (a token's start, `start_ts`, an idle point). */
export const afterAllAt = (ts: bigint): EventCursor => ({ ts, ord: 'max' });

/** Cursor order: -1, 0, 1. */
export function compareCursors(a: EventCursor, b: EventCursor): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.ord === b.ord) return 0;
  if (a.ord === 'max') return 1;
  if (b.ord === 'max') return -1;
  return a.ord < b.ord ? -1 : 1;
}
