// How a job's result travels from the worker's `events` route to the coordinator (job-runner.ts):
// the result without its events as one JSON line, then the events, one per line. Events are
// compact JSON texts already (no raw newline); carried as strings inside the JSON they were
// escaped by the worker and unescaped again by the coordinator, which then joins them into the
// response: for a feed page of 1,000 events that cost more than writing the response itself.
import type { EventsResult } from './events-service';

export function encodeJobResult(result: EventsResult): string {
  if (result.kind !== 'events' || result.events.length === 0 || result.events.some((e) => e.includes('\n'))) return JSON.stringify(result);
  return `${JSON.stringify({ ...result, events: [] })}\n${result.events.join('\n')}`;
}

export function decodeJobResult(text: string): EventsResult {
  const nl = text.indexOf('\n');
  if (nl < 0) return JSON.parse(text) as EventsResult;
  const head = JSON.parse(text.slice(0, nl)) as Extract<EventsResult, { kind: 'events' }>;
  return { ...head, events: text.slice(nl + 1).split('\n') };
}
