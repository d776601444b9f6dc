// Strict serializability, checked from the outside (issue 12, "Correctness, proven"): many
// concurrent clients of the official `fauna` driver run random transactions against real server
// processes while faults are injected, every operation is recorded (invoke/complete times,
// txn_ts, results, outcome ok / fail / unknown), and the Elle-style checker of
// test/helpers/elle.ts replays the committed transactions in txn_ts order and verifies every
// read, real-time order and historical at(ts) reads (re-read during and after the run).
// Workloads, mixed in one run over a few hot keys:
//   - list-append: documents K(id) holding `vals`, micro-ops read / append of a unique value;
//   - read-write registers: documents Reg(id) with `v` and a group `g`, micro-ops read / write
//     (a write also moves the register to a random group) / range read of `Reg.byGroup(g)`, which
//     catches phantoms.
// Every transaction with writes also creates Op(<op id>): after the run, the Op documents say
// which transactions committed and at which ts, including those whose outcome the client never
// learned (kill -9, terminated connections), so those are replayed with all effects or none.
// SQLite: one process, killed with SIGKILL mid-run and restarted on the same data directory.
// PostgreSQL (the suite's second pass, FQL_TEST_STORAGE=postgres): two processes on one database;
// one is killed and restarted, the server's backends are terminated with pg_terminate_backend,
// and with FQL_TEST_PG_CTL_FAULTS=1 (it restarts the whole test cluster, so it is opt-in: other
// suites running at the same time would fail) `pg_ctl restart -m immediate`.
// Diagnosis: FQL_TEST_DEBUG=1 logs faults and unknown outcomes; FQL_TEST_ELLE_NO_FAULTS=1 runs the
// PostgreSQL workload without faults.
// The negative control runs each engine with the test-only FQL_TEST_UNSAFE_NO_VALIDATION=1 (commit
// validation off, see src/storage/sqlite/engine.ts, src/storage/postgres/txn.ts) and asserts the
// checker flags it.
// Semantics checked: Fauna's transactions are strictly serializable and txn_ts is the commit
// timestamp (docs.fauna.com "Consistency"; core's ext/api/src/test/scala/fql2/*Spec.scala on at()).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client, ServiceError, fql, type Query } from 'fauna';
import { pgRows, startServer, type TestServer } from '../helpers/server';
import { check, minimalHistory, summarize, type CheckResult, type Mop, type Op, type Outcome, type SnapshotRead } from '../helpers/elle';

const LIST_IDS = ['1', '2', '3', '4'];
const REG_IDS = ['101', '102', '103', '104', '105'];
const GROUPS = [0, 1, 2];
const listKey = (id: string) => `K${id}`;
const regKey = (id: string) => `R${id}`;

/** A query from plain text: every value spliced in is an integer or a digit-only id we made. */
const raw = (text: string): Query => fql(Object.assign([text], { raw: [text] }));

const debug = (msg: string) => { if (process.env.FQL_TEST_DEBUG) console.error(`# ${msg}`); };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

/** A micro-op before it ran: reads have no value yet. */
type Plan =
  | { readonly f: 'append'; readonly id: string; readonly v: number }
  | { readonly f: 'w'; readonly id: string; readonly v: number; readonly g: number }
  | { readonly f: 'r'; readonly id: string; readonly list: boolean }
  | { readonly f: 'range'; readonly g: number };

let unique = 0;
function randomPlan(): Plan[] {
  const n = 1 + Math.floor(Math.random() * 4);
  const list = Math.random() < 0.5;
  return Array.from({ length: n }, (): Plan => {
    const x = Math.random();
    if (list) return x < 0.5 ? { f: 'r', id: pick(LIST_IDS), list: true } : { f: 'append', id: pick(LIST_IDS), v: ++unique };
    if (x < 0.35) return { f: 'r', id: pick(REG_IDS), list: false };
    if (x < 0.7) return { f: 'w', id: pick(REG_IDS), v: ++unique, g: pick(GROUPS) };
    return { f: 'range', g: pick(GROUPS) };
  });
}

const writes = (plan: readonly Plan[]) => plan.some((p) => p.f === 'append' || p.f === 'w');

/**
 * Computed between two micro-ops of a slow transaction (RunOptions.slowShare): 1,200 of a query's
 * 12,000 compute ops, 0.05–0.2 s here, so that a transaction outlives a short snapshot limit.
 */
