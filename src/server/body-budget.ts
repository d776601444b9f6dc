// A shared allowance of bytes for request bodies held in memory at once. Every request takes
// its body's bytes as they arrive and gives them back when its handler is done (or the upload
// fails), so many slow or held-back uploads cannot together pin more than the budget. One
// client (client-key.ts: an IPv6 /64 is one) may hold a quarter of it, or one whole body of the
// largest size if that is more: without a share, one address holding uploads open got every
// other client's POST refused until they timed out (found by probing, session 16).
import { MAX_REQUEST_BYTES } from './http-types';

export class BodyBudget {
  private used = 0;
  private readonly byClient = new Map<string, number>();
  /** What one client may hold at once. */
  readonly share: number;

  constructor(readonly capacity: number) {
    this.share = Math.min(capacity, Math.max(capacity / 4, MAX_REQUEST_BYTES));
  }

  /** Take `n` bytes for `client`; false (taking nothing) when that would exceed the capacity or its share. */
  take(n: number, client = ''): boolean {
    const own = this.byClient.get(client) ?? 0;
    if (this.used + n > this.capacity || own + n > this.share) return false;
    this.used += n;
    this.byClient.set(client, own + n);
    return true;
  }

  give(n: number, client = ''): void {
    this.used -= n;
    const left = (this.byClient.get(client) ?? n) - n;
    if (left <= 0) this.byClient.delete(client);
    else this.byClient.set(client, left);
  }

  get inUse(): number {
    return this.used;
  }
}
