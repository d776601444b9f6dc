// Password hashing for credentials: bcrypt through @node-rs/bcrypt, whose async functions run
// on the libuv pool so the event loop stays free. Verification accepts any `$2a$`/`$2b$`/`$2y$`
// hash of any cost (Fauna itself writes cost 5); new hashes use the configured cost.
import { hash, verify } from '@node-rs/bcrypt';

export const DEFAULT_PASSWORD_COST = 10;
let cost = DEFAULT_PASSWORD_COST;

/** Set the bcrypt cost factor for new password hashes (4..31). */
export function setPasswordCost(c: number): void {
  if (!Number.isInteger(c) || c < 4 || c > 31) throw new RangeError(`bcrypt cost must be an integer in 4..31, got ${c}`);
  cost = c;
}

export function passwordCost(): number {
  return cost;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, cost);
}

/** False for a wrong password and for a malformed hash alike. */
export function verifyPassword(password: string, hashed: string): Promise<boolean> {
  return verify(password, hashed).catch(() => false);
}
