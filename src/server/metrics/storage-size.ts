// Storage size for the metrics, read lazily (at a scrape, and once per history bucket) and
// cached: SQLite, the files of the data directory (database, WAL); PostgreSQL,
// pg_total_relation_size of the kv table (data, indexes and TOAST) over one connection of its own.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';

export interface StorageSize {
  /** Bytes; a cached value when the last read is recent, the last known one if a read fails. */
  read(): Promise<number>;
  close(): Promise<void>;
}

export type StorageSizeSpec = { readonly dataDir: string } | { readonly url: string };

/** A read is at most this old. */
export const STORAGE_SIZE_TTL_MS = 5_000;

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    // A file may go away between listing and stat (SQLite removes its -wal at close).
    total += await stat(path.join(dir, e.name)).then((s) => s.size, () => 0);
  }
  return total;
}

export function storageSize(spec: StorageSizeSpec, now: () => number = Date.now): StorageSize {
  let pool: Pool | undefined;
  const measure = 'dataDir' in spec
    ? () => dirBytes(spec.dataDir)
    : async () => {
      if (!pool) {
        // Loaded only for PostgreSQL; one connection, dropped when idle between samples.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { Pool: PgPool } = require('pg') as typeof import('pg');
        // Bounded waits: a scrape must not hang on an unreachable database.
        pool = new PgPool({
          connectionString: spec.url, max: 1, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 2_000, statement_timeout: 2_000,
        });
        pool.on('error', () => { /* an idle connection broke; the next read reconnects */ });
      }
      const r = await pool.query<{ n: string }>("SELECT pg_total_relation_size('kv')::text AS n");
      return Number(r.rows[0].n);
    };
  let value = 0;
  let readAt = -Infinity;
  let inFlight: Promise<number> | undefined;
  let failing = false;
  return {
    read(): Promise<number> {
      if (now() - readAt < STORAGE_SIZE_TTL_MS) return Promise.resolve(value);
      inFlight ??= measure().then(
        (n) => {
          value = n;
          failing = false;
          return n;
        },
        (e: unknown) => {
          // Said once per run of failures, not at every sample.
          if (!failing) console.error(`metrics: cannot read the storage size: ${e instanceof Error ? e.message : String(e)}`);
          failing = true;
          return value;
        },
      ).finally(() => {
        readAt = now();
        inFlight = undefined;
      });
      return inFlight;
    },
    async close(): Promise<void> {
      await pool?.end();
    },
  };
}
