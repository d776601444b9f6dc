// Sets whose elements are known up front: `[...].toSet()`, `Set.single(x)` and
// `Set.sequence(from, until)`. Positions are element indexes (sequence: the number itself).
import { int } from '../../values/construct';
import type { FqlSet, SetElement, SetPosition, Value } from '../../values/value';
import { serializeValue } from '../../values/serialize';
import { invalidCursor } from '../failures';
import type { EvalContext } from '../context';
import { loopCheckpoint } from '../state';

/** A resumed integer position; positions come back from clients inside cursors. */
export function integerPosition(after: SetPosition): number {
  if (typeof after !== 'number' || !Number.isSafeInteger(after)) throw invalidCursor();
  return after;
}

export class ArraySet implements FqlSet {
  readonly label = '[set]';
  constructor(readonly items: readonly Value[]) {}

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for (let i = after === undefined ? 0 : integerPosition(after) + 1; i < this.items.length; i++) {
      loopCheckpoint(ctx as EvalContext);
      yield { value: this.items[i], pos: i };
    }
  }

  describe(): unknown {
    return { src: 'array', items: this.items.map(serializeValue) };
  }
}

/**
 * `Set.single(x)`: an array set of one element that remembers it was made by `Set.single`, so
 * that a single document can become an event source (core SingletonSet) and a cursor or token
 * rebuilds it as such. Everything else about it is an array set's behaviour.
 */
export class SingleSet extends ArraySet {
  constructor(readonly item: Value) {
    super([item]);
  }

  override describe(): unknown {
    return { src: 'single', item: serializeValue(this.item) };
  }
}

export class SequenceSet implements FqlSet {
  readonly label: string;
  constructor(readonly from: number, readonly until: number) {
    this.label = `Set.sequence(${from}, ${until})`;
  }

  // Every pipeline pulls from its source, so checking the deadline here also covers stages
  // that consume elements without yielding them (drop, where).
  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    for (let n = after === undefined ? this.from : integerPosition(after) + 1; n < this.until; n++) {
      loopCheckpoint(ctx as EvalContext);
      yield { value: int(n), pos: n };
    }
  }

  describe(): unknown {
    return { src: 'sequence', from: this.from, until: this.until };
  }
}
