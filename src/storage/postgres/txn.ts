// One KvTxn = one REPEATABLE READ transaction on a pooled connection, which arrives with the
// transaction already open, its snapshot fixed and maybe one key read ahead (see engine.ts).
// Writes are buffered in the overlay; a writer records what it read and, at commit, validates it
// and applies its writes in one round trip (sql.commitWriteSql), where it also checks that the
// keys it requires absent (requireAbsent) hold nothing. A reader's end costs no round trip: its
// connection goes back to the engine with the transaction open (engine.ts parkReader).
// A snapshot is kept for SNAPSHOT_MAX_MS at most (sql.ts): then the transaction renews it (see
// renew) or conflicts.
import type { PoolClient, QueryResult } from 'pg';
import { keyString } from '../bytes';
import { BufferedTxn } from '../buffered-txn';
import { KvConflictError, KvReadOnlyError, type Bytes, type KvPair, type KvTxn, type ScanOptions } from '../kv';
import { ReadSet } from '../read-set';
import { translatePgError } from './errors';
import { ReaderReads, type ScanSpec } from './reader-reads';
import {
  GET, GET_MANY, IDLE_IN_TRANSACTION_TIMEOUT, SCAN_FORWARD, SCAN_REVERSE, commitWriteSql, hexArray, renewWriteSql,
  renewReadSql, rollbackWriteSql, staleReadsSql, type CommitArgs,
} from './sql';

/** What a transaction needs from its engine. */
export interface TxnHost {
  /** The commit notification payload for a writer's writes, if anything watches them. */
  notifyPayload(txn: PgTxn): string | undefined;
  /** TEST ONLY (engine.ts UNSAFE_NO_VALIDATION_ENV): commits skip validation. */
  readonly unsafeNoValidation: boolean;
  /** Takes back a reader's connection, its (read-only) transaction still open, to end later. */
  parkReader(client: PoolClient): void;
  /** The key the transaction read first (the engine reads it ahead for the next ones). */
  readFirst(key: Bytes): void;
  /** A writer failed validation. */
  conflicted(): void;
  /**
   * A reader's new snapshot on another connection (its own was ended by the database for idling
   * in its transaction, sql.ts SNAPSHOT_MAX_MS); absent where readers are not renewed.
   */
  reopenReader?(): Promise<{ client: PoolClient; ts: bigint }>;
  /** A snapshot renewal ended so (process-shared.ts, for /metrics). */
  renewed?(outcome: 'renewed' | 'reopened' | 'conflict'): void;
}

/** Whether `err` (or an error the connection reported before) means the database ended the session for idling in its transaction. */
export function endedForIdling(client: PoolClient, err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === IDLE_IN_TRANSACTION_TIMEOUT || idleEnded.has(client);
}

/** Connections the database ended for idling in a transaction (engine.ts marks them as it hears). */
export const idleEnded = new WeakSet<PoolClient>();

const STALE = 'data read by this transaction was modified concurrently';
const IDLED = 'the transaction kept its snapshot open without reading for too long';

/** A key read with the begin, in the transaction's snapshot. */
export interface Prefetched {
  /** keyString of the key. */
  readonly key: string;
  readonly value: Bytes | undefined;
}

type Role =
  | { readonly kind: 'reader'; readonly reads: ReaderReads }
  | {
    readonly kind: 'writer'; readonly reads: ReadSet; snap: bigint;
    /** Keys required absent at commit (requireAbsent), by keyString. */
    readonly absent: Map<string, Bytes>;
  };

export class PgTxn extends BufferedTxn implements KvTxn {
  /** `client` holds the open transaction; `onEnd` runs once when the transaction ends. */
  private firstRead = true;
  /**
   * The last statement sent, settled or not. A connection runs one statement at a time: the
   * query layer may read concurrently within a transaction, so statements are sent one after
   * another here (`pg` would queue them itself, but warns that it will stop doing so), and a
   * transaction ending while reads are in flight (a query failed meanwhile) hands its
   * connection on only once they are answered.
   */
  private last: Promise<unknown> = Promise.resolve();
  /** When (performance.now()) the current snapshot was taken. */
  private snapshotAt = performance.now();

