// The metrics report (ResponseReport) of FQL v4 responses. The v4 endpoint states its stats in
// core's response headers (x-compute-ops, x-byte-read-ops, x-byte-write-ops) and its errors in
// a small `{"errors":[{code, …}]}` body; this reads them back here, in the query worker, so the
// coordinator only counts.
import type { Handler, ResponseReport, ServerResponse } from '../server/http-types';

function opsOf(h: Readonly<Record<string, string>> | undefined): ResponseReport['ops'] {
  const compute = h?.['x-compute-ops'];
  if (compute === undefined) return undefined;
  const n = (v: string | undefined): number => Number(v) || 0;
  return { compute: n(compute), read: n(h?.['x-byte-read-ops']), write: n(h?.['x-byte-write-ops']) };
}

/** The first error's code (the one drivers show). */
function errorCodeOf(res: ServerResponse): string | undefined {
  if (res.status < 400 || typeof res.body !== 'string') return undefined;
  try {
    const code: unknown = (JSON.parse(res.body) as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function v4Report(res: ServerResponse): ResponseReport | undefined {
  const ops = opsOf(res.headers);
  const errorCode = errorCodeOf(res);
  return ops === undefined && errorCode === undefined ? undefined : { errorCode, ops };
}

/** `handler` with the report of each response it gives, unless it set one itself. */
export function withV4Report(handler: Handler): Handler {
  return async (req) => {
    const res = await handler(req);
    return res.report !== undefined ? res : { ...res, report: v4Report(res) };
  };
}
