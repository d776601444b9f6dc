// Byte-string helpers shared by the engines. Keys are compared as unsigned bytes (memcmp order),
// which is also the order of SQLite BLOBs and PostgreSQL bytea.
import type { Bytes } from './kv';

/** Negative, zero or positive as `a` sorts before, equal to or after `b` bytewise. */
export function compareBytes(a: Bytes, b: Bytes): number {
  return Buffer.compare(a, b);
}

/**
 * The key as a latin1 string: one char per byte, so JS string comparison (`<`) equals bytewise
 * comparison and the string can key a Map. Used for in-memory key sets (overlay, read/write sets).
 */
export function keyString(key: Bytes): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** The smallest key after `key`: `key` and a 0x00 byte (tuple keys are prefix-free, so no key lies in between). */
export function keyAfter(key: Bytes): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}
