// How long a transaction that may still write may hold back the point below which everything
// is committed (the stable point that event streams, feeds and causal reads wait for), on
// either engine. Past it the writer is evicted: the point moves on without it, and its commit,
// if it writes, conflicts (retried by the query layer with a new ts). Without it, one query that
// writes and then computes until its deadline (up to 10 minutes) stalled every other writer on
// PostgreSQL, and one slow read-only query (whose transaction counts as a writer until it says
// otherwise) held back every event stream and feed on the embedded engine (found by probing,
// session 16).
export const WRITER_HOLD_MS = 2_000;

/** The conflict an evicted writer's commit reports. */
export const EVICTED = 'this transaction held up newer commits for too long';
