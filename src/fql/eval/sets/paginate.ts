// Pages of sets and the opaque cursors that resume them. A cursor is base64url(JSON) of the
// set's description, the position of the last element returned, the page size, and the snapshot
// the set is read at when resumed with its MAC (cursor-mac.ts). Cursors come back from clients,
// so everything in them is checked: a forged one fails with Fauna's invalid_cursor (400), never
// a 500, a page beyond MAX_PAGE_SIZE or a read of another time.
//
// The snapshot is the time of the query that read the first page (core Value.SetCursor's
// systemValidTS, the transaction time unless that query resumed a cursor itself): every later
// page reads the set as of it, so documents written in between neither appear nor vanish (core
// FQL2PaginationSpec "set pagination is stable in presence of subsequent writes"), while the
// documents a page returns render as they are now, as core renders them at the reading query's
// time (FQL2ValueMaterializer with the query's own context). Core does not bound how old that
// time may be (FQLInterpreter.withSystemValidTime: "TODO: bound the valid time to the
// MVTOffset"): past the collection's history retention a page reads what history is left,
// where `at()` is refused (model/temporal/min-valid-time.ts).
import { QueryError } from '../../errors';
import type { EvalContext } from '../context';
import type { FqlSet, SetElement, SetPosition, Value } from '../../values/value';
import { invalidCursor } from '../failures';
import { loopCheckpoint } from '../state';
import { MAX_PAGE_SIZE, MAX_STRING_SIZE, valueTooLarge } from '../../limits';
import { jsonLengthWithin } from '../../values/json-length';
import { initialPageSize } from './combinators';
import { decodeSet } from './decode';
import { cursorMac, cursorMacValid } from './cursor-mac';

export const DEFAULT_PAGE_SIZE = 16;
export { MAX_PAGE_SIZE };

/** `t`: the snapshot (µs, decimal) and `m` its MAC; absent when the store has no cursor key. */
interface Cursor { readonly d: unknown; readonly p?: SetPosition; readonly s: number; readonly t?: string; readonly m?: string }

/**
 * The cursor of the set described by `d`, resuming after position `p` (undefined: from the
 * start) with page size `s`, read as of this query's snapshot.
 */
export async function encodeCursor(ctx: EvalContext, d: unknown, p: SetPosition | undefined, s: number): Promise<string> {
  return cursorText(ctx, await ctx.model.cursorKey?.(), d, p, s);
}

/** encodeCursor with the store's cursor key at hand (`key` undefined: no snapshot). */
export function cursorText(ctx: EvalContext, key: Uint8Array | undefined, d: unknown, p: SetPosition | undefined, s: number): string {
  // A cursor is a string (base64 of its JSON): measured before anything is built from it (its
  // MAC hashes the description's JSON too), since captured values may make it larger than any
  // string may be.
  if (jsonLengthWithin([d, p ?? null], MAX_CURSOR_JSON) > MAX_CURSOR_JSON) throw valueTooLarge(`set cursor size exceeds limit ${MAX_STRING_SIZE}`);
  let c: Cursor = { d, p, s };
  if (key !== undefined) {
    const t = (ctx.systemTs ?? ctx.model.txnTs).toString();
    c = { ...c, t, m: cursorMac(key, t, d) };
  }
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** JSON whose base64 text is a string of MAX_STRING_SIZE at most. */
const MAX_CURSOR_JSON = Math.floor(MAX_STRING_SIZE / 4) * 3;

function decodeCursor(text: string): Cursor {
  let c: Partial<Cursor> | null;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor> | null;
  } catch {
    throw invalidCursor();
  }
  // `p` is absent in cursors of sets not paginated yet (rendered too deep to inline) and
  // otherwise a position; positions are never null.
  if (typeof c !== 'object' || c === null || c.d === undefined || c.p === null
    || !Number.isSafeInteger(c.s) || (c.s as number) < 1 || (c.s as number) > MAX_PAGE_SIZE
    || (c.t !== undefined && (typeof c.t !== 'string' || !/^[0-9]{1,19}$/.test(c.t)))) {
    throw invalidCursor();
  }
  return c as Cursor;
}

