// A job's result from the worker to the coordinator (src/streams/job-wire.ts): events ride as
// UTF-8 lines before the result's JSON line instead of escaped strings inside it; every shape
// round-trips, and a feed page arrives as its response body, written by the job.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FEED_BODY_OPEN, decodeJobResult, encodeJobResult, feedBody, feedBodyClose, feedBodyOf } from '../../src/streams/job-wire';
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
  // A buffer of its own (the worker moves it to the coordinator).
  assert.equal(wire.byteOffset, 0);
  assert.equal(wire.byteLength, wire.buffer.byteLength);
  const text = wire.toString('utf8');
  assert.equal(text.split('\n').length, 3);
  assert.equal(text.split('\n')[0], '{"type":"add","data":"a\\nb \\"q\\" é ☃"}');
  const decoded = decodeJobResult(wire);
  assert.deepEqual(decoded, events);
  // Not written as a feed body: none to take.
  assert.equal(feedBody(decoded as EventsAnswer), undefined);
  assert.equal(feedBodyOf(decoded as EventsAnswer),
    '{"events":[{"type":"add","data":"a\\nb \\"q\\" é ☃"},{"type":"remove"}],"cursor":"c1","has_next":true,"stats":' +
    '{"read_ops":0,"storage_bytes_read":0,"compute_ops":0,"processing_time_ms":0,"rate_limits_hit":[]}}');
  // A string (the answer of --workers 0 is the same bytes) decodes alike.
  assert.deepEqual(decodeJobResult(text), events);
  const none: EventsResult = { ...events, events: [] };
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
  const lines = new EventLines('lines', 8);
  for (const e of strings) lines.push(e);
  assert.equal(lines.count, 3);
  assert.deepEqual(lines.lines(), strings);
  const base = { kind: 'events' as const, next: 'c1', more: false, ended: false, stats: emptyStats() };
  const expected = encodeJobResult({ ...base, events: strings });
  assert.deepEqual(encodeJobResult({ ...base, events: lines }), expected);
  assert.deepEqual(decodeJobResult(expected), { ...base, events: strings });
  // None written: the same as no events.
  assert.deepEqual(decodeJobResult(encodeJobResult({ ...base, events: new EventLines() })), { ...base, events: [] });
  // A raw newline (whitespace between JSON tokens; strings escape theirs) is written as a space:
  // every event stays one line.
  const raw = new EventLines();
  raw.push('{"a":\n1}');
  raw.push('{"b":2}');
  assert.deepEqual(raw.lines(), ['{"a": 1}', '{"b":2}']);
  assert.deepEqual(JSON.parse(raw.lines()[0]), { a: 1 });
});

test('job wire: a feed page written as its response body arrives as that body, events decodable too', () => {
  const strings = ['{"type":"add","data":{"@doc":{"id":"1","s":"é, ☃"}},"txn_ts":5}', '{"type":"remove","data":null,"txn_ts":6}'];
  const base = { kind: 'events' as const, next: 'c2', more: true, ended: false, stats: { ...emptyStats(), read_ops: 3 } };
  const body = new EventLines('feedBody', 8);
  body.write(FEED_BODY_OPEN);
  for (const e of strings) body.push(e);
  body.write(feedBodyClose(base));
  const decoded = decodeJobResult(encodeJobResult({ ...base, events: body })) as EventsAnswer;
  const expected = feedBodyOf({ ...base, events: strings });
  assert.equal(feedBody(decoded)?.toString('utf8'), expected);
  assert.deepEqual(JSON.parse(expected), {
    events: strings.map((e) => JSON.parse(e)), cursor: 'c2', has_next: true,
    stats: { read_ops: 3, storage_bytes_read: 0, compute_ops: 0, processing_time_ms: 0, rate_limits_hit: [] },
  });
  assert.deepEqual({ ...decoded }, { ...base, events: strings });
  // An empty page.
  const empty = new EventLines('feedBody');
  empty.write(FEED_BODY_OPEN);
  empty.write(feedBodyClose(base));
  const none = decodeJobResult(encodeJobResult({ ...base, events: empty })) as EventsAnswer;
  assert.equal(feedBody(none)?.toString('utf8'), feedBodyOf({ ...base, events: [] }));
  assert.deepEqual(none.events, []);
});
