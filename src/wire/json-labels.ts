// Names of JSON token kinds as core's JSON decoder reports them in "Unexpected JSON <kind>."
// messages (fauna codex `JSONTypes`), so that request-body errors read like Fauna's.

/** The label of the token a parsed JSON value starts with. */
export function jsonLabel(v: unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'Array Start';
  switch (typeof v) {
    case 'string': return 'String';
    case 'boolean': return 'Boolean';
    case 'number': return Number.isInteger(v) ? 'Integer' : 'Double';
    default: return 'Object Start';
  }
}

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
