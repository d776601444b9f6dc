// Read replicas: PostgreSQL streaming standbys of the primary database, serving read-only
// transactions that may run there (KvEngine.begin with `minTs`: v10 queries, which begin
// read-only and rerun on the primary if they write). Streams, feeds, the schema API, tools and
// every writer stay on the primary.
//
// A standby replays the primary's WAL in order, so a REPEATABLE READ snapshot there is a prefix
// of the primary's commit history, and the clock row read inside it (`kv_clock`) tells how far
// that prefix goes. Fauna's causal guarantee: a read never sees a state older than the client's
// x-last-txn-ts. So a replica transaction opens its snapshot and reads the clock in the same
// round trip; if the snapshot's ts is below what the read needs it is rolled back and the read
// runs on the primary (whose ts is always the newest). Routing avoids that wasted round trip by
// polling each replica's clock (and the primary's) every few ms: a replica is only tried when
// its last known position already covers the read. Positions only move forward on a standby, so
// a stale position errs on the side of the primary. Polling pauses while no read asks for a
// replica; the first read after a pause goes to the primary (the primary's clock is too old to
// bound the lag) and resumes it.
//
// What a replica read needs: every commit with ts ≤ the client's x-last-txn-ts, and (for clients
// that send none) a state at most `maxLagMs` behind the primary's clock at the last poll.
//
// Failures never fail a read: a replica that cannot be reached or answers with an error is
// marked down (until a poll succeeds again) and the read goes to the primary; a replica that
// fails in the middle of a transaction makes it fail with KvConflictError, which the query layer
// retries from the start (now on the primary).
import { Pool, type PoolClient, type QueryResult } from 'pg';
import { KvConflictError, type Bytes, type KvPair, type KvTxn, type ScanOptions } from '../kv';
import { STABLE_TS, CLOCK_HEARTBEAT, INDEX_PLANS } from './sql';
import { PgTxn, type TxnHost } from './txn';

export interface ReplicaOptions {
  /** postgres:// URLs of the standbys (same database name as on the primary). */
  readonly urls: readonly string[];
  /** A read without x-last-txn-ts may lag the primary's clock by this much (default 1000). */
  readonly maxLagMs?: number;
  /** How often every replica's and the primary's clock is read (default 10). */
  readonly pollMs?: number;
  /** Pooled connections per replica (default 10). */
  readonly poolSize?: number;
}

/** Polling stops when no read has asked for a replica for this long (ms). */
const IDLE_MS = 5_000;
/** A primary clock read longer ago than this (or 10 polls) no longer bounds the lag (ms). */
const STALE_POLL_MS = 200;

/**
 * Opens the snapshot and reads its ts in one round trip (the SELECT fixes the snapshot): its
 * stable point, as on the primary (sql.ts STABLE_TS): the clock, or just below the oldest writer
 * in flight. The primary registers writers (kv_running) in the transaction that bumps the clock
 * and commits them in ts order, and a standby replays that history in order, so a standby's
 * snapshot holds exactly the commits up to its stable point.
 */
