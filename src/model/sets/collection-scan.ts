// `Coll.all()`: the documents of a user collection in id order, read lazily in growing
// batches so that `first()` or a 16-item page reads only what it needs. Built inside
// `at (t) { ... }` it reads the version history as of `t`, and its documents keep that
// snapshot wherever they are read (even outside the `at` block, or from a cursor). Resumed
// from a cursor it reads as of the cursor's snapshot (cursor-snapshot.ts).
import type { FqlSet, SetElement, SetPosition } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import { ModelTxnImpl, type CollectionDef, type SetDecoder } from '../model-txn';
import { docsAsOf, historicalDocs } from './cursor-snapshot';
import { checkReadableAt } from '../temporal/min-valid-time';

/** Inclusive document id bounds of `Coll.all({ from, to })`. */
export interface IdBounds { readonly from?: bigint; readonly to?: bigint }

export class CollectionScanSet implements FqlSet {
  readonly label: string;
  /** `at`: the read snapshot (µs) when built inside `at`; `descending`: reverse id order. */
  constructor(readonly coll: string, readonly descending = false, readonly at?: bigint, readonly bounds: IdBounds = {}) {
    this.label = `${coll}.all()`;
  }

  /** Reversing flips the scan direction instead of materialising the set. */
  reverse(): FqlSet {
    return new CollectionScanSet(this.coll, !this.descending, this.at, this.bounds);
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const ectx = ctx as EvalContext;
    const model = ectx.model as ModelTxnImpl;
    const def = await model.collection(this.coll);
    if (!def) return;
    const { from: lo, to: hi } = this.bounds;
    // The scan resumes after an id: start just outside the bound on the side we come from.
    const start = this.descending ? (hi === undefined ? undefined : hi + 1n) : (lo === undefined || lo === 0n ? undefined : lo - 1n);
    const from = after === undefined ? start : BigInt(after as string);
    const beyond = (id: bigint): boolean => (this.descending ? lo !== undefined && id < lo : hi !== undefined && id > hi);
    if (this.at !== undefined) {
      // Built inside `at`: the documents keep that snapshot (read with `history_read`), which
      // may not precede the history kept.
      checkReadableAt(model, def, this.at);
      for await (const d of historicalDocs(ectx, def, this.at, from, this.descending, beyond)) {
        yield { value: { t: 'doc', coll: this.coll, id: d.id, readTs: this.at }, pos: d.id };
      }
    } else if (ectx.systemTs !== undefined) {
      // A resumed cursor's snapshot: its present, so the documents keep none.
      for await (const d of docsAsOf(ectx, def, ectx.systemTs, from, this.descending, beyond)) {
        yield { value: { t: 'doc', coll: this.coll, id: d.id }, pos: d.id };
      }
    } else {
      yield* this.current(model, def, from, beyond);
    }
  }

  private async *current(
    model: ModelTxnImpl, def: CollectionDef, after: bigint | undefined, beyond: (id: bigint) => boolean,
  ): AsyncIterable<SetElement> {
    let from = after;
    let batch = 16;
    for (;;) {
      const { docs, lastId, more } = await model.scanDocs(def, from, batch, this.descending);
      for (const d of docs) {
        if (beyond(BigInt(d.id))) return;
        yield { value: { t: 'doc', coll: this.coll, id: d.id }, pos: d.id };
      }
      if (!more || lastId === undefined || beyond(lastId)) return;
      from = lastId;
      batch = Math.min(batch * 4, 1024);
    }
  }

  describe(): unknown {
    return {
      kind: 'collAll', coll: this.coll, reverse: this.descending, at: this.at?.toString(),
      from: this.bounds.from?.toString(), to: this.bounds.to?.toString(),
    };
  }
}

const bigOrUndefined = (v: unknown): bigint | undefined => (typeof v === 'string' ? BigInt(v) : undefined);

/** Decodes a `collAll` set description (a cursor's set). */
export const decodeCollectionScan: SetDecoder = async (_txn, d) =>
  new CollectionScanSet(String(d.coll), d.reverse === true, bigOrUndefined(d.at), { from: bigOrUndefined(d.from), to: bigOrUndefined(d.to) });
