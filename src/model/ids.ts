// Document ids: positive 64-bit integers rendered as decimal strings, unique within this
// process and increasing with time like Fauna's (milliseconds since a custom epoch in the
// high bits, a per-millisecond sequence in the low 22 bits), e.g. "402143217309016576".
const EPOCH_MS = 1_577_836_800_000; // 2020-01-01T00:00:00Z
const SEQUENCE_BITS = 22n;
const SEQUENCE_LIMIT = 1 << 22;

let lastMs = 0;
let sequence = 0;

export function newId(): string {
  let ms = Date.now() - EPOCH_MS;
  if (ms <= lastMs) {
    ms = lastMs;
    if (++sequence >= SEQUENCE_LIMIT) {
      // More than 4M ids in one millisecond: borrow the next millisecond.
      ms = ++lastMs;
      sequence = 0;
    }
  } else {
    sequence = 0;
  }
  lastMs = ms;
  return ((BigInt(ms) << SEQUENCE_BITS) | BigInt(sequence)).toString();
}
