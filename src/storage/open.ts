// Chooses the storage engine for a server: a data directory → embedded SQLite, a postgres:// or
// postgresql:// URL → PostgreSQL.
import type { WatchedEngine } from './kv';
import { openPostgres, raisePostgresClockFloor, type PostgresEngineHandle, type PostgresOptions } from './postgres/engine';
import { openSqlite, raiseSqliteClockFloor } from './sqlite/engine';

export type StorageSpec =
  | { readonly dataDir: string }
  | ({ readonly url: string } & PostgresOptions);

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A server's engine; `replicaStats` only on PostgreSQL with read replicas. */
export type ServerEngine = WatchedEngine & Partial<Pick<PostgresEngineHandle, 'replicaStats' | 'shared'>>;

export async function openStorage(spec: StorageSpec): Promise<ServerEngine> {
  if ('dataDir' in spec) return openSqlite(spec.dataDir);
  if (!isPostgresUrl(spec.url)) {
    throw new Error('unsupported storage URL: expected a postgres:// or postgresql:// URL');
  }
  return openPostgres(spec.url, spec);
}

/**
 * Makes every transaction timestamp the store hands out from now on exceed `minTs`: after an
 * import, new versions must sort after the imported ones. The store must not be open in this
 * process (SQLite: in no process).
 */
export async function raiseClockFloor(spec: StorageSpec, minTs: bigint): Promise<void> {
  if ('dataDir' in spec) return raiseSqliteClockFloor(spec.dataDir, minTs);
  if (!isPostgresUrl(spec.url)) {
    throw new Error('unsupported storage URL: expected a postgres:// or postgresql:// URL');
  }
  return raisePostgresClockFloor(spec.url, minTs);
}
