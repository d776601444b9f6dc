// A job's events as UTF-8, written into one growing buffer as each event is made. An event is
// built by concatenation, so as a string it is a tree of small pieces; a page of 1,000 held as
// strings kept all those pieces alive through the page (copied by every collection of the young
// generation) and then cost a join and an encoding of the whole page. Written at once, each
// event's pieces die young, and the buffer is what the coordinator receives (job-wire.ts): one
// event per line for streams, or a feed page's whole response body (events separated by commas),
// so that the coordinator sends it without copying it (a fresh copy of a page costs its page
// faults again).

export type EventLayout =
  /** One event per line. */
  | 'lines'
  /** A feed page's response body: `{"events":[e1,e2,…],…}` (see FeedBody in events-service.ts). */
  | 'feedBody';

const NEWLINE_RE = /\n/g;

/** Never Buffer's shared pool: what is written here moves to the coordinator whole (worker-entry.ts). */
export class EventLines {
  private buf: Buffer;
  private end = 0;
  private n = 0;
  private readonly separator: number;

  /** `capacity`: bytes to reserve (memory is only touched as it is written). */
  constructor(readonly layout: EventLayout = 'lines', capacity = 16 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(64, capacity));
    this.separator = layout === 'lines' ? 0x0a : 0x2c;
  }

  /** Events written. */
  get count(): number {
    return this.n;
  }

  /** Bytes written. */
  get size(): number {
    return this.end;
  }

  /**
   * Appends one event (a compact JSON text). A raw newline could only be whitespace between
   * JSON tokens (strings escape theirs): it is written as a space, so every event stays one line.
   */
  push(event: string): void {
    const text = event.includes('\n') ? event.replace(NEWLINE_RE, ' ') : event;
    this.reserve(text.length * 3 + 1);
    if (this.n > 0) this.buf[this.end++] = this.separator;
    this.end += this.buf.write(text, this.end, 'utf8');
    this.n++;
  }

  /** Appends text that is no event (the parts of a feed body around its events, job-wire's result line). */
  write(text: string): void {
    this.reserve(text.length * 3);
    this.end += this.buf.write(text, this.end, 'utf8');
  }

  /** What was written (a view of the buffer: valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.end);
  }

  /** The events as strings ('lines' layout). */
  lines(): string[] {
    return this.n === 0 ? [] : this.bytes().toString('utf8').split('\n');
  }

  private reserve(bytes: number): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.end + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.end + bytes, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
  }
}
