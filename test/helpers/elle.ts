// A history checker in the style of Jepsen's Elle, specialised to a store that assigns every
// transaction a timestamp (txn_ts) and claims strict serializability in timestamp order.
//
// Because the claimed serial order is known (ascending txn_ts), no dependency-graph search is
// needed: the checker replays the committed transactions in that order against a model and
// checks that every read returned exactly the model's state at that point. Any read the order
// does not explain is an anomaly, classified by how it disagrees with the order:
//   - reading a value no committed transaction wrote: garbage, or an aborted/unknown-but-not-
//     committed writer's value (G1a, or a partial effect of a transaction that did not commit);
//   - reading a write with a higher ts (a write-read edge against ts order: with the order's
//     own edges this closes a cycle, G1c);
//   - missing a write with a lower ts (an anti-dependency against ts order: G-single/G2; "stale"
//     when a later read sees it, "lost" when no later read ever does), a list whose elements are
//     in another order than their appends (write-write edge against ts order: G0), an element
//     appended twice (duplicate);
//   - a range read whose membership differs from the model's (phantom, predicate G2).
// Besides the reads it checks that every acknowledged transaction committed with the ts it
// reported and no failed one committed, that committed writers have distinct timestamps, that
// real-time order is respected (a transaction acknowledged before another was invoked has the
// lower ts), and that historical reads (`at(ts)`, re-run later) equal the model's state at ts.
//
// Outcomes: 'ok' (acknowledged), 'fail' (a definite error: did not commit), 'unknown' (timeout,
// connection lost, server killed: may or may not have committed). Which writers committed, and
// at which ts, is ground truth from the store itself (`commits`: every writing transaction also
// creates a marker document named after its op id; see consistency-checker.test.ts), so an
// unknown transaction is replayed with all its effects or none: a partial effect shows up as a
// read the replay does not explain.

export type Mop =
  /** Appends `v` (unique per key) to the list at `k`. */
  | { readonly f: 'append'; readonly k: string; readonly v: number }
  /** Sets `k` to `v`; with `g`, also moves the key into group `g` (for range reads). */
  | { readonly f: 'w'; readonly k: string; readonly v: unknown; readonly g?: number }
  /** Read of `k`: its list or register value, null when absent. */
  | { readonly f: 'r'; readonly k: string; readonly value: unknown }
  /** Read of every key in group `g`: key -> value. */
  | { readonly f: 'range'; readonly g: number; readonly value: Readonly<Record<string, unknown>> };

export type Outcome = 'ok' | 'fail' | 'unknown';

export interface Op {
  readonly id: number;
  readonly mops: readonly Mop[];
  /** Monotonic clock (one clock for the whole history), when the request was sent. */
  readonly invoke: number;
  /** Same clock, when the response (or error) arrived. */
  readonly complete: number;
  /** The response's txn_ts (ok, and fail when the server reported one). */
  readonly ts?: bigint;
  readonly outcome: Outcome;
}

/** A historical read (`at(ts) { read k }`) made after the fact. */
export interface SnapshotRead {
  readonly ts: bigint;
  readonly k: string;
  readonly value: unknown;
}

export interface Anomaly {
  readonly kind: AnomalyKind;
  /** The op(s) involved, reader first. */
  readonly ops: readonly number[];
  readonly detail: string;
}

export type AnomalyKind =
  | 'lost-write' // acknowledged, but no commit record
  | 'ts-mismatch' // acknowledged with a txn_ts other than its commit ts
  | 'aborted-committed' // reported failed, yet committed
  | 'duplicate-ts' // two committed writers share a ts
  | 'garbage-read' // a value nobody wrote
  | 'G1a-aborted-read' // a value written by a transaction that did not commit
  | 'G1c-future-read' // a value written at a higher ts
  | 'stale-read' // missed a lower-ts write that later reads see (G-single/G2)
  | 'lost-append' // missed a lower-ts append that no later read sees (lost update)
  | 'G0-write-order' // list elements in another order than their appends' ts order
  | 'duplicate-append'
  | 'phantom' // a range read with keys the model does not have in that group, or vice versa
  | 'realtime' // acknowledged before the other was invoked, yet not a lower ts
  | 'non-repeatable-at'; // an at(ts) re-read that disagrees with the history

export interface CheckInput {
  readonly history: readonly Op[];
  /** Op id -> commit ts, for every op with writes that committed (ground truth from the store). */
  readonly commits: ReadonlyMap<number, bigint>;
  readonly snapshots?: readonly SnapshotRead[];
}

export interface CheckResult {
  readonly anomalies: readonly Anomaly[];
  /** Transactions replayed (committed), and reads verified. */
  readonly committed: number;
  readonly readsChecked: number;
  readonly counts: Readonly<Record<Outcome, number>>;
}

