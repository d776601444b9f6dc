// One schema request's transaction: authenticate the secret inside it (as queries do), bind a
// query context to the model so that schema changes run through the FQL code paths with the
// caller's permissions, and retry the whole unit of work on serialization conflicts.
import type { KvEngine, KvTxn } from '../storage/kv';
import { KvConflictError } from '../storage/kv';
import type { Credentials } from '../auth/credentials';
import type { Principal } from '../auth/principal';
import type { EvalContext } from '../fql/eval/context';
import { ModelTxnImpl } from '../model/model-txn';
import { beginAttempt, newStats } from '../exec/attempt';
import { UNAUTHORIZED, SchemaApiError, badRequest } from './errors';
import { QueryError } from '../fql/errors';
import { runBeforeCommit } from '../storage/before-commit';

const MAX_CONFLICT_RETRIES = 5;
/** Schema changes may rebuild indexes over many documents. */
const SCHEMA_TIMEOUT_MS = 120_000;

export interface SchemaSession {
  readonly kv: KvTxn;
  readonly model: ModelTxnImpl;
  readonly principal: Principal;
  /** The context FQL methods run in, with the caller's principal attached. */
  readonly ctx: EvalContext;
}

export interface SessionOptions {
  readonly engine: KvEngine;
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

export interface SessionRun {
  readonly credentials: Credentials | null;
  readonly readOnly: boolean;
  /** Commit the work (false: always roll back, e.g. to validate a schema by applying it). */
  readonly commit: boolean;
  /**
   * A dry run of schema changes (diff, validate; never committed): the schema writes it simulates
   * skip their permission check, the FQL it evaluates keeps the caller's permissions.
   */
  readonly schemaDryRun?: boolean;
}

export async function inSession<T>(opts: SessionOptions, run: SessionRun, work: (s: SchemaSession) => Promise<T>): Promise<T> {
  const creds = run.credentials;
  if (!creds) throw UNAUTHORIZED();
  const isRoot = await opts.isRoot(creds);
  for (let attempt = 0; ; attempt++) {
    const begun = await beginAttempt(opts.engine, {
      credentials: creds, isRoot, readOnly: run.readOnly, schemaDryRun: run.schemaDryRun,
      deadline: performance.now() + SCHEMA_TIMEOUT_MS, stats: newStats(),
    });
    if (!begun) throw UNAUTHORIZED();
    const { kv, model, principal, ctx } = begun;
    try {
      const result = await work({ kv, model, principal, ctx });
      // What must precede a commit (the schema's names must resolve: schema-references.ts) also
      // validates the sessions that are not committed (a staged push, a diff).
      await runBeforeCommit(kv);
      // A dry run skipped schema-write checks: it must never commit.
      if (run.commit && !run.schemaDryRun) await kv.commit();
      else await kv.rollback();
      return result;
    } catch (e) {
      await kv.rollback();
      // A schema the update would leave invalid (raised before commit, not by one item).
      if (e instanceof QueryError && e.code === 'invalid_schema') throw badRequest(e.message);
      if (e instanceof KvConflictError && attempt < MAX_CONFLICT_RETRIES) continue;
      if (e instanceof KvConflictError) {
        throw new SchemaApiError(409, 'Transaction was aborted due to detection of concurrent modifications.');
      }
      throw e;
    }
  }
}
