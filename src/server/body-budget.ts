// A shared allowance of bytes for request bodies held in memory at once. Every request takes
// its body's bytes as they arrive and gives them back when its handler is done (or the upload
// fails), so many slow or held-back uploads cannot together pin more than the budget. One
// client (client-key.ts: an IPv6 /64 is one) may hold a quarter of it, or one whole body of the
// largest size if that is more: without a share, one address holding uploads open got every
// other client's POST refused until they timed out (found by probing, session 16).
import { ClientTotals } from './client-totals';
import { MAX_REQUEST_BYTES } from './http-types';

export class BodyBudget {
  private readonly totals = new ClientTotals();
  /** What one client may hold at once. */
  readonly share: number;

  constructor(readonly capacity: number) {
    this.share = Math.min(capacity, Math.max(capacity / 4, MAX_REQUEST_BYTES));
  }

  /** Take `n` bytes for `client`; false (taking nothing) when that would exceed the capacity or its share. */
  take(n: number, client = ''): boolean {
    if (this.totals.total + n > this.capacity || this.totals.of(client) + n > this.share) return false;
    this.totals.add(client, n);
    return true;
  }

  give(n: number, client = ''): void {
    this.totals.add(client, -n);
  }

  get inUse(): number {
    return this.totals.total;
  }
}
