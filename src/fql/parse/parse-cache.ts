// A cache of parse results keyed by source text, least recently used first. Parsing is paid once
// per text (apps send the same queries, stored FQL is evaluated over and over), but memory is
// bounded by the bytes of source held: an AST costs some hundred bytes per source byte, so a
// count of entries alone would let a few huge texts pin hundreds of megabytes. Texts over the
// entry limit are parsed every time and never kept. Failed parses are cached like successes.
import { QueryCheckError } from '../errors';

export interface ParseCacheLimits {
  /** Total source characters kept. */
  readonly byteBudget: number;
  /** Texts longer than this are not kept. */
  readonly entryLimit: number;
  readonly maxEntries: number;
}

export const DEFAULT_PARSE_CACHE_LIMITS: ParseCacheLimits = { byteBudget: 1 << 20, entryLimit: 64 << 10, maxEntries: 2000 };

export class ParseCache<T> {
  private readonly map = new Map<string, T | QueryCheckError>();
  private bytes = 0;

  constructor(
    private readonly parse: (source: string) => T,
    private readonly limits: ParseCacheLimits = DEFAULT_PARSE_CACHE_LIMITS,
  ) {}

  /** The parse of `source`, or the QueryCheckError it failed with (returned, not thrown). */
  get(source: string): T | QueryCheckError {
    const cached = this.map.get(source);
    if (cached !== undefined) {
      this.map.delete(source);
      this.map.set(source, cached);
      return cached;
    }
    let hit: T | QueryCheckError;
    try {
      hit = this.parse(source);
    } catch (e) {
      if (!(e instanceof QueryCheckError)) throw e;
      hit = e;
    }
    if (source.length > this.limits.entryLimit) return hit;
    this.map.set(source, hit);
    this.bytes += source.length;
    while (this.bytes > this.limits.byteBudget || this.map.size > this.limits.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.bytes -= oldest.length;
    }
    return hit;
  }

  /** Source characters held now. */
  get heldBytes(): number {
    return this.bytes;
  }
}
