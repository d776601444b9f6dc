// Who a query runs as: the database it runs in and the permissions it holds, decided by
// authentication (src/model/identity/authenticate.ts) inside the query's own transaction.
import type { DocV, ObjectV, Value } from '../fql/values/value';
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
  /** A JWT the caller authenticated with, through an access provider (src/model/identity/jwt-auth.ts). */
  readonly jwt?: JwtLogin;
  /**
   * The key or token document the secret belongs to, as read by authentication (its database
   * and version): event streams end with permission_loss when it changes. Absent for root.
   */
  readonly secretDoc?: { readonly db: DbId; readonly coll: 'Key' | 'Token'; readonly id: string; readonly ts: bigint };
}

export const isBuiltin = (p: Principal, role: BuiltinRole): boolean =>
  p.access.kind === 'builtin' && p.access.role === role;

/** A provider role: granted to a JWT when its predicate (if any) accepts the token's claims. */
export interface ProviderRole {
  readonly role: string;
  /** v10 FQL source text, or a stored v4 `Query(Lambda)` (src/model/identity/fql4-lambdas.ts). */
  readonly predicate?: Value;
}

/** Core `JWTLogin`: a verified JWT. */
export interface JwtLogin {
  /** Its payload (`Query.token()`, v4 `CurrentToken()`; `sub` is v4's `CurrentIdentity()`). */
  readonly claims: ObjectV;
  /**
   * The provider's roles, until their predicates have run on the claims: meanwhile the principal
   * holds no role at all (`roles: []`), so a path that skipped that step grants nothing.
   */
  readonly pending?: readonly ProviderRole[];
}
