// Request bodies of /stream/1 and /feed/1: core's validation order and messages
// (spec streams-feeds.md §6.2 and §7, citing core StreamRequest.scala and FeedRequest.scala:
// stream messages have no trailing period, feed messages do).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventsRequestError, parseEventsRequest, type EventsEndpoint } from '../../src/streams/requests';
import { encodeEventSource, decodeEventSource } from '../../src/streams/token';
import { afterAllAt, compareCursors, decodeCursor, encodeCursor } from '../../src/streams/cursor';

const token = encodeEventSource({ set: { kind: 'collAll', coll: 'Foo' }, start: 1710968002310000n });
const cursor = encodeCursor({ ts: 1710968002420000n, ord: 42n });

function fails(endpoint: EventsEndpoint, body: string, message: string): void {
  assert.throws(() => parseEventsRequest(endpoint, Buffer.from(body)), (e: unknown) => {
    assert.ok(e instanceof EventsRequestError);
    assert.equal((e as Error).message, message);
    return true;
  });
}

describe('stream and feed request bodies', () => {
  it('refuse a missing body, a missing token and values of the wrong type', () => {
    fails('stream', '', 'No request body provided');
    fails('feed', '  ', 'No request body provided');
    fails('stream', '{}', 'Invalid request body: Value for key token not found.');
    fails('feed', '{"cursor":"x"}', 'Invalid request body: Value for key token not found.');
    fails('stream', JSON.stringify({ token, start_ts: '1' }), "Invalid request body: Unexpected string value '1'.");
    fails('feed', JSON.stringify({ token, page_size: 'INVALID!' }), "Invalid request body: Unexpected string value 'INVALID!'.");
  });

  it('refuse start_ts with cursor, with or without the period', () => {
    fails('stream', JSON.stringify({ token, cursor, start_ts: 1 }), 'Invalid request body: can not provide both `start_ts` and `cursor`');
    fails('feed', JSON.stringify({ token, cursor, start_ts: 1 }), 'Invalid request body: can not provide both `start_ts` and `cursor`.');
  });

  it('refuse tokens and cursors that are not ours', () => {
    fails('stream', JSON.stringify({ token: '2' }), 'Invalid request body: invalid event source provided');
    fails('feed', JSON.stringify({ token: '2' }), 'Invalid request body: invalid event source provided.');
    // A set-pagination cursor is base64url JSON too, but not a token.
    const setCursor = Buffer.from(JSON.stringify({ s: { kind: 'collAll', coll: 'Foo' }, p: '1' })).toString('base64url');
    fails('stream', JSON.stringify({ token: setCursor }), 'Invalid request body: invalid event source provided');
    fails('stream', JSON.stringify({ token, cursor: 'abc' }), 'Invalid request body: invalid event cursor provided');
    fails('feed', JSON.stringify({ token, cursor: token }), 'Invalid request body: invalid event cursor provided.');
  });

  it('refuse bodies nested deeper than 1000 before parsing them, as /query/1 bodies', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    fails('stream', `{"token":${JSON.stringify(token)},"a":${deep(1000)}}`, 'Invalid request body: JSON exceeds nesting limit');
    fails('feed', `{"token":${JSON.stringify(token)},"a":${deep(1000)}}`, 'Invalid request body: JSON exceeds nesting limit');
    assert.equal(parseEventsRequest('stream', Buffer.from(`{"token":${JSON.stringify(token)},"a":${deep(999)}}`)).tokenText, token);
  });

  it('refuse bodies with far more values than a request has before parsing them (the coordinator parses them unauthenticated)', () => {
    const junk = `[${Array.from({ length: 100_000 }, (_, i) => i).join(',')}]`;
    fails('stream', `{"token":${JSON.stringify(token)},"junk":${junk}}`, 'Invalid request body: more fields and values than a stream request has');
    fails('feed', `{"token":${JSON.stringify(token)},"junk":${junk}}`, 'Invalid request body: more fields and values than a feed request has.');
    // Commas and colons inside strings (escaped quotes included) are not counted.
    const text = JSON.stringify({ token, note: `a\\"b,${':,'.repeat(500)}` });
    assert.equal(parseEventsRequest('stream', Buffer.from(text)).tokenText, token);
    // Every field a request has, with room to spare.
    assert.equal(parseEventsRequest('feed', Buffer.from(JSON.stringify({ token, start_ts: 1, page_size: 10, extra: [1, 2, 3] }))).pageSize, 10);
  });

  it('bounds feed page sizes', () => {
    fails('feed', JSON.stringify({ token, page_size: 0 }), 'Invalid request body: page size must be greater than zero.');
    fails('feed', JSON.stringify({ token, page_size: 16001 }), 'Invalid request body: page size can not be greater than 16000.');
    assert.equal(parseEventsRequest('feed', Buffer.from(JSON.stringify({ token }))).pageSize, 16);
    assert.equal(parseEventsRequest('feed', Buffer.from(JSON.stringify({ token, page_size: 16000 }))).pageSize, 16000);
  });

  it('reads the token, the cursor and start_ts', () => {
    const r = parseEventsRequest('stream', Buffer.from(JSON.stringify({ token, cursor, extra: true })));
    assert.equal(r.tokenText, token);
    assert.ok(decodeEventSource(r.tokenText));
    assert.deepEqual(r.cursor, { ts: 1710968002420000n, ord: 42n });
    const s = parseEventsRequest('feed', Buffer.from(JSON.stringify({ token, start_ts: 1710968002310000 })));
    assert.equal(s.startTs, 1710968002310000n);
  });
});

describe('event cursors', () => {
  it('round-trip and order by time, then document id, with "after everything" last', () => {
    const a = { ts: 10n, ord: 5n };
    assert.deepEqual(decodeCursor(encodeCursor(a)), a);
    assert.deepEqual(decodeCursor(encodeCursor(afterAllAt(10n))), { ts: 10n, ord: 'max' });
    assert.equal(compareCursors(a, { ts: 10n, ord: 6n }), -1);
    assert.equal(compareCursors(afterAllAt(10n), { ts: 10n, ord: 2n ** 62n }), 1);
    assert.equal(compareCursors(afterAllAt(10n), { ts: 11n, ord: 0n }), -1);
    assert.equal(decodeCursor('not a cursor'), undefined);
    assert.equal(decodeCursor(Buffer.from('fqlec:1:2:3').toString('base64url')), undefined);
  });
});
