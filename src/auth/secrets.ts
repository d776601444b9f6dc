// Key and token secrets. A secret is shown once, when created; storage keeps only its SHA-256
// digest, which is also the lookup key used to authenticate each request (one point read).
// bcrypt is for passwords: secrets are long random strings, so a fast digest is enough.
import { hash, randomBytes } from 'node:crypto';

/** Random bytes per secret (240 bits). */
const SECRET_BYTES = 30;

/**
 * A new secret: "fn" followed by base64url text. It never contains the characters the scoped
 * secret grammar reserves (`/ , ( ) & = :`), so `<secret>:<db>:<role>` always parses.
 */
export function newSecret(): string {
  return 'fn' + randomBytes(SECRET_BYTES).toString('base64url');
}

/** The digest under which a secret is stored and looked up. */
export function secretDigest(secret: string): string {
  return hash('sha256', secret, 'base64url');
}
