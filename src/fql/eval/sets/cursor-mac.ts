// The MAC of a set cursor's snapshot time. A resumed cursor reads its set as of that time with
// the caller's `read` rights (core's system valid time, FQLInterpreter.withSystemValidTime),
// where `at (t) { ... }` would need `history_read`: a time the client picked would read the
// past without it. Core's cursor is plain CBOR (Value.SetCursor.toBase64) and leaves that
// open; here the time is bound to the set it pages by HMAC-SHA256 under the store's key
// (src/model/cursor-key.ts), so a client can resume a cursor it was given but cannot move it
// in time or onto another set. Everything else in the cursor is still decoded and checked as
// client input, and re-evaluated with the caller's own secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The MAC of snapshot `ts` (µs) for the set described by `description`. */
export function cursorMac(key: Uint8Array, ts: string, description: unknown): string {
  return createHmac('sha256', key).update(`${ts}\u0000${JSON.stringify(description)}`).digest('base64url');
}

/** Whether `mac` is the MAC of `ts` and `description` under `key`. */
export function cursorMacValid(key: Uint8Array, ts: string, description: unknown, mac: unknown): boolean {
  if (typeof mac !== 'string') return false;
  const expected = Buffer.from(cursorMac(key, ts, description));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
