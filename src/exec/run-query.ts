// Runs one FQL v10 query as one transaction: authenticate, parse (cached), evaluate,
// materialise the result while the transaction is still open, commit. Serialization conflicts
// retry the whole query up to x-max-contention-retries times; every failure rolls back.
import { pathLabel } from '../model/definitions/field-path';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CommitAnswer, CommitRerun, KvEngine } from '../storage/kv';
import { KvConflictError, KvReadOnlyError } from '../storage/kv';
import type { Query } from '../fql/ast/nodes';
import { QUERY_ORIGIN, QueryCheckError, QueryError, QueryTimeout, isStackOverflow, type StoredSource } from '../fql/errors';
import type { EvalContext, QueryStats } from '../fql/eval/context';
import { parseQuery } from '../fql/parse/parse';
import { ParseCache } from '../fql/parse/parse-cache';
import { evaluateQuery } from '../fql/eval/evaluate';
import { renderFrame, renderLog, renderSummary, QUERY_SOURCE, SourceLines } from '../fql/summary';
import { ComputeLimitExceeded, MAX_STRING_SIZE, TransactionTooLarge } from '../fql/limits';
import { OUT_OF_MEMORY, QueryMemoryExceeded, checkHeap } from '../fql/memory-guard';
import { ReadBelowMinValidTime } from '../model/temporal/min-valid-time';
import { materialize } from '../wire/materialize';
import type { MValue } from '../wire/materialized';
import type { Credentials } from '../auth/credentials';
import { beginAttempt, newStats } from './attempt';
import { COMMIT_BUDGET_MS, timeoutFailure } from './timeouts';
import type { QueryInfo, QueryOutcome, QueryRequest, QueryService, QueryStatsOut } from './query-service';

/** Query texts remembered as writers. */
const WRITER_MEMO_SIZE = 2000;

export interface QueryServiceOptions {
  readonly engine: KvEngine;
  /**
   * True when the secret is a root secret. Other secrets (keys, tokens) are looked up in
   * storage, inside each query's own transaction.
   */
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

const UNAUTHORIZED: QueryOutcome = {
  kind: 'protocolError', status: 401, code: 'unauthorized', message: 'Access token required',
};

function statsOut(s: QueryStats, startedAt: number, kv: { bytesRead: number; bytesWritten: number }): QueryStatsOut {
  return {
    compute_ops: Math.max(1, s.computeOps),
    read_ops: s.readOps,
    write_ops: s.writeOps,
    query_time_ms: Math.round(performance.now() - startedAt),
    contention_retries: s.contentionRetries,
    storage_bytes_read: kv.bytesRead,
    storage_bytes_write: kv.bytesWritten,
    rate_limits_hit: [],
  };
}

function timeoutOutcome(req: QueryRequest, startedAt: number): QueryOutcome {
  return { kind: 'protocolError', ...timeoutFailure(req.timeoutMs, performance.now() - startedAt) };
}


/** The summary line Fauna shows for a runtime failure, listing constraint failures. */
function failureMessage(e: QueryError): string {
  const failures = e.extra.constraintFailures;
  if (!failures || failures.length === 0) return e.message;
  const lines = failures.map((f) => {
    const label = f.paths.map((p) => pathLabel(p)).join(',');
    return `  ${label ? `${label}: ` : ''}${f.message.replace(/\n/g, '\n      ')}`;
  });
  return `${e.message}\nconstraint failures:\n${lines.join('\n')}`;
}

/**
 * (ours) Characters of summary the log lines, and separately an error's trace frames, may fill.
 * Each log line and each frame repeats its whole source line, so a short query could make a
 * summary of any size (found by probing, session 16: 500 `log("")` on one 100 KB line made a
 * 100 MB response; two mutually recursive UDFs on 40 KB lines, 82 MB). Core renders them all;
 * past this, the rest are counted in one closing line instead.
 */
export const SUMMARY_LIMIT = MAX_STRING_SIZE;

/**
 * The rendered items while they fit in SUMMARY_LIMIT (`used`: characters already taken), then a
 * count of the rest, which are not rendered at all.
 */
function withinSummaryLimit<T>(items: readonly T[], render: (item: T) => string, what: string, used = 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const block = render(items[i]);
    if (used + block.length > SUMMARY_LIMIT) {
      out.push(`(${items.length - i} more ${what} omitted: the summary is limited to ${SUMMARY_LIMIT} characters)`);
      break;
    }
    used += block.length + 2;
    out.push(block);
  }
  return out;
}

/** A query's `log()` lines, placed in its source split into lines once for all of them. */
function logLines(source: string, logs: EvalContext['logs']): string[] {
  if (logs.length === 0) return [];
  const lines = new SourceLines(source);
  return withinSummaryLimit(logs, (l) => renderLog(lines, l.text, l.span), 'log lines');
}

