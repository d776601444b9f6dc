// A job's result from the worker to the coordinator (src/streams/job-wire.ts): events ride as
// UTF-8 lines after the result's JSON instead of escaped strings inside it; every shape
// round-trips, and a feed page takes the events' bytes with commas for newlines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJobResult, encodeJobResult, eventsJson } from '../../src/streams/job-wire';
import { emptyStats } from '../../src/streams/events';
import type { EventsResult } from '../../src/streams/events-service';

type EventsAnswer = Extract<EventsResult, { kind: 'events' }>;

test('job wire: results round-trip; events travel as lines, unescaped', () => {
  const events: EventsResult = {
    kind: 'events', events: ['{"type":"add","data":"a\\nb \\"q\\" é ☃"}', '{"type":"remove"}'], next: 'c1', more: true, ended: false,
    stats: emptyStats(), watch: { db: 1, collId: 2, stamp: 'root' },
  };
  const wire = encodeJobResult(events);
  const text = wire.toString('utf8');
  assert.equal(text.split('\n').length, 3);
  assert.equal(text.split('\n')[1], '{"type":"add","data":"a\\nb \\"q\\" é ☃"}');
  const decoded = decodeJobResult(wire);
  assert.deepEqual(decoded, events);
  const joined = '{"type":"add","data":"a\\nb \\"q\\" é ☃"},{"type":"remove"}';
  assert.equal(eventsJson(decodeJobResult(wire) as EventsAnswer).toString(), joined);
  // Taking the bytes leaves the decoded events as they were (and the other way round).
  const both = decodeJobResult(wire) as EventsAnswer;
  assert.equal(eventsJson(both).toString(), joined);
  assert.deepEqual(both.events, events.events);
  assert.equal(eventsJson(both).toString(), joined);
  assert.equal(eventsJson(events as EventsAnswer), joined);
  // A string (the answer of --workers 0 is the same bytes) decodes alike.
  assert.deepEqual(decodeJobResult(text), events);
  const none: EventsResult = { ...events, events: [] };
  assert.equal(encodeJobResult(none).toString(), JSON.stringify(none));
  assert.deepEqual(decodeJobResult(encodeJobResult(none)), none);
  // An event with a raw newline (never rendered so, but not assumed) falls back to plain JSON.
  const raw: EventsResult = { ...events, events: ['{"a":\n1}'] };
  assert.equal(encodeJobResult(raw).toString(), JSON.stringify(raw));
  assert.deepEqual(decodeJobResult(encodeJobResult(raw)), raw);
  const refused: EventsResult = { kind: 'refused', status: 400, code: 'invalid_request', message: 'x\ny' };
  assert.deepEqual(decodeJobResult(encodeJobResult(refused)), refused);
  const end: EventsResult = { kind: 'end', event: '{"type":"error"}' };
  assert.deepEqual(decodeJobResult(encodeJobResult(end)), end);
});
