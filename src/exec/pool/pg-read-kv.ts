// A query worker's storage engine over PostgreSQL: read-only transactions run on connections of
// the worker's own (an engine opened with openPostgresReaders), so a read query costs the
// coordinator no message and no work, and the worker no message per read; read-write ones are
// messages to the coordinator (remote-kv.ts), which bounds the writers of the process, announces
// their commits and keeps their registrations. A reader needs nothing from the coordinator: its
// ts and snapshot come from the database (postgres/engine.ts, "Readers"), exactly as a reader of
// another server process sharing the database. A query guessed read-only that writes fails with
// KvReadOnlyError and runs again read-write (run-query.ts), so writes never take this path.
import type { BeginOptions, KvEngine, KvTxn } from '../../storage/kv';
import { openPostgresReaders } from '../../storage/postgres/engine';
import type { RemoteKvEngine } from './remote-kv';

/**
 * Connections per worker: it runs one request at a time, whose reader holds one, while the
 * previous reader's may still be parked (postgres/engine.ts PARK_MS).
 */
const READER_CONNECTIONS = 2;

export class PgReadKvEngine implements KvEngine {
  readonly kind = 'postgres' as const;
  private readonly readers: KvEngine;

  constructor(private readonly remote: RemoteKvEngine, url: string) {
    this.readers = openPostgresReaders(url, READER_CONNECTIONS);
  }

  begin(opts?: BeginOptions): Promise<KvTxn> {
    return opts?.readOnly === true ? this.readers.begin(opts) : this.remote.begin(opts);
  }

  async close(): Promise<void> {
    await Promise.all([this.remote.close(), this.readers.close()]);
  }
}
