// `Collection.all()` (and later Function.all(), Role.all(), ...): schema documents by name.
import type { FqlSet, SetElement, SetPosition } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import { ModelTxnImpl, defineSetDecoder } from '../model-txn';

export class NamedScanSet implements FqlSet {
  readonly label: string;
  constructor(readonly schemaColl: string) {
    this.label = `${schemaColl}.all()`;
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const model = (ctx as EvalContext).model as ModelTxnImpl;
    const defs = this.schemaColl === 'Collection' ? await model.allCollections() : [];
    for (const d of defs) {
      if (after !== undefined && d.name <= (after as string)) continue;
      yield { value: { t: 'named', coll: this.schemaColl, name: d.name }, pos: d.name };
    }
  }

  describe(): unknown {
    return { kind: 'namedAll', coll: this.schemaColl };
  }
}

defineSetDecoder('namedAll', async (_txn, d) => new NamedScanSet(String(d.coll)));
