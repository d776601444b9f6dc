// The root key check. The root secret is configured in cleartext and/or as bcrypt hashes (as
// core's `auth_root_key` / `auth_root_key_hashes`). bcrypt is deliberately slow, so verdicts
// are cached: every request presenting a non-root secret (a key or token) would otherwise pay
// one bcrypt verify per configured hash.
import { createHash, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/bcrypt';

export interface RootKeyConfig {
  /** Cleartext root secrets. */
  readonly secrets: readonly string[];
  /** bcrypt hashes of root secrets ($2a$/$2b$/$2y$). */
  readonly hashes: readonly string[];
}

/** Bound on cached verdicts, so a stream of random secrets cannot grow memory without end. */
const MAX_CACHED = 10_000;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export class RootKeyChecker {
  private readonly secretDigests: readonly Buffer[];
  private readonly verdicts = new Map<string, Promise<boolean>>();

  constructor(private readonly config: RootKeyConfig) {
    // Comparing fixed-length digests keeps the comparison constant-time in the secret's length.
    this.secretDigests = config.secrets.map(digest);
  }

  /** True if `secret` (the part before any scope) is a root secret. */
  isRoot(secret: string): Promise<boolean> {
    const cached = this.verdicts.get(secret);
    if (cached) return cached;
    const verdict = this.check(secret);
    if (this.verdicts.size >= MAX_CACHED) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(secret, verdict);
    return verdict;
  }

  private async check(secret: string): Promise<boolean> {
    const d = digest(secret);
    let match = false;
    for (const s of this.secretDigests) match = timingSafeEqual(d, s) || match;
    if (match) return true;
    for (const h of this.config.hashes) {
      if (await verify(secret, h).catch(() => false)) return true;
    }
    return false;
  }
}