  private constructor(
    /** Replaced when a reader renews on another connection. */
    private client: PoolClient,
    /** A reader's moves forward when it renews its snapshot. */
    private currentTs: bigint,
    private readonly role: Role,
    private readonly host: TxnHost,
    /** Read in the snapshot the transaction began with: forgotten when it renews it. */
    private prefetched: Prefetched | undefined,
    /** How long the snapshot may stay open before it is renewed (sql.ts SNAPSHOT_MAX_MS); undefined: as long as the transaction runs. */
    private readonly snapshotLimitMs: number | undefined,
    private readonly onEnd: () => void,
  ) {
    super();
  }

  get ts(): bigint {
    return this.currentTs;
  }

  protected get writable(): boolean {
    return this.role.kind === 'writer';
  }

  /**
   * A writer registered in flight at `ts` (holding its advisory lock), reading the snapshot whose
   * stable point is `snap`.
   */
  static writer(client: PoolClient, ts: bigint, snap: bigint, host: TxnHost, prefetched: Prefetched | undefined, snapshotLimitMs: number | undefined, onEnd: () => void): PgTxn {
    return new PgTxn(client, ts, { kind: 'writer', reads: new ReadSet(), snap, absent: new Map() }, host, prefetched, snapshotLimitMs, onEnd);
  }

  static reader(client: PoolClient, ts: bigint, host: TxnHost, prefetched: Prefetched | undefined, snapshotLimitMs: number | undefined): PgTxn {
    return new PgTxn(client, ts, { kind: 'reader', reads: new ReaderReads() }, host, prefetched, snapshotLimitMs, () => {});
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.readThrough(key, async (k) => {
      const ks = keyString(k);
      const role = this.role;
      if (role.kind === 'writer') role.reads.points.add(ks);
      if (this.firstRead) {
        this.firstRead = false;
        this.host.readFirst(k);
      }
      if (this.prefetched?.key === ks) {
        if (role.kind === 'reader') role.reads.point(ks, k, this.prefetched.value);
        return this.prefetched.value;
      }
      return this.read(async (c) => {
        const { rows } = await c.query<[Bytes]>({ name: GET.name, text: GET.text, values: [k], rowMode: 'array' });
        const value = rows.length > 0 ? rows[0][0] : undefined;
        if (role.kind === 'reader') role.reads.point(ks, k, value);
        return value;
      });
    });
  }

  /**
   * KvTxn.requireAbsent: no round trip now; the commit (schema.ts fql_commit) checks the keys once
   * every older writer has ended, so it sees exactly the state at this transaction's ts, the
   * state its reads are validated against. Renewing the snapshot leaves them alone: they are
   * checked at commit whatever the snapshot.
   */
  requireAbsent(key: Bytes): void {
    this.ensureOpen();
    if (this.role.kind !== 'writer') throw new KvReadOnlyError();
    this.role.absent.set(keyString(key), key);
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const role = this.role;
    const spec: ScanSpec = { start: opts.start, end: opts.end, limit: this.overlay.baseLimit(opts) ?? null, reverse: opts.reverse === true };
    const base = await this.read(async (c) => {
      const rows = await scanRows(c, spec);
      if (role.kind === 'reader') role.reads.scan(spec, rows);
      return rows;
    });
    const rows = this.overlay.merge(base, opts);
    if (role.kind === 'writer') role.reads.addScan(opts, rows);
    return this.counted(rows);
  }

  /**
   * Runs a read on the connection, in a snapshot no older than snapshotLimitMs (renewed first if
   * it is). `run` records what it read before it returns (see send), so that a renewal queued
   * after it re-reads it. A connection the database ended for idling is replaced by a renewal.
   */
  private read<R>(run: (client: PoolClient) => Promise<R>): Promise<R> {
    return this.send(async () => {
      try {
        if (this.snapshotLimitMs !== undefined && performance.now() - this.snapshotAt > this.snapshotLimitMs) await this.renew();
        return await run(this.client);
      } catch (err) {
        if (this.snapshotLimitMs === undefined || !endedForIdling(this.client, err)) throw translatePgError(err);
        await this.renew(err as Error);
        return run(this.client).catch((again: unknown) => { throw translatePgError(again); });
      }
    });
  }