interface Committed {
  readonly op: Op;
  readonly ts: bigint;
  readonly writes: boolean;
}

const hasWrites = (op: Op) => op.mops.some((m) => m.f === 'append' || m.f === 'w');

export function check(input: CheckInput): CheckResult {
  const anomalies: Anomaly[] = [];
  const flag = (kind: AnomalyKind, ops: readonly number[], detail: string) => anomalies.push({ kind, ops, detail });
  const counts: Record<Outcome, number> = { ok: 0, fail: 0, unknown: 0 };
  const committed: Committed[] = [];

  for (const op of input.history) {
    counts[op.outcome]++;
    const writes = hasWrites(op);
    const commitTs = writes ? input.commits.get(op.id) : undefined;
    if (op.outcome === 'ok') {
      if (writes && commitTs === undefined) flag('lost-write', [op.id], `op ${op.id} was acknowledged at ts ${op.ts} but never committed`);
      else if (writes && commitTs !== op.ts) flag('ts-mismatch', [op.id], `op ${op.id} acknowledged with txn_ts ${op.ts}, committed at ${commitTs}`);
      if (op.ts === undefined) throw new Error(`op ${op.id} is ok but has no txn_ts`);
      committed.push({ op, ts: commitTs ?? op.ts, writes });
    } else if (commitTs !== undefined) {
      if (op.outcome === 'fail') flag('aborted-committed', [op.id], `op ${op.id} failed, yet committed at ts ${commitTs}`);
      // An unknown outcome that committed: replayed with its commit ts (all effects or none).
      committed.push({ op, ts: commitTs, writes });
    }
  }
  // Serial order: ts, and at equal ts writers before readers (a read at ts sees writes at ts).
  committed.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : Number(b.writes) - Number(a.writes)));
  for (let i = 1; i < committed.length; i++) {
    const [a, b] = [committed[i - 1], committed[i]];
    if (a.writes && b.writes && a.ts === b.ts) flag('duplicate-ts', [a.op.id, b.op.id], `ops ${a.op.id} and ${b.op.id} both wrote at ts ${a.ts}`);
  }

  const writers = indexWriters(input.history);
  const commitTsOf = new Map(committed.map((c) => [c.op.id, c.ts]));
  const seenLater = laterObservations(committed);
  let readsChecked = 0;

  // Replay.
  const state = new Map<string, unknown>();
  const group = new Map<string, number>();
  const explain: ReadExplainer = { writers, commitTsOf, seenLater, flag };
  for (const c of committed) {
    // An unknown outcome that committed is replayed for its writes; its reads were never seen.
    const observed = c.op.outcome === 'ok';
    for (const m of c.op.mops) {
      if (!observed && (m.f === 'r' || m.f === 'range')) continue;
      switch (m.f) {
        case 'append': state.set(m.k, [...((state.get(m.k) as number[] | undefined) ?? []), m.v]); break;
        case 'w':
          state.set(m.k, m.v);
          if (m.g !== undefined) group.set(m.k, m.g);
          break;
        case 'r':
          readsChecked++;
          checkRead(explain, c, m.k, m.value, state.get(m.k) ?? null);
          break;
        case 'range': {
          readsChecked++;
          const expected: Record<string, unknown> = {};
          for (const [k, g] of group) if (g === m.g) expected[k] = state.get(k) ?? null;
          checkRange(explain, c, m.g, m.value, expected);
          break;
        }
      }
    }
  }

  checkRealtime(committed, flag);
  if (input.snapshots) checkSnapshots(committed, input.snapshots, flag);
  return { anomalies, committed: committed.length, readsChecked, counts };
}

// ---- reads ----

interface ReadExplainer {
  /** `${k}\0${json(value)}` -> op that wrote it (register values, list elements). */
  readonly writers: ReadonlyMap<string, Op>;
  readonly commitTsOf: ReadonlyMap<number, bigint>;
  /** `${k}\0${json(element)}` -> highest ts of a read that observed that list element. */
  readonly seenLater: ReadonlyMap<string, bigint>;
  readonly flag: (kind: AnomalyKind, ops: readonly number[], detail: string) => void;
}

const wkey = (k: string, v: unknown) => `${k}\0${JSON.stringify(v)}`;

function indexWriters(history: readonly Op[]): Map<string, Op> {
  const out = new Map<string, Op>();
  for (const op of history) {
    for (const m of op.mops) {
      if (m.f === 'append') out.set(wkey(m.k, m.v), op);
      else if (m.f === 'w' && !Array.isArray(m.v)) out.set(wkey(m.k, m.v), op);
    }
  }
  return out;
}

