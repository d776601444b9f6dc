// How a job's result travels from the worker's `events` route to the coordinator (job-runner.ts):
// the result without its events as one JSON line, then the events, one per line. Events are
// compact JSON texts already (no raw newline); carried as strings inside the JSON they were
// escaped by the worker and unescaped again by the coordinator, which then joins them into the
// response: for a feed page of 1,000 events that cost more than writing the response itself.
import type { EventsResult } from './events-service';

export function encodeJobResult(result: EventsResult): string {
  if (result.kind !== 'events' || result.events.length === 0) return JSON.stringify(result);
  // Joined first, then checked: searching each event (built by concatenation) would flatten
  // every one of them into a copy of its own.
  const lines = result.events.join('\n');
  if (newlines(lines) !== result.events.length - 1) return JSON.stringify(result);
  return `${JSON.stringify({ ...result, events: [] })}\n${lines}`;
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The event lines each decoded result came with (see eventsJson). */
const received = new WeakMap<object, string>();

export function decodeJobResult(text: string): EventsResult {
  const nl = text.indexOf('\n');
  if (nl < 0) return JSON.parse(text) as EventsResult;
  const head = JSON.parse(text.slice(0, nl)) as Extract<EventsResult, { kind: 'events' }>;
  const lines = text.slice(nl + 1);
  const result = { ...head, events: lines.split('\n') };
  received.set(result, lines);
  return result;
}

/** A result's events as the elements of a JSON array (a feed page): from the lines as received when it was decoded here. */
export function eventsJson(result: Extract<EventsResult, { kind: 'events' }>): string {
  return received.get(result)?.replaceAll('\n', ',') ?? result.events.join(',');
}
