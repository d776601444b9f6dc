// What a query worker needs to build its handlers: plain data, passed as `workerData`.
import type { SharedState } from '../../storage/postgres/process-shared';

export interface WorkerConfig {
  readonly engineKind: 'sqlite' | 'postgres';
  /** The embedded engine's database file, read directly by the worker (local-read-kv.ts). */
  readonly sqliteFile?: string;
  /**
   * The PostgreSQL database, on which the worker runs its transactions itself, and what the
   * process's engines share (postgres/engine.ts openPostgresForWorker, postgres/process-shared.ts).
   */
  readonly postgres?: { readonly url: string; readonly shared: SharedState };
  /**
   * Key prefixes the server watches for commits (event streams): commits the worker makes itself
   * (on PostgreSQL) announce their keys under them.
   */
  readonly watchedPrefixes?: readonly Uint8Array[];
  readonly rootSecrets: readonly string[];
  readonly rootSecretHashes: readonly string[];
  readonly bcryptCost: number;
  /** Distinct among the process's live workers, for document ids (src/model/ids.ts). */
  readonly idNode: number;
  /** The process's random offset of id node numbers. */
  readonly idNodeOffset: number;
}
