import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorization, parseSecret } from '../../src/auth/secret-parse';

test('plain and scoped secrets', () => {
  assert.deepEqual(parseSecret('secret'), { secret: 'secret', scopePath: [] });
  assert.deepEqual(parseSecret('secret:admin'), { secret: 'secret', scopePath: [], scopeRole: { kind: 'builtin', role: 'admin' } });
  assert.deepEqual(parseSecret('secret:server'), { secret: 'secret', scopePath: [], scopeRole: { kind: 'builtin', role: 'server' } });
  assert.deepEqual(parseSecret('secret:server-readonly'), { secret: 'secret', scopePath: [], scopeRole: { kind: 'builtin', role: 'server-readonly' } });
  assert.deepEqual(parseSecret('secret:StreamTestDB:admin'), { secret: 'secret', scopePath: ['StreamTestDB'], scopeRole: { kind: 'builtin', role: 'admin' } });
  assert.deepEqual(parseSecret('secret:a/b/c:client'), { secret: 'secret', scopePath: ['a', 'b', 'c'], scopeRole: { kind: 'builtin', role: 'client' } });
  assert.deepEqual(parseSecret('secret:db:@role/reader'), { secret: 'secret', scopePath: ['db'], scopeRole: { kind: 'userRole', name: 'reader' } });
  assert.deepEqual(parseSecret('secret:@doc/User/123'), { secret: 'secret', scopePath: [], scopeRole: { kind: 'doc', coll: 'User', id: '123' } });
  assert.deepEqual(parseSecret('secret:db:collections/User/123'), { secret: 'secret', scopePath: ['db'], scopeRole: { kind: 'doc', coll: 'User', id: '123' } });
});

test('an unmatched scope is ignored, trailing text after a matched role is rejected', () => {
  assert.deepEqual(parseSecret('secret:whatever'), { secret: 'secret', scopePath: [] });
  assert.deepEqual(parseSecret('secret:admin:x'), { secret: 'secret', scopePath: [] });
  assert.equal(parseSecret('secret:admin2'), null);
  assert.equal(parseSecret('secret:db:admin,'), null);
  assert.equal(parseSecret('sec/ret'), null);
  assert.equal(parseSecret(':admin'), null);
  assert.equal(parseSecret(''), null);
});

test('Authorization header schemes', () => {
  assert.deepEqual(parseAuthorization('Bearer secret'), { secret: 'secret', scopePath: [] });
  assert.deepEqual(parseAuthorization('bearer  fnAE:server '), { secret: 'fnAE', scopePath: [], scopeRole: { kind: 'builtin', role: 'server' } });
  const basic = 'Basic ' + Buffer.from('secret:db:admin:').toString('base64');
  assert.deepEqual(parseAuthorization(basic), { secret: 'secret', scopePath: ['db'], scopeRole: { kind: 'builtin', role: 'admin' } });
  assert.deepEqual(parseAuthorization('Basic ' + Buffer.from('secret').toString('base64')), { secret: 'secret', scopePath: [] });
  assert.deepEqual(parseAuthorization('Bearer a.b.c'), { secret: 'a.b.c', scopePath: [] });
  assert.equal(parseAuthorization(undefined), null);
  assert.equal(parseAuthorization('Bearer'), null);
  assert.equal(parseAuthorization('Bearer '), null);
  assert.equal(parseAuthorization('Token secret'), null);
});