function laterObservations(committed: readonly Committed[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const c of committed) {
    // An unknown outcome that committed is replayed for its writes; its reads were never seen.
    const observed = c.op.outcome === 'ok';
    for (const m of c.op.mops) {
      if (!observed && (m.f === 'r' || m.f === 'range')) continue;
      if (m.f !== 'r' || !Array.isArray(m.value)) continue;
      for (const x of m.value) {
        const key = wkey(m.k, x);
        const prev = out.get(key);
        if (prev === undefined || prev < c.ts) out.set(key, c.ts);
      }
    }
  }
  return out;
}

/**
 * A single value the reader observed, written by someone: flags it if that writer did not
 * commit or committed after the reader. True if it is explained by the ts order so far.
 */
function checkSource(x: ReadExplainer, reader: Committed, k: string, v: unknown, what: string): boolean {
  const w = x.writers.get(wkey(k, v));
  if (w === undefined) {
    x.flag('garbage-read', [reader.op.id], `op ${reader.op.id} read ${what} of ${k} that no transaction wrote`);
    return false;
  }
  if (w === reader.op) return true;
  const wts = x.commitTsOf.get(w.id);
  if (wts === undefined) {
    x.flag('G1a-aborted-read', [reader.op.id, w.id],
      `op ${reader.op.id} (ts ${reader.ts}) read ${what} of ${k} written by op ${w.id}, which did not commit (${w.outcome})`);
    return false;
  }
  if (wts > reader.ts) {
    x.flag('G1c-future-read', [reader.op.id, w.id],
      `op ${reader.op.id} (ts ${reader.ts}) read ${what} of ${k} written by op ${w.id} at the later ts ${wts}`);
    return false;
  }
  return true;
}

function checkRead(x: ReadExplainer, reader: Committed, k: string, observed: unknown, expected: unknown): void {
  if (deepEqual(observed, expected)) return;
  if (Array.isArray(observed) || Array.isArray(expected)) {
    checkListRead(x, reader, k, (observed as number[] | null) ?? [], (expected as number[] | null) ?? [], observed === null);
    return;
  }
  // Register: the value read must come from a committed write at or below the reader's ts (an
  // absent key, null, comes from no write); if it does, it is an older write than the last one.
  if (observed !== null && !checkSource(x, reader, k, observed, `value ${JSON.stringify(observed)}`)) return;
  const w = x.writers.get(wkey(k, expected));
  x.flag('stale-read', [reader.op.id, ...(w ? [w.id] : [])],
    `op ${reader.op.id} (ts ${reader.ts}) read ${k} = ${JSON.stringify(observed)}, but ${JSON.stringify(expected)} was written before it` +
    (w ? ` by op ${w.id} (ts ${x.commitTsOf.get(w.id)}${w.complete < reader.op.invoke ? ', acknowledged before the read was invoked' : ''})` : ''));
}

function checkListRead(x: ReadExplainer, reader: Committed, k: string, observed: readonly number[], expected: readonly number[], absent: boolean): void {
  const id = reader.op.id;
  if (absent && expected.length > 0) {
    x.flag('stale-read', [id], `op ${id} (ts ${reader.ts}) found list ${k} absent, expected ${JSON.stringify(expected)}`);
    return;
  }
  let explained = true;
  const seen = new Set<number>();
  for (const v of observed) {
    if (seen.has(v)) {
      x.flag('duplicate-append', [id], `op ${id} read ${k} = ${JSON.stringify(observed)}: ${v} appears twice`);
      explained = false;
    }
    seen.add(v);
    if (!checkSource(x, reader, k, v, `element ${v}`)) explained = false;
  }
  for (const v of expected) {
    if (seen.has(v)) continue;
    explained = false;
    const w = x.writers.get(wkey(k, v));
    const wid = w ? [w.id] : [];
    const later = x.seenLater.get(wkey(k, v));
    if (later !== undefined && later > reader.ts) {
      x.flag('stale-read', [id, ...wid],
        `op ${id} (ts ${reader.ts}) read ${k} = ${JSON.stringify(observed)} without element ${v}, appended at ts ${w && x.commitTsOf.get(w.id)} by op ${w?.id} and seen by a read at ts ${later}`);
    } else {
      x.flag('lost-append', [id, ...wid],
        `op ${id} (ts ${reader.ts}) read ${k} = ${JSON.stringify(observed)} without element ${v}, appended at ts ${w && x.commitTsOf.get(w.id)} by op ${w?.id} (${w?.outcome}); no later read sees it`);
    }
  }
  if (explained) {
    // Same elements, different order: the appends took effect in another order than their ts.
    x.flag('G0-write-order', [id], `op ${id} (ts ${reader.ts}) read ${k} = ${JSON.stringify(observed)}, ts order gives ${JSON.stringify(expected)}`);
  }
}

