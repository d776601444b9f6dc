// Document ids: positive 64-bit integers rendered as decimal strings, increasing with time like
// Fauna's: milliseconds since a custom epoch in the high bits, then a node number, then a
// per-millisecond sequence, e.g. "402143217309016576". Each thread that creates ids (each query
// worker) has its own node number, so threads of one process never hand out the same id; across
// server processes (several on one PostgreSQL database) node numbers start at a random offset,
// and a create makes sure its id is free when it commits (model-txn.ts newDocId), so a rare clash
// costs a retry, never a document.
import { randomInt } from 'node:crypto';

const EPOCH_MS = 1_577_836_800_000; // 2020-01-01T00:00:00Z
const NODE_BITS = 8n;
const SEQUENCE_BITS = 14n;
const NODE_LIMIT = 1 << Number(NODE_BITS);
const SEQUENCE_LIMIT = 1 << Number(SEQUENCE_BITS);

let node = randomInt(NODE_LIMIT);
let lastMs = 0;
let sequence = 0;

/**
 * Sets this thread's node number (the pool gives each live worker a distinct `index`; the
 * process's random offset keeps processes apart).
 */
export function setIdNode(index: number, processOffset: number): void {
  node = (processOffset + index) % NODE_LIMIT;
}

/** TEST ONLY (queueIdsForTest): ids handed out before the generator's. */
const queued: string[] = [];

/**
 * TEST ONLY: the next ids are these, in order, then the generator's again. Threads of one process
 * never clash; this makes two creates meet on one id as two processes' could.
 */
export function queueIdsForTest(...ids: string[]): void {
  queued.push(...ids);
}

export function newId(): string {
  if (queued.length > 0) return queued.shift()!;
  let ms = Date.now() - EPOCH_MS;
  if (ms <= lastMs) {
    ms = lastMs;
    if (++sequence >= SEQUENCE_LIMIT) {
      // More ids in one millisecond than the sequence holds: borrow the next millisecond.
      ms = ++lastMs;
      sequence = 0;
    }
  } else {
    sequence = 0;
  }
  lastMs = ms;
  return ((BigInt(ms) << (NODE_BITS + SEQUENCE_BITS)) | (BigInt(node) << SEQUENCE_BITS) | BigInt(sequence)).toString();
}
