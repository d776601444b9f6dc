// `Coll.all()`: the documents of a user collection in id order, read lazily in growing
// batches so that `first()` or a 16-item page reads only what it needs.
import type { FqlSet, SetElement, SetPosition } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import { ModelTxnImpl, defineSetDecoder } from '../model-txn';

export class CollectionScanSet implements FqlSet {
  readonly label: string;
  constructor(readonly coll: string, readonly reverse = false) {
    this.label = `${coll}.all()`;
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const model = (ctx as EvalContext).model as ModelTxnImpl;
    const def = await model.collection(this.coll);
    if (!def) return;
    let from = after === undefined ? undefined : BigInt(after as string);
    let batch = 16;
    for (;;) {
      const { docs, lastId, more } = await model.scanDocs(def, from, batch, this.reverse);
      for (const d of docs) yield { value: { t: 'doc', coll: this.coll, id: d.id }, pos: d.id };
      if (!more || lastId === undefined) return;
      from = lastId;
      batch = Math.min(batch * 4, 1024);
    }
  }

  describe(): unknown {
    return { kind: 'collAll', coll: this.coll, reverse: this.reverse };
  }
}

defineSetDecoder('collAll', async (_txn, d) =>
  new CollectionScanSet(String(d.coll), d.reverse === true));
