// A shared allowance of bytes for request bodies held in memory at once. Every request takes
// its body's bytes as they arrive and gives them back when its handler is done (or the upload
// fails), so many slow or held-back uploads cannot together pin more than the budget.

export class BodyBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  /** Take `n` bytes; false (taking nothing) when that would exceed the capacity. */
  take(n: number): boolean {
    if (this.used + n > this.capacity) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used -= n;
  }

  get inUse(): number {
    return this.used;
  }
}
