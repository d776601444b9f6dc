// Transaction timestamps: strictly increasing µs, max(now, last + 1), and never going backwards
// across restarts: after a crash, a new process must not hand out a ts at or below one already
// handed out (acknowledged to a client or observed by a reader).
//
// Reserve ahead. The clock keeps a durable mark D (persisted, fsynced) and hands out only
// timestamps ≤ D. Invariant: every ts ever handed out is ≤ the largest mark durably persisted.
// On open, numbering resumes above the largest persisted mark (engine.ts reads both stores), so
// the first ts of a restarted process exceeds every ts of the previous ones, crash or not.
//
// Off the hot path. Persisting costs an fsync (6–18 ms), so it must not happen in `next()`, which
// runs on the coordinator for every transaction. Each persisted mark reserves RESERVE_MICROS
// (2 s) ahead of the clock; once less than RENEW_MICROS (1 s) of it remains, `next()` starts an
// asynchronous persist of a new mark (`persistAsync`: the clock file, written in libuv's thread
// pool) and keeps handing out timestamps from the old reserve meanwhile. D only moves once that
// write landed, so the invariant holds whether or not the process dies before it does. In steady
// state a write takes milliseconds and the reserve has a second left: no caller ever waits.
//
// Exhausted reserve (the wall clock jumped ahead, or the write is slower than the reserve): the
// candidate ts exceeds D. Never hand it out unpersisted: `nextAsync()` waits for an async write
// covering it; `next()`, which must answer synchronously, persists synchronously
// (`persistSync`: the database's meta row, fsynced by SQLite on this thread). Both stores only
// ever receive marks ≥ what they held, and the restart floor is the max over both.
import { nowMicros } from '../clock';

export const RESERVE_MICROS = 2_000_000n;
export const RENEW_MICROS = 1_000_000n;

/** Where the mark goes; the seam tests replace. */
export interface ClockMarkStore {
  /** Durably persists `mark` before returning (blocks the calling thread: the fallback only). */
  persistSync(mark: bigint): void;
  /** Durably persists `mark` off the calling thread; one call at a time. */
  persistAsync(mark: bigint): Promise<void>;
}

export class TimestampClock {
  private last: bigint;
  /** The largest mark known durable: no ts handed out exceeds it. */
  private durable: bigint;
  /** The async persist in flight, if any, and the mark it writes. */
  private inFlight: { readonly mark: bigint; readonly done: Promise<void> } | undefined;
  /** The last async persist's failure, reported to the next caller that has to wait. */
  private failure: unknown;

  /** `floor`: the largest mark persisted before (0 for a new database); numbering resumes above. */
  constructor(
    floor: bigint,
    private readonly store: ClockMarkStore,
    private readonly now: () => bigint = nowMicros,
  ) {
    this.last = floor;
    this.durable = floor;
  }

  /** The last timestamp handed out (the restart floor before the first). */
  get current(): bigint {
    return this.last;
  }

  /** The largest mark known durable. */
  get durableMark(): bigint {
    return this.durable;
  }

  /** The next timestamp, synchronously; persists synchronously only if the reserve ran out. */
  next(): bigint {
    const ts = this.candidate();
    if (ts > this.durable) {
      const mark = ts + RESERVE_MICROS;
      this.store.persistSync(mark); // before handing out ts, so a crash can never reissue it
      this.durable = mark;
    }
    return this.issue(ts);
  }

  /** The next timestamp; if the reserve ran out, waits for an async persist covering it. */
  async nextAsync(): Promise<bigint> {
    for (;;) {
      const ts = this.candidate();
      if (ts <= this.durable) return this.issue(ts);
      await this.persistAhead(ts);
    }
  }

  /** Waits until a mark reserving ahead of the clock is durable (at open, and before close). */
  async reserve(): Promise<void> {
    await this.persistAhead(this.candidate());
  }

  private candidate(): bigint {
    const now = this.now();
    return now > this.last ? now : this.last + 1n;
  }

  private issue(ts: bigint): bigint {
    this.last = ts;
    if (this.durable - ts < RENEW_MICROS && this.inFlight === undefined) this.startPersist(ts + RESERVE_MICROS);
    return ts;
  }

  /** Resolves once a mark ≥ ts is durable (rejects if the write fails). */
  private async persistAhead(ts: bigint): Promise<void> {
    while (this.durable < ts) {
      if (this.inFlight === undefined) this.startPersist(ts + RESERVE_MICROS);
      await this.inFlight!.done;
      if (this.failure !== undefined) {
        const err = this.failure;
        this.failure = undefined;
        throw err;
      }
    }
  }

  private startPersist(mark: bigint): void {
    const done = this.store.persistAsync(mark).then(
      () => {
        if (mark > this.durable) this.durable = mark;
      },
      (err: unknown) => {
        this.failure = err; // the reserve just isn't renewed; the next waiter sees the error
      },
    ).finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = { mark, done };
  }

  /** Waits for the async persist in flight, if any (before the store closes); never rejects. */
  async settle(): Promise<void> {
    await this.inFlight?.done;
  }
}