  /**
   * Moves the transaction to a new snapshot, or throws KvConflictError. A reader: a new snapshot
   * (on another connection when `ended`, the database having ended its own), its ts taken as at
   * a begin, in which everything it read must read the same (reader-reads.ts). A writer: its ts
   * stays (it is registered in flight at it); the new snapshot's stable point becomes its `snap`
   * if no commit since the old one wrote what it read and it was not evicted, so that what it
   * read before and what it reads next are both the state at the new `snap`, and its commit
   * validates from there. A writer whose connection was ended lost its registration with it.
   */
  private async renew(ended?: Error): Promise<void> {
    try {
      await this.renewSnapshot(ended);
    } catch (err) {
      if (err instanceof KvConflictError) this.host.renewed?.('conflict');
      throw err;
    }
    this.host.renewed?.(ended === undefined ? 'renewed' : 'reopened');
  }

  private async renewSnapshot(ended: Error | undefined): Promise<void> {
    const role = this.role;
    if (role.kind === 'writer') {
      if (ended !== undefined) throw new KvConflictError(IDLED);
      const sql = renewWriteSql(this.ts, role.snap, this.readArgs(role.reads), this.snapshotLimitMs!);
      const results = (await this.client.query(sql)) as unknown as QueryResult<{ snap: string; stale: boolean; registered: boolean }>[];
      const row = results.find((r) => r.fields?.some((f) => f.name === 'snap'))?.rows[0];
      if (row === undefined || row.stale || !row.registered) throw new KvConflictError(STALE);
      role.snap = BigInt(row.snap);
    } else {
      let ts: bigint;
      if (ended === undefined) {
        const results = (await this.client.query(renewReadSql(this.snapshotLimitMs!))) as unknown as QueryResult<{ ts: string }>[];
        ts = BigInt(results[results.length - 1].rows[0].ts);
      } else {
        if (this.host.reopenReader === undefined) throw translatePgError(ended);
        // If this fails the dead connection stays the transaction's, to be discarded at its end.
        const reopened = await this.host.reopenReader();
        this.client.release(ended);
        ({ client: this.client, ts } = reopened);
      }
      const client = this.client;
      const unchanged = await role.reads.unchangedIn({
        async getMany(keys) {
          const { rows } = await client.query<[Bytes, Bytes]>({ name: GET_MANY.name, text: GET_MANY.text, values: [keys], rowMode: 'array' });
          return new Map(rows.map(([k, v]) => [keyString(k), v]));
        },
        scan: (spec) => scanRows(client, spec),
      });
      if (!unchanged) throw new KvConflictError(STALE);
      this.currentTs = ts;
    }
    this.snapshotAt = performance.now();
    this.prefetched = undefined;
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    const role = this.role;
    if (role.kind === 'reader') return this.park();
    // A writer that neither wrote nor read (nor required anything absent) has nothing to order: it just ends.
    if (!this.hasWrites && role.reads.isEmpty && role.absent.size === 0) return this.endQuietly(rollbackWriteSql(this.ts));
    let conflict: string | null;
    try {
      // Without validation (test only), the range of commits to check is empty.
      const snap = this.host.unsafeNoValidation ? this.ts : role.snap;
      const sql = commitWriteSql(this.ts, snap, this.commitArgs(role));
      const results = (await this.send(() => this.client.query(sql))) as unknown as QueryResult<{ conflict: string | null }>[];
      const row = results.find((r) => r.fields.length === 1 && r.fields[0].name === 'conflict')?.rows[0];
      if (row === undefined) throw new Error('fql_commit returned nothing');
      conflict = row.conflict;
    } catch (err) {
      const ended = endedForIdling(this.client, err);
      this.end(err as Error);
      if (!ended) throw translatePgError(err);
      // Its connection, and registration, ended for idling: a snapshot it could not renew.
      this.host.renewed?.('conflict');
      throw new KvConflictError(IDLED);
    }
    this.end();
    if (conflict !== null) {
      this.host.conflicted();
      throw new KvConflictError(conflict);
    }
  }

