// The signing keys of access providers: JSON Web Key Sets fetched from their `jwks_uri` and
// cached (core JWKUrlProvider / JWKSLoadingValue). Lookups are synchronous and never wait on
// the network: a caller that finds no usable key is told to fetch, which it does outside its
// storage transaction (src/exec/attempt.ts), so a slow or hostile JWKS endpoint holds no
// transaction, connection or lock, only the request that asked for it, and at most FETCH_TIMEOUT_MS.
//
// One cache per process fetches: the main thread's `providerKeys`. Query workers never fetch
// (a worker waiting on a hanging endpoint would be a worker taken from every tenant): their
// `providerKeys` is a mirror `delegateTo` the pool. A worker whose mirror has no usable key hands
// the request back to the pool ("needs keys"), which waits for the main cache's fetch without
// holding a worker, then queues the request again with the set (src/exec/pool/worker-pool.ts);
// every settled fetch is also sent to every worker (`onSettled`), so each set is fetched once.
//
//   - one fetch per URI at a time: concurrent requests share it (single flight);
//   - a set is used for TTL_MS, then refreshed in the background while it keeps serving (core
//     refreshes after an hour);
//   - a `kid` the set lacks triggers a refetch (key rotation), at most once per
//     REFETCH_INTERVAL_MS (core: 500 ms); after failed fetches the wait doubles each time (up to
//     MAX_BACKOFF_MS): in between, requests fail at once instead of queueing on a broken endpoint;
//   - bounded: at most MAX_SETS URIs (least recently used dropped), MAX_KEYS keys per set,
//     MAX_BODY_BYTES per response; no redirects (as core's client); https only, trusting the
//     system's CAs plus NODE_EXTRA_CA_CERTS; public addresses only unless the operator allows
//     others (jwks-fetch.ts).
//
// Only RSA keys of at least 2048 bits are kept (core parses `kty: RSA` keys only), with their
// `alg` (if given, the token must use it) and only if meant for signatures (`use: sig` or none).
import { createPublicKey, verify as verifySignature, constants, type KeyObject } from 'node:crypto';
import type { JwtAlg } from './jwt';
import { jwksFetcher, type JwksFetcher } from './jwks-fetch';

export const FETCH_TIMEOUT_MS = 5_000;
export const TTL_MS = 60 * 60 * 1000;
export const REFETCH_INTERVAL_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const MAX_SETS = 256;
const MAX_KEYS = 64;
const MIN_RSA_BITS = 2048;

export interface Jwk { readonly kid?: string; readonly alg?: string; readonly key: KeyObject }

/** What is known of one URI's set; structured-cloneable (KeyObjects are), to copy it to workers. */
export interface JwksState {
  /** The last set fetched successfully (kept while refetches fail). */
  keys?: readonly Jwk[];
  fetchedAt: number;
  /** When the last fetch started; bounds refetches. */
  lastAttempt: number;
  /** Why the last fetch failed, until one succeeds. */
  failure?: string;
  /** Failed fetches in a row: each doubles the wait before the next (up to MAX_BACKOFF_MS). */
  failures: number;
}

interface Entry extends JwksState {
  inflight?: Promise<void>;
}

/** The key a token asks for, which `lookup` did not find. */
export interface KeyWant {
  readonly uri: string;
  readonly kid?: string;
  readonly alg: JwtAlg;
}

/** How a thread that does not fetch (a query worker) obtains keys: from the thread that does. */
export interface KeyRequester {
  /**
   * The set at `want.uri` is needed to answer the current request: resolves when the caller may
   * look again (or never, once the request was handed back to be run again with the keys).
   */
  need(want: KeyWant, waitMs: number): Promise<void>;
  /** A set past its TTL is still served: have it refreshed in the background. */
  stale(uri: string): void;
}

/** Time left for the query itself after waiting for an access provider's keys. */
export const JWKS_DEADLINE_MARGIN_MS = 100;

export type KeyLookup =
  /** Verify with this key. */
  | { readonly kind: 'key'; readonly key: KeyObject }
  /** Nothing usable known yet: fetch the set (refetch), then look again. */
  | { readonly kind: 'fetch' }
  /** Fetched recently (or being fetched: then the fetch is joined) and still no key: refuse now. */
  | { readonly kind: 'missing'; readonly reason: string };