/**
 * The snapshot a cursor resumes its set at, undefined for this query's own. A time must carry
 * its MAC; cursors without one (made where the store had no key) resume at the reader's time.
 * A snapshot after this query's (a read replica behind the primary that served the first page,
 * when the client sent no x-last-txn-ts) reads at this query's, the nearest it has.
 */
async function cursorSnapshot(ctx: EvalContext, c: Cursor): Promise<bigint | undefined> {
  if (c.t === undefined) return undefined;
  const key = await ctx.model.cursorKey?.();
  if (key === undefined || !cursorMacValid(key, c.t, c.d, c.m)) throw invalidCursor();
  const ts = BigInt(c.t);
  return ts < ctx.model.txnTs ? ts : undefined;
}

/**
 * `set` resumed from a client's position: a position that does not fit the set (a forged
 * cursor) makes the set's own code fail with a plain JS error while it seeks to the first
 * element, which is reported as an invalid cursor. Query errors pass through.
 */
class ResumedSet implements FqlSet {
  readonly label: string;
  constructor(private readonly set: FqlSet) {
    this.label = set.label;
  }
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const it = this.set.iterate(ctx, after)[Symbol.asyncIterator]();
    try {
      let next: IteratorResult<SetElement>;
      try {
        next = await it.next();
      } catch (err) {
        throw err instanceof QueryError ? err : invalidCursor();
      }
      for (; !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.();
    }
  }
  cursorAtEnd(pos: SetPosition): boolean {
    return this.set.cursorAtEnd?.(pos) ?? false;
  }
  describe(): unknown {
    return this.set.describe();
  }
}

/** The page size a set paginates with when none is given (`pageSize(n)` or the default). */
export function defaultPageSize(set: FqlSet): number {
  return initialPageSize(set, DEFAULT_PAGE_SIZE);
}

/**
 * Up to `size` elements of `set` after position `after`, and a cursor to the rest when there
 * is more and the set can be resumed.
 */
export async function pageSet(
  ctx: EvalContext, set: FqlSet, size: number, after?: SetPosition,
): Promise<{ items: Value[]; after?: string }> {
  const items: Value[] = [];
  let last: SetPosition | undefined;
  const it = set.iterate(ctx, after)[Symbol.asyncIterator]();
  try {
    while (items.length < size) {
      const next = await it.next();
      if (next.done) return { items };
      loopCheckpoint(ctx);
      items.push(next.value.value);
      last = next.value.pos;
    }
    // Fauna reads one element past the page to know whether another page exists, except
    // where a set answers without reading on (FqlSet.cursorAtEnd).
    if ((await it.next()).done && !(last !== undefined && set.cursorAtEnd?.(last))) return { items };
  } finally {
    await it.return?.();
  }
  const d = set.describe();
  if (d === undefined) return { items };
  return { items, after: await encodeCursor(ctx, d, last, size) };
}

/** The plain `{ data, after? }` object that `paginate()` and `Set.paginate()` return. */
export function pageObject(page: { items: Value[]; after?: string }): Value {
  const m = new Map<string, Value>([['data', { t: 'array', v: page.items }]]);
  if (page.after !== undefined) m.set('after', { t: 'string', v: page.after });
  return { t: 'object', v: m };
}

/**
 * `Set.paginate(cursor[, size])`: the set is rebuilt and read as of the cursor's snapshot
 * (EvalContext.systemTs, core Sets.scala paginateImpl: `ctx.withSystemValidTime`).
 */
export async function paginateCursor(ctx: EvalContext, cursor: string, size?: number): Promise<Value> {
  const c = decodeCursor(cursor);
  const snapshot = await cursorSnapshot(ctx, c);
  const previous = ctx.systemTs;
  ctx.systemTs = snapshot;
  try {
    let set: FqlSet;
    try {
      set = await decodeSet(ctx, c.d);
    } catch (err) {
      if (err instanceof QueryError) throw err;
      throw invalidCursor();
    }
    return pageObject(await pageSet(ctx, new ResumedSet(set), size ?? c.s, c.p));
  } finally {
    ctx.systemTs = previous;
  }
}
