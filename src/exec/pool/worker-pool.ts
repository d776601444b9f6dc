// The coordinator of the query workers. Query code is untrusted: it may loop, backtrack a
// regular expression for ever or allocate without end, and nothing inside a JavaScript thread
// can interrupt that. So each request runs in a worker thread (one request per worker at a
// time) with a heap limit, and the coordinator — which never runs query code — terminates a
// worker whose request overruns its deadline (plus a grace period in which the worker's own
// checkpoints normally answer `time_out` first) or which dies, answers that request itself,
// rolls back its open transaction and starts a replacement.
//
// Scheduling is fair between clients (by remote address): a free worker takes the oldest
// request of the client with the fewest requests running, no client runs more than its cap
// at once while another client is waiting (by default as many requests as there are cores, so
// that one client's CPU-bound queries leave others a share of the cores; a client alone may use
// every regular worker), and a few reserve workers beyond them (one kept started ahead of need
// while all are busy) serve the others, so one client holding every worker with slow queries
// cannot lock others out.
//
// Access provider keys (JWKS) are fetched here, on the main thread, once for the process
// (src/auth/jwks.ts): a worker whose request needs keys it lacks hands the request back
// (NeedKeysMessage) and takes other work; the request waits for the fetch outside any worker and
// then queues again at the head of its client's queue, with its deadline still counted from its
// arrival. So a JWKS endpoint that hangs holds no worker, however many requests name it.
import { randomInt } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { CommitRerun, KvEngine } from '../../storage/kv';
import type { ResponseReport, ServerRequest, ServerResponse } from '../../server/http-types';
import { JWKS_DEADLINE_MARGIN_MS, providerKeys, type JwksCache } from '../../auth/jwks';
import { KvHost } from './kv-host';
import type { AnswerMessage, FromWorker, KvReply, KvRequest, NeedKeysMessage, RequestMessage, ResponseMessage, RouteKind, ToWorker } from './protocol';
import type { WorkerConfig } from './worker-config';

export interface PoolOptions {
  readonly engine: KvEngine;
  readonly worker: Omit<WorkerConfig, 'engineKind' | 'idNode' | 'idNodeOffset'>;
  /** Workers kept running while idle. */
  readonly minWorkers?: number;
  /** Workers at most (plus `reserveWorkers` for clients with nothing running). */
  readonly maxWorkers?: number;
  readonly reserveWorkers?: number;
  /**
   * Requests one client may run at once while another client waits (default: the cores).
   * CPU-bound queries of one client then leave the other clients a fair share of the cores,
   * not just free workers. A client alone may use every regular worker.
   */
  readonly clientConcurrency?: number;
  /** Heap limit of one worker (old generation), MiB. */
  readonly workerMemoryMb?: number;
  /** How long past a request's deadline the coordinator waits before terminating its worker. */
  readonly graceMs?: number;
  /**
   * Idle workers above the minimum end after this long (default 5 minutes). A new worker is a
   * fresh isolate that compiles the runtime again: `1 + 1` under h2load ran at 1,250 q/s in the
   * first 3 s after idle workers had ended, against 4,400 before, and took about 10 s to recover.
   */
  readonly idleMs?: number;
  /** Requests waiting for a worker at most; more are refused with 429. */
  readonly maxQueued?: number;
  /** How long a query runs before it may be preempted (PREEMPT_AFTER_MS; tests shorten it). */
  readonly preemptAfterMs?: number;
  /** The worker script (tests substitute a broken one). */
  readonly workerFile?: string;
  /** The process's access provider keys (default: this thread's `providerKeys`). */
  readonly keys?: JwksCache;
  /**
   * Response bytes clients have not read yet (src/server/response-backlog.ts): a client it
   * refuses gets no worker for its queries until it reads (events jobs are bounded by the streams).
   */
  readonly responses?: { refuses(client: string): boolean };
}

/** What the coordinator answers itself when a worker cannot. */
export interface PoolFailure {
  /** `unread`: its client holds too many response bytes it has not read (PoolOptions.responses). */
  readonly kind: 'timeout' | 'crashed' | 'overloaded' | 'unread';
  /** ms since the request arrived. */
  readonly elapsedMs: number;
  /**
   * Answered without running: refused at the full queue, or its deadline passed while it waited
   * for a worker. A caller that can ask again later (an event stream's next job) may do so.
   */
  readonly queued?: true;
}