/** The error's block (in the query or in the stored code it came from), then its trace frames. */
function renderError(query: string, e: QueryError, message: string): string {
  // Each source is split into lines once: a deep trace places thousands of frames in one body.
  const split = new Map<string, SourceLines>();
  const text = (o: StoredSource | undefined): SourceLines => {
    const raw = o === undefined || o === QUERY_ORIGIN ? query : o.text;
    let lines = split.get(raw);
    if (!lines) split.set(raw, (lines = new SourceLines(raw)));
    return lines;
  };
  const blocks = [renderSummary(text(e.origin), [{ message, span: e.span! }], 'error', e.origin?.name ?? QUERY_SOURCE)];
  const line = (o: StoredSource | undefined, offset: number): number => text(o).lineCol(offset).line;
  // Like Fauna (hints and trace frames render as hints of the error), a block on the error's own
  // line of the same source omits its `at` line.
  const frameOf = (o: StoredSource | undefined, span: NonNullable<QueryError['span']>): string => {
    const frame = renderFrame(text(o), span, o?.name ?? QUERY_SOURCE).split('\n');
    const sameLine = ((o?.name ?? QUERY_SOURCE) === (e.origin?.name ?? QUERY_SOURCE)) && line(o, span.start) === line(e.origin, e.span!.start);
    return (sameLine ? frame.slice(1) : frame).join('\n');
  };
  for (const hint of e.hints) {
    const h = hint.span ? { span: hint.span, origin: hint.origin ?? QUERY_ORIGIN } : { span: e.span!, origin: e.origin ?? QUERY_ORIGIN };
    blocks.push(`hint: ${hint.message}\n${frameOf(h.origin, h.span)}`);
  }
  if (e.hints.length > 0 && e.trace.some((f) => f.span !== undefined)) blocks.push('trace:');
  // A recursion (stack_overflow) shows each distinct frame once, not thousands of times: a frame
  // renders as the previous one when it is at the same place of the same source.
  const frames: { origin: StoredSource | undefined; span: NonNullable<QueryError['span']> }[] = [];
  for (const f of e.trace) {
    if (f.span === undefined) continue;
    const last = frames[frames.length - 1];
    const same = last !== undefined && (last.origin?.name ?? QUERY_SOURCE) === (f.origin?.name ?? QUERY_SOURCE)
      && last.span.start === f.span.start && last.span.end === f.span.end;
    if (!same) frames.push({ origin: f.origin, span: f.span });
  }
  const used = blocks.reduce((n, b) => n + b.length + 1, 0);
  return [...blocks, ...withinSummaryLimit(frames, (f) => frameOf(f.origin, f.span), 'trace frames', used)].join('\n');
}

async function failureOutcome(
  e: unknown, req: QueryRequest, ctx: EvalContext, info: () => Promise<QueryInfo>, startedAt: number,
): Promise<QueryOutcome> {
  if (e instanceof ComputeLimitExceeded || e instanceof TransactionTooLarge || e instanceof ReadBelowMinValidTime) {
    return { kind: 'protocolError', status: 400, code: 'invalid_request', message: e.limitMessage };
  }
  // Answered as a worker that ran out of memory is (pooled-handlers.ts).
  if (e instanceof QueryMemoryExceeded) return { kind: 'protocolError', status: 500, code: 'internal_error', message: OUT_OF_MEMORY };
  if (e instanceof QueryTimeout) return timeoutOutcome(req, startedAt);
  if (isStackOverflow(e)) {
    // Deeply nested values or expressions exhausted the JavaScript stack somewhere below the
    // evaluator's own frame limit.
    e = new QueryError('stack_overflow', 'Stack overflow.', { start: 0, end: Math.min(1, req.source.length) });
  }
  if (e instanceof QueryCheckError) {
    return { kind: 'queryError', error: e, summary: renderSummary(req.source, e.diagnostics), info: await info() };
  }
  if (e instanceof QueryError) {
    const message = failureMessage(e);
    const summary = e.span ? renderError(req.source, e, message) : `error: ${message}`;
    const abort = e.code === 'abort' && e.extra.abort !== undefined
      ? await materialize(ctx, e.extra.abort).catch(() => undefined)
      : undefined;
    return { kind: 'queryError', error: e, summary, abort, info: await info() };
  }
  process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return {
    kind: 'protocolError', status: 500, code: 'internal_error',
    message: `${(e as Error)?.message ?? 'Unexpected error'}. Please create a ticket at https://support.fauna.com`,
  };
}

/**
 * Query texts that turned out to write. Queries start read-only (on PostgreSQL a read-only
 * transaction does not queue behind writers); one that writes is restarted read-write once and
 * remembered, so later runs of the same text start read-write.
 */
class WriterMemo {
  private readonly set = new Set<string>();
  has(source: string): boolean { return this.set.has(WriterMemo.key(source)); }
  add(source: string): void {
    if (this.set.size >= WRITER_MEMO_SIZE) this.set.clear();
    this.set.add(WriterMemo.key(source));
  }
  /** Long texts are remembered by digest, so the memo stays small whatever is sent. */
  private static key(source: string): string {
    return source.length <= 1024 ? source : `#${createHash('sha256').update(source).digest('base64')}`;
  }
}

