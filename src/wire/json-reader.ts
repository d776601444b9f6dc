// A strict JSON reader for request bodies that keeps what `JSON.parse` loses and Fauna's
// Jackson-based reader keeps: object members in source order (integer-like keys included) and
// with duplicates visible, and numbers as their source text with an integer/float flag (so
// integers beyond 2^53 stay exact and `1.0` stays a float). Like Jackson it caps nesting depth
// (StreamReadConstraints, 1000) and refuses integer literals outside the 64-bit range, since
// core reads every integer with `getValueAsLong`.

/** A JSON number as written: `isInteger` is false when it has a fraction or an exponent. */
export class JsonNumber {
  constructor(readonly text: string, readonly isInteger: boolean) {}
}

/** A JSON object's members in source order; a repeated key appears once per occurrence. */
export class JsonObject {
  constructor(readonly keys: readonly string[], readonly values: readonly JsonValue[]) {}

  /** The last member named `key`, as a map built from the members would hold. */
  get(key: string): JsonValue | undefined {
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] === key) return this.values[i];
    }
    return undefined;
  }

  /** The members as a map; a repeated key keeps its first position and its last value. */
  toMap(): Map<string, JsonValue> {
    const m = new Map<string, JsonValue>();
    for (let i = 0; i < this.keys.length; i++) m.set(this.keys[i], this.values[i]);
    return m;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonObject | readonly JsonValue[];

/** `Array.isArray` narrowed to JSON arrays (the built-in guard narrows to `any[]`). */
export function isJsonArray(v: JsonValue): v is readonly JsonValue[] {
  return Array.isArray(v);
}

/** Malformed JSON text; the message says what was found where. */
export class JsonSyntaxError extends Error {}

/** Arrays/objects nested deeper than the reader's limit. */
export class JsonNestingError extends Error {}

/** Jackson's default maximum nesting depth (StreamReadConstraints.DEFAULT_MAX_DEPTH). */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether `text` nests arrays and objects deeper than `maxDepth`, for bodies parsed with
 * `JSON.parse` (FQL v4): V8 parses any depth, but whatever walks the result recursively
 * afterwards overflows the stack. One pass over the text, skipping strings.
 */
export function nestsDeeperThan(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  return jsonShape(text, maxDepth) === 'deep';
}

/**
 * The structure of a JSON text, found without building it: `deep` when arrays and objects nest
 * deeper than `maxDepth`, `wide` when it has more than `maxSeparators` commas and colons (a
 * request with a handful of fields has a handful), else `ok` (which says nothing about its
 * syntax). Bodies the coordinator must parse before knowing who sends them are checked so
 * first: building a million-element array takes JSON.parse a quarter of a second, this scan a
 * tenth of that, and strings are skipped with indexOf rather than a character at a time.
 */
export function jsonShape(text: string, maxDepth: number = MAX_JSON_DEPTH, maxSeparators = Infinity): 'ok' | 'deep' | 'wide' {
  let depth = 0;
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = stringEnd(text, i + 1);
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return 'deep';
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    } else if (c === 0x2c /* , */ || c === 0x3a /* : */) {
      if (++separators > maxSeparators) return 'wide';
    }
  }
  return 'ok';
}

