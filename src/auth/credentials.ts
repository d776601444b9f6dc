// A secret as presented by a client, parsed but not yet verified. Grammar (Fauna's
// AuthScope): `<secret>[:<db/path>]:<role>` where role is `admin`, `server`,
// `server-readonly`, `client`, `@role/<name>` or `@doc/<Coll>/<id>` (legacy
// `collections/<Coll>/<id>` is also accepted).
export type ScopedRole =
  | { readonly kind: 'builtin'; readonly role: 'admin' | 'server' | 'server-readonly' | 'client' }
  | { readonly kind: 'userRole'; readonly name: string }
  | { readonly kind: 'doc'; readonly coll: string; readonly id: string };

export interface Credentials {
  /** The secret part (before the first ':'). */
  readonly secret: string;
  /** Database path segments from the scope (empty = the secret's own database). */
  readonly scopePath: readonly string[];
  /** The scoped role, when the secret carried one. */
  readonly scopeRole?: ScopedRole;
}