const SLOW_STEP = 'Set.sequence(0, 30000).reduce((a, b) => a + b)';

/**
 * One FQL transaction: each micro-op in order (computing between them when `slow`), the marker
 * document if it writes, the reads' results.
 */
function planText(opId: number, plan: readonly Plan[], slow = false): string {
  const lines = plan.map((p, i) => {
    switch (p.f) {
      case 'r': return `let r${i} = ${p.list ? `K.byId("${p.id}")?.vals` : `Reg.byId("${p.id}")?.v`}`;
      case 'append': return `let r${i} = K.byId("${p.id}")!.update({ vals: K.byId("${p.id}")!.vals.append(${p.v}) }).id`;
      case 'w': return `let r${i} = Reg.byId("${p.id}")!.update({ v: ${p.v}, g: ${p.g} }).id`;
      case 'range': return `let r${i} = Reg.byGroup(${p.g}).pageSize(1000).map(d => [d.id, d.v]).toArray()`;
    }
  }).flatMap((line, i) => (slow && i < plan.length - 1 ? [line, `let c${i} = ${SLOW_STEP}`] : [line]));
  if (writes(plan)) lines.push(`Op.create({ id: "${opId}" })`);
  lines.push(`[${plan.map((_, i) => `r${i}`).join(', ')}]`);
  return lines.join('\n');
}

function toMops(plan: readonly Plan[], results: readonly unknown[] | undefined): Mop[] {
  return plan.map((p, i): Mop => {
    switch (p.f) {
      case 'append': return { f: 'append', k: listKey(p.id), v: p.v };
      case 'w': return { f: 'w', k: regKey(p.id), v: p.v, g: p.g };
      case 'r': return { f: 'r', k: p.list ? listKey(p.id) : regKey(p.id), value: results?.[i] ?? null };
      case 'range': {
        const value: Record<string, unknown> = {};
        for (const [id, v] of (results?.[i] as [string, unknown][] | undefined) ?? []) value[regKey(id)] = v ?? null;
        return { f: 'range', g: p.g, value };
      }
    }
  });
}

/** A definite refusal (the transaction did not commit) vs. anything that leaves it open. */
function outcomeOf(e: unknown): Outcome {
  // 4xx: the query was rejected before commit (contention, query errors, throttling); 440 is a
  // query timeout, which (like 5xx, network errors and client timeouts) may have committed.
  if (e instanceof ServiceError && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500 && e.httpStatus !== 440) return 'fail';
  return 'unknown';
}

/** ISO time with microseconds, for at(Time(...)). */
function isoMicros(ts: bigint): string {
  const d = new Date(Number(ts / 1000n)).toISOString();
  return `${d.slice(0, 23)}${String(ts % 1000n).padStart(3, '0')}Z`;
}

/** Everything the checker reads in one query (a final read, or a historical one under at()). */
const ALL_READS: Plan[] = [
  ...LIST_IDS.map((id): Plan => ({ f: 'r', id, list: true })),
  ...REG_IDS.map((id): Plan => ({ f: 'r', id, list: false })),
  ...GROUPS.map((g): Plan => ({ f: 'range', g })),
];

/** The servers under test: URLs clients use, and fault injection. */
interface Target {
  readonly urls: () => readonly string[];
  /** Injects the fault named `name` (and recovers from it); returns a description. */
  readonly faults: readonly { readonly at: number; readonly run: () => Promise<string> }[];
}

/** Acknowledged operations below which a run proves nothing (assertClean). */
const MIN_ACKNOWLEDGED = 50;

interface RunOptions {
  readonly target: Target;
  readonly clients: number;
  readonly durationMs: number;
  /** First client, used for setup, final reads and the commit records. */
  readonly admin: () => Client;
  /** What to add to a failure message (server output). */
  readonly diagnose?: () => string;
  /** The share of transactions that compute between their micro-ops (planText `slow`). */
  readonly slowShare?: number;
}

interface RunReport {
  readonly result: CheckResult;
  readonly history: readonly Op[];
  readonly faults: readonly string[];
  readonly snapshots: number;
  readonly commits: ReadonlyMap<number, bigint>;
}

class WatchdogTimeout extends Error {}

/**
 * `p`, or a WatchdogTimeout after `ms`. The driver's HTTP/2 requests can stay pending forever
 * when their server is killed (the session closes without failing its streams); such an op is
 * simply unknown.
 */
