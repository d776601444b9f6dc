// Assembly of the request's `query` into one FQL source string plus the values bound to its
// placeholders, exactly as core's `FQL2Query.JSONBuilder` does (see spec §1.1):
//   - `fql` concatenates its parts; one nested directly in `fql` is spliced without
//     parentheses, one inside `array`/`object` is wrapped in parentheses (lexical scope);
//   - `value` becomes the placeholder "\u0000value>" bound to the tagged-decoded value;
//   - `array`/`object` render as literals, and collapse into one value when every leaf is a
//     value (objects through `@object`, so `@` keys survive).
import type { Value } from '../fql/values/value';
import { fqlStringLiteral } from './fql-literal';
import { jsonLabel } from './json-labels';
import { JsonObject, type JsonValue, isJsonArray } from './json-reader';
import { InvalidValueError, decodeTagged } from './tagged-decode';

/** Core's `TemplateSigil.Value`; displayed as `<value>` (same length) in error summaries. */
export const VALUE_PLACEHOLDER = '\u0000value>';

export interface AssembledQuery {
  readonly source: string;
  readonly templateValues: Value[];
}

/** A malformed template; rendered as 400 invalid_request "Invalid request body: <message>". */
export class TemplateSyntaxError extends Error {}

/** A `value` fragment that does not decode; rendered as an invalid_query check failure. */
export class TemplateValueError extends Error {
  constructor(message: string, readonly source: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

const FRAGMENT_EXPECTED = "an object with a single key 'fql', 'value', 'array', or 'object'";

function unexpected(v: JsonValue, expected: string): TemplateSyntaxError {
  return new TemplateSyntaxError(`Unexpected JSON ${jsonLabel(v)}. Expected ${expected}.`);
}

/**
 * Turn the body's `query` member into source + template values. Structure errors throw
 * TemplateSyntaxError; they are all found before any value is decoded (TemplateValueError),
 * as in core where values are decoded when the assembled query is parsed.
 */
export function assembleQuery(query: JsonValue): AssembledQuery {
  if (typeof query === 'string') return { source: query, templateValues: [] };
  if (!(query instanceof JsonObject)) throw unexpected(query, 'query template');
  const b = new TemplateBuilder();
  b.readFragment(query);
  const templateValues: Value[] = new Array(b.values.length);
  for (let i = 0; i < b.values.length; i++) {
    const { raw, offset } = b.values[i];
    try {
      templateValues[i] = decodeTagged(raw);
    } catch (e) {
      if (e instanceof InvalidValueError) throw new TemplateValueError(e.message, b.query, offset, offset + VALUE_PLACEHOLDER.length);
      throw e;
    }
  }
  return { source: b.query, templateValues };
}

interface PendingValue { raw: JsonValue; offset: number }

class TemplateBuilder {
  query = '';
  readonly values: PendingValue[] = [];
  /** True while reading the direct children of an `array`/`object` node. */
  private inContainer = false;
  /** True once a query (text) fragment was read in the current container. */
  private hitQuery = false;

  /** A part of an `fql` list or a container element: source text or a fragment object. */
  readPart(part: JsonValue): void {
    if (typeof part === 'string') this.readString(part);
    else if (part instanceof JsonObject) this.readFragment(part);
    else throw unexpected(part, 'query template');
  }

  private readString(s: string): void {
    if (s.includes('\u0000')) throw new TemplateSyntaxError('FQL strings cannot contain NUL characters');
    this.hitQuery = true;
    this.query += this.inContainer ? `(${s})` : s;
  }

  readFragment(frag: JsonObject): void {
    const count = frag.keys.length;
    if (count === 0) throw new TemplateSyntaxError(`Unexpected JSON Object End. Expected ${FRAGMENT_EXPECTED}.`);
    const key = frag.keys[0];
    const body = frag.values[0];
    const outer = this.inContainer;
    switch (key) {
      case 'fql':
        this.inContainer = false;
        this.readFql(body, outer);
        break;
      case 'value':
        this.values.push({ raw: body, offset: this.query.length });
        this.query += VALUE_PLACEHOLDER;
        break;
      case 'array':
        this.inContainer = true;
        this.readArray(body);
        break;
      case 'object':
        this.inContainer = true;
        this.readObject(body);
        break;
      default:
        throw new TemplateSyntaxError(`Unexpected JSON Object Field Name. Expected ${FRAGMENT_EXPECTED}.`);
    }
    this.inContainer = outer;
    if (count > 1) throw new TemplateSyntaxError(`Unexpected JSON Object Field Name. Expected ${FRAGMENT_EXPECTED}.`);
  }

  private readFql(parts: JsonValue, wrapParens: boolean): void {
    if (!isJsonArray(parts)) throw unexpected(parts, 'Array Start');
    if (wrapParens) this.query += '(';
    for (const p of parts) this.readPart(p);
    if (wrapParens) this.query += ')';
  }

  /**
   * Runs a container body with a fresh `hitQuery` so an inner all-value container can
   * collapse even when its parent cannot; a parent never collapses if a child did not.
   */
  private container(body: () => readonly string[] | undefined): void {
    const prev = this.hitQuery;
    this.hitQuery = false;
    const qstart = this.query.length;
    const vstart = this.values.length;
    const objectKeys = body();
    if (!this.hitQuery) this.replaceWithValue(qstart, vstart, objectKeys);
    this.hitQuery ||= prev;
  }

  /** Replace the container's source text with one placeholder bound to its values. */
  private replaceWithValue(qstart: number, vstart: number, objectKeys: readonly string[] | undefined): void {
    const children = this.values.splice(vstart).map((v) => v.raw);
    // Core always decodes these as tagged, so wrapping in @object keeps `@` keys literal.
    const raw = objectKeys === undefined
      ? children
      : new JsonObject(['@object'], [new JsonObject(objectKeys, children)]);
    this.query = this.query.slice(0, qstart) + VALUE_PLACEHOLDER;
    this.values.push({ raw, offset: qstart });
  }

  private readArray(items: JsonValue): void {
    if (!isJsonArray(items)) throw unexpected(items, 'Array Start');
    this.container(() => {
      this.query += '[';
      for (let i = 0; i < items.length; i++) {
        if (i > 0) this.query += ', ';
        this.readPart(items[i]);
      }
      this.query += ']';
      return undefined;
    });
  }

  private readObject(fields: JsonValue): void {
    if (!(fields instanceof JsonObject)) throw unexpected(fields, 'Object Start');
    this.container(() => {
      const { keys, values } = fields;
      // Unlike values, template objects refuse repeated keys (core FQL2Query.decodeObject).
      const seen = keys.length > 1 ? new Set<string>() : undefined;
      this.query += '{ ';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) this.query += ', ';
        if (seen !== undefined) {
          if (seen.has(keys[i])) throw new TemplateSyntaxError(`Duplicate object field \`${keys[i]}\``);
          seen.add(keys[i]);
        }
        this.query += fqlStringLiteral(keys[i]) + ': ';
        this.readPart(values[i]);
      }
      this.query += ' }';
      return keys;
    });
  }
}
