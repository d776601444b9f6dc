// Event streams and feeds (issue 11), section `streams` of `npm run bench`, against a freshly
// started server:
//   - write throughput (`Coll.create`) with 0, 100 and 1,000 open streams that the writes do not
//     match (`Set.single(doc)` on distinct documents of another collection, never written),
//     relative to the mean of a run before the streams open and one after they close: a write
//     must cost in proportion to the streams it concerns (target: >= 90% kept);
//   - server RSS with 0 and 1,000 idle streams, and memory per idle stream: what 1,000 more
//     add (the first ones also grow the query workers' heaps once; target < 50 KB);
//   - event latency, commit -> event received: one stream on `Probe.all()`, next to the 1,000
//     idle ones, while Probe documents are created at 200/s (at most 32 in flight; the rate
//     achieved and the writes' own latency are reported too: `txn_ts` is taken when a write
//     begins, so a slow write is a late event); latency = receive time - the event's `txn_ts`
//     (both wall-clock µs; target p99 < 50 ms);
//   - feed throughput: 20,000 events in one collection read from the token's start in pages of
//     1,000, after a few unmeasured pages (target >= 20 pages/s), and the server's CPU per page.
// The many streams are raw `node:http2` requests (at most the server's default 100 per
// connection), so the client side costs little next to the server; writes go through the driver.
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { fql, StreamToken, type Client } from 'fauna';
import { startServer } from '../test/helpers/server';
import { measure, summarize, type Figure, type Measurement } from './harness';

export interface StreamsOptions { seconds: number; concurrency: number; storage?: string }

/** The server's default `--max-streams-per-connection`. */
const STREAMS_PER_SESSION = 100;
const IDLE_STREAMS = 1_000;
/** Streams being opened at once (each open runs a connect job in a query worker). */
const OPENING_AT_ONCE = 32;
const PROBE_WRITES_PER_SEC = 200;
const FEED_EVENTS = 20_000;
const FEED_BATCH = 500;
const FEED_PAGE = 1_000;
const FEED_WARMUP_PAGES = 4;

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Wall-clock µs with sub-millisecond resolution (comparable with the server's `txn_ts`). */
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

/** CPU ms (user + system) the process has used, all threads (/proc/<pid>/stat, USER_HZ 100). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

interface StreamEvent { type: string; txn_ts?: number; cursor?: string; data?: any; error?: { code: string; message: string } }

interface OpenStream { close(): void }

/**
 * /stream/1 requests over raw h2 sessions, at most STREAMS_PER_SESSION per session. A stream
 * counts as open once its first (status) event arrived; a stream that ends or fails after that
 * is counted in `lost` (none should, while the bench runs).
 */
class StreamPool {
  private readonly sessions: { session: http2.ClientHttp2Session; streams: number }[] = [];
  lost = 0;

  constructor(private readonly url: string) {}

  /** A session with room for one more stream (a new one when all are full). */
  private slot(): { session: http2.ClientHttp2Session; streams: number } {
    let s = this.sessions.find((x) => x.streams < STREAMS_PER_SESSION && !x.session.closed && !x.session.destroyed);
    if (!s) {
      const session = http2.connect(this.url);
      session.on('error', () => { /* each stream reports its own failure */ });
      this.sessions.push((s = { session, streams: 0 }));
    }
    s.streams++;
    return s;
  }

  open(token: string, onEvent?: (e: StreamEvent, receivedUs: number) => void): Promise<OpenStream> {
    const slot = this.slot();
    return new Promise((resolve, reject) => {
      const req = slot.session.request({
        ':method': 'POST', ':path': '/stream/1', authorization: 'Bearer secret', 'content-type': 'application/json',
      });
      req.setEncoding('utf8');
      let status = 0;
      let pending = '';
      let opened = false;
      let closing = false;
      const handle: OpenStream = { close: () => { closing = true; req.close(http2.constants.NGHTTP2_CANCEL); } };
      req.on('response', (h) => { status = Number(h[':status']); });
      req.on('data', (chunk: string) => {
        const receivedUs = nowUs();
        pending += chunk;
        if (status !== 200) return;
        let i: number;
        while ((i = pending.indexOf('\r\n')) >= 0) {
          const event = JSON.parse(pending.slice(0, i)) as StreamEvent;
          pending = pending.slice(i + 2);
          if (!opened) {
            if (event.type !== 'status') { reject(new Error(`first event: ${JSON.stringify(event)}`)); req.close(); return; }
            opened = true;
            resolve(handle);
          } else {
            if (event.type === 'error') process.stderr.write(`  stream error event: ${JSON.stringify(event.error)}\n`);
            onEvent?.(event, receivedUs);
          }
        }
      });
      const ended = (why: string) => {
        slot.streams--;
        if (!opened) reject(new Error(`stream not opened (${why}, status ${status}): ${pending.slice(0, 300)}`));
        else if (!closing) this.lost++;
      };
      req.on('close', () => ended('closed'));
      req.on('error', (e) => { if (!opened) reject(e); });
      req.end(JSON.stringify({ token }));
    });
  }

  close(): void {
    for (const s of this.sessions.splice(0)) s.session.destroy();
  }
}

/** Opens one stream per token, OPENING_AT_ONCE at a time. */
async function openAll(pool: StreamPool, tokens: readonly string[]): Promise<OpenStream[]> {
  const out: OpenStream[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: OPENING_AT_ONCE }, async () => {
    while (next < tokens.length) out.push(await pool.open(tokens[next++]));
  }));
  return out;
}


