// The wire side of v4 `/stream` that the coordinator needs without the query runtime: the
// `fields` parameter (core EventField, StreamEndpoint parseEventFields), the job token that
// carries the expression to the query workers, and the protocol events the hub writes itself
// (`start`, `error`: core EventEncoder), as its StreamDialect.
import type { StreamDialect } from '../../streams/stream-hub';
import type { Json } from '../json';

export type V4Field = 'action' | 'document' | 'diff' | 'prev' | 'index';

const ALL_FIELDS: readonly V4Field[] = ['action', 'document', 'diff', 'prev', 'index'];
/** Without `?fields=` (core EventField.Defaults). */
export const DEFAULT_FIELDS: readonly V4Field[] = ['action', 'document'];

/** `?fields=a,b` (core StreamEndpoint parseEventFields): the fields, or the first bad name. */
export function parseFields(param: string | null): { fields: V4Field[] } | { bad: string } {
  if (param === null) return { fields: [...DEFAULT_FIELDS] };
  const out = new Set<V4Field>();
  for (const name of param.split(',')) {
    const f = name.trim();
    if (!(ALL_FIELDS as readonly string[]).includes(f)) return { bad: f };
    out.add(f as V4Field);
  }
  return { fields: ALL_FIELDS.filter((f) => out.has(f)) };
}

/** `{"type":"start","txn":ts,"event":ts}`: the stream sees the transactions after `ts`. */
export const startEvent = (ts: bigint): string => `{"type":"start","txn":${ts},"event":${ts}}`;

export const errorEvent4 = (ts: bigint, code: string, description: string): string =>
  `{"type":"error","txn":${ts},"event":${JSON.stringify({ code, description })}}`;

/** A v4 stream's job token: the expression and the event fields (made by the coordinator, endpoint.ts). */
export interface V4StreamToken {
  readonly expr: Json;
  readonly fields: readonly V4Field[];
}

/** Tells v4 stream tokens from v10 event source tokens (src/streams/token.ts). */
const MAGIC = 'fqlv4s1';

export function encodeV4StreamToken(t: V4StreamToken): string {
  return Buffer.from(JSON.stringify({ k: MAGIC, expr: t.expr, fields: t.fields })).toString('base64url');
}

/** Every v4 token's text starts so (15 bytes, a whole number of base64 groups): v10 tokens are not decoded twice. */
const PREFIX = Buffer.from(`{"k":"${MAGIC}",`).toString('base64url');

export function decodeV4StreamToken(text: string): V4StreamToken | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  let j: unknown;
  try {
    j = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof j !== 'object' || j === null || (j as { k?: unknown }).k !== MAGIC) return undefined;
  const o = j as { expr: Json; fields: V4Field[] };
  return { expr: o.expr, fields: o.fields };
}

export const V4_PERMISSION_LOST = { code: 'permission denied', description: 'Authorization lost during stream evaluation.' };

/** v10 spelling (`time_out`) to core's v4 one (`time out`). */
const v4Code = (code: string): string => (code === 'internal_error' ? 'internal server error' : code.replace(/_/g, ' '));

/** Errors the hub itself reports (worker failures, overflow) carry the time they were noticed. */
export const V4_DIALECT: StreamDialect = {
  error: (code, message) => errorEvent4(BigInt(Date.now()) * 1000n, v4Code(code), message),
};
