// When any engine of this process last bumped the database clock (sql.ts CLOCK_FRESH_MS), in
// memory its query workers share. Each worker runs an engine of its own: deciding alone, each of
// eight engines under read load bumped every 10 ms (800 clock writes a second on one row, and a
// write in the begin of most reads); sharing the time, the process bumps once per 10 ms.
import { CLOCK_FRESH_MS } from './sql';

/** Microseconds since the epoch, comparable across this process's threads (unlike performance.now()). */
function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

export class BumpClock {
  private readonly last: BigInt64Array;
  private readonly freshUs: bigint;

  /**
   * `shared`: the memory of another thread's BumpClock (its `shared`), or none for a new one.
   * `freshMs`: how long a bump lasts (tests only change it).
   */
  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer(8), freshMs = CLOCK_FRESH_MS) {
    this.last = new BigInt64Array(shared);
    this.freshUs = BigInt(Math.round(freshMs * 1000));
  }

  /**
   * Whether the caller's begin must bump the clock: none did for CLOCK_FRESH_MS. True for one
   * caller only (compare-and-swap), who then bumps.
   */
  claim(): boolean {
    const now = nowUs();
    const last = Atomics.load(this.last, 0);
    if (now - last < this.freshUs) return false;
    return Atomics.compareExchange(this.last, 0, last, now) === last;
  }

  /** A begin bumped the clock anyway (a writer's registration). */
  bumped(): void {
    Atomics.store(this.last, 0, nowUs());
  }
}