/** Probe writes in flight at most: past it a write is skipped, so a server slower than the rate
 * is not buried under an ever longer queue (the achieved rate is reported). */
const PROBE_MAX_IN_FLIGHT = 32;

interface ProbeResult {
  readonly latency: Measurement;
  /** The probe writes themselves, request to answer: the event's txn_ts is taken when a write
   * begins, so its latency includes the write's own run to its commit. */
  readonly writes: Measurement;
  readonly writesPerSec: number;
  readonly skipped: number;
}

/**
 * Probe documents created at `rate`/s for `seconds` (open loop: a slow answer does not delay the
 * next write), after one warm-up second whose events are not counted; returns the latencies of
 * the measured events, the write rate achieved and how many writes were skipped.
 */
async function probeLatency(client: Client, pool: StreamPool, token: string, rate: number, seconds: number): Promise<ProbeResult> {
  const latencies: number[] = [];
  let received = 0;
  const probe = await pool.open(token, (e, receivedUs) => {
    if (e.type !== 'add') return;
    received++;
    if (e.data?.['@doc']?.measured === true) latencies.push((receivedUs - e.txn_ts!) / 1000);
  });
  let written = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  const writeMs: number[] = [];
  const writes: Promise<unknown>[] = [];
  const run = async (durationS: number, measured: boolean) => {
    const t0 = performance.now();
    for (let i = 0; performance.now() - t0 < durationS * 1000; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      if (inFlight >= PROBE_MAX_IN_FLIGHT) { if (measured) skipped++; continue; }
      inFlight++;
      const w0 = performance.now();
      writes.push(client.query(fql`Probe.create({ measured: ${measured} })`).then(
        () => { written++; if (measured) writeMs.push(performance.now() - w0); },
        () => { failed++; },
      ).finally(() => { inFlight--; }));
    }
  };
  await run(1, false);
  const t0 = performance.now();
  await run(seconds, true);
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(writes);
  // Every acknowledged write's event should arrive; wait for the stragglers (bounded).
  const deadline = performance.now() + 10_000;
  while (received < written && performance.now() < deadline) await sleep(20);
  probe.close();
  const missing = written - received;
  if (missing !== 0 || failed !== 0) process.stderr.write(`  event latency: ${failed} writes failed, ${missing} events missing\n`);
  return {
    latency: summarize(`streams: event latency (${rate} writes/s)`, 1, latencies, elapsed, failed + Math.max(0, missing)),
    writes: summarize(`streams: probe Coll.create (${rate}/s offered)`, PROBE_MAX_IN_FLIGHT, writeMs, elapsed, failed),
    writesPerSec: round(writeMs.length / elapsed, 1),
    skipped,
  };
}

