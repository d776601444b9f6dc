// A FIFO counting semaphore for async code: at most `permits` writers of this process hold pooled
// connections at once, so writers waiting for their turn to commit (commits happen in ts order)
// never tie up every connection the readers need.
export class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(permits: number) {
    this.free = Math.max(1, permits);
  }

  /** Resolves, in call order, to a function that gives the permit back (idempotent). */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