/**
 * The success response to send with the commit, if the caller builds one. A response that
 * cannot be built (an encoding failure) is left to the caller after the commit, as without.
 */
function answerOf(req: QueryRequest, data: MValue, info: QueryInfo): CommitAnswer | undefined {
  try {
    return req.answer?.(data, info);
  } catch {
    return undefined;
  }
}

function contended(detail: string): QueryOutcome {
  return {
    kind: 'protocolError', status: 409, code: 'contended_transaction',
    message: `Transaction was aborted due to detection of concurrent modifications to ${detail}.`,
  };
}

export function createQueryService(opts: QueryServiceOptions): QueryService {
  // Bounded by bytes, and reached only by authenticated callers (src/fql/parse/parse-cache.ts).
  const cache = new ParseCache<Query>(parseQuery);
  const writers = new WriterMemo();

  async function run(req: QueryRequest): Promise<QueryOutcome> {
    // A run again after a handed-off commit conflicted counts from where the runs before it left off.
    const counted = req.rerun?.counted;
    const startedAt = counted !== undefined ? counted.startedAtEpoch - performance.timeOrigin : performance.now();
    const isRoot = await opts.isRoot(req.credentials);
    // Parsed only once the caller is authenticated: an anonymous client must not be able to
    // make the server parse (and cache) megabytes of query text.
    let parsed: Query | QueryCheckError | undefined;
    const stats = newStats();
    const first = req.rerun?.attempt ?? 0;
    stats.contentionRetries = first;
    if (counted !== undefined) {
      stats.computeOps = counted.computeOps;
      stats.readOps = counted.readOps;
      stats.writeOps = counted.writeOps;
    }
    let readOnly = req.rerun?.readWrite !== true && !writers.has(req.source);
    for (let attempt = first; ; attempt++) {
      const begun = await beginAttempt(opts.engine, {
        credentials: req.credentials, isRoot, readOnly, deadline: req.deadline, stats,
        // A read may be served by a read replica, never older than what the client has seen.
        minTs: req.lastTxnTs ?? 0n,
        source: req.source, templateValues: req.templateValues, arguments: req.arguments,
      });
      if (!begun) return UNAUTHORIZED;
      const { kv, model, ctx } = begun;
      const info = async (): Promise<QueryInfo> => ({
        txnTs: kv.ts,
        schemaVersion: await model.schemaVersion().catch(() => 0n),
        stats: statsOut(stats, startedAt, kv.stats),
        summaryLines: logLines(req.source, ctx.logs),
      });
      try {
        parsed ??= cache.get(req.source);
        if (parsed instanceof QueryCheckError) throw parsed;
        // With typechecking off (the default, as in Fauna's local image) unbound names fail at
        // run time, only when reached.
        const value = await evaluateQuery(parsed, ctx, { checkUnbound: req.typecheck === true });
        const data = await materialize(ctx, value);
        // The response's JSON is the largest allocation left: room for it, or a clean failure.
        checkHeap();
        const done = await info();
        if (performance.now() + COMMIT_BUDGET_MS > req.deadline) throw new QueryTimeout();
        const answer = kv.commitAnswering !== undefined ? answerOf(req, data, done) : undefined;
        if (answer !== undefined) {
          // With retries left, the engine may hand the commit off (if its host can run the request
          // again: local-read-kv.ts): the host then runs it again if it conflicts, and this
          // worker is free at once instead of waiting for the fsync.
          const rerun: CommitRerun | undefined = attempt < req.maxContentionRetries ? {
            attempt: attempt + 1, readWrite: !readOnly,
            counted: { computeOps: stats.computeOps, readOps: stats.readOps, writeOps: stats.writeOps, startedAtEpoch: performance.timeOrigin + startedAt },
          } : undefined;
          await kv.commitAnswering!(answer, rerun);
          return { kind: 'ok', data, info: done, answered: true };
        }
        await kv.commit();
        return { kind: 'ok', data, info: done };
      } catch (e) {
        if (e instanceof KvReadOnlyError && readOnly) {
          await kv.rollback();
          writers.add(req.source);
          readOnly = false;
          attempt--;
          continue;
        }
        let conflict: string | undefined;
        let outcome: QueryOutcome | undefined;
        if (e instanceof KvConflictError) {
          await kv.rollback();
          conflict = e.detail;
        } else {
          // Materialise what the failure carries (an abort value may hold documents) before the
          // transaction goes away.
          outcome = await failureOutcome(e, req, ctx, info, startedAt);
          // A query failure computed from reads a concurrent commit had already changed (say a
          // unique check that saw the row another upsert just created, after this query found
          // none) is the outcome of no serial order: retry it like a conflict at commit, as
          // Fauna's snapshot reads plus OCC would.
          if (e instanceof QueryError) conflict = await kv.rollbackStale();
          else await kv.rollback();
        }
        if (conflict === undefined) return outcome!;
        if (attempt < req.maxContentionRetries) { stats.contentionRetries++; continue; }
        return contended(conflict);
      }
    }
  }

  return { run };
}