export class JwksCache {
  private readonly sets = new Map<string, Entry>();
  private requester?: KeyRequester;
  private readonly listeners = new Set<(uri: string, state: JwksState) => void>();

  constructor(
    /** Public addresses only unless the composition root says otherwise (useFetcher). */
    private fetcher: JwksFetcher = jwksFetcher({ allowPrivateAddresses: false }),
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = FETCH_TIMEOUT_MS,
    /** Where failed fetches are reported (one line per failed fetch, at most one per REFETCH_INTERVAL_MS). */
    private readonly report: (message: string) => void = (m) => console.error(`access providers: ${m}`),
  ) {}

  /** How sets are fetched from now on (the server's configuration: src/main.ts). */
  useFetcher(fetcher: JwksFetcher): void {
    this.fetcher = fetcher;
  }

  /** The key for a token with key id `kid` signed with `alg`, from the set at `uri`. */
  lookup(uri: string, kid: string | undefined, alg: JwtAlg): KeyLookup {
    const entry = this.sets.get(uri);
    if (!entry) return { kind: 'fetch' };
    // Least recently used last.
    this.sets.delete(uri);
    this.sets.set(uri, entry);
    const now = this.now();
    const may = now - entry.lastAttempt >= this.backoff(entry);
    if (entry.keys) {
      const jwk = findKey(entry.keys, kid);
      if (jwk) {
        if (now - entry.fetchedAt >= TTL_MS && may) this.refreshStale(uri, entry, now);
        if (jwk.alg !== undefined && jwk.alg !== alg) return { kind: 'missing', reason: `key ${kid ?? ''} is for ${jwk.alg}, not ${alg}` };
        return { kind: 'key', key: jwk.key };
      }
    }
    // A fetch in flight is joined (refresh), not started again.
    if (may || entry.inflight) return { kind: 'fetch' };
    const reason = entry.failure ?? `no key with kid ${JSON.stringify(kid ?? null)}`;
    return { kind: 'missing', reason };
  }

