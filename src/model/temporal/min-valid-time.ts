// A collection's minimum valid time (MVT): the oldest time its documents may be read at. Older
// versions are swept (history.ts), so a read before it would show a history with holes; core
// refuses it instead. Its storage reads (DocSnapshot, SetSnapshot) throw ReadValidTimeBelowMVT
// when their valid time is below the collection's MVT, and ExceptionResponseHelpers answers
// that, for FQL v10 and v4 alike, with a 400 bad request "Requested timestamp <t> less than
// minimum allowed timestamp <mvt>." (FQL2BasicSpec "returns a 400 when reading before MVT").
// Core's MVT is Collection.deriveMinValidTime: the transaction's snapshot time less the
// collection's history_days and MVTOffset (15 minutes), never before the epoch.
//
// Only reads at a user's snapshot (`at (t) { ... }`, v4 `At`) are checked: event streams check
// their start against the same bound themselves (streams/events-service.ts), and a resumed
// set cursor reads what history is left (fql/eval/sets/paginate.ts).
//
// Known gap: core also keeps a floor (Collection.computeMinValidTimeFloor) so that raising
// history_days does not expose the versions swept under the old setting; this server derives
// the MVT from the current history_days only.
import { QueryTimeout } from '../../fql/errors';
import { formatTime } from '../../fql/values/format';
import { schemaOf } from '../definitions/schema';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import { historyCutoff } from './history';

/**
 * core ReadValidTimeBelowMVT, a 400 `invalid_request` protocol error (v4: `bad request`). It
 * ends the whole query as a timeout does (nothing inside the query may catch it), hence the
 * subclass, like ComputeLimitExceeded.
 */
export class ReadBelowMinValidTime extends QueryTimeout {
  readonly limitMessage: string;
  constructor(readonly validTs: bigint, readonly mvt: bigint) {
    super();
    this.limitMessage = `Requested timestamp ${formatTime(validTs * 1000n)} less than minimum allowed timestamp ${formatTime(mvt * 1000n)}.`;
    this.message = this.limitMessage;
  }
}

/** The oldest time (µs) `def`'s documents may be read at in this transaction. */
export function minValidTime(txn: ModelTxnImpl, def: CollectionDef): bigint {
  const cutoff = historyCutoff(txn.txnTs, schemaOf(def).historyDays);
  return cutoff > 0n ? cutoff : 0n;
}

/** Throws ReadBelowMinValidTime when `ts` (µs) is before `def`'s minimum valid time. */
export function checkReadableAt(txn: ModelTxnImpl, def: CollectionDef, ts: bigint): void {
  const mvt = minValidTime(txn, def);
  if (ts < mvt) throw new ReadBelowMinValidTime(ts, mvt);
}
