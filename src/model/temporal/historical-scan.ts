// The documents of a collection as of a past snapshot (`at (t) { Coll.all() }`), read from the
// version history [db, 'h', collId, docId, -ts]: for each document id in order, one seek to the
// newest version at or before `t`. Costs two point seeks per document that has any retained
// version (including documents created after `t` or deleted before it), so historical scans
// are slower than current ones, which read the current-version rows directly.
import { decodeKey } from '../../storage/tuple';
import { collVersionsPrefix, prefixEnd, versionPrefix } from '../keys';
import { modelHooks, type CollectionDef, type ModelTxnImpl } from '../model-txn';
import type { DocData } from '../model-api';
import { readVersionAt } from './history';

/** The document id of a version key. */
function docIdOf(key: Uint8Array): bigint {
  const parts = decodeKey(key);
  return BigInt(parts[parts.length - 2] as bigint | number);
}

/**
 * Up to `limit` document ids after `afterId` (in id order, or reverse) with a version as of `ts`,
 * with the documents visible then. `lastId` is the last id examined; `more` whether ids remain.
 */
export async function scanDocsAt(
  model: ModelTxnImpl, def: CollectionDef, ts: bigint, afterId: bigint | undefined, limit: number, reverse: boolean,
): Promise<{ docs: DocData[]; lastId?: bigint; more: boolean }> {
  const coll = collVersionsPrefix(model.db, def.id);
  let start = coll;
  let end = prefixEnd(coll);
  if (afterId !== undefined) {
    if (reverse) end = versionPrefix(model.db, def.id, afterId);
    else start = prefixEnd(versionPrefix(model.db, def.id, afterId));
  }
  const docs: DocData[] = [];
  let lastId: bigint | undefined;
  for (let examined = 0; examined < limit; examined++) {
    const rows = await model.kv.scan({ start, end, limit: 1, reverse });
    if (rows.length === 0) return { docs, lastId, more: false };
    lastId = docIdOf(rows[0].key);
    const doc = await readVersionAt(model, def, lastId.toString(), ts);
    if (doc) {
      const visible = modelHooks.guardDoc ? await modelHooks.guardDoc(model, doc) : doc;
      if (!('cause' in visible)) docs.push(visible);
    }
    if (reverse) end = versionPrefix(model.db, def.id, lastId);
    else start = prefixEnd(versionPrefix(model.db, def.id, lastId));
  }
  return { docs, lastId, more: true };
}
