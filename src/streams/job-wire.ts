// How a job's result travels from the worker's `events` route to the coordinator (job-runner.ts):
// the result without its events as one JSON line, then the events, one per line, as UTF-8
// bytes (written so as they were made: event-lines.ts). Events are compact JSON texts already (no raw newline); carried as strings inside the
// JSON they were escaped by the worker and unescaped again by the coordinator, which then joined
// them into the response. As bytes, the answer moves between the threads without a copy (a
// string of a page of 1,000 events cost milliseconds to clone each way), and a feed page's
// events go into the response as they arrived, separators swapped (eventsJson).
import type { EventsResult, MadeResult } from './events-service';
import { EventLines } from './event-lines';

type EventsAnswer = Extract<EventsResult, { kind: 'events' }>;

const NEWLINE = 0x0a;
const COMMA = 0x2c;

export function encodeJobResult(result: MadeResult): Buffer {
  if (result.kind !== 'events') return Buffer.from(JSON.stringify(result));
  const events = result.events;
  if (events instanceof EventLines) {
    if (events.count === 0) return Buffer.from(JSON.stringify({ ...result, events: [] }));
    return Buffer.concat([Buffer.from(`${JSON.stringify({ ...result, events: [] })}\n`), events.bytes()]);
  }
  if (events.length === 0) return Buffer.from(JSON.stringify(result));
  // Joined first, then checked: searching each event (built by concatenation) would flatten
  // every one of them into a copy of its own.
  const lines = events.join('\n');
  if (newlines(lines) !== events.length - 1) return Buffer.from(JSON.stringify(result));
  return Buffer.from(`${JSON.stringify({ ...result, events: [] })}\n${lines}`);
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The event lines (UTF-8) each decoded result came with (see eventsJson). */
const received = new WeakMap<object, Buffer>();

export function decodeJobResult(wire: Uint8Array | string): EventsResult {
  const bytes = typeof wire === 'string' ? Buffer.from(wire) : Buffer.isBuffer(wire) ? wire : Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  const nl = bytes.indexOf(NEWLINE);
  if (nl < 0) return JSON.parse(bytes.toString('utf8')) as EventsResult;
  const head = JSON.parse(bytes.toString('utf8', 0, nl)) as EventsAnswer;
  const lines = bytes.subarray(nl + 1);
  // Streams take the events one by one; feed pages take them all as bytes (eventsJson), so
  // they are decoded to strings only when asked for.
  let events: string[] | undefined;
  const result = Object.defineProperty({ ...head }, 'events', {
    enumerable: true,
    get: () => (events ??= lines.toString('utf8').split('\n')),
  }) as EventsAnswer;
  received.set(result, lines);
  return result;
}

/**
 * A result's events as the elements of a JSON array (a feed page): a copy of the bytes as
 * received when it was decoded here, lines separated by commas instead; else the events joined.
 */
export function eventsJson(result: EventsAnswer): Buffer | string {
  const lines = received.get(result);
  if (lines === undefined) return result.events.join(',');
  const out = Buffer.allocUnsafe(lines.length);
  lines.copy(out);
  for (let i = out.indexOf(NEWLINE); i >= 0; i = out.indexOf(NEWLINE, i + 1)) out[i] = COMMA;
  return out;
}
