// A query worker's storage engine over PostgreSQL: read-only transactions run here, on
// connections of the worker's own (openPostgresReaders), so a read costs no message to the
// coordinator; read-write ones are still the coordinator's (remote-kv.ts), which registers its
// writers, orders their commits and announces them to its streams. A PostgreSQL reader shares
// nothing with the process: its ts is computed in the database inside its own snapshot, it takes
// no lock and registers nowhere (src/storage/postgres/engine.ts), so running it on another
// connection of the same database changes nothing in the argument there. When the coordinator
// terminates the worker, its connections close and the database ends their transactions.
import type { BeginOptions, KvEngine, KvTxn } from '../../storage/kv';
import { openPostgresReaders } from '../../storage/postgres/engine';
import type { RemoteKvEngine } from './remote-kv';

/**
 * Connections per worker: a worker runs one request at a time, whose query holds one
 * transaction, rarely two (a history probe while the query's own is open).
 */
const READER_CONNECTIONS = 2;

export class LocalPgReadKvEngine implements KvEngine {
  readonly kind = 'postgres' as const;
  private readonly readers: KvEngine;

  constructor(private readonly remote: RemoteKvEngine, url: string) {
    this.readers = openPostgresReaders(url, READER_CONNECTIONS);
  }

  begin(opts?: BeginOptions): Promise<KvTxn> {
    return opts?.readOnly === true ? this.readers.begin(opts) : this.remote.begin(opts);
  }

  async close(): Promise<void> {
    await this.remote.close();
    await this.readers.close();
  }
}