/**
 * Pages through the feed of `token` from its start (at most `maxPages`); returns one latency per
 * page, and counts an error unless it saw `expected` add events.
 */
async function feedPages(url: string, token: string, expected: number, maxPages = Infinity): Promise<Measurement> {
  const latencies: number[] = [];
  let cursor: string | undefined;
  let events = 0;
  const t0 = performance.now();
  for (;;) {
    const p0 = performance.now();
    const r = await fetch(`${url}/feed/1`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
      body: JSON.stringify({ token, page_size: FEED_PAGE, ...(cursor ? { cursor } : {}) }),
    });
    const page = await r.json() as { events: StreamEvent[]; cursor: string; has_next: boolean };
    if (r.status !== 200) throw new Error(`feed page: ${r.status} ${JSON.stringify(page)}`);
    latencies.push(performance.now() - p0);
    events += page.events.filter((e) => e.type === 'add').length;
    cursor = page.cursor;
    if (!page.has_next || latencies.length >= maxPages) break;
  }
  const elapsed = (performance.now() - t0) / 1000;
  if (maxPages === Infinity && events !== expected) process.stderr.write(`  feed: ${events} add events, expected ${expected}\n`);
  return summarize(`streams: feed page of ${FEED_PAGE}`, 1, latencies, elapsed, events === expected ? 0 : 1);
}

export interface StreamsResult {
  readonly measurements: Measurement[];
  readonly figures: Figure[];
  readonly details: Record<string, unknown>;
}

