// User-defined index methods on collection modules: `Account.byEmail("a@b.c")` takes one
// argument per term and, optionally, a `{ from, to }` range over the covered values.
import type { MethodDef } from '../../fql/stdlib/registry';
import type { ModelTxnImpl } from '../model-txn';
import { schemaOf } from '../definitions/schema';
import { checkIndexRead, indexSet } from '../sets/index-set';
import { modelOf } from '../stdlib/args';

export async function collectionIndexMethod(model: ModelTxnImpl, coll: string, name: string): Promise<MethodDef | undefined> {
  const def = await model.collection(coll);
  if (!def) return undefined;
  const index = schemaOf(def).indexes.get(name);
  if (!index) return undefined;
  const n = index.terms.length;
  return {
    arity: [n, n + 1],
    impl: async (ctx, _self, args) => {
      await checkIndexRead(modelOf(ctx), def.name);
      return { t: 'set', set: indexSet(modelOf(ctx), def, index, args.slice(0, n), args.length > n ? args[n] : undefined, ctx.snapshotTs) };
    },
  };
}
