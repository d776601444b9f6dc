// One attempt at a request, shared by every endpoint that runs work against the database (FQL
// v10 queries, FQL v4 requests, the schema API): a storage transaction, the caller
// authenticated inside it (so a deleted key or an expired token fails at once, in every
// process), and the model and evaluation context bound to the caller's database and principal.
// Endpoints differ only in what they run and how they report failures.
import type { Credentials } from '../auth/credentials';
import type { Principal } from '../auth/principal';
import type { EvalContext, QueryStats } from '../fql/eval/context';
import type { Value } from '../fql/values/value';
import { performance } from 'node:perf_hooks';
import { JWKS_DEADLINE_MARGIN_MS, providerKeys, type KeyWant } from '../auth/jwks';
import { attachPrincipal, authenticate, grantJwtRoles, principalOf } from '../model/identity/index';
import { ModelTxnImpl, SharedDefinitions } from '../model/model-txn';
import type { KvEngine, KvTxn } from '../storage/kv';
import { SizeLimitedTxn } from '../storage/size-limited-txn';

export interface Attempt {
  readonly kv: KvTxn;
  readonly model: ModelTxnImpl;
  readonly principal: Principal;
  readonly ctx: EvalContext;
}

export interface AttemptSpec {
  readonly credentials: Credentials;
  /** Whether the secret is a root key (checked against configuration, outside storage). */
  readonly isRoot: boolean;
  readonly readOnly: boolean;
  /**
   * With `readOnly`: the attempt may read from a read replica whose snapshot holds every commit
   * with ts ≤ minTs (the client's x-last-txn-ts, else 0). Absent: the primary.
   */
  readonly minTs?: bigint;
  /** performance.now()-based deadline in ms. */
  readonly deadline: number;
  /** Shared across the attempts of one request, so retries add up. */
  readonly stats: QueryStats;
  readonly source?: string;
  readonly templateValues?: readonly Value[];
  readonly arguments?: ReadonlyMap<string, Value>;
  /**
   * A schema API dry run (always rolled back): the simulated schema writes skip their permission
   * check; everything else runs with the caller's permissions.
   */
  readonly schemaDryRun?: boolean;
}

const definitions = new WeakMap<KvEngine, SharedDefinitions>();
/** One definition cache per storage engine (tests run several engines in one process). */
function sharedDefinitions(engine: KvEngine): SharedDefinitions {
  let d = definitions.get(engine);
  if (!d) definitions.set(engine, (d = new SharedDefinitions()));
  return d;
}

export function newStats(): QueryStats {
  return { computeOps: 0, readOps: 0, writeOps: 0, storageBytesRead: 0, storageBytesWrite: 0, contentionRetries: 0 };
}

/**
 * Begins a transaction and authenticates the caller inside it. Resolves to undefined, with the
 * transaction rolled back, when the secret is not valid.
 */
export async function beginAttempt(engine: KvEngine, spec: AttemptSpec): Promise<Attempt | undefined> {
  // A JWT whose provider's keys are not cached yet: the keys are obtained with no transaction
  // open (a slow JWKS endpoint must hold no snapshot or connection), then once more. In a query
  // worker, obtaining them hands the request back to the pool, which runs it again once the
  // main thread fetched them (src/auth/jwks.ts): the worker does not wait.
  for (let fetched = false; ; fetched = true) {
    const begun = await beginAuthenticated(engine, spec);
    if (begun.kind !== 'fetchKeys') return begun.kind === 'attempt' ? begun.attempt : undefined;
    if (fetched) return undefined;
    await providerKeys.obtain(begun.want, spec.deadline - performance.now() - JWKS_DEADLINE_MARGIN_MS);
  }
}

type Begun = { kind: 'attempt'; attempt: Attempt } | { kind: 'refused' } | { kind: 'fetchKeys'; want: KeyWant };

async function beginAuthenticated(engine: KvEngine, spec: AttemptSpec): Promise<Begun> {
  // Every request's writes are bounded by the transaction size limit.
  const kv: KvTxn = new SizeLimitedTxn(await engine.begin({ readOnly: spec.readOnly, minTs: spec.minTs }));
  try {
    const outcome = await authenticate(kv, spec.credentials, spec.isRoot);
    if (outcome.kind !== 'principal') {
      await kv.rollback();
      return outcome.kind === 'fetchKeys' ? outcome : { kind: 'refused' };
    }
    const model = new ModelTxnImpl(kv, outcome.principal.db, sharedDefinitions(engine));
    const ctx: EvalContext = {
      source: spec.source ?? '',
      templateValues: spec.templateValues ?? [],
      arguments: spec.arguments ?? new Map(),
      model,
      deadline: spec.deadline,
      stats: spec.stats,
      logs: [],
      depth: 0,
    };
    attachPrincipal(ctx, outcome.principal, { schemaDryRun: spec.schemaDryRun });
    model.bindContext(ctx);
    // A JWT's roles are those whose predicates accept its claims, which takes the context.
    if (!(await grantJwtRoles(ctx))) {
      await kv.rollback();
      return { kind: 'refused' };
    }
    return { kind: 'attempt', attempt: { kv, model, principal: principalOf(ctx)!, ctx } };
  } catch (e) {
    await kv.rollback();
    throw e;
  }
}
