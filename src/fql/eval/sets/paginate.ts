// Pages of sets and the opaque cursors that resume them. A cursor is base64url(JSON) of the
// set's description, the position of the last element returned, and the page size. Cursors
// come back from clients, so everything in them is checked: a forged one fails with Fauna's
// invalid_cursor (400), never a 500 or a page beyond MAX_PAGE_SIZE.
import { QueryError } from '../../errors';
import type { EvalContext } from '../context';
import type { FqlSet, SetElement, SetPosition, Value } from '../../values/value';
import { invalidCursor } from '../failures';
import { loopCheckpoint } from '../state';
import { MAX_PAGE_SIZE } from '../../limits';
import { initialPageSize } from './combinators';
import { decodeSet } from './decode';

export const DEFAULT_PAGE_SIZE = 16;
export { MAX_PAGE_SIZE };

interface Cursor { readonly d: unknown; readonly p: SetPosition; readonly s: number }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

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
    || !Number.isSafeInteger(c.s) || (c.s as number) < 1 || (c.s as number) > MAX_PAGE_SIZE) {
    throw invalidCursor();
  }
  return c as Cursor;
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
    // Fauna reads one element past the page to know whether another page exists.
    if ((await it.next()).done) return { items };
  } finally {
    await it.return?.();
  }
  const d = set.describe();
  if (d === undefined) return { items };
  return { items, after: encodeCursor({ d, p: last, s: size }) };
}

/** The plain `{ data, after? }` object that `paginate()` and `Set.paginate()` return. */
export function pageObject(page: { items: Value[]; after?: string }): Value {
  const m = new Map<string, Value>([['data', { t: 'array', v: page.items }]]);
  if (page.after !== undefined) m.set('after', { t: 'string', v: page.after });
  return { t: 'object', v: m };
}

/** `Set.paginate(cursor[, size])`. */
export async function paginateCursor(ctx: EvalContext, cursor: string, size?: number): Promise<Value> {
  const c = decodeCursor(cursor);
  let set: FqlSet;
  try {
    set = await decodeSet(ctx, c.d);
  } catch (err) {
    if (err instanceof QueryError) throw err;
    throw invalidCursor();
  }
  return pageObject(await pageSet(ctx, new ResumedSet(set), size ?? c.s, c.p));
}