const BEGIN_REPLICA_READ = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${STABLE_TS}`;

/**
 * What a replica transaction's PgTxn needs from its engine: a reader's end sends nothing (the
 * primary parks it); here it ends its read-only transaction and goes back to the standby's pool.
 */
class ReplicaHost implements TxnHost {
  readonly unsafeNoValidation = false;
  notifyPayload(): undefined { return undefined; }
  parkReader(client: PoolClient): void {
    client.query('COMMIT').then(() => client.release(), (e: Error) => client.release(e));
  }
  readFirst(): void {}
  conflicted(): void {}
}
const REPLICA_HOST = new ReplicaHost();

/** A standby and what is known of it. */
class Replica {
  readonly pool: Pool;
  /** The ts of its newest snapshot seen (by a poll or a read); undefined while down or unknown. */
  position: bigint | undefined;
  private polling = false;

  constructor(readonly url: string, poolSize: number) {
    // A replica that does not answer must not hold reads up: they go to the primary instead.
    this.pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 2_000, options: INDEX_PLANS });
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** Reads the replica's clock; one poll at a time (a hung replica is not piled on). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.position = await readStablePoint(this.pool);
    } catch {
      this.position = undefined;
    } finally {
      this.polling = false;
    }
  }

  /** A snapshot at `ts` was seen: positions only move forward. */
  advance(ts: bigint): void {
    if (this.position === undefined || ts > this.position) this.position = ts;
  }
}

/** Bumps the primary's clock to the current time (sql.ts CLOCK_HEARTBEAT) and returns it. */
async function heartbeat(primary: Pool): Promise<bigint> {
  const results = (await primary.query(CLOCK_HEARTBEAT)) as unknown as QueryResult<{ ts: string }>[];
  const rows = results.find((r) => r.fields?.some((f) => f.name === 'ts'))?.rows;
  if (rows?.length !== 1) throw new Error('kv_clock row is missing');
  return BigInt(rows[0].ts);
}

async function readStablePoint(pool: Pool): Promise<bigint> {
  const { rows } = await pool.query<{ ts: string }>(STABLE_TS);
  if (rows.length !== 1) throw new Error('kv_clock row is missing');
  return BigInt(rows[0].ts);
}

export interface ReplicaStats {
  /** Read transactions begun on a replica. */
  served: number;
  /** Reads offered to the replicas that went to the primary (none fresh enough, or down). */
  fellBack: number;
}

export class ReplicaSet {
  private readonly replicas: Replica[];
  private readonly maxLagMicros: bigint;
  private readonly timer: NodeJS.Timeout;
  /** The primary's clock at the last poll; undefined until the first one answered. */
  private primaryClock: bigint | undefined;
  /** When (Date.now()) the primary's clock was last read. */
  private primaryPolledAt = 0;
  private primaryPolling = false;
  /** When a read last asked for a replica: polling stops after IDLE_MS without one. */
  private lastDemand = Date.now();
  private readonly pollMs: number;
  private next = 0;
  readonly stats: ReplicaStats = { served: 0, fellBack: 0 };

  constructor(private readonly primary: Pool, opts: ReplicaOptions) {
    this.replicas = opts.urls.map((u) => new Replica(u, opts.poolSize ?? 10));
    this.maxLagMicros = BigInt(opts.maxLagMs ?? 1_000) * 1000n;
    this.pollMs = opts.pollMs ?? 10;
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
    this.poll();
  }

  private poll(): void {
    if (Date.now() - this.lastDemand > IDLE_MS) return;
    for (const r of this.replicas) void r.poll();
    if (this.primaryPolling) return;
    this.primaryPolling = true;
    const at = Date.now();
    heartbeat(this.primary).then(
      (ts) => {
        if (this.primaryClock === undefined || ts > this.primaryClock) this.primaryClock = ts;
        this.primaryPolledAt = at;
      },
      () => undefined,
    ).finally(() => { this.primaryPolling = false; });
  }

  /** The primary's clock, if read recently enough to bound a replica's lag by. */
  private recentPrimaryClock(): bigint | undefined {
    return Date.now() - this.primaryPolledAt <= Math.max(STALE_POLL_MS, 10 * this.pollMs) ? this.primaryClock : undefined;
  }

  /**
   * A read-only transaction on a replica whose snapshot holds every commit with ts ≤ `minTs`
   * and lags the primary by at most the allowed lag; undefined when no replica qualifies (the
   * caller then uses the primary).
   */
  async begin(minTs: bigint): Promise<KvTxn | undefined> {
    this.lastDemand = Date.now();
    const primaryClock = this.recentPrimaryClock();
    const txn = primaryClock === undefined ? undefined : await this.tryBegin(this.floor(minTs, primaryClock));
    if (txn === undefined) this.stats.fellBack++;
    else this.stats.served++;
    return txn;
  }

  private floor(minTs: bigint, primaryClock: bigint): bigint {
    const lagFloor = primaryClock - this.maxLagMicros;
    return minTs > lagFloor ? minTs : lagFloor;
  }

  /** Tries the replicas known to cover `floor`, in turn from a rotating start. */
  private async tryBegin(floor: bigint): Promise<KvTxn | undefined> {
    const n = this.replicas.length;
    const start = this.next++ % n;
    for (let i = 0; i < n; i++) {
      const replica = this.replicas[(start + i) % n];
      if (replica.position === undefined || replica.position < floor) continue;
      const txn = await this.beginOn(replica, floor);
      if (txn !== undefined) return txn;
    }
    return undefined;
  }

  private async beginOn(replica: Replica, floor: bigint): Promise<KvTxn | undefined> {
    let client: PoolClient;
    try {
      client = await replica.pool.connect();
    } catch {
      replica.position = undefined;
      return undefined;
    }
    let ts: bigint;
    try {
      const results = (await client.query(BEGIN_REPLICA_READ)) as unknown as QueryResult<{ ts: string }>[];
      const rows = results[1]?.rows;
      if (rows?.length !== 1) throw new Error('kv_clock row is missing');
      ts = BigInt(rows[0].ts);
    } catch (err) {
      client.release(err as Error);
      replica.position = undefined;
      return undefined;
    }
    replica.advance(ts);
    if (ts < floor) {
      // Cannot happen while positions only move forward; a replaced standby might.
      await client.query('ROLLBACK').then(() => client.release(), (e: Error) => client.release(e));
      return undefined;
    }
    return new ReplicaTxn(PgTxn.reader(client, ts, REPLICA_HOST, undefined, undefined), replica);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }
}

/**
 * A read-only transaction on a replica: a PgTxn whose failures (other than a conflict, e.g. a
 * recovery conflict) mark the replica down and become KvConflictError, so that the query is
 * rerun from the start — on the primary, or on another replica — instead of failing.
 */
class ReplicaTxn implements KvTxn {
  constructor(private readonly txn: PgTxn, private readonly replica: Replica) {}

  get ts(): bigint { return this.txn.ts; }
  get stats() { return this.txn.stats; }
  get hasWrites(): boolean { return this.txn.hasWrites; }

  get(key: Bytes): Promise<Bytes | undefined> { return this.guard(() => this.txn.get(key)); }
  scan(opts: ScanOptions): Promise<KvPair[]> { return this.guard(() => this.txn.scan(opts)); }
  /** Throws KvReadOnlyError: the query layer reruns the query on the primary. */
  put(key: Bytes, value: Bytes): void { this.txn.put(key, value); }
  delete(key: Bytes): void { this.txn.delete(key); }
  commit(): Promise<void> { return this.guard(() => this.txn.commit()); }
  rollback(): Promise<void> { return this.txn.rollback(); }
  rollbackStale(): Promise<string | undefined> { return this.txn.rollbackStale(); }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof KvConflictError) throw err;
      this.replica.position = undefined;
      throw new KvConflictError(`read replica failed: ${(err as Error).message}`);
    }
  }
}
