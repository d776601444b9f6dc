// /query/1 request bodies are read as Fauna's Jackson-based reader reads them (spec §1.1, §2.2):
// template objects refuse repeated keys while values merge them, objects keep the client's key
// order, simple-format numbers keep integer precision and float-ness, and integers beyond a
// long or nesting beyond 1000 levels are refused as invalid request bodies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawQuery, startServer, TestServer } from '../helpers/server';

const TAGGED = { 'x-format': 'tagged' };
const SIMPLE = { 'x-format': 'simple' };

describe('request JSON', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.dispose(); });

  /** The response text as sent, for checks JSON.parse would blur (key order). */
  async function responseText(body: string, headers: Record<string, string>): Promise<string> {
    const r = await fetch(`${server.url}/query/1`, { method: 'POST', headers: { authorization: 'Bearer secret', ...headers }, body });
    assert.equal(r.status, 200);
    return r.text();
  }

  async function badBody(body: string, headers: Record<string, string>, message: string): Promise<void> {
    const r = await rawQuery(server.url, body, headers);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invalid_request');
    assert.equal(r.body.error.message, message);
  }

  it('refuses a repeated key in an object template fragment', async () => {
    await badBody(
      '{"query":{"fql":["let x = ",{"object":{"a":{"value":{"@int":"1"}},"b":{"fql":["2"]},"a":{"value":{"@int":"3"}}}},"; x"]}}',
      TAGGED, 'Invalid request body: Duplicate object field `a`');
    await badBody('{"query":{"object":{"k":{"value":"x"},"k":{"value":"y"}}}}', TAGGED, 'Invalid request body: Duplicate object field `k`');
  });

  it('merges repeated keys inside values: first position, last value', async () => {
    const text = await responseText(
      '{"query":{"fql":[{"value":{"@object":{"a":{"@int":"1"},"b":"x","a":{"@int":"2"}}}}]}}', TAGGED);
    assert.match(text, /"data":\{"a":\{"@int":"2"\},"b":"x"\}/);
    const tag = await rawQuery(server.url, '{"query":{"fql":[{"value":{"@int":"1","@int":"2"}}," + 1"]}}', TAGGED);
    assert.equal(tag.status, 200, JSON.stringify(tag.body));
    assert.deepEqual(tag.body.data, { '@int': '3' });
    const args = await rawQuery(server.url, '{"query":"[x, y]","arguments":{"x":1,"y":{"a":1,"a":5},"x":2}}', SIMPLE);
    assert.equal(args.status, 200, JSON.stringify(args.body));
    assert.deepEqual(args.body.data, [2, { a: 5 }]);
  });

  it('keeps the client\'s key order for integer-like keys', async () => {
    const arg = await rawQuery(server.url, '{"query":"Object.keys(x)","arguments":{"x":{"b":1,"2":2,"a":3,"1":4}}}', SIMPLE);
    assert.equal(arg.status, 200, JSON.stringify(arg.body));
    assert.deepEqual(arg.body.data, ['b', '2', 'a', '1']);
    const echoed = await responseText('{"query":"x","arguments":{"x":{"b":1,"2":2}}}', SIMPLE);
    assert.match(echoed, /"data":\{"b":1,"2":2\}/);
    const value = await rawQuery(server.url, '{"query":{"fql":["Object.keys(",{"value":{"z":"1","10":"2","@object":"no"}},")"]}}', TAGGED);
    assert.equal(value.status, 400, 'a value object with an @ key among others is a bad tagged value');
    const collapsed = await rawQuery(server.url,
      '{"query":{"fql":["Object.keys(",{"object":{"z":{"value":"1"},"10":{"value":"2"},"@x":{"value":"3"}}},")"]}}', TAGGED);
    assert.equal(collapsed.status, 200, JSON.stringify(collapsed.body));
    assert.deepEqual(collapsed.body.data, ['z', '10', '@x']);
    const literal = await rawQuery(server.url,
      '{"query":{"fql":["Object.keys(",{"object":{"z":{"fql":["1"]},"10":{"value":{"@int":"2"}}}},")"]}}', TAGGED);
    assert.equal(literal.status, 200, JSON.stringify(literal.body));
    assert.deepEqual(literal.body.data, ['z', '10']);
  });

  it('keeps simple-format integers exact and 1.0 a double', async () => {
    const big = await rawQuery(server.url, '{"query":"[x.toString(), (x + 1).toString()]","arguments":{"x":9007199254740993}}', SIMPLE);
    assert.equal(big.status, 200, JSON.stringify(big.body));
    assert.deepEqual(big.body.data, ['9007199254740993', '9007199254740994']);
    const max = await rawQuery(server.url, '{"query":"x.toString()","arguments":{"x":-9223372036854775808}}', SIMPLE);
    assert.equal(max.body.data, '-9223372036854775808');
    const halves = await rawQuery(server.url, '{"query":"[x / 2, y / 2, z / 2]","arguments":{"x":1.0,"y":1,"z":1e0}}', SIMPLE);
    assert.equal(halves.status, 200, JSON.stringify(halves.body));
    assert.deepEqual(halves.body.data, [0.5, 0, 0.5]);
  });

  it('refuses integers beyond a long anywhere in the body', async () => {
    const message = 'Invalid request body: Numeric value (9223372036854775808) out of range of long (-9223372036854775808 - 9223372036854775807)';
    await badBody('{"query":"x","arguments":{"x":9223372036854775808}}', SIMPLE, message);
    await badBody('{"query":{"fql":[{"value":[9223372036854775808]}]}}', TAGGED, message);
    const asDouble = await rawQuery(server.url, '{"query":"x","arguments":{"x":9223372036854775808.0}}', SIMPLE);
    assert.equal(asDouble.status, 200, JSON.stringify(asDouble.body));
    assert.equal(asDouble.body.data, 9223372036854775808);
  });

  it('caps nesting at 1000 levels, counting the body itself', async () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const ok = await rawQuery(server.url, `{"query":"\\"ok\\"","arguments":{"x":${nested(998)}}}`, SIMPLE);
    assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 300));
    assert.equal(ok.body.data, 'ok');
    await badBody(`{"query":"\\"ok\\"","arguments":{"x":${nested(999)}}}`, SIMPLE, 'Invalid request body: JSON exceeds nesting limit');
    await badBody(`{"query":{"fql":[{"value":${nested(2000)}}]}}`, TAGGED, 'Invalid request body: JSON exceeds nesting limit');
  });

  it('reports malformed JSON and non-object bodies as invalid request bodies', async () => {
    await badBody('{"query":"1",}', SIMPLE, "Invalid request body: Unexpected character '}' at position 13: expected a double-quoted field name");
    await badBody('{"query":"1"} x', SIMPLE, "Invalid request body: Unexpected character 'x' at position 14: expected end of input");
    await badBody('"{}"', SIMPLE, 'Invalid request body: Unexpected JSON String. Expected Object Start.');
    // core FQL2BasicSpec "returns invalid request": a body without `query` has no detail.
    await badBody('{"arguments":{}}', SIMPLE, 'Invalid request body');
    await badBody('{"foo":"bar"}', SIMPLE, 'Invalid request body');
    await badBody('{"query":"1","arguments":[1.5]}', SIMPLE, 'Invalid request body: Unexpected JSON Array Start. Expected Object.');
    await badBody('{"query":{"fql":[1.5]}}', TAGGED, 'Invalid request body: Unexpected JSON Double. Expected query template.');
    const r = await rawQuery(server.url, '\ufeff {"query":"1 + 1"}\n', SIMPLE);
    assert.equal(r.body.data, 2);
  });
});
