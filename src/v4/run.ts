// Runs one v4 request as one storage transaction, like src/exec/run-query.ts does for v10:
// authenticate inside the transaction, evaluate, render the result while the transaction is
// open, commit; serialization conflicts retry the whole request, every failure rolls back.
import { performance } from 'node:perf_hooks';
import type { Credentials } from '../auth/credentials';
import { secretDigest } from '../auth/secrets';
import type { QueryStats } from '../fql/eval/context';
import { QueryTimeout, isStackOverflow } from '../fql/errors';
import { MAX_RESULT_SIZE, TransactionTooLarge, resultTooLarge } from '../fql/limits';
import { OUT_OF_MEMORY, QueryMemoryExceeded, checkHeap } from '../fql/memory-guard';
import { ReadBelowMinValidTime } from '../model/temporal/min-valid-time';
import { fromBytes } from '../model/codec';
import { secretLookupKey } from '../model/keys';
import { beginAttempt, newStats } from '../exec/attempt';
import type { SecretOwner } from '../model/identity/authenticate';
import type { KvEngine, KvTxn } from '../storage/kv';
import { KvConflictError, KvReadOnlyError } from '../storage/kv';
import { encodeV4Within } from './encode';
import { fromQueryError } from './model/failures';
import { V4Error, V4Timeout } from './errors';
import { Evaluator } from './evaluator';
import type { Json } from './json';
import type { V4Query } from './query-context';
import { installFql4Runner } from '../model/identity/fql4-lambdas';
import { runStoredQuery } from './model/stored-query';

/** Core retries contended v4 transactions a few times before answering 409. */
const MAX_CONTENTION_RETRIES = 5;

export interface V4Request {
  readonly body: Json;
  readonly credentials: Credentials;
  /** performance.now()-based deadline in ms. */
  readonly deadline: number;
  /** `GET /?q=`: the expression may not write. */
  readonly readOnly: boolean;
}

export interface V4Stats {
  readonly computeOps: number;
  readonly readOps: number;
  readonly writeOps: number;
  readonly queryTimeMs: number;
  readonly storageBytesRead: number;
  readonly storageBytesWrite: number;
  readonly retries: number;
}

export type V4Outcome =
  | { readonly kind: 'ok'; readonly status: 200 | 201; readonly resource: string; readonly txnTs: bigint; readonly stats: V4Stats }
  | { readonly kind: 'error'; readonly errors: readonly V4Error[]; readonly txnTs: bigint; readonly stats: V4Stats }
  | { readonly kind: 'failure'; readonly status: number; readonly code: string; readonly description: string };

export interface V4Service {
  run(req: V4Request): Promise<V4Outcome>;
}

export interface V4ServiceOptions {
  readonly engine: KvEngine;
  /** Whether the secret is a root key (configuration; keys and tokens are looked up in storage). */
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

const UNAUTHORIZED: V4Outcome = { kind: 'failure', status: 401, code: 'unauthorized', description: 'Unauthorized' };

function statsOut(s: QueryStats, startedAt: number, kv: KvTxn): V4Stats {
  return {
    computeOps: Math.max(1, s.computeOps),
    readOps: s.readOps,
    writeOps: s.writeOps,
    queryTimeMs: Math.round(performance.now() - startedAt),
    storageBytesRead: kv.stats.bytesRead,
    storageBytesWrite: kv.stats.bytesWritten,
    retries: s.contentionRetries,
  };
}

/** The key or token a (non-root) secret belongs to, for CurrentToken and KeyFromSecret. */
export async function ownerOf(kv: KvTxn, creds: Credentials): Promise<SecretOwner | undefined> {
  const raw = await kv.get(secretLookupKey(secretDigest(creds.secret)));
  return raw ? fromBytes<SecretOwner>(raw) : undefined;
}

export function createV4Service(opts: V4ServiceOptions): V4Service {
  // v4 role predicates and UDF bodies run in the v4 evaluator, from either endpoint.
  installFql4Runner(runStoredQuery);
  async function run(req: V4Request): Promise<V4Outcome> {
    const startedAt = performance.now();
    const isRoot = await opts.isRoot(req.credentials);
    const stats = newStats();
    for (let attempt = 0; ; attempt++) {
      const begun = await beginAttempt(opts.engine, {
        credentials: req.credentials, isRoot, readOnly: req.readOnly, deadline: req.deadline, stats,
      });
      if (!begun) return UNAUTHORIZED;
      const { kv, model, ctx, principal } = begun;
      let q: V4Query;
      try {
        q = { ctx, model, principal, secretOwner: isRoot ? undefined : await ownerOf(kv, req.credentials), created: new WeakSet() };
      } catch (e) {
        await kv.rollback();
        throw e;
      }
      try {
        const value = await new Evaluator(q, req.readOnly).eval(req.body, new Map(), []);
        // Bounded like a v10 result (src/wire/materialize.ts), and failing with v10's message as
        // v4 reports v10's other limits: the worker would otherwise hand the coordinator a
        // response as large as the heap allows, from a query a few hundred bytes long.
        checkHeap();
        const resource = encodeV4Within(value, MAX_RESULT_SIZE, (size) => fromQueryError(resultTooLarge(size), []));
        if (performance.now() > req.deadline) throw new V4Timeout();
        const txnTs = kv.ts;
        const out = statsOut(stats, startedAt, kv);
        await kv.commit();
        const status = q.created.has(value) ? 201 : 200;
        return { kind: 'ok', status, resource, txnTs, stats: out };
      } catch (e) {
        await kv.rollback();
        if (e instanceof KvConflictError) {
          if (attempt < MAX_CONTENTION_RETRIES) { stats.contentionRetries++; continue; }
          return { kind: 'failure', status: 409, code: 'contended transaction', description: 'Transaction was aborted due to detection of concurrent modification.' };
        }
        // core TxnTooLargeException and ReadValidTimeBelowMVT: a 400 through ExceptionResponseHelpers, as in v10.
        if (e instanceof TransactionTooLarge || e instanceof ReadBelowMinValidTime) return { kind: 'failure', status: 400, code: 'bad request', description: e.limitMessage };
        if (e instanceof QueryMemoryExceeded) return { kind: 'failure', status: 500, code: 'internal server error', description: OUT_OF_MEMORY };
        if (e instanceof V4Timeout || e instanceof QueryTimeout) {
          return { kind: 'failure', status: 503, code: 'time out', description: 'Read timed out' };
        }
        if (e instanceof KvReadOnlyError) {
          const err = new V4Error('invalid expression', 'Call performs a write, which is not allowed in reads.', []);
          return { kind: 'error', errors: [err], txnTs: kv.ts, stats: statsOut(stats, startedAt, kv) };
        }
        if (e instanceof V4Error) return { kind: 'error', errors: [e], txnTs: kv.ts, stats: statsOut(stats, startedAt, kv) };
        if (isStackOverflow(e)) {
          const err = new V4Error('stack overflow', 'Call stack reached the maximum limit.', []);
          return { kind: 'error', errors: [err], txnTs: kv.ts, stats: statsOut(stats, startedAt, kv) };
        }
        process.stderr.write(`v4 internal error: ${(e as Error)?.stack ?? String(e)}\n`);
        return { kind: 'failure', status: 500, code: 'internal server error', description: (e as Error)?.message ?? 'Unexpected error' };
      }
    }
  }
  return { run };
}
