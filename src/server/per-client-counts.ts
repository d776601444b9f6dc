// Things a client holds at once (connections, event streams), counted per client key
// (client-key.ts) and in all, each client bounded by `max`. What is taken is given back with
// the release take() returned, once however often it is called.
export class PerClientCounts {
  private readonly counts = new Map<string, number>();
  private all = 0;

  constructor(private readonly max: number) {}

  /** Held in all, by every client. */
  get total(): number {
    return this.all;
  }

  /** Takes one for `client`: its release, or undefined when the client already holds `max`. */
  take(client: string): (() => void) | undefined {
    const n = this.counts.get(client) ?? 0;
    if (n >= this.max) return undefined;
    this.counts.set(client, n + 1);
    this.all++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.all--;
      const left = (this.counts.get(client) ?? 1) - 1;
      if (left <= 0) this.counts.delete(client);
      else this.counts.set(client, left);
    };
  }
}
