// Response bytes written and not yet read, per client (src/server/response-backlog.ts): a client
// over a quarter of the capacity is refused; while all together hold more than the capacity,
// every client holding any is refused and clients holding none are not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseBacklog } from '../../src/server/response-backlog';

describe('ResponseBacklog', () => {
  it('refuses a client over its quarter until it is under again', () => {
    const b = new ResponseBacklog(400);
    const first = b.hold('a', 60);
    const second = b.hold('a', 40);
    assert.equal(b.held('a'), 100);
    assert.equal(b.refuses('a'), false, 'exactly its share is allowed');
    const third = b.hold('a', 1);
    assert.equal(b.refuses('a'), true);
    assert.equal(b.refuses('b'), false);
    third();
    assert.equal(b.refuses('a'), false);
    first();
    second();
    assert.equal(b.held('a'), 0);
    assert.equal(b.held(), 0);
  });

  it('over the capacity, refuses every client holding bytes and no other', () => {
    const b = new ResponseBacklog(400);
    const releases = ['a', 'b', 'c', 'd', 'e'].map((c) => b.hold(c, 90));
    assert.equal(b.held(), 450);
    for (const c of ['a', 'b', 'c', 'd', 'e']) assert.equal(b.refuses(c), true, c);
    assert.equal(b.refuses('f'), false);
    releases[0]();
    assert.equal(b.held(), 360);
    for (const c of ['b', 'c', 'd', 'e']) assert.equal(b.refuses(c), false, c);
  });

  it('giving bytes back twice counts once', () => {
    const b = new ResponseBacklog(400);
    const keep = b.hold('a', 10);
    const release = b.hold('a', 30);
    release();
    release();
    assert.equal(b.held('a'), 10);
    assert.equal(b.held(), 10);
    keep();
    assert.equal(b.held(), 0);
  });
});