export interface PoolJob {
  readonly route: RouteKind;
  readonly req: ServerRequest;
  /** performance.now()-based deadline of the request. */
  readonly deadline: number;
  /** Who is asking, for fair scheduling. */
  readonly client: string;
  /** Builds the response for a request the worker could not answer. */
  readonly failure: (f: PoolFailure) => ServerResponse;
}

interface Job extends PoolJob {
  readonly body: Buffer;
  readonly resolve: (res: ServerResponse) => void;
  /** Set once the request asked for access provider keys (see RequestMessage.keys). */
  readonly keys?: RequestMessage['keys'];
  /** Set when it runs again after its handed-off commit failed (RequestMessage.rerun). */
  readonly rerun?: CommitRerun;
  /** Its commit must not be handed off (a run again after a failure other than a conflict). */
  readonly noHandOff?: true;
}

interface Slot {
  /** Its id node number, distinct among live workers. */
  readonly idNode: number;
  readonly worker: Worker;
  readonly kv: KvHost;
  ready: boolean;
  job?: Job;
  jobId: number;
  /** The transaction begun with the current job (see RequestMessage.pre). */
  preTxn?: number;
  /**
   * The id of the worker's answering commit that succeeded and whose reply is held back, to be
   * sent with the worker's next request (RequestMessage.ack) rather than as a message of its own.
   */
  heldAck?: number;
  timer?: NodeJS.Timeout;
  idleSince: number;
  /** performance.now() when the current job started. */
  startedAt: number;
  dead: boolean;
}

const WORKER_FILE = path.join(__dirname, 'worker-entry.js');

/** Bodies up to this size are kept while their query runs, so that it can run again (handOff). */
const RERUNNABLE_BODY_BYTES = 64 * 1024;

/**
 * Commits are handed off only while fewer than this share of recent commits conflicted. Under
 * contention for a few keys a handed-off request races every request in flight rather than
 * those running in other workers: 16 concurrent increments of one counter had 27–29% of their
 * requests answered 409 and 25–35% fewer increments with every commit handed off, against 22%
 * without hand-offs.
 */
const HAND_OFF_MAX_CONFLICT_SHARE = 0.02;
/** Weight of the newest commit in the moving share of conflicts (about the last 20 commits). */
const CONFLICT_SHARE_WEIGHT = 0.05;

/** How often a full queue is scanned for requests whose clients went away (WorkerPool.shed). */
const SHED_SCAN_MS = 100;

/**
 * A query running this long may be stopped (answered 429, retryable) to give its worker to a
 * client with nothing running, when no worker is free and no more may start. Without it, six
 * queries that run to their deadline (up to --max-query-timeout-ms) from three addresses held
 * every worker, and every other client waited that long (found by probing, session 16).
 */
export const PREEMPT_AFTER_MS = 5_000;

/**
 * A client whose queries made the pool terminate this many workers (a deadline overrun: an
 * operation the evaluator cannot interrupt) within KILL_WINDOW_MS is refused new requests until
 * fewer remain in the window. A new worker runs slowly for seconds while it compiles the
 * runtime, so a client that forced restarts slowed every other client tenfold (found by
 * probing, session 16).
 */