function watchdog<T>(p: Promise<T>, ms = 6_000): Promise<T> {
  p.catch(() => { /* settled after the watchdog: nothing learned */ });
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new WatchdogTimeout(`no answer within ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Open driver clients by URL. */
const openClients = new Map<Client, string>();

function newClient(url: string): Client {
  const c = new Client({ endpoint: new URL(url), secret: 'secret', format: 'simple', query_timeout_ms: 5_000, max_contention_retries: 7 });
  openClients.set(c, url);
  return c;
}

function closeClient(c: Client): void {
  if (!openClients.delete(c)) return;
  try { c.close(); } catch { /* already closed */ }
}

/**
 * Closes every client of `url`. The driver shares one HTTP/2 session per endpoint; after its
 * server is killed, requests on it wait until the session's last client closes it.
 */
function closeClientsOf(url: string): void {
  for (const [c, u] of openClients) if (u === url) closeClient(c);
}

async function runWorkload(opts: RunOptions): Promise<RunReport> {
  const history: Op[] = [];
  let nextOp = 0;
  let lastError = '';
  /** Runs one planned transaction on `client` and records it. */
  const perform = async (client: Client, plan: readonly Plan[]): Promise<Op> => {
    const id = ++nextOp;
    const invoke = performance.now();
    let op: Op;
    try {
      const r = await watchdog(client.query(raw(planText(id, plan, Math.random() < (opts.slowShare ?? 0)))));
      op = { id, mops: toMops(plan, r.data as unknown[]), invoke, complete: performance.now(), ts: BigInt(r.txn_ts!), outcome: 'ok' };
    } catch (e) {
      lastError = String(e);
      if (outcomeOf(e) === 'unknown') debug(`unknown: ${(e as Error).constructor.name} ${(e as Error).message.slice(0, 100)}`);
      op = { id, mops: toMops(plan, undefined), invoke, complete: performance.now(), outcome: outcomeOf(e) };
    }
    history.push(op);
    return op;
  };

  // Setup: the collections, then the hot keys, in one recorded transaction.
  const admin = opts.admin();
  await admin.query(raw(`Collection.create({ name: "K", history_days: 30 })`));
  await admin.query(raw(`Collection.create({ name: "Reg", history_days: 30, indexes: { byGroup: { terms: [{ field: ".g" }] } } })`));
  await admin.query(raw(`Collection.create({ name: "Op" })`));
  const setupPlan = [
    ...LIST_IDS.map((id) => `K.create({ id: "${id}", vals: [] })`),
    ...REG_IDS.map((id) => `Reg.create({ id: "${id}", v: null, g: 0 })`),
  ];
  const setupId = ++nextOp;
  const setup = await admin.query(raw([...setupPlan, `Op.create({ id: "${setupId}" })`, 'null'].join('\n')));
  history.push({
    id: setupId, invoke: 0, complete: performance.now(), ts: BigInt(setup.txn_ts!), outcome: 'ok',
    mops: [...LIST_IDS.map((id): Mop => ({ f: 'w', k: listKey(id), v: [] })), ...REG_IDS.map((id): Mop => ({ f: 'w', k: regKey(id), v: null, g: 0 }))],
  });

  let stop = false;
  const faults: string[] = [];
  const snapshotTargets = new Set<bigint>();
  const snapshots: SnapshotRead[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Historical reads of every key at `ts` (any error: skipped, nothing learned). */
  const readAt = async (client: Client, ts: bigint): Promise<boolean> => {
    const q = raw(`at(Time("${isoMicros(ts)}")) {\n${planText(0, ALL_READS)}\n}`);
    try {
      const r = await watchdog(client.query(q));
      for (const m of toMops(ALL_READS, r.data as unknown[])) if (m.f === 'r') snapshots.push({ ts, k: m.k, value: m.value });
      return true;
    } catch {
      return false;
    }
  };

  const worker = async (w: number) => {
    let client = newClient(opts.target.urls()[w % opts.target.urls().length]);
    while (!stop) {
      const op = await perform(client, randomPlan());
      if (op.outcome === 'unknown') {
        closeClient(client);
        await sleep(150);
        client = newClient(opts.target.urls()[w % opts.target.urls().length]);
      }
    }
    closeClient(client);
  };

  // Historical reads while writers are in flight: at the ts of the latest acknowledged op, the
  // case where a reader's ts can exceed that of a writer that has not committed yet.
  const snapshotter = async () => {
    let client = newClient(opts.target.urls()[0]);
    while (!stop) {
      await sleep(150);
      const latest = history.filter((o) => o.outcome === 'ok').at(-1);
      if (latest?.ts === undefined) continue;
      if (await readAt(client, latest.ts)) snapshotTargets.add(latest.ts);
      else { closeClient(client); client = newClient(opts.target.urls()[0]); }
    }
    closeClient(client);
  };

  const started = performance.now();
  const running = [...Array.from({ length: opts.clients }, (_, w) => worker(w)), snapshotter()];
  for (const f of opts.target.faults) {
    await sleep(Math.max(0, started + f.at - performance.now()));
    faults.push(await f.run());
    debug(`fault: ${faults.at(-1)}`);
  }
  await sleep(Math.max(0, started + opts.durationMs - performance.now()));
  // A loaded machine completes fewer operations in the same time (one run of the slow-transaction
  // workload acknowledged 48): run on, up to three times as long, until enough are acknowledged
  // for the run to mean something (assertClean's floor); a run still short of it fails there.
  const acknowledged = () => history.reduce((n, o) => n + (o.outcome === 'ok' ? 1 : 0), 0);
  while (acknowledged() < MIN_ACKNOWLEDGED && performance.now() < started + 3 * opts.durationMs) await sleep(250);
  stop = true;
  debug(`stopping after ${history.length} ops`);
  await Promise.all(running);
  debug('stopped');

  // Final reads (recorded like any op: every acknowledged write must show here), the commit
  // records, and the historical reads again, now that nothing is in flight.
  // A server's first queries after the database restarted may fail on dead pooled connections.
  let check1 = opts.admin();
  let final = await perform(check1, ALL_READS);
  for (let i = 0; i < 10 && final.outcome !== 'ok'; i++) {
    debug(`final read: ${final.outcome} ${lastError}`);
    closeClient(check1);
    await sleep(300);
    check1 = opts.admin();
    final = await perform(check1, ALL_READS);
  }
  assert.equal(final.outcome, 'ok', `the final read failed: ${lastError}\n${opts.diagnose?.() ?? ''}`);
  const commits = new Map<number, bigint>();
  let page = raw('Op.all().pageSize(1000).map(d => [d.id, d.ts.toMicros()])');
  for (;;) {
    const { data, after } = (await check1.query(page)).data as { data: [string, number][]; after?: string };
    for (const [id, micros] of data) commits.set(Number(id), BigInt(micros));
    if (after === undefined) break;
    page = fql`Set.paginate(${after})`;
  }
  const acked = history.filter((o) => o.outcome === 'ok' && o.ts !== undefined).map((o) => o.ts!);
  for (let i = 0; i < 20 && acked.length > 0; i++) snapshotTargets.add(pick(acked));
  for (const ts of snapshotTargets) assert.ok(await readAt(check1, ts), `at(${ts}) failed`);

  closeClient(check1);
  closeClient(admin);
  const result = check({ history, commits, snapshots });
  return { result, history, faults, snapshots: snapshots.length, commits };

}

function describeRun(name: string, r: RunReport): string {
  const { counts, committed, readsChecked, anomalies } = r.result;
  return `${name}: ${r.history.length} ops (ok ${counts.ok}, fail ${counts.fail}, unknown ${counts.unknown}), ` +
    `${committed} committed replayed, ${readsChecked} reads and ${r.snapshots} historical reads checked, ` +
    `faults: [${r.faults.join('; ')}], anomalies: ${anomalies.length}`;
}

function assertClean(name: string, r: RunReport): void {
  console.log(`# ${describeRun(name, r)}`);
  if (r.result.anomalies.length > 0) {
    const first = r.result.anomalies.find((a) => a.ops.length > 1) ?? r.result.anomalies[0];
    const minimal = minimalHistory(r.history, first, r.commits).map((o) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    assert.fail(`${summarize(r.result.anomalies)}\nminimal history of: ${first.detail}\n${minimal.join('\n')}`);
  }
  assert.ok(r.result.counts.ok >= MIN_ACKNOWLEDGED, `too few acknowledged ops to mean anything: ${r.result.counts.ok}`);
}

const onPostgres = process.env.FQL_TEST_STORAGE === 'postgres';
const servers: TestServer[] = [];
after(async () => { await Promise.all(servers.splice(0).map((s) => s.dispose())); });

function serverStates(): string {
  return servers.map((s, i) => `server ${i} (${s.url}, exit code ${s.proc.exitCode}):\n${s.output().slice(-1500)}`).join('\n');
}

/** Kills `servers[i]` with SIGKILL and starts it again on the same storage and port. */
async function killAndRestart(i: number): Promise<string> {
  const old = servers[i];
  closeClientsOf(old.url);
  await old.kill();
  await new Promise((r) => setTimeout(r, 200));
  servers[i] = await startServer({ dataDir: old.dataDir, storage: old.storage, port: old.port });
  return `kill -9 of server ${i} (pid ${old.proc.pid}), restarted`;
}

if (!onPostgres) {
  describe('consistency checker on SQLite (one process)', () => {
    it('finds no anomaly in list-append, register and range workloads across a kill -9', async () => {
      servers.push(await startServer());
      const report = await runWorkload({
        clients: 10,
        durationMs: 7_000,
        admin: () => newClient(servers[0].url),
        target: { urls: () => [servers[0].url], faults: [{ at: 2_500, run: () => killAndRestart(0) }] },
      });
      assertClean('sqlite', report);
      assert.ok(report.result.counts.unknown >= 1, 'the kill left no operation in flight');
    });

    it('negative control: with validation off (FQL_TEST_UNSAFE_NO_VALIDATION=1) the checker flags anomalies', async () => {
      const s = await startServer({ env: { FQL_TEST_UNSAFE_NO_VALIDATION: '1' } });
      servers.push(s);
      assert.match(s.output(), /commit validation is OFF/);
      const report = await runWorkload({
        clients: 10, durationMs: 4_000, admin: () => newClient(s.url), target: { urls: () => [s.url], faults: [] },
      });
      console.log(`# ${describeRun('negative control', report)}\n# ${summarize(report.result.anomalies).split('\n').join('\n# ')}`);
      const kinds = new Set(report.result.anomalies.map((a) => a.kind));
      assert.ok(kinds.has('lost-append') || kinds.has('stale-read'), `not flagged: ${[...kinds].join(', ')}`);
    });
  });
} else {
  describe('consistency checker on PostgreSQL (two processes on one database)', () => {
    // This checker found (issue 12's note) that a read-only transaction could take its ts while a
    // writer with a lower ts was in flight and miss that writer's effects (stale reads and
    // phantoms against ts order); readers now read at a ts below every writer in flight, and
    // writers commit in ts order (src/storage/postgres/engine.ts).
    it('finds no anomaly across kill -9, pg_terminate_backend and (opt-in) pg_ctl restart -m immediate', async () => {
      servers.push(await startServer());
      servers.push(await startServer({ storage: servers[0].storage }));
      const faults = [
        { at: 1_500, run: () => killAndRestart(0) },
        { at: 3_500, run: () => terminateBackends(servers[0].storage!) },
      ];
      const pgCtl = pgCtlRestart();
      if (pgCtl) faults.push({ at: 5_500, run: pgCtl });
      // FQL_TEST_ELLE_NO_FAULTS=1: the same run without faults (to tell an anomaly's cause).
      if (process.env.FQL_TEST_ELLE_NO_FAULTS === '1') faults.length = 0;
      const report = await runWorkload({
        clients: 12,
        durationMs: 8_000,
        admin: () => newClient(servers[1].url),
        diagnose: serverStates,
        target: { urls: () => servers.map((s) => s.url), faults },
      });
      assertClean('postgres', report);
    });

    it('finds no anomaly when transactions outlive their snapshot (--max-snapshot-ms 100, slow transactions)', async () => {
      // A transaction older than the limit moves to a newer snapshot at its next read (a reader if
      // everything it read reads the same there, a writer if kv_writes shows no commit on what it
      // read), and the database ends a connection idle in its transaction that long (a reader
      // then renews on another connection): src/storage/postgres/txn.ts renew.
      const args = ['--max-snapshot-ms', '100'];
      const first = await startServer({ args });
      servers.push(first);
      servers.push(await startServer({ storage: first.storage, args }));
      const ended = async () => Number((await pgRows<{ n: string }>(first.storage!,
        `SELECT sessions_fatal AS n FROM pg_stat_database WHERE datname = current_database()`))[0].n);
      const endedBefore = await ended();
      const report = await runWorkload({
        clients: 10, durationMs: 8_000, slowShare: 0.25, admin: () => newClient(first.url), diagnose: serverStates,
        target: { urls: () => servers.slice(-2).map((s) => s.url), faults: [] },
      });
      assertClean('postgres, snapshots renewed', report);
      // Slow transactions' connections were ended for idling (and their readers renewed elsewhere).
      assert.ok((await ended()) > endedBefore, 'no connection was ended for idling: the run renewed nothing');
    });

    it('negative control: with validation off (FQL_TEST_UNSAFE_NO_VALIDATION=1) the checker flags anomalies', async () => {
      // Commits still happen in ts order, but nothing checks what a writer read: lost updates.
      const env = { FQL_TEST_UNSAFE_NO_VALIDATION: '1' };
      const first = await startServer({ env });
      servers.push(first);
      servers.push(await startServer({ storage: first.storage, env }));
      assert.match(first.output(), /commit validation is OFF/);
      const report = await runWorkload({
        clients: 12, durationMs: 4_000, admin: () => newClient(first.url), target: { urls: () => servers.slice(-2).map((s) => s.url), faults: [] },
      });
      console.log(`# ${describeRun('negative control', report)}\n# ${summarize(report.result.anomalies).split('\n').join('\n# ')}`);
      const kinds = new Set(report.result.anomalies.map((a) => a.kind));
      assert.ok(kinds.has('lost-append') || kinds.has('stale-read'), `not flagged: ${[...kinds].join(', ')}`);
    });

    it('survives pg_terminate_backend of its connections under load', async () => {
      // Before the fix, a pooled connection broken while checked out (between two statements of
      // a transaction) emitted an unhandled 'error' and the server process exited.
      const s = await startServer();
      servers.push(s);
      assert.equal(await eventually(s.url, 'Collection.create({ name: "Load" }).name'), 'Load');
      let stop = false;
      const load = Array.from({ length: 8 }, async () => {
        const c = newClient(s.url);
        while (!stop) await watchdog(c.query(raw('Load.create({ n: Load.all().count() }).id'))).catch(() => undefined);
        closeClient(c);
      });
      const faults: string[] = [];
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 300));
        faults.push(await terminateBackends(s.storage!));
      }
      stop = true;
      await Promise.all(load);
      assert.equal(s.proc.exitCode, null, `server exited after ${faults.join(', ')}:\n${s.output().slice(-800)}`);
      assert.equal(await eventually(s.url, 'Collection.create({ name: "After" }).name'), 'After');
      assert.equal(s.proc.exitCode, null);
    });
  });
}

