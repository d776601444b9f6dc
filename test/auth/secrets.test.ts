// Secrets and password hashes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hash } from '@node-rs/bcrypt';
import { newSecret, secretDigest } from '../../src/auth/secrets';
import { hashPassword, passwordCost, setPasswordCost, verifyPassword } from '../../src/auth/passwords';
import { parseSecret } from '../../src/auth/secret-parse';

describe('secrets', () => {
  it('are random, long and parse as the secret part of a scoped secret', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = newSecret();
      assert.match(s, /^fn[A-Za-z0-9_-]{40}$/);
      assert.doesNotMatch(s, /[/,()&=:]/);
      seen.add(s);
      const scoped = parseSecret(`${s}:child/grand:@role/Reader`);
      assert.equal(scoped?.secret, s);
      assert.deepEqual(scoped?.scopePath, ['child', 'grand']);
    }
    assert.equal(seen.size, 200);
  });

  it('are stored as a SHA-256 digest', () => {
    assert.equal(secretDigest('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    assert.notEqual(secretDigest('abc'), secretDigest('abd'));
  });
});

describe('passwords', () => {
  it('hash with bcrypt at the configured cost and verify', async () => {
    const previous = passwordCost();
    setPasswordCost(4);
    try {
      const h = await hashPassword('pass123456');
      assert.match(h, /^\$2b\$04\$/);
      assert.equal(await verifyPassword('pass123456', h), true);
      assert.equal(await verifyPassword('pass12345', h), false);
    } finally {
      setPasswordCost(previous);
    }
    assert.throws(() => setPasswordCost(3), RangeError);
  });

  it("verify Fauna's $2a$05$ hashes and reject malformed ones", async () => {
    const fauna = (await hash('secret pw', 5)).replace(/^\$2b\$/, '$2a$');
    assert.equal(await verifyPassword('secret pw', fauna), true);
    assert.equal(await verifyPassword('other', fauna), false);
    assert.equal(await verifyPassword('secret pw', 'not a hash'), false);
  });
});
