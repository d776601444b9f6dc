// Wall-clock time in µs since the epoch, the base of every engine's transaction timestamps.
export function nowMicros(): bigint {
  return BigInt(Date.now()) * 1000n;
}
