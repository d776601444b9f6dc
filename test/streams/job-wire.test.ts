// A job's result from the worker to the coordinator (src/streams/job-wire.ts): events ride as
// lines after the result's JSON instead of escaped strings inside it; every shape round-trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJobResult, encodeJobResult, eventsJson } from '../../src/streams/job-wire';
import { emptyStats } from '../../src/streams/events';
import type { EventsResult } from '../../src/streams/events-service';

test('job wire: results round-trip; events travel as lines, unescaped', () => {
  const events: EventsResult = {
    kind: 'events', events: ['{"type":"add","data":"a\\nb \\"q\\""}', '{"type":"remove"}'], next: 'c1', more: true, ended: false,
    stats: emptyStats(), watch: { db: 1, collId: 2, stamp: 'root' },
  };
  const text = encodeJobResult(events);
  assert.equal(text.split('\n').length, 3);
  assert.equal(text.split('\n')[1], '{"type":"add","data":"a\\nb \\"q\\""}');
  const decoded = decodeJobResult(text);
  assert.deepEqual(decoded, events);
  assert.equal(eventsJson(decoded as typeof events), '{"type":"add","data":"a\\nb \\"q\\""},{"type":"remove"}');
  assert.equal(eventsJson(events as Extract<EventsResult, { kind: 'events' }>), '{"type":"add","data":"a\\nb \\"q\\""},{"type":"remove"}');
  const none: EventsResult = { ...events, events: [] };
  assert.equal(encodeJobResult(none), JSON.stringify(none));
  assert.deepEqual(decodeJobResult(encodeJobResult(none)), none);
  // An event with a raw newline (never rendered so, but not assumed) falls back to plain JSON.
  const raw: EventsResult = { ...events, events: ['{"a":\n1}'] };
  assert.equal(encodeJobResult(raw), JSON.stringify(raw));
  assert.deepEqual(decodeJobResult(encodeJobResult(raw)), raw);
  const refused: EventsResult = { kind: 'refused', status: 400, code: 'invalid_request', message: 'x\ny' };
  assert.deepEqual(decodeJobResult(encodeJobResult(refused)), refused);
  const end: EventsResult = { kind: 'end', event: '{"type":"error"}' };
  assert.deepEqual(decodeJobResult(encodeJobResult(end)), end);
});
