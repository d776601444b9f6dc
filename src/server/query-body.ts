// The /query/1 request body: a JSON object with `query` and optional `arguments`
// (core `FQL2RequestBody`, errors from `FQL2Endpoint.getRequestBody`). Read with our own JSON
// reader so member order, duplicate keys and exact numbers reach the decoders as Fauna sees them.
import { jsonLabel } from '../wire/json-labels';
import { JsonNestingError, JsonObject, JsonSyntaxError, type JsonValue, readJson } from '../wire/json-reader';

/** A body error; `message` is the full response message. */
export class InvalidBodyError extends Error {}

export interface QueryBody {
  readonly query: JsonValue;
  /** Argument name → raw value; a repeated name keeps its first position and last value. */
  readonly arguments?: ReadonlyMap<string, JsonValue>;
}

function readBodyJson(buf: Buffer): JsonValue {
  try {
    return readJson(buf.toString('utf8'));
  } catch (e) {
    if (e instanceof JsonNestingError) throw new InvalidBodyError('Invalid request body: JSON exceeds nesting limit');
    if (e instanceof JsonSyntaxError) throw new InvalidBodyError(`Invalid request body: ${e.message}`);
    throw e;
  }
}

export function parseQueryBody(buf: Buffer): QueryBody {
  if (buf.length === 0) throw new InvalidBodyError('No request body provided');
  const json = readBodyJson(buf);
  if (!(json instanceof JsonObject)) throw new InvalidBodyError(`Invalid request body: Unexpected JSON ${jsonLabel(json)}. Expected Object Start.`);
  const query = json.get('query');
  // Core's record decoder fails a missing field with no JSON parse error to quote, so the
  // message has no detail (FQL2Endpoint.getRequestBody, FQL2BasicSpec "returns invalid request").
  if (query === undefined) throw new InvalidBodyError('Invalid request body');
  const args = json.get('arguments');
  if (args === undefined || args === null) return { query };
  if (!(args instanceof JsonObject)) throw new InvalidBodyError(`Invalid request body: Unexpected JSON ${jsonLabel(args)}. Expected Object.`);
  return { query, arguments: args.toMap() };
}
