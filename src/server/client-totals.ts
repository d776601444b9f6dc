// Amounts (bytes) held per client key (client-key.ts) and in all: the bookkeeping of the
// response backlog and the request body budget, which each decide on it by their own rule.
export class ClientTotals {
  private readonly byClient = new Map<string, number>();
  private all = 0;

  /** Held by every client together. */
  get total(): number {
    return this.all;
  }

  /** Held by `client` (0 when nothing). */
  of(client: string): number {
    return this.byClient.get(client) ?? 0;
  }

  /** Adds `n` (negative: gives back) to what `client` holds; a client holding nothing is forgotten. */
  add(client: string, n: number): void {
    this.all += n;
    const left = (this.byClient.get(client) ?? 0) + n;
    if (left <= 0) this.byClient.delete(client);
    else this.byClient.set(client, left);
  }
}
