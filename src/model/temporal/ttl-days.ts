// `ttl_days` on a collection: a document written without its own `ttl` expires that many days
// after the write, so it vanishes from reads and indexes like any expired document.
import type { WriteShaper } from '../write-broker';
import { modelOf } from '../stdlib/args';
import { schemaOf } from '../definitions/schema';

const NS_PER_DAY = 86_400n * 1_000_000_000n;

/** Gives a document written without a `ttl` its collection's `ttl_days`. */
export const applyTtlDays: WriteShaper = async (ctx, w) => {
  if (!w.after || w.after.ttl !== undefined) return w;
  const days = schemaOf(w.def).ttlDays;
  if (days === undefined) return w;
  const ttl = modelOf(ctx).txnTs * 1000n + BigInt(Math.trunc(days)) * NS_PER_DAY;
  return { ...w, after: { ...w.after, ttl } };
};
