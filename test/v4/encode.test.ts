// Unit tests of the v4 value encoding and request escapes (no server).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeV4, encodeV4Within } from '../../src/v4/encode';
import { decodeLiteral } from '../../src/v4/escapes';
import { compareKeys, equals4 } from '../../src/v4/compare';
import { V4Error } from '../../src/v4/errors';
import { type V4Value, arr4, docRef, long4, nativeRef, obj4, schemaRef, str4 } from '../../src/v4/values';

describe('v4 encoding', () => {
  it('tags refs with their collection and database', () => {
    const child = schemaRef('databases', 'child');
    assert.equal(encodeV4(docRef(nativeRef('credentials', child), '1')),
      '{"@ref":{"id":"1","collection":{"@ref":{"id":"credentials","database":{"@ref":{"id":"child","collection":{"@ref":{"id":"databases"}}}}}}}}');
    assert.equal(encodeV4(docRef(schemaRef('collections', 'users'), '3')),
      '{"@ref":{"id":"3","collection":{"@ref":{"id":"users","collection":{"@ref":{"id":"collections"}}}}}}');
  });

  it('renders scalars as core does', () => {
    assert.equal(encodeV4({ t: 'time', ns: 1_577_836_800_123_000_000n }), '{"@ts":"2020-01-01T00:00:00.123Z"}');
    assert.equal(encodeV4({ t: 'date', days: 1 }), '{"@date":"1970-01-02"}');
    assert.equal(encodeV4({ t: 'bytes', v: new Uint8Array([1, 2]) }), '{"@bytes":"AQI="}');
    assert.equal(encodeV4({ t: 'double', v: 2 }), '2.0');
    assert.equal(encodeV4({ t: 'long', v: 9007199254740993n }), '9007199254740993');
  });

  it('wraps objects with @ keys in @obj', () => {
    assert.equal(encodeV4(obj4([['@ref', str4('x')]])), '{"@obj":{"@ref":"x"}}');
    assert.equal(encodeV4(obj4([['a', str4('x')]])), '{"a":"x"}');
  });

  it('decodes escapes and legacy string refs', async () => {
    const ref = await decodeLiteral(undefined, { '@ref': 'collections/users/1' }, []);
    assert.ok(equals4(ref, docRef(schemaRef('collections', 'users'), '1')));
    const ts = await decodeLiteral(undefined, { '@ts': '2020-01-01T01:00:00+01:00' }, []);
    assert.deepEqual(ts, { t: 'time', ns: 1_577_836_800_000_000_000n });
    await assert.rejects(decodeLiteral(undefined, { '@ts': 'nope' }, ['x']),
      (e: unknown) => e instanceof V4Error && e.code === 'invalid expression' && e.description === 'Invalid time.');
  });

  it('orders refs by numeric id', () => {
    const r = (id: string): V4Value => docRef(nativeRef('tokens'), id);
    assert.ok(compareKeys([r('9')], [r('10')]) < 0);
    assert.equal(compareKeys([r('10')], [r('10')]), 0);
  });

  it('counts exactly the characters it renders against a bound, and stops past it', () => {
    const ref = docRef(schemaRef('collections', 'users'), '3');
    const page: V4Value = { t: 'page', data: [str4('a\n"'), ref], before: arr4([long4(1), ref]), after: arr4([]) };
    const values: V4Value[] = [
      str4('x'), str4('é\u0000"'), arr4([]), arr4([long4(1), str4('b'), arr4([obj4([])])]),
      obj4([['a', long4(1)], ['@ref', str4('x')], ['c', arr4([{ t: 'double', v: 2 }])]]), page, obj4([['p', page]]),
    ];
    const tooLarge = (size: number) => new Error(`size ${size}`);
    for (const v of values) {
      const text = encodeV4(v);
      assert.equal(encodeV4Within(v, text.length, tooLarge), text);
      assert.throws(() => encodeV4Within(v, text.length - 1, tooLarge), { message: /^size \d+$/ }, text);
    }
    // Shared structure is counted every time it is rendered: 2^40 leaves stop at the bound.
    let shared: V4Value = long4(1);
    for (let i = 0; i < 40; i++) shared = arr4([shared, shared]);
    assert.throws(() => encodeV4Within(shared, 1000, tooLarge), { message: 'size 1001' });
  });
});
