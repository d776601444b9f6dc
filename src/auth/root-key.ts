// The root key check. The root secret is configured in cleartext and/or as bcrypt hashes (as
// core's `auth_root_key` / `auth_root_key_hashes`). bcrypt is deliberately slow, so verdicts
// are cached, negative ones too: every request presenting a non-root secret (a key or token)
// would otherwise pay one bcrypt verify per configured hash. Secrets never seen before still
// cost a verify each, so at most a few run at once: a stream of random secrets queues behind
// them instead of occupying the thread pool that file and crypto work shares. JWTs (each user's
// own, renewed hourly) are never compared with hashes: core never takes a JWT for a root key.
import { createHash, timingSafeEqual } from 'node:crypto';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
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

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
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

  constructor(private readonly config: RootKeyConfig) {
    // Comparing fixed-length digests keeps the comparison constant-time in the secret's length.
    this.secretDigests = config.secrets.map(digest);
    this.limiter = new Limiter(config.maxConcurrentVerifies ?? MAX_CONCURRENT_VERIFIES);
    this.verify = config.verify ?? bcryptVerify;
  }

  /** True if `secret` (the part before any scope) is a root secret. */
  isRoot(secret: string): Promise<boolean> {
    const d = digest(secret);
    const key = d.toString('hex');
    const cached = this.verdicts.get(key);
    if (cached) return cached;
    const verdict = this.check(secret, d);
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
    for (const h of this.config.hashes) {
      if (await this.limiter.run(() => this.verify(secret, h)).catch(() => false)) return true;
    }
    return false;
  }
}
