// The /query/1 request body: a JSON object with `query` and optional `arguments`
// (core `FQL2RequestBody`, errors from `FQL2Endpoint.getRequestBody`).
import { isJsonObject, jsonLabel } from '../wire/json-labels';

/** A body error; `message` is the full response message. */
export class InvalidBodyError extends Error {}

export interface QueryBody {
  readonly query: unknown;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** Jackson's default maximum nesting depth (StreamReadConstraints). */
export const MAX_JSON_DEPTH = 1000;

/** Deepest array/object nesting in JSON text, scanning bytes (strings skipped). */
export function jsonDepthExceeds(buf: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

export function parseQueryBody(buf: Buffer): QueryBody {
  if (buf.length === 0) throw new InvalidBodyError('No request body provided');
  if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) throw new InvalidBodyError('Invalid request body: JSON exceeds nesting limit');
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new InvalidBodyError(`Invalid request body: ${(e as Error).message}`);
  }
  if (!isJsonObject(json)) throw new InvalidBodyError(`Invalid request body: Unexpected JSON ${jsonLabel(json)}. Expected Object Start.`);
  if (!('query' in json)) throw new InvalidBodyError("Invalid request body: Missing field 'query'.");
  const args = json.arguments;
  if (args === undefined || args === null) return { query: json.query };
  if (!isJsonObject(args)) throw new InvalidBodyError(`Invalid request body: Unexpected JSON ${jsonLabel(args)}. Expected Object.`);
  return { query: json.query, arguments: args };
}
