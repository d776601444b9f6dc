// The last hour of the server's query metrics in 10-second buckets, for the dashboard
// (`GET /metrics?format=json`). A ring of 360 buckets allocated once: recording a query costs
// a few additions and no allocation, and a bucket is cleared when its slot is reused. Latency
// percentiles come from a small log-scale histogram per bucket (bounded memory whatever the
// load): bins a factor 2^(1/4) wide put an estimate within 10% of the true value, and an
// estimate never leaves the bucket's observed range (exact when a bucket holds one query).

/** The JSON shape the dashboard reads: a contract, do not change it. */
export interface HistoryJson {
  readonly interval_s: number;
  /** Oldest first; the current, partial bucket last. */
  readonly points: HistoryPoint[];
}

export interface HistoryPoint {
  /** Start of the bucket, Unix ms. */
  readonly t: number;
  readonly queries: number;
  readonly qps: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly errors: Record<string, number>;
  readonly compute_ops: number;
  readonly read_ops: number;
  readonly write_ops: number;
  readonly storage_bytes: number;
}

export const BUCKET_MS = 10_000;
/** One hour. */
export const BUCKETS = 360;
/** Distinct error codes one bucket keeps; more (there are not that many codes) count as "other". */
const MAX_CODES_PER_BUCKET = 64;

// Latency bins: bin 0 holds latencies ≤ MIN_MS, bin i (i ≥ 1) those in (upper(i-1), upper(i)]
// with upper(i) = MIN_MS·2^(i/4), the last bin everything above (from about 5 minutes).
const MIN_MS = 0.05;
const BINS_PER_DOUBLING = 4;
export const LATENCY_BINS = 92;

export function latencyBin(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(LATENCY_BINS - 1, Math.ceil(BINS_PER_DOUBLING * Math.log2(ms / MIN_MS) - 1e-9));
}

function binUpper(i: number): number {
  return MIN_MS * 2 ** (i / BINS_PER_DOUBLING);
}

/**
 * The `p` quantile (0 < p ≤ 1) of the latencies counted in `bins` (nearest rank), estimated as
 * the geometric middle of its bin and kept within the observed [minMs, maxMs].
 */
export function percentile(bins: Uint32Array, count: number, minMs: number, maxMs: number, p: number): number {
  if (count === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  let i = 0;
  for (; i < bins.length - 1; i++) {
    seen += bins[i];
    if (seen >= rank) break;
  }
  const estimate = i === 0 ? MIN_MS : i === bins.length - 1 ? maxMs : Math.sqrt(binUpper(i - 1) * binUpper(i));
  return Math.min(maxMs, Math.max(minMs, estimate));
}

export interface QueryOps {
  readonly compute: number;
  readonly read: number;
  readonly write: number;
}

class Bucket {
  /** The bucket number (Unix ms / BUCKET_MS) this slot holds; -1: none yet. */
  index = -1;
  queries = 0;
  computeOps = 0;
  readOps = 0;
  writeOps = 0;
  /** Last storage size sampled in this bucket; -1: none. */
  storageBytes = -1;
  minMs = Infinity;
  maxMs = 0;
  readonly errors = new Map<string, number>();
  readonly latency = new Uint32Array(LATENCY_BINS);

  reset(index: number): void {
    this.index = index;
    this.queries = this.computeOps = this.readOps = this.writeOps = this.maxMs = 0;
    this.storageBytes = -1;
    this.minMs = Infinity;
    this.errors.clear();
    this.latency.fill(0);
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export class MetricsHistory {
  private readonly slots: Bucket[] = Array.from({ length: BUCKETS }, () => new Bucket());
  /** The bucket the server started in: no points before it. */
  private readonly firstIndex: number;
  private lastStorageBytes = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.firstIndex = Math.floor(now() / BUCKET_MS);
  }

  /** One query answered after `latencyMs`, with its error code and stats when it has them. */
  recordQuery(latencyMs: number, errorCode: string | undefined, ops: QueryOps | undefined): void {
    const b = this.current();
    b.queries++;
    b.latency[latencyBin(latencyMs)]++;
    if (latencyMs < b.minMs) b.minMs = latencyMs;
    if (latencyMs > b.maxMs) b.maxMs = latencyMs;
    if (errorCode !== undefined) {
      const code = b.errors.has(errorCode) || b.errors.size < MAX_CODES_PER_BUCKET ? errorCode : 'other';
      b.errors.set(code, (b.errors.get(code) ?? 0) + 1);
    }
    if (ops !== undefined) {
      b.computeOps += ops.compute;
      b.readOps += ops.read;
      b.writeOps += ops.write;
    }
  }

  /** A storage size sample; buckets without one show the last sample before them. */
  recordStorageBytes(bytes: number): void {
    this.current().storageBytes = bytes;
    this.lastStorageBytes = bytes;
  }

  toJSON(): HistoryJson {
    const now = this.now();
    const cur = Math.floor(now / BUCKET_MS);
    const first = Math.max(this.firstIndex, cur - BUCKETS + 1);
    let storage = this.firstStorageFrom(first, cur);
    const points: HistoryPoint[] = [];
    for (let i = first; i <= cur; i++) {
      const b = this.slots[i % BUCKETS];
      const held = b.index === i;
      if (held && b.storageBytes >= 0) storage = b.storageBytes;
      const seconds = i === cur ? Math.max(1, (now - i * BUCKET_MS) / 1000) : BUCKET_MS / 1000;
      if (!held || b.queries === 0) {
        points.push({
          t: i * BUCKET_MS, queries: 0, qps: 0, p50_ms: 0, p95_ms: 0, p99_ms: 0, errors: {},
          compute_ops: held ? b.computeOps : 0, read_ops: held ? b.readOps : 0, write_ops: held ? b.writeOps : 0, storage_bytes: storage,
        });
        continue;
      }
      const p = (q: number): number => round3(percentile(b.latency, b.queries, b.minMs, b.maxMs, q));
      points.push({
        t: i * BUCKET_MS,
        queries: b.queries,
        qps: round3(b.queries / seconds),
        p50_ms: p(0.5),
        p95_ms: p(0.95),
        p99_ms: p(0.99),
        errors: Object.fromEntries(b.errors),
        compute_ops: b.computeOps,
        read_ops: b.readOps,
        write_ops: b.writeOps,
        storage_bytes: storage,
      });
    }
    return { interval_s: BUCKET_MS / 1000, points };
  }

  private current(): Bucket {
    const i = Math.floor(this.now() / BUCKET_MS);
    const b = this.slots[i % BUCKETS];
    if (b.index !== i) b.reset(i);
    return b;
  }

  /** The storage size to show before the window's first sample: that sample, else the last one. */
  private firstStorageFrom(first: number, cur: number): number {
    for (let i = first; i <= cur; i++) {
      const b = this.slots[i % BUCKETS];
      if (b.index === i && b.storageBytes >= 0) return b.storageBytes;
    }
    return this.lastStorageBytes;
  }
}
