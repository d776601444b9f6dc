// What the PostgreSQL engines of one process (the server's and each query worker's) share: the
// snapshot limit (sql.ts SNAPSHOT_MAX_MS), and in memory every thread of the process sees, when
// the clock was last bumped (bump-clock.ts) and how often transactions renewed their snapshot
// (txn.ts renew), for /metrics.
import { BumpClock } from './bump-clock';

/** How a renewal ended: on its connection, on another (the database ended its own), or in a conflict. */
export type RenewalOutcome = 'renewed' | 'reopened' | 'conflict';
const OUTCOMES: readonly RenewalOutcome[] = ['renewed', 'reopened', 'conflict'];

/** The state itself: plain data and shared memory, as passed to a query worker. */
export interface SharedState {
  readonly maxSnapshotMs: number;
  readonly bumpClock: SharedArrayBuffer;
  readonly renewals: SharedArrayBuffer;
}

export class ProcessShared {
  readonly bumpClock: BumpClock;
  private readonly renewalCounts: BigInt64Array;

  /** A process's new state, with its snapshot limit. */
  static create(maxSnapshotMs: number): ProcessShared {
    return new ProcessShared({ maxSnapshotMs, bumpClock: new SharedArrayBuffer(8), renewals: new SharedArrayBuffer(8 * OUTCOMES.length) });
  }

  /** `state`: another thread's (its `state`). */
  constructor(readonly state: SharedState) {
    this.bumpClock = new BumpClock(state.bumpClock);
    this.renewalCounts = new BigInt64Array(state.renewals);
  }

  get maxSnapshotMs(): number {
    return this.state.maxSnapshotMs;
  }

  renewed(outcome: RenewalOutcome): void {
    Atomics.add(this.renewalCounts, OUTCOMES.indexOf(outcome), 1n);
  }

  /** Renewals so far in the process, by outcome. */
  get renewals(): Record<RenewalOutcome, number> {
    const out = {} as Record<RenewalOutcome, number>;
    OUTCOMES.forEach((o, i) => { out[o] = Number(Atomics.load(this.renewalCounts, i)); });
    return out;
  }
}
