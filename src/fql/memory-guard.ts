// Stops a query before its thread's heap runs out. A query worker has a V8 heap limit
// (--worker-memory-mb), but reaching it is not a clean end for one query: Node grants a worker
// only a few MB past the limit to unwind, and an allocation larger than that (a string made
// flat, a case conversion of a 16 Mi-unit string) aborts the whole process, every client with
// it (found by probing, session 16: sixty live 8 MB strings, each within every per-value limit,
// then one `toLowerCase`). So the evaluator checks the heap itself, at points that come before
// any large allocation, and ends the query while a wide margin is still free.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { QueryTimeout } from './errors';

/** What a client is told, whether the guard stopped the query or its worker ran out anyway. */
export const OUT_OF_MEMORY = 'The query was stopped: it exceeded the memory available to one query.';

/**
 * The query used more of its thread's heap than the guard allows. Like a timeout it ends the
 * whole query (nothing inside it may catch it); the endpoints answer it as a worker that ran out
 * of memory is answered.
 */
export class QueryMemoryExceeded extends QueryTimeout {
  constructor() {
    super();
    this.message = OUT_OF_MEMORY;
  }
}

/**
 * The free margin kept: the most one operation between two checks can allocate. The largest
 * are a flat copy of a 16 Mi-unit two-byte string plus a result of the same size (64 MB), and
 * the JSON of a result at MAX_RESULT_SIZE; 30% of the heap, at least 96 MB, covers them. A
 * heap too small for that (--worker-memory-mb below about 200) keeps half of it free.
 */
const MARGIN = (limit: number): number => Math.min(Math.max(limit * 0.3, 96 * 1024 * 1024), limit * 0.5);

const HEAP_LIMIT = getHeapStatistics().heap_size_limit;
const SOFT_LIMIT = HEAP_LIMIT - MARGIN(HEAP_LIMIT);

let fullGc: (() => void) | null | undefined;

/**
 * A full collection, so that garbage does not count as the query's (V8 lets the old generation
 * fill up before it collects). `--expose-gc` set at run time installs `gc` in contexts made
 * afterwards: this one only, never the query's.
 */
function collect(): void {
  if (fullGc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      fullGc = runInNewContext('gc') as () => void;
    } catch {
      fullGc = null;
    }
  }
  fullGc?.();
}

const used = (): number => getHeapStatistics().used_heap_size;

/** Throws QueryMemoryExceeded when the heap in use, garbage collected, is past the soft limit. */
export function checkHeap(): void {
  if (used() < SOFT_LIMIT) return;
  collect();
  if (used() >= SOFT_LIMIT) throw new QueryMemoryExceeded();
}

/** Strings this long are checked before they are built (a check costs about 2 µs). */
export const LARGE_ALLOCATION_UNITS = 1 << 20;

/** Throws as checkHeap before a string of `units` UTF-16 units is built, when it is large. */
export function checkHeapBefore(units: number): void {
  if (units >= LARGE_ALLOCATION_UNITS) checkHeap();
}

let nextCheckAt = 0;

/**
 * checkHeap at most once a millisecond (`now`: performance.now()), from the evaluator's deadline
 * checks, which come between any two operations. What one millisecond of copying can allocate,
 * plus the one operation in progress, stays within MARGIN.
 */
export function checkHeapPeriodically(now: number): void {
  if (now < nextCheckAt) return;
  nextCheckAt = now + 1;
  checkHeap();
}
