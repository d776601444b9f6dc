// The listeners of an engine's commit notifications (kv.ts `CommitWatch`): each watches a key
// prefix and hears, per commit, the written keys under it.
import type { Bytes, CommitNotice } from './kv';
import type { OverlayEntry } from './overlay';

interface Watcher { readonly prefix: Bytes; readonly listener: (n: CommitNotice) => void }

function hasPrefix(key: Bytes, prefix: Bytes): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

export class CommitWatchers {
  private readonly watchers = new Set<Watcher>();

  get size(): number {
    return this.watchers.size;
  }

  add(prefix: Bytes, listener: (n: CommitNotice) => void): () => void {
    const w: Watcher = { prefix, listener };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** Report a commit's writes (puts and deletes) to the watchers whose prefix they fall under. */
  notify(ts: bigint, writes: Iterable<OverlayEntry>): void {
    const keys: Bytes[] = [];
    this.notifyFilter(writes, (k) => keys.push(k));
    if (keys.length > 0) this.notifyKeys(ts, keys);
  }

  /** One pass over the writes, passing on the keys some watcher wants (usually few or none). */
  notifyFilter(writes: Iterable<OverlayEntry>, keep: (key: Bytes) => void): void {
    for (const w of writes) {
      for (const watcher of this.watchers) {
        if (hasPrefix(w.key, watcher.prefix)) {
          keep(w.key);
          break;
        }
      }
    }
  }

  /** As notify, from a list of keys; `keys` undefined means "unknown: anything may have changed". */
  notifyKeys(ts: bigint, keys: readonly Bytes[] | undefined): void {
    for (const w of this.watchers) {
      const mine = keys?.filter((k) => hasPrefix(k, w.prefix));
      if (mine !== undefined && mine.length === 0) continue;
      try {
        w.listener({ ts, keys: mine });
      } catch (e) {
        // A listener's failure must not fail the commit it hears about.
        process.stderr.write(`commit listener failed: ${(e as Error).message}\n`);
      }
    }
  }
}
