// Transaction timestamps: strictly increasing µs, max(now, last + 1). To keep them increasing
// across restarts without a disk write per transaction, a high-water mark one second ahead is
// persisted whenever a timestamp reaches it; after a restart numbering resumes above the mark.
import { nowMicros } from '../clock';

const RESERVE_MICROS = 1_000_000n;

export class TimestampClock {
  private last: bigint;
  private highWater: bigint;

  /** `persistedHighWater`: the mark read at startup (0 for a new database). */
  constructor(
    persistedHighWater: bigint,
    private readonly persist: (highWater: bigint) => void,
  ) {
    this.last = persistedHighWater;
    this.highWater = persistedHighWater;
  }

  /** The last timestamp handed out (the persisted mark's base before the first). */
  get current(): bigint {
    return this.last;
  }

  next(): bigint {
    let ts = nowMicros();
    if (ts <= this.last) ts = this.last + 1n;
    if (ts >= this.highWater) {
      const mark = ts + RESERVE_MICROS;
      this.persist(mark); // before handing out ts, so a crash can never reissue it
      this.highWater = mark;
    }
    this.last = ts;
    return ts;
  }
}
