// The key that authenticates set cursors' snapshot times (src/fql/eval/sets/cursor-mac.ts). A
// cursor resumes its set as of the time of the query that made its first page, reading with the
// caller's `read` rights; a time the client could choose would be `at()` without
// `history_read`. So cursors carry a MAC of their time, keyed by 32 random bytes stored once per
// store under ['g', 'cursorkey']: every server process of the store (and every read replica)
// reads the same key, a restart keeps it, and an export carries it along.
import { randomBytes } from 'node:crypto';
import { KvConflictError, type KvEngine, type KvTxn } from '../storage/kv';
import { cursorKeyKey } from './keys';

const KEY_BYTES = 32;

/**
 * Creates the store's cursor key unless it has one. Servers call it once at start, before they
 * serve (a query's transaction may be read-only, so it cannot create the key itself). Processes
 * starting together race through the store's own conflict detection: the loser sees the
 * winner's key on its next attempt.
 */
export async function ensureCursorKey(engine: KvEngine): Promise<void> {
  for (;;) {
    const txn = await engine.begin();
    try {
      if (await txn.get(cursorKeyKey())) {
        await txn.rollback();
        return;
      }
      txn.put(cursorKeyKey(), randomBytes(KEY_BYTES));
      await txn.commit();
      return;
    } catch (e) {
      await txn.rollback();
      if (!(e instanceof KvConflictError)) throw e;
    }
  }
}

/** The store's cursor key as `txn` sees it, or undefined when the store has none yet. */
export async function readCursorKey(txn: KvTxn): Promise<Uint8Array | undefined> {
  const key = await txn.get(cursorKeyKey());
  return key !== undefined && key.length === KEY_BYTES ? key : undefined;
}
