// The signed-in session: the secret lives in sessionStorage only (gone when the tab closes),
// and the database selected in the explorer scopes every request the views make.
import { ADMIN, type RunAs, scopedSecret } from './api';

const KEY = 'fql-dashboard-secret';

export function storedSecret(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeSecret(secret: string | null): void {
  if (secret === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, secret);
}

export interface Session {
  readonly secret: string;
  /** Database path below the signed-in secret's database ([] = that database itself). */
  readonly path: readonly string[];
  /** The secret for the selected database, run as `as` (admin by default). */
  as(as?: RunAs): string;
}

export function session(secret: string, path: readonly string[]): Session {
  return { secret, path, as: (as = ADMIN) => scopedSecret(secret, path, as) };
}
