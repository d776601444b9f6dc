// One KvTxn = one REPEATABLE READ transaction on a pooled connection, which arrives with the
// transaction already open, its snapshot fixed and maybe one key read ahead (see engine.ts).
// Writes are buffered in the overlay; a writer records what it read and, at commit, validates it
// and applies its writes in one round trip (sql.commitWriteSql). A reader's end costs no round
// trip: its connection goes back to the engine with the transaction open (engine.ts parkReader).
import type { PoolClient, QueryResult } from 'pg';
import { keyString } from '../bytes';
import { BufferedTxn } from '../buffered-txn';
import { KvConflictError, type Bytes, type KvPair, type KvTxn, type ScanOptions } from '../kv';
import { ReadSet } from '../read-set';
import { translatePgError } from './errors';
import { GET, SCAN_FORWARD, SCAN_REVERSE, commitWriteSql, hexArray, rollbackWriteSql, staleReadsSql, type CommitArgs } from './sql';

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
}

/** A key read with the begin, in the transaction's snapshot. */
export interface Prefetched {
  /** keyString of the key. */
  readonly key: string;
  readonly value: Bytes | undefined;
}

type Role =
  | { readonly kind: 'reader' }
  | { readonly kind: 'writer'; readonly reads: ReadSet; readonly snap: bigint };

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

  private constructor(
    private readonly client: PoolClient,
    readonly ts: bigint,
    private readonly role: Role,
    private readonly host: TxnHost,
    private readonly prefetched: Prefetched | undefined,
    private readonly onEnd: () => void,
  ) {
    super();
  }

  protected get writable(): boolean {
    return this.role.kind === 'writer';
  }

  /**
   * A writer registered in flight at `ts` (holding its advisory lock), reading the snapshot whose
   * stable point is `snap`.
   */
  static writer(client: PoolClient, ts: bigint, snap: bigint, host: TxnHost, prefetched: Prefetched | undefined, onEnd: () => void): PgTxn {
    return new PgTxn(client, ts, { kind: 'writer', reads: new ReadSet(), snap }, host, prefetched, onEnd);
  }

  static reader(client: PoolClient, ts: bigint, host: TxnHost, prefetched: Prefetched | undefined): PgTxn {
    return new PgTxn(client, ts, { kind: 'reader' }, host, prefetched, () => {});
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.readThrough(key, async (k) => {
      const ks = keyString(k);
      if (this.role.kind === 'writer') this.role.reads.points.add(ks);
      if (this.firstRead) {
        this.firstRead = false;
        this.host.readFirst(k);
      }
      if (this.prefetched?.key === ks) return this.prefetched.value;
      const rows = await this.query<[Bytes]>(GET.name, GET.text, [k]);
      return rows.length > 0 ? rows[0][0] : undefined;
    });
  }

  async scan(opts: ScanOptions): Promise<KvPair[]> {
    this.ensureOpen();
    const limit = this.overlay.baseLimit(opts) ?? null;
    const stmt = opts.reverse ? SCAN_REVERSE : SCAN_FORWARD;
    const base = (await this.query<[Bytes, Bytes]>(stmt.name, stmt.text, [opts.start, opts.end, limit])).map(
      ([key, value]): KvPair => ({ key, value }),
    );
    const rows = this.overlay.merge(base, opts);
    if (this.role.kind === 'writer') this.role.reads.addScan(opts, rows);
    return this.counted(rows);
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.finished = true;
    const role = this.role;
    if (role.kind === 'reader') return this.park();
    // A writer that neither wrote nor read has nothing to order: it just ends.
    if (!this.hasWrites && role.reads.isEmpty) return this.endQuietly(rollbackWriteSql(this.ts));
    let conflict: string | null;
    try {
      // Without validation (test only), the range of commits to check is empty.
      const snap = this.host.unsafeNoValidation ? this.ts : role.snap;
      const sql = commitWriteSql(this.ts, snap, this.commitArgs(role));
      const results = (await this.send((c) => c.query(sql))) as unknown as QueryResult<{ conflict: string | null }>[];
      const row = results.find((r) => r.fields.length === 1 && r.fields[0].name === 'conflict')?.rows[0];
      if (row === undefined) throw new Error('fql_commit returned nothing');
      conflict = row.conflict;
    } catch (err) {
      this.end(err as Error);
      throw translatePgError(err);
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
      const results = (await this.send((c) => c.query(sql))) as unknown as QueryResult<{ conflict: boolean }>[];
      stale = results[results.length - 1].rows[0]?.conflict === true;
    } catch (err) {
      // The connection is discarded (which frees the lock); staleness stays unknown (not stale).
      this.end(err as Error);
      return undefined;
    }
    this.end();
    return stale ? 'data read by this transaction was modified concurrently' : undefined;
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

  /** Runs `run` on the connection once the statements sent before are answered (see `last`). */
  private send<R>(run: (client: PoolClient) => Promise<R>): Promise<R> {
    const sent = this.last.then(() => run(this.client));
    this.last = sent.catch(() => undefined);
    return sent;
  }

  /** Runs the ending statements; a failure discards the connection (which also frees a lock). */
  private async endQuietly(sql: string): Promise<void> {
    try {
      await this.send((c) => c.query(sql));
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
      notify: this.hasWrites ? this.host.notifyPayload(this) : undefined,
    };
  }

  private async query<R extends unknown[]>(name: string, text: string, values: unknown[]): Promise<R[]> {
    try {
      return (await this.send((c) => c.query<R>({ name, text, values, rowMode: 'array' }))).rows;
    } catch (err) {
      throw translatePgError(err);
    }
  }

  /** Gives the connection back; a connection in an unknown state (`err`) is discarded instead. */
  private end(err?: Error): void {
    this.afterStatements(() => this.client.release(err));
    this.onEnd();
  }
}
