// A FIFO lock for async code: writers of this process queue here before taking a pooled
// connection, so waiting writers do not tie up the connections readers need.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves, in call order, to a function that releases the lock (idempotent). */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return acquired;
  }
}