export const MAX_KILLS_PER_CLIENT = 3;
export const KILL_WINDOW_MS = 30_000;

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  /** Waiting jobs per client, in arrival order; clients in first-arrival order. */
  private readonly queues = new Map<string, Job[]>();
  private readonly running = new Map<string, number>();
  private queued = 0;
  /** Jobs in the queues (those taken out may stay until collected: only a hint for sweeps). */
  private readonly waitingJobs = new WeakSet<Job>();
  /** Clients whose queue is swept of requests whose clients went away, once this turn ends. */
  private readonly sweeps = new Set<string>();
  /** performance.now() of shed's last scan of every queue (at most one per SHED_SCAN_MS). */
  private lastShedScan = -Infinity;
  /** Requests handed back by workers, waiting for access provider keys; bounded with `queued`. */
  private awaitingKeys = 0;
  private nextJob = 1;
  private closed = false;
  /** Workers that died before they were ready, in a row; spaces out restarts. */
  private failedStarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly reaper: NodeJS.Timeout;
  /** Random per process, so that processes sharing a database use different id nodes. */
  private readonly idNodeOffset = randomInt(256);
  private readonly min: number;
  private readonly max: number;
  private readonly reserve: number;
  private readonly perClient: number;
  private readonly grace: number;
  private readonly idleMs: number;
  private readonly maxQueued: number;
  private readonly keys: JwksCache;
  private readonly unsubscribeKeys: () => void;
  /** Counters for /metrics and tests. */
  readonly counters = {
    started: 0, terminatedOnDeadline: 0, crashed: 0, overloaded: 0, answeredWithCommit: 0, acksWithRequest: 0, neededKeys: 0,
    handedOff: 0, rerunAfterHandOff: 0, handedOffOverran: 0, refusedUnread: 0, preempted: 0, refusedAfterKills: 0,
  };
  /** Set while a client waits for a query to pass PREEMPT_AFTER_MS (preemptFor). */
  private preemptTimer?: NodeJS.Timeout;
  /** When each client's queries last made the pool terminate workers (onOverrun), oldest first. */
  private readonly kills = new Map<string, number[]>();
  /** Moving share of commits that conflicted (HAND_OFF_MAX_CONFLICT_SHARE). */
  private conflictShare = 0;

  constructor(private readonly opts: PoolOptions) {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.max = Math.max(1, opts.maxWorkers ?? Math.max(4, cores * 2));
    this.min = Math.min(this.max, Math.max(1, opts.minWorkers ?? Math.min(2, this.max)));
    this.reserve = Math.max(0, opts.reserveWorkers ?? 2);
    this.perClient = Math.min(this.max, Math.max(1, opts.clientConcurrency ?? cores));
    this.grace = opts.graceMs ?? 250;
    this.idleMs = opts.idleMs ?? 300_000;
    this.maxQueued = opts.maxQueued ?? 10_000;
    this.keys = opts.keys ?? providerKeys;
    // Every worker gets each fetched set, so the others need not ask for it.
    this.unsubscribeKeys = this.keys.onSettled((uri, state) => {
      for (const s of this.slots) if (s.ready && !s.dead) s.worker.postMessage({ type: 'keys', uri, state } satisfies ToWorker);
    });
    for (let i = 0; i < this.min; i++) this.spawn();
    this.reaper = setInterval(() => this.retireIdle(), Math.min(this.idleMs, 10_000));
    this.reaper.unref();
  }

  /** Runs a request in a worker. Reads the body first (it may reject: too large). */
  async run(job: PoolJob): Promise<ServerResponse> {
    const body = await job.req.body();
    if (this.closed) return job.failure({ kind: 'overloaded', elapsedMs: performance.now() - job.req.receivedAt });
    if (this.unread(job)) return job.failure({ kind: 'unread', elapsedMs: performance.now() - job.req.receivedAt, queued: true });
    if (this.killedTooOften(job.client)) {
      this.counters.refusedAfterKills++;
      return job.failure({ kind: 'overloaded', elapsedMs: performance.now() - job.req.receivedAt, queued: true });
    }
    if (this.queued + this.awaitingKeys >= this.maxQueued) this.shed(job.client);
    if (this.queued + this.awaitingKeys >= this.maxQueued) {
      this.counters.overloaded++;
      return job.failure({ kind: 'overloaded', elapsedMs: performance.now() - job.req.receivedAt, queued: true });
    }
    return new Promise<ServerResponse>((resolve) => {
      const full: Job = { ...job, body, resolve };
      let q = this.queues.get(job.client);
      if (!q) this.queues.set(job.client, (q = []));
      q.push(full);
      this.queued++;
      this.waitingJobs.add(full);
      // onClose also fires when an answered request's response closes: only one still waiting
      // is worth a sweep.
      job.req.onClose?.(() => { if (this.waitingJobs.has(full)) this.sweepSoon(job.client); });
      this.dispatch();
    });
  }

  /**
   * Drops the requests of `client` whose clients went away, once this turn ends: a connection
   * that closes with thousands of pipelined requests queued closes them all in one turn, and
   * one sweep of the queue drops them all (nobody waits for their answers, and they must not
   * run or hold the queue: found by probing, session 16).
   */
  private sweepSoon(client: string): void {
    if (this.sweeps.has(client) || !this.queues.has(client)) return;
    this.sweeps.add(client);
    setImmediate(() => {
      this.sweeps.delete(client);
      this.dropGone(client, performance.now());
    });
  }

  /** Answers a request taken out of the queue with 429 (the queue is full, or nobody waits for it). */
  private refuseQueued(j: Job, now: number): void {
    this.counters.overloaded++;
    j.resolve(j.failure({ kind: 'overloaded', elapsedMs: now - j.req.receivedAt, queued: true }));
  }

  /** Refuses and removes the queued requests of `client` whose clients went away. */
  private dropGone(client: string, now: number): void {
    const q = this.queues.get(client);
    if (!q) return;
    const kept = q.filter((j) => j.req.closed !== true);
    if (kept.length === q.length) return;
    for (const j of q) if (j.req.closed === true) this.refuseQueued(j, now);
    this.queued -= q.length - kept.length;
    if (kept.length > 0) this.queues.set(client, kept);
    else this.queues.delete(client);
  }

  /**
   * The queue is full when `newcomer` asks. Requests whose clients went away are dropped first
   * (nobody waits for their answers: a client resetting its requests must not fill the queue);
   * then, if another client has more requests waiting than the newcomer, that client's newest is
   * refused instead, so a client flooding the queue gets the 429s rather than everyone else.
   */
  private shed(newcomer: string): void {
    const now = performance.now();
    // Requests from the wire leave the queue when their clients go (sweepSoon); this scan is
    // for those without onClose, and at most every SHED_SCAN_MS: run for every newcomer to a
    // full queue, it made refusing one request cost the whole queue (quadratic under a flood
    // of pipelined requests, found by probing, session 16).
    if (now - this.lastShedScan >= SHED_SCAN_MS) {
      this.lastShedScan = now;
      for (const client of [...this.queues.keys()]) this.dropGone(client, now);
    }
    if (this.queued + this.awaitingKeys < this.maxQueued) return;
    const own = this.queues.get(newcomer)?.length ?? 0;
    let heaviest: Job[] | undefined;
    for (const q of this.queues.values()) if (q.length > own + 1 && q.length > (heaviest?.length ?? 0)) heaviest = q;
    if (heaviest === undefined) return;
    this.refuseQueued(heaviest.pop()!, now);
    this.queued--;
  }

  /** Workers started and waiting for a request. */
  get idle(): number {
    let n = 0;
    for (const s of this.slots) if (s.ready && !s.dead && !s.job) n++;
    return n;
  }

  /** Workers running a request. */
  get busy(): number {
    let n = 0;
    for (const s of this.slots) if (!s.dead && s.job) n++;
    return n;
  }

  /** Requests waiting for a worker. */
  get waiting(): number {
    return this.queued;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribeKeys();
    clearInterval(this.reaper);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.preemptTimer) clearTimeout(this.preemptTimer);
    this.failQueued('overloaded');
    await Promise.all([...this.slots].map((s) => this.kill(s)));
  }

  private spawn(): Slot {
    let idNode = 0;
    while ([...this.slots].some((s) => s.idNode === idNode)) idNode++;
    const config: WorkerConfig = {
      ...this.opts.worker, engineKind: this.opts.engine.kind, idNode, idNodeOffset: this.idNodeOffset,
      ...(this.opts.engine.sharedReadFile !== undefined ? { sqliteFile: this.opts.engine.sharedReadFile } : {}),
      ...(this.opts.engine.sharedUrl !== undefined && this.opts.engine.shared !== undefined
        ? { postgres: { url: this.opts.engine.sharedUrl, shared: this.opts.engine.shared.state } } : {}),
    };
    const worker = new Worker(this.opts.workerFile ?? WORKER_FILE, {
      workerData: config,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.workerMemoryMb ?? 512, stackSizeMb: 8 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = {
      idNode, worker, kv: new KvHost(this.opts.engine), ready: false, jobId: 0,
      idleSince: performance.now(), startedAt: 0, dead: false,
    };
    this.slots.add(slot);
    this.counters.started++;
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', () => this.onDeath(slot));
    worker.on('exit', () => this.onDeath(slot));
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (slot.dead) return;
    switch (m.type) {
      case 'ready':
        slot.ready = true;
        this.failedStarts = 0;
        slot.idleSince = performance.now();
        this.dispatch();
        return;
      case 'kv': {
        if (m.op === 'commit' && m.rerun !== undefined && m.answer !== undefined) {
          this.handOff(slot, m, m.answer, m.rerun);
          return;
        }
        const answer = m.op === 'commit' ? m.answer : undefined;
        void slot.kv.handle(m).then((reply) => {
          if (m.op === 'commit') this.noteCommit(reply);
          if (slot.dead) return;
          // Scan rows are packed into buffers made for this reply (packed-bytes.ts): moved, not cloned.
          const rows = reply.ok ? reply.rows : undefined;
          // The commit succeeded (and is durable): its request is answered now, with the
          // response the worker sent along; the worker sends none after it. The worker learns
          // of the success with its next request (one message less per query), or at once if
          // no request is waiting for it.
          if (answer !== undefined && reply.ok) {
            slot.heldAck = reply.id;
            if (this.deliver(slot, answer.id, { ...answer, report: answer.report as ResponseReport | undefined })) this.counters.answeredWithCommit++;
            // Not taken by a request deliver() dispatched to this worker: send it now.
            if (slot.heldAck !== undefined && !slot.dead) {
              slot.heldAck = undefined;
              slot.worker.postMessage(reply satisfies ToWorker);
            }
            return;
          }
          slot.worker.postMessage(reply satisfies ToWorker, rows ? [rows.bytes.buffer as ArrayBuffer, rows.ends.buffer as ArrayBuffer] : []);
        });
        return;
      }
      case 'response':
        this.deliver(slot, m.id, m);
        return;
      case 'needKeys':
        this.awaitKeys(slot, m);
        return;
      case 'refreshKeys':
        this.keys.refreshIfDue(m.uri);
        return;
    }
  }

  /** Whether commits are handed off now (few recent commits conflicted: HAND_OFF_MAX_CONFLICT_SHARE). */
  get handsOff(): boolean {
    return this.conflictShare < HAND_OFF_MAX_CONFLICT_SHARE;
  }

  /** Counts a commit's outcome into the moving share of conflicts (see HAND_OFF_MAX_CONFLICT_SHARE). */
  private noteCommit(reply: KvReply): void {
    const conflicted = !reply.ok && reply.error.kind === 'conflict';
    this.conflictShare += CONFLICT_SHARE_WEIGHT * ((conflicted ? 1 : 0) - this.conflictShare);
  }

  /**
   * A handed-off commit (protocol.ts, the commit's `rerun`): the worker is free at once and takes
   * the next request while the commit is validated and made durable. Its request is answered
   * with the response that came along if the commit succeeds, whatever became of the worker
   * meanwhile; if it fails, the request queues again first in its client's queue (its deadline
   * still counted from its arrival) to run as `rerun` says, without handing off: after a
   * conflict, the next attempt; after any other failure, the same attempt, so that the worker
   * reports the failure as it would have.
   */
  private handOff(slot: Slot, m: Extract<KvRequest, { op: 'commit' }>, answer: AnswerMessage, rerun: CommitRerun): void {
    const job = slot.job;
    if (!job || answer.id !== slot.jobId) {
      // Answered already (it overran its deadline): nothing of it may commit.
      void slot.kv.handle({ type: 'kv', id: m.id, op: 'rollback', txn: m.txn });
      return;
    }
    // Synchronously up to the commit's queueing: the transaction leaves the worker's host now.
    const committed = slot.kv.handle(m);
    this.counters.handedOff++;
    this.finish(slot);
    this.dispatch();
    // The request's deadline still binds while its commit is out of every worker: storage that
    // hangs (a stalled disk) must not hold the client past it. It is answered `time_out`, as
    // when a worker overran its deadline mid-commit; the commit may still land (an unknown
    // outcome either way), and its result is then only counted.
    let answered = false;
    const overrun = setTimeout(() => {
      answered = true;
      this.counters.handedOffOverran++;
      job.resolve(job.failure({ kind: 'timeout', elapsedMs: performance.now() - job.req.receivedAt }));
    }, Math.max(0, job.deadline - performance.now()) + this.grace);
    void committed.then((reply) => {
      clearTimeout(overrun);
      this.noteCommit(reply);
      if (answered) return;
      if (reply.ok) {
        this.counters.answeredWithCommit++;
        job.resolve({ status: answer.status, headers: answer.headers, body: answer.body, report: answer.report as ResponseReport | undefined });
        return;
      }
      this.counters.rerunAfterHandOff++;
      // Not handed off again: its worker waits for the commit, as without hand-offs, so requests
      // contending for one key retry no more concurrently than there are workers (handing each
      // retry off as well, ten increments of one counter through one worker took nine retries).
      const conflict = reply.error.kind === 'conflict';
      this.requeue({ ...job, rerun: conflict ? rerun : { ...rerun, attempt: rerun.attempt - 1 }, noHandOff: true });
    });
  }

  /** Queues `job` again, first in its client's queue. */
  private requeue(job: Job): void {
    if (this.closed) {
      job.resolve(job.failure({ kind: 'overloaded', elapsedMs: performance.now() - job.req.receivedAt }));
      return;
    }
    let q = this.queues.get(job.client);
    if (!q) this.queues.set(job.client, (q = []));
    q.unshift(job);
    this.queued++;
    this.dispatch();
  }

  /**
   * The slot's request needs access provider keys: free the worker, obtain them here (joining a
   * fetch in flight; at most until the request's deadline), then queue the request again first
   * in its client's queue, carrying the keys.
   */
  private awaitKeys(slot: Slot, m: NeedKeysMessage): void {
    const job = slot.job;
    if (!job || m.id !== slot.jobId) return;
    this.counters.neededKeys++;
    this.finish(slot);
    this.dispatch();
    const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
    const { uri } = m.want;
    this.awaitingKeys++;
    void this.keys.ensure(m.want, job.deadline - performance.now() - JWKS_DEADLINE_MARGIN_MS).then(() => {
      this.awaitingKeys--;
      const state = this.keys.state(uri);
      this.requeue({ ...job, body, keys: { uri, ...(state ? { state } : {}) } });
    });
  }

  /** Answers the slot's request `id` if it is still the current one, and frees the worker. */
  private deliver(slot: Slot, id: number, m: Omit<ResponseMessage, 'type' | 'id'>): boolean {
    const job = slot.job;
    if (!job || id !== slot.jobId) return false;
    this.finish(slot);
    const body = m.body === undefined || typeof m.body === 'string'
      ? m.body
      : Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
    job.resolve({ status: m.status, headers: m.headers, body, report: m.report });
    this.dispatch();
    return true;
  }

  /** The worker ended without being asked to (out of memory, a crash). */
  private onDeath(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    this.slots.delete(slot);
    const job = slot.job;
    if (job) {
      this.finish(slot);
      this.counters.crashed++;
      const elapsedMs = performance.now() - job.req.receivedAt;
      job.resolve(job.failure({ kind: performance.now() > job.deadline ? 'timeout' : 'crashed', elapsedMs }));
    }
    void slot.kv.abandonAll();
    if (!slot.ready) {
      // It died while starting (a broken installation, no memory for another isolate):
      // starting more at once would spin, so wait a little, and tell waiting clients now.
      this.failedStarts++;
      this.failQueued('crashed');
      if (!this.restartTimer) {
        this.restartTimer = setTimeout(() => {
          this.restartTimer = undefined;
          this.refill();
        }, Math.min(5000, 100 * 2 ** Math.min(this.failedStarts, 6)));
        this.restartTimer.unref();
      }
      return;
    }
    this.refill();
  }

  /** Answers every waiting request with `kind` (no worker can take them now). */
  private failQueued(kind: PoolFailure['kind']): void {
    for (const q of this.queues.values()) {
      for (const job of q) job.resolve(job.failure({ kind, elapsedMs: performance.now() - job.req.receivedAt }));
    }
    this.queues.clear();
    this.queued = 0;
  }

  private finish(slot: Slot): void {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.idleSince = performance.now();
    if (slot.preTxn !== undefined) {
      void slot.kv.discard(slot.preTxn);
      slot.preTxn = undefined;
    }
    if (job) {
      const n = (this.running.get(job.client) ?? 1) - 1;
      if (n <= 0) this.running.delete(job.client);
      else this.running.set(job.client, n);
    }
  }

  /** Whether `client` made the pool terminate MAX_KILLS_PER_CLIENT workers within KILL_WINDOW_MS. */
  private killedTooOften(client: string): boolean {
    const times = this.kills.get(client);
    if (times === undefined) return false;
    const since = performance.now() - KILL_WINDOW_MS;
    while (times.length > 0 && times[0] < since) times.shift();
    if (times.length === 0) this.kills.delete(client);
    return times.length >= MAX_KILLS_PER_CLIENT;
  }

  /** The deadline passed and the worker did not answer: end it. */
  private onOverrun(slot: Slot): void {
    const job = slot.job;
    if (!job || slot.dead) return;
    this.counters.terminatedOnDeadline++;
    const times = this.kills.get(job.client) ?? [];
    times.push(performance.now());
    this.kills.set(job.client, times.slice(-MAX_KILLS_PER_CLIENT));
    this.finish(slot);
    job.resolve(job.failure({ kind: 'timeout', elapsedMs: performance.now() - job.req.receivedAt }));
    void this.kill(slot).then(() => this.refill());
  }

  private async kill(slot: Slot): Promise<void> {
    if (!slot.dead) {
      slot.dead = true;
      this.slots.delete(slot);
    }
    if (slot.timer) clearTimeout(slot.timer);
    await slot.worker.terminate().catch(() => undefined);
    await slot.kv.abandonAll();
  }

  /** Keep the minimum alive and serve what waits. */
  private refill(): void {
    if (this.closed) return;
    if (this.restartTimer) return;
    while (this.slots.size < this.min) this.spawn();
    this.dispatch();
  }

  /**
   * The waiting client with the fewest requests running (ties: first to arrive), among those
   * below the per-client cap. The cap protects other clients' share, so it binds only while
   * another client is waiting: a client alone in the queue (one application backend) may keep
   * all regular workers busy, but never takes the last idle worker, which stays ready for a
   * client that arrives meanwhile (starting one takes a while).
   */
  private nextClient(): string | undefined {
    let best: string | undefined;
    let bestRunning = Infinity;
    for (const client of this.queues.keys()) {
      const r = this.running.get(client) ?? 0;
      if (r < bestRunning && r < this.perClient) {
        best = client;
        bestRunning = r;
      }
    }
    if (best === undefined && this.queues.size === 1) {
      const [only] = this.queues.keys();
      if ((this.running.get(only) ?? 0) < this.max && this.idle >= 2) return only;
    }
    return best;
  }

  private dispatch(): void {
    while (this.queued > 0 && !this.closed) {
      const client = this.nextClient();
      if (client === undefined) break;
      const slot = this.idleSlot();
      if (!slot) {
        const starting = [...this.slots].some((s) => !s.ready && !s.dead);
        const fresh = (this.running.get(client) ?? 0) === 0;
        const limit = fresh ? this.max + this.reserve : this.max;
        if (!starting && !this.restartTimer && this.slots.size < limit) this.spawn();
        else if (fresh && !starting && !this.restartTimer) this.preemptFor(client);
        return;
      }
      const q = this.queues.get(client)!;
      const job = q.shift()!;
      this.waitingJobs.delete(job);
      if (q.length === 0) this.queues.delete(client);
      this.queued--;
      this.start(slot, job);
    }
    this.keepSpare();
  }

  /**
   * Gives a worker to `client` (nothing running, every worker busy, no more may start): the
   * query that has run longest past PREEMPT_AFTER_MS, among the clients holding the most
   * workers, is stopped and answered 429, and its worker replaced. Queries only (v10 and v4):
   * schema pushes and the jobs of event streams run to their own ends.
   */
  private preemptFor(client: string): void {
    const now = performance.now();
    const after = this.opts.preemptAfterMs ?? PREEMPT_AFTER_MS;
    let victim: Slot | undefined;
    let victimHeld = 0;
    let soonest = Infinity;
    for (const s of this.slots) {
      const job = s.job;
      if (s.dead || job === undefined || job.client === client || (job.route !== 'query' && job.route !== 'v4')) continue;
      if (now - s.startedAt < after) {
        soonest = Math.min(soonest, s.startedAt + after - now);
        continue;
      }
      const held = this.running.get(job.client) ?? 0;
      if (victim === undefined || held > victimHeld || (held === victimHeld && s.startedAt < victim.startedAt)) {
        victim = s;
        victimHeld = held;
      }
    }
    if (victim === undefined) {
      // Look again once the first of them may be stopped (unless a worker frees up before).
      if (soonest < Infinity && this.preemptTimer === undefined) {
        this.preemptTimer = setTimeout(() => {
          this.preemptTimer = undefined;
          this.dispatch();
        }, soonest + 1);
        this.preemptTimer.unref();
      }
      return;
    }
    const job = victim.job!;
    this.counters.preempted++;
    this.finish(victim);
    job.resolve(job.failure({ kind: 'overloaded', elapsedMs: now - job.req.receivedAt }));
    void this.kill(victim).then(() => this.refill());
  }

  /**
   * Starting a worker takes a while (a new isolate loads the whole query runtime), so while
   * every worker is busy one more is started ahead of need, up to the reserve: the next client
   * then finds it ready instead of waiting behind whoever holds the others. While requests wait
   * that no idle worker may take (a client alone beyond its cap leaves the last one), two.
   */
  private keepSpare(): void {
    if (this.closed || this.restartTimer || this.slots.size >= this.max + this.reserve) return;
    if (this.idle >= (this.queued > 0 ? 2 : 1)) return;
    if ([...this.slots].some((s) => !s.ready && !s.dead)) return;
    this.spawn();
  }

  private idleSlot(): Slot | undefined {
    for (const s of this.slots) if (s.ready && !s.dead && !s.job) return s;
    return undefined;
  }

  private start(slot: Slot, job: Job): void {
    const now = performance.now();
    if (now > job.deadline) {
      // It waited past its deadline in the queue: answer without running it.
      job.resolve(job.failure({ kind: 'timeout', elapsedMs: now - job.req.receivedAt, queued: true }));
      return;
    }
    if (job.req.closed === true) {
      // Its client went away while it waited: nobody would read the answer.
      job.resolve(job.failure({ kind: 'overloaded', elapsedMs: now - job.req.receivedAt }));
      return;
    }
    if (this.unread(job)) {
      // Its client stopped reading its answers while it waited.
      job.resolve(job.failure({ kind: 'unread', elapsedMs: now - job.req.receivedAt, queued: true }));
      return;
    }
    slot.job = job;
    slot.jobId = this.nextJob++;
    slot.startedAt = now;
    this.running.set(job.client, (this.running.get(job.client) ?? 0) + 1);
    const { req } = job;
    const qs = req.query.toString();
    // A body that owns its whole buffer is moved to the worker; any other is copied to a buffer
    // of its own size first, since cloning a view clones all of the memory behind it (a
    // socket's read buffer, tens of kilobytes, for a body of a few bytes).
    const b = job.body;
    const movable = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
    const body = movable ? b : new Uint8Array(b);
    // A query whose commit the worker may hand off (handOff) keeps its body here, to run again:
    // its own buffer is then sent as a copy, not moved (only small bodies, as almost all are).
    const rerunnable = job.route === 'query' && job.noHandOff !== true && this.opts.engine.kind === 'sqlite' && b.byteLength <= RERUNNABLE_BODY_BYTES &&
      this.handsOff;
    const pre = slot.kv.preBegin();
    slot.preTxn = pre?.txn;
    const ack = slot.heldAck;
    slot.heldAck = undefined;
    if (ack !== undefined) this.counters.acksWithRequest++;
    const msg: RequestMessage = {
      type: 'request', id: slot.jobId, route: job.route, method: req.method, path: req.path, query: qs,
      headers: req.headers, httpVersion: req.httpVersion, receivedAtEpoch: performance.timeOrigin + req.receivedAt,
      body, ...(pre !== undefined ? { pre } : {}), ...(ack !== undefined ? { ack } : {}), ...(job.keys !== undefined ? { keys: job.keys } : {}),
      ...(rerunnable ? { rerunnable: true as const } : {}), ...(job.rerun !== undefined ? { rerun: job.rerun } : {}),
    };
    slot.timer = setTimeout(() => this.onOverrun(slot), Math.max(0, job.deadline - now) + this.grace);
    slot.worker.postMessage(msg satisfies ToWorker, !movable ? [body.buffer as ArrayBuffer] : rerunnable ? [] : [job.body.buffer as ArrayBuffer]);
  }

  /** Whether `job`'s client must read its answers before it runs more (PoolOptions.responses). */
  private unread(job: PoolJob): boolean {
    if (job.route === 'events' || this.opts.responses?.refuses(job.client) !== true) return false;
    this.counters.refusedUnread++;
    return true;
  }

  private retireIdle(): void {
    const now = performance.now();
    for (const s of this.slots) {
      if (this.slots.size <= this.min) return;
      if (s.ready && !s.job && now - s.idleSince > this.idleMs) void this.kill(s);
    }
  }
}
