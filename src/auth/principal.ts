// Who a query runs as: the database it runs in and the permissions it holds, decided by
// authentication (src/model/identity/authenticate.ts) inside the query's own transaction.
import type { DocV } from '../fql/values/value';
import type { DbId } from '../model/keys';

export type BuiltinRole = 'admin' | 'server' | 'server-readonly' | 'client';

export type Access =
  /** Fauna's built-in permission sets (`client` holds no permissions). */
  | { readonly kind: 'builtin'; readonly role: BuiltinRole }
  /** User-defined roles named by a key's `role` or an `@role/<name>` scope. */
  | { readonly kind: 'roles'; readonly names: readonly string[] }
  /** A token or `@doc` scope: the roles whose membership includes `Principal.identity`. */
  | { readonly kind: 'identity' }
  /** While a role predicate runs: reads (not of admin-only collections) and calls, no writes. */
  | { readonly kind: 'predicate' };

export interface Principal {
  readonly db: DbId;
  readonly access: Access;
  /** The identity document of a token or an `@doc/...` scope (`Query.identity()`). */
  readonly identity?: DocV;
  /** The token the caller authenticated with (`Query.token()`). */
  readonly token?: DocV;
  /**
   * The key or token document the secret belongs to, as read by authentication (its database
   * and version): event streams end with permission_loss when it changes. Absent for root.
   */
  readonly secretDoc?: { readonly db: DbId; readonly coll: 'Key' | 'Token'; readonly id: string; readonly ts: bigint };
}

export const isBuiltin = (p: Principal, role: BuiltinRole): boolean =>
  p.access.kind === 'builtin' && p.access.role === role;
