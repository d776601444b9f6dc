// How a job's result travels from the worker's `events` route to the coordinator (job-runner.ts),
// as UTF-8 bytes: the events first, then a newline and the rest of the result as one JSON line
// (events are compact JSON texts, without raw newlines). The events are one per line, or, for a
// feed page, the page's whole response body with them inside (EventLines 'feedBody', written by
// events-service.ts). Carried as strings inside the JSON, events were escaped by the worker and
// unescaped again by the coordinator, which then joined them into the response; as bytes written
// while the events were made (event-lines.ts), the answer moves between the threads without a
// copy and a feed page's body is sent as it arrived.
import type { EventsResult, MadeResult } from './events-service';
import type { EventStats } from './events';
import { EventLines } from './event-lines';

type EventsAnswer = Extract<EventsResult, { kind: 'events' }>;

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** UTF-8 in a buffer of its own (never Buffer's shared pool: worker-entry.ts moves it). */
const own = (text: string): Buffer => {
  const b = encoder.encode(text);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
};

/** The bytes of a result, in a buffer made for it alone. */
export function encodeJobResult(result: MadeResult): Buffer {
  if (result.kind !== 'events') return own(JSON.stringify(result));
  const { events, ...rest } = result;
  const head = { ...rest, ...(events instanceof EventLines && events.layout === 'feedBody' ? { feedBody: true } : {}) };
  if (events instanceof EventLines) {
    events.write(`\n${JSON.stringify(head)}`);
    return events.bytes();
  }
  // Joined first, then checked: searching each event (built by concatenation) would flatten
  // every one of them into a copy of its own.
  const lines = events.join('\n');
  if (newlines(lines) !== Math.max(0, events.length - 1)) return own(JSON.stringify(result));
  return own(`${lines}\n${JSON.stringify(head)}`);
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The bytes before the result line of each decoded result: its events (see feedBody). */
const received = new WeakMap<object, { readonly bytes: Buffer; readonly feedBody: boolean }>();

export function decodeJobResult(wire: Uint8Array | string): EventsResult {
  const bytes = typeof wire === 'string' ? Buffer.from(wire) : Buffer.isBuffer(wire) ? wire : Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  const nl = bytes.lastIndexOf(NEWLINE);
  if (nl < 0) return JSON.parse(bytes.toString('utf8')) as EventsResult;
  const { feedBody, ...head } = JSON.parse(bytes.toString('utf8', nl + 1)) as EventsAnswer & { feedBody?: true };
  const payload = bytes.subarray(0, nl);
  // Streams take the events one by one; a feed page takes its body as it is (feedBody), so the
  // events are decoded to strings only when asked for.
  let events: string[] | undefined;
  const decode = (): string[] => {
    if (feedBody) return (JSON.parse(payload.toString('utf8')) as { events: unknown[] }).events.map((e) => JSON.stringify(e));
    return payload.length === 0 ? [] : payload.toString('utf8').split('\n');
  };
  const result = Object.defineProperty({ ...head }, 'events', { enumerable: true, get: () => (events ??= decode()) }) as EventsAnswer;
  received.set(result, { bytes: payload, feedBody: feedBody === true });
  return result;
}

/** A feed job's answer as its page's response body, as the worker wrote it; undefined when it was not written so. */
export function feedBody(result: EventsAnswer): Buffer | undefined {
  const r = received.get(result);
  return r?.feedBody ? r.bytes : undefined;
}

/**
 * A feed page's response body (spec §7) around its events: a feed job writes it whole
 * (EventLines 'feedBody'), for the coordinator to send as it arrives.
 */
export const FEED_BODY_OPEN = '{"events":[';

export function feedBodyClose(r: { readonly next: string; readonly more: boolean; readonly stats: EventStats }): string {
  return `],"cursor":"${r.next}","has_next":${r.more},"stats":${JSON.stringify(r.stats)}}`;
}

/** The response body of a feed page from its events as strings (a job that did not write its body). */
export function feedBodyOf(r: EventsAnswer): string {
  return `${FEED_BODY_OPEN}${r.events.join(',')}${feedBodyClose(r)}`;
}