export async function streamsWorkloads(o: StreamsOptions): Promise<StreamsResult> {
  const server = await startServer(o.storage ? { storage: o.storage } : {});
  const pool = new StreamPool(server.url);
  const pid = server.proc.pid!;
  try {
    const client = server.client();
    await client.query(fql`Collection.create({ name: "Idle" }); Collection.create({ name: "Written" }); Collection.create({ name: "Probe" }); Collection.create({ name: "Fed" })`);
    await client.query(fql`Array.sequence(0, ${2 * IDLE_STREAMS}).map(i => Idle.create({ i: i })).length`);
    const idleTokens = (await client.query<StreamToken[]>(fql`Idle.all().toArray().map(d => Set.single(d).eventSource())`)).data.map((t) => t.token);
    const probeToken = (await client.query<StreamToken>(fql`Probe.all().eventSource()`)).data.token;

    const write = () => client.query(fql`Written.create({ name: "bench", n: 1 })`);
    const throughput = async (streams: number) => measure(`streams: Coll.create, ${streams} other streams`, o.concurrency, o.seconds, write);

    // Warm up first (JIT, worker pool, caches): a cold first baseline would flatter the rest.
    await measure('streams: warm-up', o.concurrency, Math.max(1, o.seconds / 2), write);
    const none = await throughput(0);
    await sleep(500);
    const rss0 = rssKb(pid);
    const open = await openAll(pool, idleTokens.slice(0, 100));
    const hundred = await throughput(100);
    const t0 = performance.now();
    open.push(...await openAll(pool, idleTokens.slice(100, IDLE_STREAMS)));
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(1_000);
    const rss1000 = rssKb(pid);
    // The first streams also grow the query workers' heaps (their connect jobs run there) once
    // for all: the cost of one more idle stream is what 1,000 more add.
    const more = await openAll(pool, idleTokens.slice(IDLE_STREAMS, 2 * IDLE_STREAMS));
    await sleep(1_000);
    const rss2000 = rssKb(pid);
    for (const s of more) s.close();
    const thousand = await throughput(IDLE_STREAMS);
    const probe = await probeLatency(client, pool, probeToken, PROBE_WRITES_PER_SEC, o.seconds);
    const latency = probe.latency;
    const lost = pool.lost;
    for (const s of open) s.close();
    // The baseline again, all streams closed: the ratios are taken to the mean of both, so a
    // machine whose load drifts during the section skews them less.
    await sleep(500);
    const noneAgain = await throughput(0);

    // The token is taken before the documents exist, so its feed holds exactly their events.
    const fedToken = (await client.query<StreamToken>(fql`Fed.all().eventSource()`)).data.token;
    for (let n = 0; n < FEED_EVENTS; n += FEED_BATCH) {
      await client.query(fql`Array.sequence(0, ${FEED_BATCH}).map(i => Fed.create({ i: i, name: "feed" })).length`);
    }
    // A few pages first, not measured (as the other workloads warm up): the feed's code path is
    // cold in the query workers until then.
    await feedPages(server.url, fedToken, FEED_EVENTS, FEED_WARMUP_PAGES);
    // Server CPU per page too: on a shared machine it moves less than the rate does.
    const cpu0 = cpuMs(pid);
    const feed = await feedPages(server.url, fedToken, FEED_EVENTS);
    const feedCpuMs = round((cpuMs(pid) - cpu0) / Math.max(1, feed.ops), 1);
    const pagesPerSec = feed.opsPerSec;

    const baseline = (none.opsPerSec + noneAgain.opsPerSec) / 2;
    const keep100 = round(hundred.opsPerSec / baseline);
    const keep1000 = round(thousand.opsPerSec / baseline);
    const firstKb = round((rss1000 - rss0) / IDLE_STREAMS, 1);
    const perStreamKb = round((rss2000 - rss1000) / IDLE_STREAMS, 1);
    const figures: Figure[] = [
      { name: 'streams: event latency p50, 1,000 other streams, 200 writes/s (ms)', value: latency.p50Ms },
      { name: 'streams: event latency p99, 1,000 other streams, 200 writes/s (ms)', value: latency.p99Ms, target: '< 50', met: latency.p99Ms < 50 },
      { name: 'streams: probe writes achieved during the latency run (writes/s)', value: probe.writesPerSec },
      { name: 'streams: probe write p50, request to answer (ms)', value: probe.writes.p50Ms },
      { name: 'streams: Coll.create throughput, 100 non-matching streams / none', value: keep100, target: '>= 0.90', met: keep100 >= 0.9 },
      { name: 'streams: Coll.create throughput, 1,000 non-matching streams / none', value: keep1000, target: '>= 0.90', met: keep1000 >= 0.9 },
      { name: 'streams: server RSS, no streams (MB)', value: round(rss0 / 1024, 1) },
      { name: 'streams: server RSS, 1,000 idle streams (MB)', value: round(rss1000 / 1024, 1) },
      { name: 'streams: RSS growth per stream over the first 1,000 (KB)', value: firstKb },
      { name: 'streams: memory per idle stream, 1,000 more (KB)', value: perStreamKb, target: '< 50', met: perStreamKb < 50 },
      { name: 'streams: feed pages of 1,000 events per second', value: pagesPerSec, target: '>= 20', met: pagesPerSec >= 20 },
      { name: 'streams: server CPU per feed page, all threads (ms)', value: feedCpuMs },
    ];
    return {
      measurements: [none, hundred, thousand, noneAgain, latency, probe.writes, feed],
      figures,
      details: {
        idleStreams: IDLE_STREAMS, streamsPerConnection: STREAMS_PER_SESSION,
        openStreamsPerSec: round((IDLE_STREAMS - 100) / openSeconds, 1), streamsLost: lost,
        rssKb: { none: rss0, idle1000: rss1000, idle2000: rss2000 }, firstThousandKbPerStream: firstKb, perIdleStreamKb: perStreamKb,
        throughputKept: { 100: keep100, 1000: keep1000 },
        probe: { writesPerSec: PROBE_WRITES_PER_SEC, achievedWritesPerSec: probe.writesPerSec, skippedWrites: probe.skipped, events: latency.ops, p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, maxMs: latency.maxMs },
        feed: { events: FEED_EVENTS, pageSize: FEED_PAGE, pages: feed.ops, pagesPerSec, pageP50Ms: feed.p50Ms, serverCpuMsPerPage: feedCpuMs },
      },
    };
  } finally {
    pool.close();
    await server.dispose();
  }
}