function checkRange(x: ReadExplainer, reader: Committed, g: number, observed: Readonly<Record<string, unknown>>, expected: Readonly<Record<string, unknown>>): void {
  for (const k of new Set([...Object.keys(observed), ...Object.keys(expected)])) {
    const inObs = Object.prototype.hasOwnProperty.call(observed, k);
    const inExp = Object.prototype.hasOwnProperty.call(expected, k);
    if (inObs && inExp) {
      checkRead(x, reader, k, observed[k], expected[k]);
    } else {
      const w = x.writers.get(wkey(k, inObs ? observed[k] : expected[k]));
      x.flag('phantom', [reader.op.id, ...(w && w !== reader.op ? [w.id] : [])],
        `op ${reader.op.id} (ts ${reader.ts}) read group ${g} ${inObs ? 'with' : 'without'} ${k} (= ${JSON.stringify(inObs ? observed[k] : expected[k])}); ts order has it ${inExp ? 'in' : 'outside'} the group`);
    }
  }
}

// ---- real-time order ----

/**
 * Every transaction acknowledged before another was invoked has the lower ts — or, when the
 * later one only reads, possibly the same ts: it then reads the state at that ts, which holds
 * everything the earlier one wrote or read, so the serial order (ts, then real time among equal
 * ts) still has it after the earlier one. Readers capped below a writer in flight share their ts
 * on PostgreSQL (postgres/engine.ts, "Readers"), as Fauna's reads at one snapshot do; a later
 * writer never shares a ts (it reads and writes after the earlier one). One sweep: ops by
 * completion, the others by invocation, tracking the highest ts acknowledged so far.
 */
function checkRealtime(committed: readonly Committed[], flag: ReadExplainer['flag']): void {
  const acked = committed.filter((c) => c.op.outcome === 'ok').sort((a, b) => a.op.complete - b.op.complete);
  const byInvoke = [...committed].sort((a, b) => a.op.invoke - b.op.invoke);
  let i = 0;
  let max: Committed | undefined;
  for (const b of byInvoke) {
    while (i < acked.length && acked[i].op.complete < b.op.invoke) {
      if (max === undefined || acked[i].ts > max.ts) max = acked[i];
      i++;
    }
    if (max !== undefined && (max.ts > b.ts || (max.ts === b.ts && b.writes))) {
      flag('realtime', [b.op.id, max.op.id],
        `op ${max.op.id} (ts ${max.ts}) was acknowledged before op ${b.op.id} was invoked, yet op ${b.op.id} has ts ${b.ts}`);
    }
  }
}

// ---- historical reads ----

/** Each at(ts) read equals the state after every committed write with ts <= its ts. */
function checkSnapshots(committed: readonly Committed[], snapshots: readonly SnapshotRead[], flag: ReadExplainer['flag']): void {
  const sorted = [...snapshots].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const state = new Map<string, unknown>();
  let i = 0;
  for (const s of sorted) {
    for (; i < committed.length && committed[i].ts <= s.ts; i++) {
      for (const m of committed[i].op.mops) {
        if (m.f === 'append') state.set(m.k, [...((state.get(m.k) as number[] | undefined) ?? []), m.v]);
        else if (m.f === 'w') state.set(m.k, m.v);
      }
    }
    const expected = state.get(s.k) ?? null;
    if (!deepEqual(s.value, expected)) {
      flag('non-repeatable-at', [], `at(${s.ts}) read ${s.k} = ${JSON.stringify(s.value)}; the committed history gives ${JSON.stringify(expected)}`);
    }
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A one-line summary per anomaly kind, with the first example of each. */
export function summarize(anomalies: readonly Anomaly[]): string {
  const byKind = new Map<string, Anomaly[]>();
  for (const a of anomalies) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
  return [...byKind].map(([k, as]) => `${k} x${as.length}: ${as[0].detail}`).join('\n');
}

/**
 * A minimal history for an anomaly: the ops it involves, plus the ops that wrote the keys they
 * touch at a ts between the involved ops' lowest and highest (`commits`, and ok ops' ts).
 */
export function minimalHistory(history: readonly Op[], a: Anomaly, commits: ReadonlyMap<number, bigint> = new Map()): Op[] {
  const involved = new Set(a.ops);
  const tsOf = (op: Op) => commits.get(op.id) ?? op.ts;
  const keys = new Set<string>();
  const tss: bigint[] = [];
  for (const op of history) {
    if (!involved.has(op.id)) continue;
    for (const m of op.mops) if (m.f !== 'range') keys.add(m.k);
    const ts = tsOf(op);
    if (ts !== undefined) tss.push(ts);
  }
  const lo = tss.reduce((x, y) => (y < x ? y : x), tss[0] ?? 0n);
  const hi = tss.reduce((x, y) => (y > x ? y : x), tss[0] ?? 0n);
  const between = (op: Op) => { const ts = tsOf(op); return ts !== undefined && ts >= lo && ts <= hi; };
  return history.filter((op) => involved.has(op.id)
    || (between(op) && op.mops.some((m) => (m.f === 'append' || m.f === 'w') && keys.has(m.k))));
}
