// Index entries as of a past snapshot (`at (t) { Person.byName("x") }`). Entries are not
// versioned in storage: they are recomputed from the documents' versions visible at `t`
// (src/model/temporal/historical-scan.ts), filtered to the requested key range and sorted.
//
// Trade-off: current index reads and every write stay as cheap as before (no entry history
// to write, keep or sweep), at the price of a historical index read costing a scan of the
// collection's history (O(documents), like `where` over `all()`). Historical reads are rare
// next to current ones; a versioned entry layout would make every write pay instead.
import type { EvalContext } from '../../fql/eval/context';
import { indexKey } from '../keys';
import type { ModelTxnImpl } from '../model-txn';
import { fullDocView } from '../definitions/doc-view';
import { schemaOf, type IndexDef } from '../definitions/schema';
import { scanDocsAt } from '../temporal/historical-scan';
import { entryParts } from './entries';

const BATCH = 1024;

/** Keys of the entries of `index` in [start, end) as of `ts`, in ascending key order. */
export async function historicalEntries(
  ctx: EvalContext, collId: number, coll: string, index: IndexDef, ts: bigint, start: Uint8Array, end: Uint8Array,
): Promise<Uint8Array[]> {
  const model = ctx.model as ModelTxnImpl;
  const def = await model.collection(coll);
  if (!def || def.id !== collId) return [];
  const schema = schemaOf(def);
  const fields = [...index.terms, ...index.values];
  const keys: Uint8Array[] = [];
  const previous = ctx.snapshotTs;
  // Computed fields in the index evaluate against the past snapshot too.
  ctx.snapshotTs = ts;
  try {
    let after: bigint | undefined;
    for (;;) {
      const { docs, lastId, more } = await scanDocsAt(model, def, ts, after, BATCH, false);
      ctx.stats.readOps += 1;
      for (const d of docs) {
        const view = await fullDocView(model, ctx, schema, d);
        for (const parts of entryParts(view, fields, index.terms.length)) {
          const key = indexKey(model.db, collId, index.name, [...parts, BigInt(d.id)]);
          if (Buffer.compare(key, start) >= 0 && Buffer.compare(key, end) < 0) keys.push(key);
        }
      }
      if (!more || lastId === undefined) break;
      after = lastId;
    }
  } finally {
    ctx.snapshotTs = previous;
  }
  return keys.sort(Buffer.compare);
}
