// A job's events as UTF-8 lines, written into one growing buffer as each event is made. An
// event is built by concatenation, so as a string it is a tree of small pieces; a page of 1,000
// held as strings kept all those pieces alive through the page (copied by every collection of
// the young generation) and then cost a join and an encoding of the whole page. Written at
// once, each event's pieces die young, and the page is the bytes the coordinator receives
// (job-wire.ts).

const NEWLINE = 0x0a;
const NEWLINE_RE = /\n/g;

export class EventLines {
  private buf: Buffer;
  private end = 0;
  private n = 0;

  constructor(initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Events written. */
  get count(): number {
    return this.n;
  }

  /**
   * Appends one event (a compact JSON text). A raw newline could only be whitespace between
   * JSON tokens (strings escape theirs): it is written as a space, so every event stays one line.
   */
  push(event: string): void {
    const text = event.includes('\n') ? event.replace(NEWLINE_RE, ' ') : event;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = text.length * 3 + 1;
    if (this.end + room > this.buf.length) this.grow(this.end + room);
    if (this.n > 0) this.buf[this.end++] = NEWLINE;
    this.end += this.buf.write(text, this.end, 'utf8');
    this.n++;
  }

  /** The events, separated by newlines (a view of the buffer: valid until the next push). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.end);
  }

  /** The events as strings. */
  lines(): string[] {
    return this.n === 0 ? [] : this.bytes().toString('utf8').split('\n');
  }

  private grow(atLeast: number): void {
    const next = Buffer.allocUnsafe(Math.max(atLeast, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
  }
}
