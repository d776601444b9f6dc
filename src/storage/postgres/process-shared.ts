// What the PostgreSQL engines of one process (the server's and each query worker's) share, in
// memory every thread of the process sees: when the clock was last bumped (bump-clock.ts) and
// how often transactions renewed their snapshot (txn.ts renew), for /metrics.
import { BumpClock } from './bump-clock';

/** How a renewal ended: on its connection, on another (the database ended its own), or in a conflict. */
export type RenewalOutcome = 'renewed' | 'reopened' | 'conflict';
const OUTCOMES: readonly RenewalOutcome[] = ['renewed', 'reopened', 'conflict'];

/** The memory, as passed to a query worker. */
export interface SharedMemory {
  readonly bumpClock: SharedArrayBuffer;
  readonly renewals: SharedArrayBuffer;
}

export class ProcessShared {
  readonly bumpClock: BumpClock;
  private readonly renewalCounts: BigInt64Array;

  /** `memory`: another thread's (its `memory`), or none for a new one. */
  constructor(readonly memory: SharedMemory = { bumpClock: new SharedArrayBuffer(8), renewals: new SharedArrayBuffer(8 * OUTCOMES.length) }) {
    this.bumpClock = new BumpClock(memory.bumpClock);
    this.renewalCounts = new BigInt64Array(memory.renewals);
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
