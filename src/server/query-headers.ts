// Request headers of /query/1 (core `RequestParams`, `QueryLogTags`), with core's exact error
// texts. Each parser throws InvalidHeaderError, rendered as 400 invalid_request.
import { parseLong } from '../fql/values/long-text';
import type { ValueFormat } from '../wire/encode';

export class InvalidHeaderError extends Error {
  constructor(header: string, reason: string) {
    super(`Invalid header '${header}': ${reason}`);
  }
}

/** x-query-timeout-ms when absent (core `DefaultQueryTimeout`, 2 minutes). */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
/** Core `MaximumQueryTimeoutMillis` (10 minutes). */
export const MAX_QUERY_TIMEOUT_MS = 600_000;
/** Contention retries when x-max-contention-retries is absent. */
export const DEFAULT_MAX_CONTENTION_RETRIES = 3;


/** Scala `toBooleanOption`: "true"/"false" in any case. */
function toBoolean(s: string): boolean | undefined {
  const l = s.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

function parseBooleanHeader(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const b = toBoolean(v);
  if (b === undefined) throw new InvalidHeaderError(name, 'Must be a boolean value.');
  return b;
}

export function parseFormat(v: string | undefined): ValueFormat {
  if (v === undefined) return 'simple';
  if (v === 'simple' || v === 'tagged' || v === 'decorated') return v;
  throw new InvalidHeaderError('x-format', `Invalid format ${v}`);
}

export function parseTypecheck(v: string | undefined): boolean | undefined {
  return parseBooleanHeader('x-typecheck', v);
}

export function parseLinearized(v: string | undefined): boolean {
  return parseBooleanHeader('x-linearized', v) ?? false;
}

export function parsePerformanceHints(v: string | undefined): boolean {
  return parseBooleanHeader('x-performance-hints', v) ?? false;
}

/** Core RequestParams.AbstractTimeout: `x-query-timeout-ms` (FQL v10) and `x-query-timeout` (v4). */
export function parseTimeoutHeader(name: string, v: string | undefined): number {
  if (v === undefined) return DEFAULT_QUERY_TIMEOUT_MS;
  const n = parseLong(v);
  if (n === undefined) throw new InvalidHeaderError(name, `Invalid number '${v}'.`);
  if (n <= 0n) throw new InvalidHeaderError(name, 'Must be greater than 0.');
  if (n > BigInt(MAX_QUERY_TIMEOUT_MS)) {
    throw new InvalidHeaderError(name, `Must be less than or equal to ${MAX_QUERY_TIMEOUT_MS}.`);
  }
  return Number(n);
}

export const parseQueryTimeoutMs = (v: string | undefined): number => parseTimeoutHeader('x-query-timeout-ms', v);

export function parseMaxContentionRetries(v: string | undefined): number {
  if (v === undefined) return DEFAULT_MAX_CONTENTION_RETRIES;
  const n = parseLong(v);
  if (n === undefined || n < -(2n ** 31n) || n >= 2n ** 31n) {
    throw new InvalidHeaderError('x-max-contention-retries', `Invalid number '${v}'.`);
  }
  if (n < 0n || n > 7n) throw new InvalidHeaderError('x-max-contention-retries', 'Must be between 0 and 7.');
  return Number(n);
}

/**
 * Core RequestParams.LastTxnTs (FQL v10 `x-last-txn-ts`) and LastSeenTxn (v4 `x-last-seen-txn`):
 * any Long, as µs. A time beyond the clock is harmless: it only picks which replica may serve a
 * read (a single node's snapshot is always at least as new), it never moves the clock.
 */
export function parseTimestampHeader(name: string, v: string | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const n = parseLong(v);
  if (n === undefined) throw new InvalidHeaderError(name, `Invalid timestamp '${v}'.`);
  return n;
}

export const parseLastTxnTs = (v: string | undefined): bigint | undefined => parseTimestampHeader('x-last-txn-ts', v);

// x-query-tags limits (core config defaults).
const TAGS_MAX_HEADER = 3000;
const TAGS_MAX_PAIRS = 25;
const TAG_KEY_MAX = 40;
const TAG_VALUE_MAX = 80;
const TAGS_RE = /^[A-Za-z0-9_]+=[A-Za-z0-9_]+(?:,[A-Za-z0-9_]+=[A-Za-z0-9_]+)*$/;

/**
 * Parse `k1=v1,k2=v2` into the tag string echoed as `query_tags`, or undefined when there
 * are none. Core validates pairs right to left (a foldRight) and re-serialises its map, which
 * therefore lists the pairs in reverse order; that order is kept.
 */
export function parseQueryTags(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > TAGS_MAX_HEADER) throw new InvalidHeaderError('x-query-tags', 'header is too long');
  if (v === '') return undefined;
  if (!TAGS_RE.test(v)) throw new InvalidHeaderError('x-query-tags', 'invalid tags');
  const pairs = v.split(',');
  if (pairs.length > TAGS_MAX_PAIRS) throw new InvalidHeaderError('x-query-tags', 'too many tags');
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = pairs.length - 1; i >= 0; i--) {
    const [k, val] = pairs[i].split('=');
    if (k.length > TAG_KEY_MAX) throw new InvalidHeaderError('x-query-tags', 'invalid key');
    if (val.length > TAG_VALUE_MAX) throw new InvalidHeaderError('x-query-tags', 'invalid value');
    if (seen.has(k)) throw new InvalidHeaderError('x-query-tags', 'duplicate key');
    seen.add(k);
    out.push(pairs[i]);
  }
  return out.join(',');
}
