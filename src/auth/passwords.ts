// Password hashing for credentials: bcrypt through @node-rs/bcrypt. Verification accepts any
// `$2a$`/`$2b$`/`$2y$` hash of any cost (Fauna itself writes cost 5); new hashes use the
// configured cost.
//
// Where it runs matters. The async functions run on libuv's thread pool, which is one pool for
// the whole process (4 threads): the query workers' password checks would share it with the
// coordinator's file writes (the clock's reserve, whose delay stalls every transaction's
// begin), DNS lookups and root-hash checks, so a flood of failed logins through a public login
// function could starve them. In a query worker the functions therefore run on the worker's own
// thread: the worker runs one request at a time anyway, and its deadline still bounds it (the
// coordinator ends a worker that overruns). On the main thread (queries run in-process when
// isolation is off) they stay async, off the event loop.
import { isMainThread } from 'node:worker_threads';
import { hash, hashSync, verify, verifySync } from '@node-rs/bcrypt';

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

/** Whether bcrypt runs on this thread rather than on the shared pool (see above). */
export const BCRYPT_ON_OWN_THREAD = !isMainThread;

export async function hashPassword(password: string): Promise<string> {
  return BCRYPT_ON_OWN_THREAD ? hashSync(password, cost) : hash(password, cost);
}

/** False for a wrong password and for a malformed hash alike. */
export async function verifyPassword(password: string, hashed: string): Promise<boolean> {
  try {
    return BCRYPT_ON_OWN_THREAD ? verifySync(password, hashed) : await verify(password, hashed);
  } catch {
    return false;
  }
}
