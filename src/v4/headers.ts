// v4 request headers (core api/RequestParams.scala, QueryLogContext.scala) and the tracing
// header core sets on every response.
import { randomBytes } from 'node:crypto';
import { InvalidHeaderError, parseTimeoutHeader, parseTimestampHeader } from '../server/query-headers';

const API_VERSIONS = new Set(['2.0', '2.1', '2.7', '2.12', '3', '4', '5', 'UNSTABLE']);

export function checkApiVersion(v: string | undefined): void {
  if (v !== undefined && !API_VERSIONS.has(v)) {
    throw new InvalidHeaderError('x-faunadb-api-version', `Unsupported or invalid API version '${v}'.`);
  }
}

/** X-Query-Timeout: core RequestParams.QueryTimeout, the same rule as v10's `x-query-timeout-ms`. */
export const parseQueryTimeout = (v: string | undefined): number => parseTimeoutHeader('x-query-timeout', v);

/** X-Last-Seen-Txn: core RequestParams.LastSeenTxn, validated only (see parseTimestampHeader). */
export function checkLastSeenTxn(v: string | undefined): void {
  parseTimestampHeader('x-last-seen-txn', v);
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
