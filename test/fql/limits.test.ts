// Unit tests for the size checks behind src/fql/limits.ts: logical value sizes with shared
// structure, normalization in pieces (same text as whole, limit checked as pieces add up), and
// base64 validation of long inputs. The e2e counterparts are in test/e2e/security-limits.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arr, int, obj, str } from '../../src/fql/values/construct';
import { valueSize } from '../../src/fql/values/size';
import { MAX_STRING_SIZE, MAX_VALUE_SIZE } from '../../src/fql/limits';
import { QueryError } from '../../src/fql/errors';
import type { Value } from '../../src/fql/values/value';
import { call, mod, rejects } from './stdlib-support';
import { quote } from '../../src/fql/eval/display';

describe('logical value size (ours: MAX_VALUE_SIZE)', () => {
  it('counts one unit per value plus text, and shared children every time', () => {
    assert.equal(valueSize(int(1)), 1);
    assert.equal(valueSize(str('abc')), 4);
    const a = arr([int(1), str('xy')]);
    assert.equal(valueSize(a), 1 + 1 + 3);
    assert.equal(valueSize(arr([a, a])), 1 + 2 * 5);
    assert.equal(valueSize(obj([['k', a]])), 1 + 1 + 5);
  });

  it('refuses to build an array whose expansion passes the limit, in linear time', () => {
    let v: Value = arr([int(1)]);
    let built = 0;
    const started = performance.now();
    assert.throws(() => {
      for (;;) { v = arr([v, v]); built++; }
    }, (e: unknown) => e instanceof QueryError && e.code === 'value_too_large'
      && e.message === `Value too large: value size ${3 * 2 ** 25 - 1} exceeds limit ${MAX_VALUE_SIZE}.`);
    assert.equal(built, 24);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('normalization of long strings in pieces', () => {
  // Marks, Hangul jamo and decomposable letters straddle the piece boundaries (every 65,536).
  const unit = 'e\u0301ßﬁ\u1100\u1161\u11a8Å\u0308x ';
  const big = unit.repeat(Math.ceil(1_000_000 / unit.length));

  for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as const) {
    it(`${form} in pieces equals ${form} of the whole`, async () => {
      const r = await call(str(big), 'casefold', str(form));
      assert.equal(r.t === 'string' && r.v === big.normalize(form), true);
    });
  }

  it('stops as soon as the growing result passes the string limit', async () => {
    // U+FDFA decomposes to 18 characters: the 15th piece of 65,536 passes 16 MiB.
    const text = '\ufdfa'.repeat(1_000_000);
    await rejects(call(str(text), 'casefold', str('NFKD')), 'value_too_large',
      `Value too large: string size ${15 * 65536 * 18} exceeds limit ${MAX_STRING_SIZE}.`);
  });
});

describe('base64 validation', () => {
  it('accepts exact padding or none, and maximal inputs without overflowing', async () => {
    for (const ok of ['', 'AQ', 'AQ==', 'AQI', 'AQI=', 'AQID']) {
      assert.equal((await call(mod('Bytes'), 'fromBase64', str(ok))).t, 'bytes', ok);
    }
    for (const bad of ['A', 'AQ=', 'AQ===', 'AQID=', 'A*==', '=']) {
      await rejects(call(mod('Bytes'), 'fromBase64', str(bad)), 'invalid_argument', 'invalid argument `encoded`: invalid base64 string');
    }
    const b = await call(mod('Bytes'), 'fromBase64', str('AAAA'.repeat(MAX_STRING_SIZE / 4)));
    assert.equal(b.t === 'bytes' && b.v.length, (MAX_STRING_SIZE / 4) * 3);
  });
});

describe('quoting a string for display', () => {
  it('stops at the string limit while escapes grow the text sixfold', () => {
    // 1 + 6k characters after k control characters: the first check past 2^24 fails.
    assert.throws(() => quote('\u0001'.repeat(3_000_000)), (e: unknown) => e instanceof QueryError
      && e.code === 'value_too_large' && e.message === `Value too large: string size 16777219 exceeds limit ${MAX_STRING_SIZE}.`);
    assert.equal(quote('a\u0001"'), '"a\\u0001\\""');
  });
});
