// Names of JSON token kinds as core's JSON decoder reports them in "Unexpected JSON <kind>."
// messages (fauna codex `JSONTypes`), so that request-body errors read like Fauna's.
import { JsonNumber, JsonObject, type JsonValue } from './json-reader';

/** The label of the token a read JSON value starts with. */
export function jsonLabel(v: JsonValue): string {
  if (v === null) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (v instanceof JsonNumber) return v.isInteger ? 'Integer' : 'Double';
  if (v instanceof JsonObject) return 'Object Start';
  return 'Array Start';
}
