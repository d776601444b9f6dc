// Bytes of responses written but not yet delivered, per client. A client that sends queries and
// never reads their answers (an HTTP/2 flow-control window left shut, an HTTP/1.1 socket never
// read) keeps each response in this process's memory until it reads or goes away: thirty
// answers of 55 MB on one connection held 1.2 GB. So a client is refused new work while it holds
// more than its share of undelivered response bytes, or while all clients together hold more
// than the capacity and it holds any. Clients that read their answers hold none for long and are
// served throughout; what one client can pin is its share plus the answers of the requests it
// has running.

import { ClientTotals } from './client-totals';

/** What a refused client is told (429 limit_exceeded, or v4's 429 "too many requests"). */
export const UNREAD = 'Too many of this client\'s responses are waiting to be read; read them, then try again.';

/** A client's share of the capacity: it is refused beyond this even if others hold nothing. */
const SHARE_OF_CAPACITY = 4;

export class ResponseBacklog {
  private readonly totals = new ClientTotals();

  constructor(readonly capacity: number) {}

  /** Counts `bytes` written for `client` until the returned function is called (once delivered or dropped). */
  hold(client: string, bytes: number): () => void {
    this.totals.add(client, bytes);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.totals.add(client, -bytes);
    };
  }

  /** Whether `client` must be refused new work until it reads what it was sent. */
  refuses(client: string): boolean {
    const held = this.totals.of(client);
    if (held === 0) return false;
    return held > this.capacity / SHARE_OF_CAPACITY || this.totals.total > this.capacity;
  }

  /** Undelivered bytes of `client` (all clients' when omitted). */
  held(client?: string): number {
    return client === undefined ? this.totals.total : this.totals.of(client);
  }
}