  /**
   * A writer's reads are stale when a commit after its snapshot wrote into them: checked after
   * the rollback, in the same round trip (its snapshot transaction would not see those commits).
   */
  async rollbackStale(): Promise<string | undefined> {
    const role = this.role;
    if (this.finished || role.kind === 'reader' || role.reads.isEmpty || this.host.unsafeNoValidation) {
      await this.rollback();
      return undefined;
    }
    this.finished = true;
    let stale = false;
    try {
      const sql = `${rollbackWriteSql(this.ts)}; ${staleReadsSql(role.snap, this.readArgs(role.reads))}`;
      const results = (await this.send(() => this.client.query(sql))) as unknown as QueryResult<{ conflict: boolean }>[];
      stale = results[results.length - 1].rows[0]?.conflict === true;
    } catch (err) {
      // The connection is discarded (which frees the lock); staleness stays unknown (not stale).
      this.end(err as Error);
      return undefined;
    }
    this.end();
    return stale ? STALE : undefined;
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.role.kind === 'reader') this.park();
    else await this.endQuietly(rollbackWriteSql(this.ts));
  }

  /** A reader ends without a round trip: committing or rolling back a read-only one is alike. */
  private park(): void {
    this.afterStatements(() => this.host.parkReader(this.client));
    this.onEnd();
  }

  /** Runs `then` once every statement sent is answered. */
  private afterStatements(then: () => void): void {
    void this.last.then(then);
  }

  /** Runs `run` once the statements sent before are answered (see `last`). */
  private send<R>(run: () => Promise<R>): Promise<R> {
    const sent = this.last.then(run);
    this.last = sent.catch(() => undefined);
    return sent;
  }

  /** Runs the ending statements; a failure discards the connection (which also frees a lock). */
  private async endQuietly(sql: string): Promise<void> {
    try {
      await this.send(() => this.client.query(sql));
    } catch (err) {
      this.end(err as Error);
      return;
    }
    this.end();
  }

  private readArgs(reads: ReadSet): Pick<CommitArgs, 'reads' | 'rangeStarts' | 'rangeEnds'> {
    const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');
    return {
      reads: hexArray([...reads.points].map(bytes)),
      rangeStarts: hexArray(reads.ranges.map((r) => bytes(r.start))),
      rangeEnds: hexArray(reads.ranges.map((r) => bytes(r.end))),
    };
  }

  private commitArgs(role: Extract<Role, { kind: 'writer' }>): CommitArgs {
    const puts: KvPair[] = [];
    const deletes: Bytes[] = [];
    for (const w of this.overlay.writes()) {
      if (w.value === undefined) deletes.push(w.key);
      else puts.push({ key: w.key, value: w.value });
    }
    return {
      ...this.readArgs(role.reads),
      putKeys: hexArray(puts.map((p) => p.key)),
      putValues: hexArray(puts.map((p) => p.value)),
      deleteKeys: hexArray(deletes),
      absentKeys: hexArray(role.absent.values()),
      notify: this.hasWrites ? this.host.notifyPayload(this) : undefined,
    };
  }

  /** Gives the connection back; a connection in an unknown state (`err`) is discarded instead. */
  private end(err?: Error): void {
    this.afterStatements(() => this.client.release(err));
    this.onEnd();
  }
}

/** A scan in the transaction's snapshot. */
async function scanRows(client: PoolClient, spec: ScanSpec): Promise<KvPair[]> {
  const stmt = spec.reverse ? SCAN_REVERSE : SCAN_FORWARD;
  const { rows } = await client.query<[Bytes, Bytes]>({ name: stmt.name, text: stmt.text, values: [spec.start, spec.end, spec.limit], rowMode: 'array' });
  return rows.map(([key, value]): KvPair => ({ key, value }));
}
