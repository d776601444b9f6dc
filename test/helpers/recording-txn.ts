// A KvTxn that reads nothing and records what reaches it (`put <first key byte>`, `delete …`,
// `commit`, `rollback`), for unit tests of the transaction wrappers in src/storage.
import { KvReadOnlyError, type Bytes, type KvTxn } from '../../src/storage/kv';

/** `refusals`: how many first puts throw KvReadOnlyError, as a read-only engine would. */
export function recordingTxn(refusals = 0): KvTxn & { readonly log: string[] } {
  const log: string[] = [];
  let refuse = refusals;
  return {
    log,
    ts: 1n,
    stats: { rowsRead: 0, bytesRead: 0, bytesWritten: 0 },
    hasWrites: false,
    get: async () => undefined,
    scan: async () => [],
    put(key: Bytes) {
      if (refuse > 0) { refuse--; throw new KvReadOnlyError(); }
      log.push(`put ${key[0]}`);
    },
    delete(key: Bytes) { log.push(`delete ${key[0]}`); },
    commit: async () => { log.push('commit'); },
    rollback: async () => { log.push('rollback'); },
    rollbackStale: async () => undefined,
  };
}