/** `q` on `url`, retried while it fails (a query may fail once on a connection the database dropped). */
async function eventually(url: string, q: string, attempts = 10): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const c = newClient(url);
    try {
      return (await watchdog(c.query(raw(q)))).data;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      closeClient(c);
    }
  }
  throw last;
}

/** Terminates every connection to the servers' database (pg_terminate_backend). */
async function terminateBackends(storage: string): Promise<string> {
  const { Client: PgClient } = await import('pg');
  const db = new URL(storage).pathname.slice(1);
  const admin = new PgClient({ connectionString: storage });
  await admin.connect();
  try {
    const r = await admin.query(
      'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
    return `pg_terminate_backend of ${r.rows[0].n} server connections`;
  } finally {
    await admin.end();
  }
}

/** `pg_ctl restart -m immediate` of the test cluster, when FQL_TEST_PG_CTL_FAULTS=1 and it is reachable. */
function pgCtlRestart(): (() => Promise<string>) | undefined {
  const dir = process.env.FQL_PG_CLUSTER_DIR;
  if (process.env.FQL_TEST_PG_CTL_FAULTS !== '1' || !dir || !existsSync(`${dir}/data`)) return undefined;
  const bins = process.env.PG_BIN ? [process.env.PG_BIN]
    : readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`);
  const pgCtl = bins.map((b) => `${b}/pg_ctl`).find(existsSync);
  if (!pgCtl) return undefined;
  return async () => {
    // -l: the restarted postmaster must not inherit our pipes (we would wait for it to exit).
    const cmd = [pgCtl, '-D', `${dir}/data`, '-l', `${dir}/server.log`, '-m', 'immediate', '-w', '-t', '30', 'restart'];
    const asRoot = process.getuid?.() === 0;
    const child = spawn(asRoot ? 'runuser' : cmd[0], asRoot ? ['-u', process.env.PG_TEST_USER ?? 'postgres', '--', ...cmd] : cmd.slice(1), { stdio: 'ignore' });
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    assert.equal(code, 0, 'pg_ctl restart failed');
    return 'pg_ctl restart -m immediate';
  };
}
