// A job's result from the worker to the coordinator (src/streams/job-wire.ts): events ride as
// UTF-8 lines after the result's JSON instead of escaped strings inside it; every shape
// round-trips, and a feed page takes the events' bytes with commas for newlines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJobResult, encodeJobResult, eventsJson } from '../../src/streams/job-wire';
import { emptyStats } from '../../src/streams/events';
import { EventLines } from '../../src/streams/event-lines';
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

test('job wire: events written as lines (EventLines) travel as the same bytes as the strings would', () => {
  const strings = ['{"type":"add","data":"é ☃ 𝄞 \\u2028"}', '{"type":"update","data":{"a":[1,2]}}', '{"type":"remove"}'];
  // A small first buffer, so that writing grows it several times.
  const lines = new EventLines(8);
  for (const e of strings) lines.push(e);
  assert.equal(lines.count, 3);
  assert.deepEqual(lines.lines(), strings);
  const base = { kind: 'events' as const, next: 'c1', more: false, ended: false, stats: emptyStats() };
  const written = encodeJobResult({ ...base, events: lines });
  assert.deepEqual(written, encodeJobResult({ ...base, events: strings }));
  assert.deepEqual(decodeJobResult(written), { ...base, events: strings });
  assert.equal(eventsJson(decodeJobResult(written) as EventsAnswer).toString(), strings.join(','));
  // None written: the same as no events.
  const none = new EventLines();
  assert.equal(encodeJobResult({ ...base, events: none }).toString(), JSON.stringify({ ...base, events: [] }));
  // A raw newline (whitespace between JSON tokens; strings escape theirs) is written as a space:
  // every event stays one line.
  const raw = new EventLines();
  raw.push('{"a":\n1}');
  raw.push('{"b":2}');
  assert.deepEqual(raw.lines(), ['{"a": 1}', '{"b":2}']);
  assert.deepEqual(JSON.parse(raw.lines()[0]), { a: 1 });
});
