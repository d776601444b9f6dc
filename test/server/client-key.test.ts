// Per-client bounds count an IPv6 /64 as one client (src/server/client-key.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientKey } from '../../src/server/client-key';

test('an IPv4 address is one client, in either notation', () => {
  assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
  assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(clientKey('::ffff:cb00:7107'), '203.0.113.7');
  assert.equal(clientKey('127.0.0.1'), '127.0.0.1');
});

test('the addresses of one IPv6 /64 are one client; other /64s are others', () => {
  const a = clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
  assert.equal(a, '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:db8:1:2::1'), a);
  assert.equal(clientKey('2001:0db8:0001:0002:0:0:0:ffff'), a);
  assert.equal(clientKey('2001:db8:1:2:1:2:3:4%eth0'), a);
  assert.notEqual(clientKey('2001:db8:1:3::1'), a);
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.equal(clientKey('fe80::1%lo0'), 'fe80:0:0:0::/64');
  assert.equal(clientKey('64:ff9b::192.0.2.33'), '64:ff9b:0:0::/64');
});

test('no address, or a key already made, stays as it is', () => {
  assert.equal(clientKey(undefined), 'local');
  assert.equal(clientKey('local'), 'local');
  assert.equal(clientKey('2001:db8:1:2::/64'), '2001:db8:1:2::/64');
});

test('connections per address: addresses of one /64 share the bound (connection-limits.ts)', async () => {
  const { EventEmitter } = await import('node:events');
  const { AddressCounter } = await import('../../src/server/connection-limits');
  const socket = (remoteAddress: string) => Object.assign(new EventEmitter(), { remoteAddress }) as unknown as import('node:net').Socket;
  const counter = new AddressCounter(2);
  const first = socket('2001:db8:1:2::1');
  assert.equal(counter.admit(first), true);
  assert.equal(counter.admit(socket('2001:db8:1:2::2')), true);
  assert.equal(counter.admit(socket('2001:db8:1:2:ffff::3')), false);
  assert.equal(counter.admit(socket('2001:db8:1:3::1')), true);
  (first as unknown as InstanceType<typeof EventEmitter>).emit('close');
  assert.equal(counter.admit(socket('2001:db8:1:2::9')), true);
});
