import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  JsonNestingError, JsonNumber, JsonObject, JsonSyntaxError, type JsonValue, MAX_JSON_DEPTH, nestsDeeperThan, readJson,
} from '../../src/wire/json-reader';
import { rng } from '../helpers/random';

/** What JSON.parse would build from the same text (it merges repeated keys the same way). */
function toPlain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (v instanceof JsonObject) {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < v.keys.length; i++) o[v.keys[i]] = toPlain(v.values[i]);
    return o;
  }
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

const WS = ['', '', ' ', '\n', '\t', '\r\n  '];
const KEY_POOL = ['a', 'b', '2', '10', '@int', '', 'é', 'x y', 'q"', '\\', '\u0000', '😀'];

function randomString(r: () => number): string {
  const pieces = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', 'é', '€', '😀', '\ud800', 'fql', '@'];
  let s = '';
  for (let n = Math.floor(r() * 6); n > 0; n--) s += pieces[Math.floor(r() * pieces.length)];
  // Also spell some characters as \u escapes or an escaped slash, which JSON.stringify never emits.
  return JSON.stringify(s).replace(/é/g, '\\u00e9').replace(/\//g, '\\/');
}

function randomNumber(r: () => number): string {
  const sign = r() < 0.3 ? '-' : '';
  const int = r() < 0.2 ? '0' : String(1 + Math.floor(r() * 999999));
  const frac = r() < 0.3 ? '.' + String(Math.floor(r() * 1000)) : '';
  const exp = r() < 0.2 ? ['e', 'E'][Math.floor(r() * 2)] + ['', '+', '-'][Math.floor(r() * 3)] + String(Math.floor(r() * 30)) : '';
  return sign + int + frac + exp;
}

function randomJson(r: () => number, depth: number): string {
  const w = () => WS[Math.floor(r() * WS.length)];
  const pick = Math.floor(r() * (depth > 4 ? 5 : 7));
  switch (pick) {
    case 0: return ['true', 'false', 'null'][Math.floor(r() * 3)];
    case 1: return randomNumber(r);
    case 2: case 3: case 4: return randomString(r);
    case 5: {
      const items: string[] = [];
      for (let n = Math.floor(r() * 4); n > 0; n--) items.push(w() + randomJson(r, depth + 1) + w());
      return '[' + (items.length ? items.join(',') : w()) + ']';
    }
    default: {
      const members: string[] = [];
      for (let n = Math.floor(r() * 5); n > 0; n--) {
        const key = JSON.stringify(KEY_POOL[Math.floor(r() * KEY_POOL.length)]);
        members.push(w() + key + w() + ':' + w() + randomJson(r, depth + 1) + w());
      }
      return '{' + (members.length ? members.join(',') : w()) + '}';
    }
  }
}

test('random valid JSON reads like JSON.parse', () => {
  const r = rng(42);
  for (let i = 0; i < 3000; i++) {
    const text = randomJson(r, 0);
    assert.deepEqual(toPlain(readJson(text)), JSON.parse(text), `seed 42 case ${i}: ${text}`);
  }
});

test('random corruptions are rejected exactly when JSON.parse rejects them', () => {
  const r = rng(7);
  const noise = ['"', ',', ':', '{', '}', '[', ']', '\\', 'x', '0', '-', '.', 'e', ' ', '\u0001'];
  for (let i = 0; i < 3000; i++) {
    const valid = randomJson(r, 0);
    const at = Math.floor(r() * (valid.length + 1));
    const text = r() < 0.5
      ? valid.slice(0, at) + valid.slice(at + 1)
      : valid.slice(0, at) + noise[Math.floor(r() * noise.length)] + valid.slice(at);
    let expected: unknown;
    let parseFails = false;
    try { expected = JSON.parse(text); } catch { parseFails = true; }
    if (parseFails) {
      assert.throws(() => readJson(text), JsonSyntaxError, `seed 7 case ${i}: ${text}`);
    } else {
      assert.deepEqual(toPlain(readJson(text)), expected, `seed 7 case ${i}: ${text}`);
    }
  }
});

test('objects keep source order, integer-like keys included, and every repeated key', () => {
  const o = readJson('{"b":1,"2":2,"a":{"10":true,"1":false},"b":3}');
  assert.ok(o instanceof JsonObject);
  assert.deepEqual(o.keys, ['b', '2', 'a', 'b']);
  assert.deepEqual(o.get('b'), new JsonNumber('3', true));
  assert.deepEqual([...o.toMap().keys()], ['b', '2', 'a']);
  assert.deepEqual(o.toMap().get('b'), new JsonNumber('3', true));
  const inner = o.get('a');
  assert.ok(inner instanceof JsonObject);
  assert.deepEqual(inner.keys, ['10', '1']);
  assert.equal(o.get('missing'), undefined);
});

test('numbers keep their text and whether they are integers', () => {
  assert.deepEqual(readJson('9223372036854775807'), new JsonNumber('9223372036854775807', true));
  assert.deepEqual(readJson('-9223372036854775808'), new JsonNumber('-9223372036854775808', true));
  assert.deepEqual(readJson('1.0'), new JsonNumber('1.0', false));
  assert.deepEqual(readJson('1e2'), new JsonNumber('1e2', false));
  assert.deepEqual(readJson('-0'), new JsonNumber('-0', true));
  assert.deepEqual(readJson('123456789012345678901234.5'), new JsonNumber('123456789012345678901234.5', false));
});

test('strings decode escapes and keep lone surrogates', () => {
  assert.equal(readJson('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\ude00"'), 'a"b\\c/d\b\f\n\r\té😀');
  assert.equal(readJson('"\\ud800"'), '\ud800');
  // A byte order mark is skipped at the start only, as Jackson does.
  assert.deepEqual((readJson('\ufeff {"k":[]} \n') as JsonObject).keys, ['k']);
  assert.throws(() => readJson(' \ufeff1'), JsonSyntaxError);
});

test('malformed JSON gets a message naming what was found where', () => {
  const cases: [string, string][] = [
    ['', 'Unexpected end of input at position 0: expected a value'],
    ['{not json', "Unexpected character 'n' at position 1: expected a double-quoted field name"],
    ['{"a" 1}', "Unexpected character '1' at position 5: expected ':'"],
    ['{"a":1 "b":2}', "Unexpected character '\"' at position 7: expected ',' or '}'"],
    ['[1 2]', "Unexpected character '2' at position 3: expected ',' or ']'"],
    ['[1,]', "Unexpected character ']' at position 3: expected a value"],
    ['{"a":1,}', "Unexpected character '}' at position 7: expected a double-quoted field name"],
    ['{"query":"1"}garbage', "Unexpected character 'g' at position 13: expected end of input"],
    ['"abc', "Unexpected end of input at position 4: expected closing '\"'"],
    ['"a\u0001"', 'Unexpected character code 1 at position 2: expected an escaped control character'],
    ['"\\x"', "Unexpected character 'x' at position 2: expected a valid escape character"],
    ['"\\u12G4"', 'Unexpected character \'1\' at position 3: expected 4 hex digits after \\u'],
    ['tru', "Unexpected character 't' at position 0: expected 'true'"],
    ['01', "Unexpected character '1' at position 1: expected no leading zeros"],
    ['-', 'Unexpected end of input at position 1: expected a digit'],
    ['1.', 'Unexpected end of input at position 2: expected a digit after the decimal point'],
    ['1e+', 'Unexpected end of input at position 3: expected a digit in the exponent'],
    ['+1', "Unexpected character '+' at position 0: expected a value"],
    ['NaN', "Unexpected character 'N' at position 0: expected a value"],
    ["{'a':1}", "Unexpected character ''' at position 1: expected a double-quoted field name"],
    ['9223372036854775808', 'Numeric value (9223372036854775808) out of range of long (-9223372036854775808 - 9223372036854775807)'],
    ['[-9223372036854775809]', 'Numeric value (-9223372036854775809) out of range of long (-9223372036854775808 - 9223372036854775807)'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => readJson(text), (e: unknown) => e instanceof JsonSyntaxError && e.message === message, text);
  }
});

test('nesting is capped at Jackson\'s default depth', () => {
  assert.equal(MAX_JSON_DEPTH, 1000);
  const ok = '['.repeat(1000) + ']'.repeat(1000);
  assert.ok(Array.isArray(readJson(ok)));
  for (const deep of ['['.repeat(1001) + ']'.repeat(1001), '{"a":'.repeat(1001) + '1' + '}'.repeat(1001), '['.repeat(100_000)]) {
    assert.throws(() => readJson(deep), (e: unknown) => e instanceof JsonNestingError && e.message === 'JSON exceeds nesting limit');
  }
  assert.throws(() => readJson('[[[1]]]', 2), JsonNestingError);
});

test('nestsDeeperThan agrees with the reader on depth and skips brackets inside strings', () => {
  for (const [text, deeper] of [
    ['['.repeat(1000) + ']'.repeat(1000), false],
    ['['.repeat(1001) + ']'.repeat(1001), true],
    ['{"a":'.repeat(1001) + '1' + '}'.repeat(1001), true],
    [JSON.stringify(['['.repeat(5000)]), false],
    [JSON.stringify(['\\"' + '{'.repeat(5000), '"]']), false],
    ['[' + JSON.stringify('\\') + ',' + '['.repeat(1000) + ']'.repeat(1000) + ']', true],
  ] as const) {
    assert.equal(nestsDeeperThan(text), deeper, text.slice(0, 40));
    let readerRefuses = false;
    try { readJson(text); } catch (e) { readerRefuses = e instanceof JsonNestingError; }
    assert.equal(readerRefuses, deeper, text.slice(0, 40));
  }
  assert.equal(nestsDeeperThan('[[[1]]]', 2), true);
  assert.equal(nestsDeeperThan('[[1]]', 2), false);
});