/** The index of the quote closing a string whose content starts at `from` (text.length if none). */
function stringEnd(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
    // Escaped when preceded by an odd number of backslashes.
    let slashes = 0;
    while (q - 1 - slashes >= from && text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q;
  }
  return text.length;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
/** Integer literals with fewer digits than this always fit in a long. */
const SAFE_LONG_DIGITS = 18;

/** Parse one JSON document (surrounding whitespace and a leading BOM allowed). */
export function readJson(text: string, maxDepth: number = MAX_JSON_DEPTH): JsonValue {
  const r = new Reader(text, maxDepth);
  if (text.charCodeAt(0) === 0xfeff) r.pos = 1;
  r.skipWhitespace();
  const v = r.readValue(0);
  r.skipWhitespace();
  if (r.pos < text.length) throw r.unexpected('end of input');
  return v;
}

function describeChar(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `code ${c}`;
}

class Reader {
  pos = 0;
  constructor(private readonly src: string, private readonly maxDepth: number) {}

  unexpected(expected: string): JsonSyntaxError {
    if (this.pos >= this.src.length) {
      return new JsonSyntaxError(`Unexpected end of input at position ${this.pos}: expected ${expected}`);
    }
    return new JsonSyntaxError(`Unexpected character ${describeChar(this.src.charCodeAt(this.pos))} at position ${this.pos}: expected ${expected}`);
  }

  skipWhitespace(): void {
    const s = this.src;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  readValue(depth: number): JsonValue {
    const c = this.src.charCodeAt(this.pos);
    switch (c) {
      case 0x22 /* " */: return this.readString();
      case 0x7b /* { */: return this.readObject(depth + 1);
      case 0x5b /* [ */: return this.readArray(depth + 1);
      case 0x74 /* t */: return this.readLiteral('true', true);
      case 0x66 /* f */: return this.readLiteral('false', false);
      case 0x6e /* n */: return this.readLiteral('null', null);
      default:
        if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.readNumber();
        throw this.unexpected('a value');
    }
  }

  private readLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.src.startsWith(word, this.pos)) throw this.unexpected(`'${word}'`);
    this.pos += word.length;
    return value;
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) throw new JsonNestingError('JSON exceeds nesting limit');
    this.pos++;
    this.skipWhitespace();
  }

  private readArray(depth: number): JsonValue[] {
    this.enter(depth);
    const out: JsonValue[] = [];
    if (this.src.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.readValue(depth));
      this.skipWhitespace();
      const c = this.src.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x5d /* ] */) return out;
      if (c !== 0x2c /* , */) {
        this.pos--;
        throw this.unexpected("',' or ']'");
      }
      this.skipWhitespace();
    }
  }

  private readObject(depth: number): JsonObject {
    this.enter(depth);
    const keys: string[] = [];
    const values: JsonValue[] = [];
    if (this.src.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return new JsonObject(keys, values);
    }
    for (;;) {
      if (this.src.charCodeAt(this.pos) !== 0x22) throw this.unexpected('a double-quoted field name');
      keys.push(this.readString());
      this.skipWhitespace();
      if (this.src.charCodeAt(this.pos) !== 0x3a /* : */) throw this.unexpected("':'");
      this.pos++;
      this.skipWhitespace();
      values.push(this.readValue(depth));
      this.skipWhitespace();
      const c = this.src.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x7d /* } */) return new JsonObject(keys, values);
      if (c !== 0x2c /* , */) {
        this.pos--;
        throw this.unexpected("',' or '}'");
      }
      this.skipWhitespace();
    }
  }

  /** At the opening quote; returns the decoded string, slicing when there are no escapes. */
  private readString(): string {
    const s = this.src;
    let i = this.pos + 1;
    let start = i;
    let out = '';
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22 /* " */) {
        this.pos = i + 1;
        return out + s.slice(start, i);
      }
      if (c === 0x5c /* \ */) {
        out += s.slice(start, i);
        this.pos = i;
        out += this.readEscape();
        i = this.pos;
        start = i;
      } else if (c < 0x20 || Number.isNaN(c)) {
        this.pos = i;
        throw this.unexpected(Number.isNaN(c) ? "closing '\"'" : 'an escaped control character');
      } else {
        i++;
      }
    }
  }

  /** At a backslash; consumes the escape sequence. */
  private readEscape(): string {
    const c = this.src.charCodeAt(this.pos + 1);
    this.pos += 2;
    switch (c) {
      case 0x22: return '"';
      case 0x5c: return '\\';
      case 0x2f: return '/';
      case 0x62: return '\b';
      case 0x66: return '\f';
      case 0x6e: return '\n';
      case 0x72: return '\r';
      case 0x74: return '\t';
      case 0x75 /* u */: {
        const hex = this.src.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.unexpected('4 hex digits after \\u');
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.pos--;
        throw this.unexpected('a valid escape character');
    }
  }

  private skipDigits(): number {
    const s = this.src;
    const from = this.pos;
    let i = from;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c >= 0x30 && c <= 0x39) i++;
      else break;
    }
    this.pos = i;
    return i - from;
  }

  private readNumber(): JsonNumber {
    const s = this.src;
    const start = this.pos;
    if (s.charCodeAt(this.pos) === 0x2d /* - */) this.pos++;
    const intStart = this.pos;
    const intDigits = this.skipDigits();
    if (intDigits === 0) throw this.unexpected('a digit');
    if (intDigits > 1 && s.charCodeAt(intStart) === 0x30) {
      this.pos = intStart + 1;
      throw this.unexpected('no leading zeros');
    }
    let isInteger = true;
    if (s.charCodeAt(this.pos) === 0x2e /* . */) {
      this.pos++;
      if (this.skipDigits() === 0) throw this.unexpected('a digit after the decimal point');
      isInteger = false;
    }
    const e = s.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45 /* e E */) {
      this.pos++;
      const sign = s.charCodeAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (this.skipDigits() === 0) throw this.unexpected('a digit in the exponent');
      isInteger = false;
    }
    const text = s.slice(start, this.pos);
    if (isInteger && intDigits > SAFE_LONG_DIGITS) {
      const n = BigInt(text);
      if (n < LONG_MIN || n > LONG_MAX) {
        throw new JsonSyntaxError(`Numeric value (${text}) out of range of long (${LONG_MIN} - ${LONG_MAX})`);
      }
    }
    return new JsonNumber(text, isInteger);
  }
}
