import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { str } from '../../src/fql/values/construct';
import { apply, call, mod, rejects } from './stdlib-support';

describe('Bytes and UUID', () => {
  it('Bytes(base64) round-trips', async () => {
    const b = await apply('Bytes', str('AQID'));
    assert.deepEqual(b, { t: 'bytes', v: new Uint8Array([1, 2, 3]) });
    assert.deepEqual(await call(b, 'toBase64'), str('AQID'));
    assert.deepEqual(await call(b, 'toString'), str('AQID'));
    assert.deepEqual(await call(mod('Bytes'), 'fromBase64', str('AQ')), { t: 'bytes', v: new Uint8Array([1]) });
  });
  it('rejects text that is not base64', async () => {
    await rejects(apply('Bytes', str('A*==')), 'invalid_argument', 'invalid argument `encoded`: invalid base64 string');
    await rejects(apply('Bytes', str('AQ=')), 'invalid_argument', 'invalid argument `encoded`: invalid base64 string');
  });
  it('UUID toString', async () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    assert.deepEqual(await call({ t: 'uuid', v: id }, 'toString'), str(id));
  });
});
