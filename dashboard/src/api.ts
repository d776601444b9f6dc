// The dashboard's only way to the server: the public endpoints (/query/1, /schema/1/*,
// /metrics) with the signed-in secret, scoped to a database and role with Fauna's
// `secret:db/path:role` syntax (src/auth/secret-parse.ts). There is no privileged back door:
// what the dashboard shows obeys the same permissions as the drivers.
import type { HistoryJson, HistoryPoint } from '../../src/server/metrics/history';

/** Who a request runs as, relative to the signed-in secret. */
export type RunAs =
  | { kind: 'builtin'; role: 'admin' | 'server' | 'server-readonly' }
  | { kind: 'role'; name: string }
  | { kind: 'doc'; coll: string; id: string }
  | { kind: 'secret'; secret: string };

export const ADMIN: RunAs = { kind: 'builtin', role: 'admin' };

/** The secret for `path` (database names from the signed-in secret's database) run as `as`. */
export function scopedSecret(signedIn: string, path: readonly string[], as: RunAs): string {
  if (as.kind === 'secret') return as.secret;
  // A signed-in secret may itself be scoped (`s:db:role`): keep its database, replace its role.
  const [base, ...scope] = signedIn.split(':');
  const basePath = scope.length >= 2 ? scope[0].split('/').filter(Boolean) : [];
  const full = [...basePath, ...path];
  const role = as.kind === 'builtin' ? as.role : as.kind === 'role' ? `@role/${as.name}` : `@doc/${as.coll}/${as.id}`;
  if (full.length === 0 && as.kind === 'builtin' && as.role === 'admin' && scope.length === 0) return signedIn;
  return full.length ? `${base}:${full.join('/')}:${role}` : `${base}:${role}`;
}

/** A failure to talk to the server at all (down, restarting, network). */
export class NetworkError extends Error {}

export type Format = 'decorated' | 'tagged' | 'simple';

export interface QueryStats {
  readonly compute_ops: number;
  readonly read_ops: number;
  readonly write_ops: number;
  readonly query_time_ms: number;
  readonly [k: string]: unknown;
}

export interface QueryError {
  readonly code: string;
  readonly message: string;
  readonly abort?: unknown;
  readonly constraint_failures?: { paths: unknown[]; message: string }[];
}

/** A /query/1 answer: success has `data`, failure has `error`. */
export interface QueryReply<T = unknown> {
  readonly status: number;
  readonly data?: T;
  readonly error?: QueryError;
  readonly summary?: string;
  readonly txn_ts?: number;
  readonly stats?: QueryStats;
  readonly static_type?: string;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    throw new NetworkError(`Cannot reach the server (${e instanceof Error ? e.message : String(e)}). Is it running? Nothing you typed was lost; try again.`);
  }
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: `http_${res.status}`, message: text || res.statusText } };
  }
}

/** POST /query/1. Arguments are plain JSON (strings, numbers, booleans, arrays, objects). */
export async function query<T = unknown>(
  secret: string, fql: string, opts: { format?: Format; args?: Record<string, unknown>; typecheck?: boolean } = {},
): Promise<QueryReply<T>> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${secret}`,
    'content-type': 'application/json',
    'x-format': opts.format ?? 'simple',
  };
  if (opts.typecheck !== undefined) headers['x-typecheck'] = String(opts.typecheck);
  const body: Record<string, unknown> = { query: fql };
  if (opts.args) body.arguments = opts.args;
  const res = await send('/query/1', { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, ...(await json(res)) };
}

/** An error from a helper query, carrying the server's reply. */
export class QueryFailed extends Error {
  constructor(readonly reply: QueryReply) {
    super(describeError(reply));
  }
}

/** One line a person can act on, for any failed reply. */
export function describeError(reply: QueryReply): string {
  const e = reply.error;
  if (!e) return `HTTP ${reply.status}`;
  if (reply.status === 401) return `${e.code}: ${e.message} — the secret was rejected (revoked, expired or mistyped?). Sign in again.`;
  // A constraint failure's message only says what failed ("Failed to create AccessProvider.");
  // the why is in its failures, one per field, worded by the server.
  const failures = (e.constraint_failures ?? []).map((f) => {
    const path = f.paths.map((p) => (Array.isArray(p) ? p.join('.') : String(p))).filter(Boolean).join(', ');
    return `\n${path ? `${path}: ` : ''}${f.message}`;
  });
  return `${e.code}: ${e.message}${failures.join('')}`;
}

/** Runs a query and returns its data, throwing QueryFailed on any error. */
export async function data<T = unknown>(secret: string, fql: string, args?: Record<string, unknown>): Promise<T> {
  const r = await query<T>(secret, fql, { format: 'simple', args });
  if (r.error || r.status !== 200) throw new QueryFailed(r);
  return r.data as T;
}

// ---- /schema/1 ---------------------------------------------------------------------------

export interface SchemaReply {
  readonly status: number;
  readonly version?: number;
  readonly files?: { filename: string }[];
  readonly content?: string;
  readonly diff?: string;
  readonly status_?: string;
  readonly pending_summary?: string;
  readonly error?: { message: string; code?: string };
  readonly [k: string]: unknown;
}

export class SchemaFailed extends Error {
  constructor(readonly reply: SchemaReply) {
    super(reply.error?.message ?? `HTTP ${reply.status}`);
  }
}

export async function schema(
  secret: string, method: 'GET' | 'POST', path: string, params: Record<string, string> = {}, files?: Record<string, string>,
): Promise<SchemaReply> {
  const qs = new URLSearchParams(params).toString();
  let body: FormData | undefined;
  if (files) {
    body = new FormData();
    for (const [name, content] of Object.entries(files)) body.set(name, new Blob([content]), 'blob');
  }
  const res = await send(`/schema/1${path}${qs ? `?${qs}` : ''}`, { method, body, headers: { authorization: `Bearer ${secret}` } });
  const parsed = await json(res);
  // The schema API's `status` field (staged status) would clash with the HTTP status.
  const { status, ...rest } = parsed;
  const reply: SchemaReply = { ...rest, status: res.status, status_: status };
  if (res.status !== 200) throw new SchemaFailed(reply);
  return reply;
}

// ---- /metrics ---------------------------------------------------------------------------

/** One 10-second bucket: the server's own contract (src/server/metrics/history.ts). */
export type MetricsPoint = HistoryPoint;

export type MetricsReply =
  | { kind: 'ok'; interval_s: number; points: MetricsPoint[] }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'absent' }
  | { kind: 'failed'; message: string };

export async function metrics(secret: string): Promise<MetricsReply> {
  const res = await send('/metrics?format=json', { headers: { authorization: `Bearer ${secret}` } });
  if (res.status === 200) {
    const body = await res.json() as HistoryJson;
    return { kind: 'ok', interval_s: body.interval_s, points: body.points };
  }
  const body = await json(res);
  const message: string = body?.error?.message ?? body?.errors?.[0]?.description ?? res.statusText;
  if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', message };
  if (res.status === 404) return { kind: 'absent' };
  return { kind: 'failed', message: `HTTP ${res.status}: ${message}` };
}
