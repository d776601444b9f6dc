// The root key check. The root secret is configured in cleartext and/or as bcrypt hashes (as
// core's `auth_root_key` / `auth_root_key_hashes`). bcrypt is deliberately slow, so verdicts
// are cached, negative ones too: every request presenting a non-root secret (a key or token)
// would otherwise pay one bcrypt verify per configured hash. Secrets never seen before still
// cost a verify each, so at most a few run at once: a stream of random secrets queues behind
// them instead of occupying the thread pool that file and crypto work shares. JWTs (each user's
// own, renewed hourly) are never compared with hashes: core never takes a JWT for a root key.
// Once a secret has matched a hash, that hash costs no verify again: bcrypt reads only the first
// BCRYPT_INPUT_BYTES bytes of a secret, so a secret matches it exactly when those bytes equal the
// matched secret's (kept as their SHA-256). Then a stream of random secrets, each never seen
// before, costs a digest, not a bcrypt run that keys and tokens would queue behind.
import { hash, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from './passwords';
import { hasJwtShape } from './jwt';

export interface RootKeyConfig {
  /** Cleartext root secrets. */
  readonly secrets: readonly string[];
  /** bcrypt hashes of root secrets ($2a$/$2b$/$2y$). */
  readonly hashes: readonly string[];
  /** Concurrent bcrypt verifies (default MAX_CONCURRENT_VERIFIES). */
  readonly maxConcurrentVerifies?: number;
  /** The bcrypt verify (tests count calls). */
  readonly verify?: (secret: string, hash: string) => Promise<boolean>;
}

/** Bound on cached verdicts, so a stream of random secrets cannot grow memory without end. */
const MAX_CACHED = 10_000;
/** Half of libuv's default thread pool of 4. */
const MAX_CONCURRENT_VERIFIES = 2;

// One-shot `hash` (not a `Hash` object per call): it runs on every request, and costs a tenth.
function digest(s: string | Buffer): Buffer {
  return hash('sha256', s, 'buffer');
}

/** bcrypt hashes at most this many bytes of its input (UTF-8) and ignores the rest. */
const BCRYPT_INPUT_BYTES = 72;

/** The digest of what bcrypt reads of `secret`. */
function bcryptInputDigest(secret: string): Buffer {
  return digest(Buffer.from(secret, 'utf8').subarray(0, BCRYPT_INPUT_BYTES));
}

/** At most `max` tasks at once; the rest wait in arrival order. */
class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class RootKeyChecker {
  private readonly secretDigests: readonly Buffer[];
  /** Verdicts by the secret's SHA-256 (hex), so cached secrets cost 64 bytes each whatever their length. */
  private readonly verdicts = new Map<string, Promise<boolean>>();
  private readonly limiter: Limiter;
  private readonly verify: (secret: string, hash: string) => Promise<boolean>;
  /** Per configured hash, once a secret matched it: the digest of what bcrypt read of that secret. */
  private readonly matchedInputs: (Buffer | undefined)[];

  constructor(private readonly config: RootKeyConfig) {
    this.matchedInputs = config.hashes.map(() => undefined);
    // Comparing fixed-length digests keeps the comparison constant-time in the secret's length.
    this.secretDigests = config.secrets.map(digest);
    this.limiter = new Limiter(config.maxConcurrentVerifies ?? MAX_CONCURRENT_VERIFIES);
    // In a query worker on the worker's own thread, not the process's shared pool (passwords.ts).
    this.verify = config.verify ?? verifyPassword;
  }

  /** True if `secret` (the part before any scope) is a root secret. */
  isRoot(secret: string): Promise<boolean> {
    const key = hash('sha256', secret, 'hex');
    const cached = this.verdicts.get(key);
    if (cached) return cached;
    // The cache key is the digest: decoded, not computed again.
    const verdict = this.check(secret, Buffer.from(key, 'hex'));
    if (this.verdicts.size >= MAX_CACHED) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private async check(secret: string, d: Buffer): Promise<boolean> {
    let match = false;
    for (const s of this.secretDigests) match = timingSafeEqual(d, s) || match;
    if (match) return true;
    // Every user of an identity provider presents a JWT of their own: none may cost a bcrypt.
    if (hasJwtShape(secret)) return false;
    const input = bcryptInputDigest(secret);
    for (const [i, h] of this.config.hashes.entries()) {
      const known = this.matchedInputs[i];
      if (known !== undefined) {
        if (timingSafeEqual(input, known)) return true;
        continue;
      }
      if (await this.limiter.run(() => this.verify(secret, h)).catch(() => false)) {
        this.matchedInputs[i] = input;
        return true;
      }
    }
    return false;
  }
}
