// Response bodies of /query/1 in core's field order (`FQL2Response`):
//   success: data, summary, txn_ts, stats, query_tags?, schema_version
//   query failure (400): error{code, message, constraint_failures?, abort?}, summary, txn_ts,
//                        stats, query_tags?, schema_version
import type { QueryError, QueryCheckError } from '../fql/errors';
import type { QueryInfo, QueryStatsOut } from '../exec/query-service';
import type { MValue } from '../wire/materialized';
import { type ValueFormat, encodeValueJson } from '../wire/encode';
import type { ResponseReport, ServerResponse } from './http-types';
import { jsonResponse } from './responses';

const q = JSON.stringify;

function statsJson(s: QueryStatsOut): string {
  return `{"compute_ops":${s.compute_ops},"read_ops":${s.read_ops},"write_ops":${s.write_ops},` +
    `"query_time_ms":${s.query_time_ms},"contention_retries":${s.contention_retries},` +
    `"storage_bytes_read":${s.storage_bytes_read},"storage_bytes_write":${s.storage_bytes_write},` +
    `"rate_limits_hit":${q(s.rate_limits_hit)}}`;
}

function opsOf(s: QueryStatsOut): ResponseReport['ops'] {
  return { compute: s.compute_ops, read: s.read_ops, write: s.write_ops };
}

function infoJson(summary: string, info: QueryInfo, tags: string | undefined): string {
  let out = `,"summary":${q(summary)},"txn_ts":${info.txnTs},"stats":${statsJson(info.stats)}`;
  if (tags !== undefined) out += `,"query_tags":${q(tags)}`;
  return out + `,"schema_version":${info.schemaVersion}}`;
}

export function successResponse(format: ValueFormat, data: MValue, info: QueryInfo, tags: string | undefined): ServerResponse {
  const body = `{"data":${encodeValueJson(format, data)}` + infoJson(info.summaryLines.join('\n\n'), info, tags);
  return { ...jsonResponse(200, body), report: { ops: opsOf(info.stats) } };
}

export function queryErrorResponse(
  format: ValueFormat,
  error: QueryError | QueryCheckError,
  summary: string,
  abort: MValue | undefined,
  info: QueryInfo,
  tags: string | undefined,
): ServerResponse {
  let err = `{"code":${q(error.code)},"message":${q(error.message)}`;
  const failures = 'extra' in error ? error.extra.constraintFailures : undefined;
  if (failures !== undefined && failures.length > 0) {
    err += `,"constraint_failures":${q(failures.map((f) => ({ paths: f.paths, message: f.message })))}`;
  }
  // The driver only builds an AbortError when `abort` is present, even for a null value.
  if (abort !== undefined) err += `,"abort":${encodeValueJson(format, abort)}`;
  else if (error.code === 'abort') err += ',"abort":null';
  const res = jsonResponse(400, `{"error":${err}}` + infoJson(summary, info, tags));
  return { ...res, report: { errorCode: error.code, ops: opsOf(info.stats) } };
}

/**
 * A check failure found before the query ran (an undecodable template value). No transaction
 * exists, so txn_ts, stats and schema_version are left out.
 */
export function earlyCheckErrorResponse(summary: string, tags: string | undefined): ServerResponse {
  let body = `{"error":{"code":"invalid_query","message":"The query failed 1 validation check"},"summary":${q(summary)}`;
  if (tags !== undefined) body += `,"query_tags":${q(tags)}`;
  return { ...jsonResponse(400, body + '}'), report: { errorCode: 'invalid_query' } };
}
