import { KvConflictError } from '../kv';

/** SQLSTATEs meaning "retry the transaction": serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Serialization failures become KvConflictError; anything else is returned unchanged. */
export function translatePgError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRYABLE.has(code)) {
    return new KvConflictError((err as Error).message);
  }
  return err;
}
