// Rebuilding sets from their descriptions (the inverse of FqlSet.describe()). Sets described
// by the model (collection scans, index ranges) are handed to ctx.model.decodeSet.
import type { EvalContext } from '../context';
import type { FqlSet, FunctionV, SetElement, SetPosition } from '../../values/value';
import { deserializeValue } from '../../values/serialize';
import { ArraySet, SequenceSet, SingleSet } from './array-set';
// A cycle (paginate decodes cursors with decodeSet), harmless: only read when decoding.
import { MAX_PAGE_SIZE } from './paginate';
import {
  ConcatSet, DistinctSet, DropSet, FlatMapSet, MapSet, OrderSet, PagedSet, ReverseSet, TakeSet, WhereSet,
} from './combinators';

type Description = Record<string, unknown>;

/** The read snapshot a where/map/flatMap set was built at, if any. */
const snapshotOf = (d: Description): bigint | undefined => (typeof d.at === 'string' ? BigInt(d.at) : undefined);

/** An integer field of a description; descriptions come back in client cursors. */
function int(j: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof j !== 'number' || !Number.isSafeInteger(j) || j < min || j > max) throw new SyntaxError('malformed set description');
  return j;
}

function fn(j: unknown): FunctionV {
  const v = deserializeValue(j);
  if (v.t !== 'function') throw new SyntaxError('expected a function');
  return v;
}

export async function decodeSet(ctx: EvalContext, desc: unknown): Promise<FqlSet> {
  if (typeof desc !== 'object' || desc === null) throw new SyntaxError('malformed set description');
  const d = desc as Description;
  const inner = () => decodeSet(ctx, d.inner);
  switch (d.src) {
    case 'array':
      if (!Array.isArray(d.items)) throw new SyntaxError('malformed array set');
      return new ArraySet(d.items.map(deserializeValue));
    case 'single': return new SingleSet(deserializeValue(d.item));
    case 'sequence': return new SequenceSet(int(d.from, Number.MIN_SAFE_INTEGER), int(d.until, Number.MIN_SAFE_INTEGER));
    case 'where': return new WhereSet(await inner(), fn(d.fn), snapshotOf(d));
    case 'map': return new MapSet(await inner(), fn(d.fn), snapshotOf(d));
    case 'flatMap': return new FlatMapSet(await inner(), fn(d.fn), snapshotOf(d));
    case 'take': return new TakeSet(await inner(), int(d.n, 0));
    case 'drop': return new DropSet(await inner(), int(d.n, Number.MIN_SAFE_INTEGER));
    case 'reverse': return new ReverseSet(await inner());
    case 'distinct': return new DistinctSet(await inner());
    case 'paged': return new PagedSet(await inner(), int(d.size, 1, MAX_PAGE_SIZE));
    case 'concat': return new ConcatSet(await decodeSet(ctx, d.first), await decodeSet(ctx, d.second));
    case 'order': {
      if (!Array.isArray(d.ords)) throw new SyntaxError('malformed order set');
      const ords = d.ords.map((o: Description) => ({ fn: fn(o.fn), desc: o.desc === true }));
      return new OrderSet(await inner(), ords);
    }
    default: return ctx.model.decodeSet(desc);
  }
}

/**
 * A set held inside a serialised value (e.g. captured by a lambda): decoded on first use,
 * when a context is available.
 */
class LazyDecodedSet implements FqlSet {
  readonly label = '[set]';
  private decoded: Promise<FqlSet> | undefined;
  constructor(private readonly desc: unknown) {}

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    this.decoded ??= decodeSet(ctx as EvalContext, this.desc);
    yield* (await this.decoded).iterate(ctx, after);
  }

  describe(): unknown {
    return this.desc;
  }
}

export function decodedSet(desc: unknown): FqlSet {
  return new LazyDecodedSet(desc);
}
