// v4 request headers (core api/RequestParams.scala, QueryLogContext.scala) and the tracing
// header core sets on every response.
import { randomBytes } from 'node:crypto';
import { InvalidHeaderError, DEFAULT_QUERY_TIMEOUT_MS, MAX_QUERY_TIMEOUT_MS } from '../server/query-headers';

const API_VERSIONS = new Set(['2.0', '2.1', '2.7', '2.12', '3', '4', '5', 'UNSTABLE']);

export function checkApiVersion(v: string | undefined): void {
  if (v !== undefined && !API_VERSIONS.has(v)) {
    throw new InvalidHeaderError('x-faunadb-api-version', `Unsupported or invalid API version '${v}'.`);
  }
}

function positiveLong(name: string, v: string): bigint {
  if (!/^\d+$/.test(v)) throw new InvalidHeaderError(name, `Invalid number '${v}'.`);
  return BigInt(v);
}

export function parseQueryTimeout(v: string | undefined): number {
  if (v === undefined) return DEFAULT_QUERY_TIMEOUT_MS;
  const n = positiveLong('x-query-timeout', v);
  if (n <= 0n) throw new InvalidHeaderError('x-query-timeout', 'Must be greater than 0.');
  if (n > BigInt(MAX_QUERY_TIMEOUT_MS)) {
    throw new InvalidHeaderError('x-query-timeout', `Must be less than or equal to ${MAX_QUERY_TIMEOUT_MS}.`);
  }
  return Number(n);
}

/** X-Last-Seen-Txn: validated; a single node's snapshot is always at least as new. */
export function checkLastSeenTxn(v: string | undefined): void {
  if (v !== undefined) positiveLong('x-last-seen-txn', v);
}

const TAG_RE = /^[A-Za-z0-9_]+$/;
const MAX_TAGS_BYTES = 3000;
const MAX_TAGS = 25;

/** X-Fauna-Tags `k=v,k2=v2`, echoed in the reverse order core builds it in. */
export function parseTags(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const fail = (why: string) => new InvalidHeaderError('x-fauna-tags', why);
  if (Buffer.byteLength(v) > MAX_TAGS_BYTES) throw fail('invalid tags');
  const pairs = v.split(',');
  if (pairs.length > MAX_TAGS) throw fail('too many tags');
  const seen = new Set<string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 0) throw fail('invalid tags');
    const key = p.slice(0, eq), value = p.slice(eq + 1);
    if (key.length > 40 || !TAG_RE.test(key)) throw fail('invalid key');
    if (value.length > 80 || !TAG_RE.test(value)) throw fail('invalid value');
    if (seen.has(key)) throw fail('duplicate key');
    seen.add(key);
  }
  return pairs.reverse().join(',');
}

const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The response's traceparent: the request's trace id (flags reset), or a fresh context. */
export function responseTraceparent(v: string | undefined): string {
  const m = v === undefined ? null : TRACEPARENT_RE.exec(v);
  const traceId = m && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString('hex');
  return `00-${traceId}-${randomBytes(8).toString('hex')}-00`;
}