  /**
   * Fetch the set at `uri` (joining a fetch in flight), waiting at most `waitMs`. Never throws:
   * failures are recorded for `lookup` to report.
   */
  async refresh(uri: string, waitMs = this.timeoutMs): Promise<void> {
    const entry = this.entry(uri);
    if (!entry.inflight) {
      const e = entry;
      e.lastAttempt = this.now();
      e.inflight = this.load(uri).then(
        (keys) => { e.keys = keys; e.fetchedAt = this.now(); e.failure = undefined; e.failures = 0; },
        (err: unknown) => {
          e.failures++;
          e.failure = `cannot fetch the JWKS from ${uri}: ${err instanceof Error ? errorText(err) : String(err)}`;
          this.report(e.failure);
        },
      ).finally(() => {
        e.inflight = undefined;
        const state = this.state(uri);
        if (state) for (const l of this.listeners) l(uri, state);
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((res) => { timer = setTimeout(res, Math.max(0, waitMs)); });
    try {
      await Promise.race([entry.inflight, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * What a request that found no usable key waits for before looking again: this thread's own
   * fetch, or (in a query worker) whatever the fetching thread arranges.
   */
  obtain(want: KeyWant, waitMs: number): Promise<void> {
    return this.requester ? this.requester.need(want, waitMs) : this.refresh(want.uri, waitMs);
  }

  /**
   * For the fetching thread, when another thread's copy lacks the key `want`: fetches (or joins
   * the fetch in flight) exactly when `lookup` says so here, else resolves at once (what is known
   * here is as fresh as the limits allow).
   */
  ensure(want: KeyWant, waitMs: number): Promise<void> {
    if (this.lookup(want.uri, want.kid, want.alg).kind !== 'fetch') return Promise.resolve();
    return this.refresh(want.uri, waitMs);
  }

  /** For the fetching thread, when another thread's copy is past its TTL: refetch unless done lately. */
  refreshIfDue(uri: string): void {
    const entry = this.sets.get(uri);
    if (entry && (entry.inflight || this.now() - entry.lastAttempt < this.backoff(entry))) return;
    void this.refresh(uri);
  }

  /** The known state of `uri`'s set, to copy to another thread (undefined: nothing known). */
  state(uri: string): JwksState | undefined {
    const e = this.sets.get(uri);
    if (!e) return undefined;
    return { ...(e.keys ? { keys: e.keys } : {}), fetchedAt: e.fetchedAt, lastAttempt: e.lastAttempt, ...(e.failure !== undefined ? { failure: e.failure } : {}), failures: e.failures };
  }

  /** Takes another thread's state of `uri`'s set (a worker's mirror). */
  install(uri: string, state: JwksState): void {
    const e = this.entry(uri);
    e.keys = state.keys;
    e.fetchedAt = state.fetchedAt;
    e.lastAttempt = state.lastAttempt;
    e.failure = state.failure;
    e.failures = state.failures;
  }

  /** Makes this cache a mirror: it never fetches, `requester` does. */
  delegateTo(requester: KeyRequester): void {
    this.requester = requester;
  }

  /** Calls `listener` with the new state after every fetch settles; returns the unsubscribe. */
  onSettled(listener: (uri: string, state: JwksState) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private refreshStale(uri: string, entry: Entry, now: number): void {
    if (!this.requester) {
      void this.refresh(uri);
      return;
    }
    // A mirror asks once per refetch interval; the answer arrives through `install`.
    entry.lastAttempt = now;
    this.requester.stale(uri);
  }

  /** How long after a fetch started the next one may start. */
  private backoff(entry: Entry): number {
    return Math.min(MAX_BACKOFF_MS, REFETCH_INTERVAL_MS * 2 ** Math.max(0, entry.failures - 1));
  }

  /** `uri`'s entry, created if new (dropping the least recently used beyond MAX_SETS). */
  private entry(uri: string): Entry {
    let entry = this.sets.get(uri);
    if (!entry) {
      entry = { fetchedAt: 0, lastAttempt: 0, failures: 0 };
      this.sets.set(uri, entry);
      for (const old of this.sets.keys()) {
        if (this.sets.size <= MAX_SETS) break;
        if (!this.sets.get(old)!.inflight) this.sets.delete(old);
      }
    }
    return entry;
  }

  private async load(uri: string): Promise<readonly Jwk[]> {
    if (!uri.startsWith('https://')) throw new Error('the URI is not https');
    const json = await this.fetcher(uri, AbortSignal.timeout(this.timeoutMs));
    return parseJwks(json);
  }
}

/** An error's message with its cause's (fetch reports "fetch failed" with the reason as cause). */
function errorText(e: Error): string {
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  if (e.name === 'TimeoutError') return 'no answer in time';
  return cause ? `${e.message} (${cause})` : e.message;
}

/** Core `JWKS.findJWK`: the only key of a one-key set when the token names none, else by `kid`. */
function findKey(keys: readonly Jwk[], kid: string | undefined): Jwk | undefined {
  if (keys.length === 1 && kid === undefined) return keys[0];
  return keys.find((k) => k.kid === kid);
}

/** The usable keys of a JWKS document; throws if it is not one. */
export function parseJwks(json: unknown): readonly Jwk[] {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('the response is not a JSON Web Key Set');
  const out: Jwk[] = [];
  for (const k of keys.slice(0, MAX_KEYS)) {
    const jwk = rsaKey(k);
    if (jwk) out.push(jwk);
  }
  return out;
}

function rsaKey(k: unknown): Jwk | undefined {
  if (k === null || typeof k !== 'object') return undefined;
  const { kty, n, e, kid, alg, use, key_ops: ops } = k as Record<string, unknown>;
  if (kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') return undefined;
  if (kid !== undefined && typeof kid !== 'string') return undefined;
  if (alg !== undefined && typeof alg !== 'string') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify'))) return undefined;
  try {
    // Only the public members: a set that also publishes `d` must not make us hold a private key.
    const key = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return undefined;
    return { kid, alg, key };
  } catch {
    return undefined;
  }
}

const HASHES: Readonly<Record<JwtAlg, string>> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** RSASSA-PKCS1-v1_5 verification of a JWS signature. */
export function verifyJws(alg: JwtAlg, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  try {
    return verifySignature(HASHES[alg], signingInput, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/** The keys of this thread: the process's fetching cache on the main thread, a mirror in a query worker. */
export const providerKeys = new JwksCache();
