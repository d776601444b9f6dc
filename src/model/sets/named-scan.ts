// `Collection.all()`, `Function.all()`, `Role.all()`, `Database.all()`: the named schema
// documents of one kind, by name, hiding the ones the caller may not read (through readNamed,
// which applies the read guard).
import type { FqlSet, SetElement, SetPosition } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import { decodeKey } from '../../storage/tuple';
import { prefixEnd, schemaKey, schemaPrefix } from '../keys';
import { ModelTxnImpl, type SetDecoder } from '../model-txn';

export class NamedScanSet implements FqlSet {
  readonly label: string;
  constructor(readonly schemaColl: string) {
    this.label = `${schemaColl}.all()`;
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const model = (ctx as EvalContext).model as ModelTxnImpl;
    const prefix = schemaPrefix(model.db, this.schemaColl);
    const start = after === undefined ? prefix : prefixEnd(schemaKey(model.db, this.schemaColl, String(after)));
    for (const row of await model.kv.scan({ start, end: prefixEnd(prefix) })) {
      const parts = decodeKey(row.key);
      const name = String(parts[parts.length - 1]);
      const named = await model.readNamed({ t: 'named', coll: this.schemaColl, name });
      if ('cause' in named) continue;
      yield { value: { t: 'named', coll: this.schemaColl, name }, pos: name };
    }
  }

  describe(): unknown {
    return { kind: 'namedAll', coll: this.schemaColl };
  }
}

/** Decodes a `namedAll` set description (a cursor's set). */
export const decodeNamedScan: SetDecoder = async (_txn, d) => new NamedScanSet(String(d.coll));
